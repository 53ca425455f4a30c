/**
 * The dialect's finer points, through the real processor and the real
 * handlers both targets use: definition lists beside the other uses of `:`,
 * escaped `\~` and `\^`, fenced divs in block quotes and list items,
 * bracketed groups of cross-references (with citations among them), numbered
 * equations, and the dialect's words in the book's language. The dialect
 * book (tests/e2e/dialect.test.ts) checks the same in both books.
 */
import type {Element, Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {Nodes, Root} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import {toString} from 'mdast-util-to-string'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {GraphicRegistry} from '../pipeline/book/load.js'
import {createProcessor} from '../pipeline/parse/processor.js'
import {type CrossReference, resolveCrossReferences} from '../pipeline/plugins/remark-cross-references.js'
import type {ImplicitFigure} from '../pipeline/plugins/remark-figures.js'
import {dialectHandlers} from '../pipeline/render/dialect.js'
import {chapterFootnotes} from '../pipeline/render/footnotes.js'
import type {Citation, CslItem} from '../pipeline/types.js'

const references = new Map<string, CslItem>([['alpha', {id: 'alpha', type: 'book', title: 'Alpha'}]])
const processor = createProcessor({graphics: new GraphicRegistry('/nonexistent', process.cwd(), []), references})

async function parse(markdown: string): Promise<{tree: Root; file: VFile}> {
  const file = new VFile({path: 'chapters/01-test.md', value: markdown})
  const tree = processor.parse(file)
  await processor.run(tree, file)
  return {tree, file}
}

function all(tree: Nodes, type: string): Nodes[] {
  const found: Nodes[] = []
  const walk = (node: Nodes) => {
    if (node.type === type) found.push(node)
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child)
  }
  walk(tree)
  return found
}

/** The chapter as both targets render it (here with the web's options), as HTML. */
function render(tree: Root, language = 'en'): string {
  const footnotes = chapterFootnotes(tree, {language})
  const hast = toHast(tree, {handlers: {...dialectHandlers({language}), ...footnotes.handlers}}) as HastRoot
  const section = footnotes.section()
  return toHtml({type: 'root', children: [...hast.children, ...(section ? [section] : [])]})
}

// The chapters here have no title and name images that are not there.
const problems = (file: VFile) =>
  file.messages
    .filter((m) => m.ruleId !== 'missing-title' && m.ruleId !== 'missing-image')
    .map((m) => `${m.line}:${m.column} ${m.ruleId}`)

describe('definition lists', () => {
  it('reads terms, several definitions and lazy lines', async () => {
    const {tree, file} = await parse(
      'Apple\n: A fruit,\nred or green.\n: A company.\n\nPear\n\n:   Loose.\n\n    Two.\n'
    )
    expect(problems(file)).toEqual([])
    const html = render(tree)
    expect(html).toBe(
      '<dl>\n<dt>Apple</dt>\n<dd>A fruit,\nred or green.\n</dd>\n<dd>A company.\n</dd>\n<dt>Pear</dt>\n<dd>\n<p>Loose.</p>\n<p>Two.</p>\n</dd>\n</dl>'
    )
  })

  it('leaves table captions, before or after the table, and fenced divs alone', async () => {
    const table = '| a | b |\n| - | - |\n| 1 | 2 |'
    for (const markdown of [
      `Text.\n\n${table}\n\n: After {#tbl-after}\n`,
      `Text.\n\n: Before {#tbl-before}\n\n${table}\n`,
      `Text.\n\n${table}\n: Right after {#tbl-right}\n`
    ]) {
      const {tree} = await parse(markdown)
      expect(all(tree, 'defList'), markdown).toEqual([])
      expect(render(tree), markdown).toMatch(
        /^<p>Text\.<\/p>\n<div class="table-scroll"[^>]*><table id="tbl-\w+"><caption>/
      )
    }
    const {tree} = await parse('Text.\n::: {.callout-note}\nA note.\n:::\n\n::: box\nA div.\n:::\n')
    expect(all(tree, 'defList')).toEqual([])
    expect(all(tree, 'callout')).toHaveLength(1)
    expect(all(tree, 'fencedDiv')).toHaveLength(1)
  })

  it('reports, at its `:` line, a definition list in a list item, which it cannot read', async () => {
    const {tree, file} = await parse(
      [
        '- Tight',
        '  : A definition.',
        '',
        '1. Item',
        '',
        '   Loose',
        '',
        '   :   A loose definition.',
        '',
        '   > - Quoted',
        '   >   : Deep.',
        '',
        '- A table:',
        '',
        '  | a |',
        '  | - |',
        '  | 1 |',
        '',
        '  : Counts {#tbl-in-item}',
        ''
      ].join('\n')
    )
    expect(problems(file)).toEqual([
      '2:3 unread-definition-list',
      '8:4 unread-definition-list',
      '11:8 unread-definition-list'
    ])
    expect(file.messages[0]?.reason).toContain('shown as a paragraph')
    // What it shows: the paragraphs as written, nothing dropped; the table keeps its caption.
    expect(render(tree)).toContain('<li>Tight\n: A definition.</li>')
    expect(render(tree)).toContain('<p>:   A loose definition.</p>')
    expect(render(tree)).toContain('<caption>Counts</caption>')
    const outside = await parse('- Item\n\nTerm\n: Definition.\n')
    expect(problems(outside.file)).toEqual([])
    expect(all(outside.tree, 'defList')).toHaveLength(1)
  })

  it('reads definitions in block quotes', async () => {
    const {tree} = await parse('> Term\n> : Definition.\n')
    expect(render(tree)).toBe('<blockquote>\n<dl>\n<dt>Term</dt>\n<dd>Definition.\n</dd>\n</dl>\n</blockquote>')
  })
})

describe('escaped tildes and carets', () => {
  it('stay literal, while the others still make sub- and superscripts', async () => {
    const {tree} = await parse('H~2~O, \\~not~ and 2^10^, 2\\^10^, \\^x\\^, a `\\~code~` and \\\\~sub~.\n')
    expect(all(tree, 'subscript').map((node) => toString(node))).toEqual(['2', 'sub'])
    expect(all(tree, 'superscript').map((node) => toString(node))).toEqual(['10'])
    expect(render(tree)).toBe(
      '<p>H<sub>2</sub>O, ~not~ and 2<sup>10</sup>, 2^10^, ^x^, a <code>\\~code~</code> and \\<sub>sub</sub>.</p>'
    )
  })
})

describe('fenced divs in containers', () => {
  it('become callouts and divs in block quotes and list items, nested ones too', async () => {
    const {tree, file} = await parse(
      [
        '> ::: {.callout-warning}',
        '> In a quote.',
        '> :::',
        '',
        '- Item',
        '',
        '  ::: {#boxed .box}',
        '  ::: callout-tip',
        '  In a list item, in a div.',
        '  :::',
        '  :::',
        '',
        '1. Numbered',
        '   ::: callout-note',
        '   Right under the item.',
        '   :::',
        ''
      ].join('\n')
    )
    expect(problems(file)).toEqual([])
    const callouts = all(tree, 'callout')
    expect(callouts.map((node) => (node as {kind: string}).kind)).toEqual(['warning', 'tip', 'note'])
    expect(callouts.map((node) => node.position?.start.line)).toEqual([1, 8, 14])
    expect(all(tree, 'fencedDiv').map((node) => (node as {id?: string}).id)).toEqual(['boxed'])
    expect(all(tree, 'blockquote')[0]?.type).toBe('blockquote')
  })

  it('keeps an indented code block as written, and reports an unclosed div in a quote at its line', async () => {
    const code = await parse('Text.\n\n    ::: {.note}\n    not a div\n    :::\n')
    expect(all(code.tree, 'code').map((node) => (node as {value: string}).value)).toEqual([
      '::: {.note}\nnot a div\n:::'
    ])
    const {file} = await parse('Text.\n\n> ::: {.callout-note}\n> Never closed.\n')
    expect(problems(file)).toEqual(['3:1 unclosed-fenced-div'])
  })

  it('hold fenced code that shows a div, whose `:::` lines close nothing', async () => {
    // quarto-tdg's authoring chapter shows div syntax in code, inside callouts and divs.
    const {tree, file} = await parse(
      [
        '::: {.callout-tip}',
        '## A shorthand',
        '',
        '::: {.box}',
        '````markdown',
        '::: class-name',
        'Contents.',
        ':::',
        '::::',
        '````',
        ':::',
        '',
        'Still in the tip.',
        ':::',
        '',
        '## After {#sec-after}',
        ''
      ].join('\n')
    )
    expect(problems(file)).toEqual([])
    const [callout] = all(tree, 'callout')
    expect(all(callout as Nodes, 'code').map((node) => (node as {value: string}).value)).toEqual([
      '::: class-name\nContents.\n:::\n::::'
    ])
    expect(toString(callout as Nodes)).toContain('Still in the tip.')
    expect(tree.children.at(-1)?.type).toBe('heading')
    expect(tree.children.at(-1)?.position?.start.line).toBe(16)
  })
})

describe('bracketed cross-references', () => {
  const figure = '![A plot](plot.png){#fig-a}\n\n![Another](plot.png){#fig-b}\n\n'

  async function resolved(markdown: string) {
    const parsed = await parse(figure + markdown)
    resolveCrossReferences([{file: parsed.file}])
    const paragraph = parsed.tree.children.at(-1) as Nodes
    const read = (node: Nodes): string =>
      node.type === 'crossReference'
        ? `<${(node as CrossReference).text}>`
        : node.type === 'citation'
          ? `{${(node as Citation).items.map((item) => `${item.key}${item.suffix ? ` ${item.suffix}` : ''}`).join(';')}}`
          : 'children' in node
            ? (node.children as Nodes[]).map(read).join('')
            : 'value' in node
              ? node.value
              : ''
    return {text: read(paragraph), messages: problems(parsed.file)}
  }

  it('lose their brackets, keeping prefixes and suffixes', async () => {
    expect(await resolved('As [see @fig-a] and [@fig-a; @fig-b, left] show.')).toEqual({
      text: 'As see <Figure 1> and <Figure 1>; <Figure 2>, left show.',
      messages: []
    })
  })

  it('leave the citations of a mixed group a citation of their own', async () => {
    expect(await resolved('As [see @fig-a; @alpha, p. 3] shows, [@alpha; cf. @fig-b].')).toEqual({
      text: 'As see <Figure 1> {alpha p. 3} shows, {alpha} cf. <Figure 2>.',
      messages: []
    })
  })

  it('keep escaped brackets and at signs literal', async () => {
    expect(await resolved('Literal [\\@fig-a] and \\[see @fig-b].')).toEqual({
      text: 'Literal [@fig-a] and [see <Figure 2>].',
      messages: []
    })
  })

  it('report an unknown label inside a group at its place', async () => {
    const {messages} = await resolved('See [see @fig-c].')
    expect(messages).toEqual(['5:10 unknown-cross-reference'])
  })

  it('warn at a label an executable chunk gives, whose output is not in the books', async () => {
    // r4ds labels its plots `#| label: fig-x`; bookdown-demo writes knitr's `{r nice-fig, …}`.
    const {tree, file} = await parse(
      '```{r}\n#| label: fig-diagram\n#| echo: false\nplot(1)\n```\n\n```{r tbl-iris, echo=FALSE}\nhead(iris)\n```\n\n' +
        '```{python}\n#| label: fig-not-a-label-here\nx = 1\n#| label: fig-late\n```\n\n' +
        'See @fig-diagram, @tbl-iris and @fig-late.\n'
    )
    resolveCrossReferences([{file}])
    expect(problems(file).filter((line) => !line.endsWith('executable-chunk'))).toEqual([
      '17:5 chunk-cross-reference',
      '17:19 chunk-cross-reference',
      '17:33 unknown-cross-reference'
    ])
    expect(file.messages.find((m) => m.ruleId === 'chunk-cross-reference')?.fatal).toBe(false)
    expect(toString(tree.children.at(-1) as Nodes)).toBe('See @fig-diagram, @tbl-iris and @fig-late.')
  })

  it('warn at a kind Quarto numbers and Twofold does not, unless the bibliography has the key', async () => {
    // quarto-tdg refers to its listings and callouts: `@lst-render-html`, `[see @tip-install]`.
    const withKey = createProcessor({
      graphics: new GraphicRegistry('/nonexistent', process.cwd(), []),
      references: new Map<string, CslItem>([['def-1999', {id: 'def-1999', type: 'book', title: 'Definitions'}]])
    })
    const file = new VFile({
      path: 'chapters/01-test.md',
      value: 'See @lst-render-html [see @tip-install], and @def-1999 says so.\n'
    })
    const tree = withKey.parse(file)
    await withKey.run(tree, file)
    resolveCrossReferences([{file}])
    expect(problems(file)).toEqual(['1:5 unnumbered-cross-reference', '1:27 unnumbered-cross-reference'])
    expect(file.messages.filter((m) => m.ruleId === 'unnumbered-cross-reference' && m.fatal !== false)).toEqual([])
    expect(all(tree, 'crossReference').map((node) => toString(node))).toEqual(['@lst-render-html', '@tip-install'])
    expect((all(tree, 'citation') as Citation[]).map((node) => node.items[0]?.key)).toEqual(['def-1999'])
    // No target: both books show the reference as written (see pipeline/render/handlers.ts).
    expect((all(tree, 'crossReference') as CrossReference[]).map((node) => node.url)).toEqual([undefined, undefined])
  })
})

describe('figure and table divs', () => {
  it('number a Quarto figure div, captioned by its last paragraph, that cross-references reach', async () => {
    // quarto-tdg shows terminal output as figures: `::: {#fig-errors}` around a code block and its caption.
    const {tree, file} = await parse(
      '::: {#fig-errors}\n```\nNameError\n```\n\nAn error from *Python*\n:::\n\n' +
        '::: {#tbl-plain}\n| a |\n|---|\n| 1 |\n:::\n\nSee @fig-errors and @tbl-plain.\n'
    )
    resolveCrossReferences([{file}])
    expect(problems(file)).toEqual([])
    const references = all(tree, 'crossReference') as CrossReference[]
    expect(references.map((reference) => [reference.text, reference.url])).toEqual([
      ['Figure 1', '01-test.md#fig-errors'],
      ['Table 1', '01-test.md#tbl-plain']
    ])
    const html = render(tree)
    expect(html).toMatch(
      /<figure id="fig-errors"><pre[^>]*><code>NameError\n<\/code><\/pre><figcaption>Figure 1: An error from <em>Python<\/em><\/figcaption><\/figure>/
    )
    // Without a caption paragraph, the div stays a div.
    expect(html).toContain('<div id="tbl-plain">')
  })
})

describe('linked figures', () => {
  it('number an image with an id alone in a link, which stays a link around it', async () => {
    // quarto-tdg: `[![A portion of the PDF](images/….png){#fig-render-process-pdf fig-alt="…"}](….pdf)`.
    const {tree, file} = await parse(
      '[![A portion of the PDF](plot.png){#fig-pdf fig-alt="A page"}](render.pdf)\n\n' +
        '[![build](badge.svg)](https://ci.example.org)\n\nSee @fig-pdf.\n'
    )
    resolveCrossReferences([{file}])
    expect(problems(file)).toEqual([])
    const references = all(tree, 'crossReference') as CrossReference[]
    expect(references.map((reference) => [reference.text, reference.url])).toEqual([['Figure 1', '01-test.md#fig-pdf']])
    const html = render(tree)
    expect(html).toContain(
      '<figure id="fig-pdf"><a href="render.pdf"><img src="plot.png" alt="A portion of the PDF" data-fig-alt="A page"></a><figcaption>Figure 1: A portion of the PDF</figcaption></figure>'
    )
    // A linked image without an id (a badge) stays a linked image in its paragraph.
    expect(html).toContain('<p><a href="https://ci.example.org"><img src="badge.svg" alt="build"></a></p>')
  })
})

describe('attributes', () => {
  it('read an image’s attributes whose quoted value holds backticks, as Quarto’s fig-alt often does', async () => {
    // quarto-tdg: `![…](images/website-about.png){#fig-about-page fig-alt="… an `about` template …"}`.
    const {tree, file} = await parse(
      '![An about page](plot.png){#fig-about fig-alt="A page using an `about` template, *wide*"}\n\nSee @fig-about.\n'
    )
    resolveCrossReferences([{file}])
    expect(problems(file)).toEqual([])
    const [figure] = all(tree, 'implicitFigure') as ImplicitFigure[]
    expect(figure?.id).toBe('fig-about')
    expect(figure?.children[0].data?.hProperties).toMatchObject({
      'data-fig-alt': 'A page using an `about` template, *wide*'
    })
    expect(toString(tree)).not.toContain('fig-alt')
  })
})

describe('grid tables', () => {
  // Pandoc's manual and quarto-tdg write their wider tables as Pandoc grid tables.
  const grid = [
    '+-------+------------------+',
    '| Fruit | Advantages       |',
    '+=======+=================:+',
    '| Kiwi  | - green          |',
    '|       | - small          |',
    '+-------+------------------+',
    '| Fig   | sweet, **dried** |',
    '+-------+------------------+'
  ].join('\n')

  it('are tables whose cells hold blocks, aligned by column, captioned and numbered', async () => {
    const {tree, file} = await parse(
      `See @tbl-fruit.\n\n${grid}\n\n: Fruits {#tbl-fruit}\n\n+-five degrees, and\nmore.\n`
    )
    resolveCrossReferences([{file}])
    expect(problems(file)).toEqual([])
    expect((file.data.crossReferences ?? [])[0]?.text).toBe('Table 1')
    const html = render(tree)
    expect(html).toContain(
      '<div class="table-scroll" role="region" tabindex="0" aria-label="Fruits"><table id="tbl-fruit"><caption>Table 1: Fruits</caption><thead><tr><th>Fruit</th><th align="right">Advantages</th></tr></thead><tbody><tr><td>Kiwi</td><td align="right"><ul>'
    )
    expect(html).toContain(
      '<td>Fig</td><td align="right">sweet, <strong>dried</strong></td></tr></tbody></table></div>'
    )
    // The paragraph after it that starts with `+-` is a paragraph; a second render gives the same markup.
    expect(html).toContain('<p>+-five degrees, and\nmore.</p>')
    expect(render(tree)).toBe(html)
  })

  it('are reported where they start, and shown as written, when their lines do not line up', async () => {
    const broken = ['+---+---+', '| a | b |', '| c  d |', '+---+---+'].join('\n')
    const {tree, file} = await parse(`Before.\n\n${broken}\n`)
    expect(problems(file)).toEqual(['3:1 unrendered-grid-table'])
    expect(all(tree, 'gridTable')).toEqual([])
    expect(toString(tree)).toContain('| c  d |')
  })
})

describe('numbered equations', () => {
  it('show the number their cross-reference reads, as text beside the math', async () => {
    const {tree, file} = await parse('$$\na = b\n$$ {#eq-one}\n\n$$\nc\n$$\n\nSee @eq-one.\n')
    resolveCrossReferences([{file}])
    const html = render(tree)
    const reference = (file.data.crossReferences ?? [])[0]
    expect(reference?.text).toBe('Equation 1')
    expect(html).toMatch(
      /^<div class="math-display math-display--numbered" id="eq-one" tabindex="0"><math[\s\S]*<\/math><span class="math-display__number">\(1\)<\/span><\/div>/
    )
    // An equation without a label has no number, and a second render gives the same markup (the tree is not changed).
    expect(html.match(/math-display__number/g)).toHaveLength(1)
    expect(render(tree)).toBe(html)
  })

  it('warn where TeX refers to an equation with `\\ref`, which the books leave out', async () => {
    const {file} = await parse('$$\na = b \\qquad \\eqref{one}\n$$\n\nSee $\\ref{two}$, and $a \\\\ ref$.\n')
    expect(problems(file)).toEqual(['1:1 math-reference', '5:5 math-reference'])
  })
})

describe("the dialect's words", () => {
  const markdown = '::: callout-note\nA.\n:::\n\n> [!CAUTION]\n> B.\n\nText[^1].\n\n[^1]: A note.\n'

  it('follow the book language', async () => {
    const {tree} = await parse(markdown)
    const titles = (html: string) => [...html.matchAll(/class="callout__title"[^>]*>([^<]*)</g)].map((m) => m[1])
    expect(titles(render(tree, 'de'))).toEqual(['Hinweis', 'Vorsicht'])
    expect(titles(render(tree, 'es-MX'))).toEqual(['Nota', 'Precaución'])
    expect(titles(render(tree, 'fr'))).toEqual(['Note', 'Attention'])
    expect(titles(render(tree, 'pt-BR'))).toEqual(['Nota', 'Cuidado'])
    expect(titles(render(tree, 'nl'))).toEqual(['Note', 'Caution'])
    const german = render(tree, 'de')
    expect(german).toContain('<h2 id="footnotes-title">Fußnoten</h2>')
    expect(german).toContain('aria-label="Fußnote 1"')
    expect(german).toContain('aria-label="Zurück zum Fußnotenzeichen 1"')
    expect(german).not.toMatch(/Footnote|Note\b|Caution/)
  })

  it('name the EPUB footnotes in the book language', async () => {
    const {tree} = await parse(markdown)
    const footnotes = chapterFootnotes(tree, {epub: true, language: 'fr'})
    toHast(tree, {handlers: {...dialectHandlers({epub: true, language: 'fr'}), ...footnotes.handlers}})
    const section = footnotes.section() as Element
    expect(section.properties.ariaLabel).toBe('Notes de bas de page')
    expect(toHtml(section)).toContain('aria-label="Retour à l’appel de note 1"')
  })

  it('name the EPUB footnote references as the web names them', async () => {
    const {tree} = await parse(markdown)
    const footnotes = chapterFootnotes(tree, {epub: true, language: 'de'})
    const hast = toHast(tree, {handlers: {...dialectHandlers({epub: true, language: 'de'}), ...footnotes.handlers}})
    expect(toHtml(hast)).toContain(
      '<a href="#fn-1" id="fnref-1" epub:type="noteref" role="doc-noteref" aria-label="Fußnote 1">1</a>'
    )
  })

  it('number figures, tables and equations in the book language, on the tree', async () => {
    const {tree, file} = await parse(
      [
        '![A plot](plot.png){#fig-a}',
        '',
        '| a |',
        '| - |',
        '| 1 |',
        '',
        ': Counts {#tbl-a}',
        '',
        '$$',
        'x',
        '$$ {#eq-a}',
        '',
        '## Untitled {#sec-a}',
        '',
        'See @fig-a, @tbl-a, @eq-a and @sec-a.',
        ''
      ].join('\n')
    )
    const words = (language?: string) => {
      resolveCrossReferences([{file}], language)
      return (file.data.crossReferences ?? []).map((reference) => reference.text)
    }
    expect(words('es')).toEqual(['Figura 1', 'Tabla 1', 'Ecuación 1', 'Untitled'])
    const spanish = render(tree, 'es')
    expect(spanish).toContain('<figcaption>Figura 1: A plot</figcaption>')
    expect(spanish).toContain('<caption>Tabla 1: Counts</caption>')
    expect(words('fr')).toEqual(['Figure 1', 'Tableau 1', 'Équation 1', 'Untitled'])
    expect(render(tree, 'fr')).toContain('<caption>Tableau 1 : Counts</caption>')
    expect(words('de-AT')).toEqual(['Abbildung 1', 'Tabelle 1', 'Gleichung 1', 'Untitled'])
    expect(words('pt-BR')).toEqual(['Figura 1', 'Tabela 1', 'Equação 1', 'Untitled'])
    expect(words('nl')).toEqual(['Figure 1', 'Table 1', 'Equation 1', 'Untitled'])
    expect(words()).toEqual(['Figure 1', 'Table 1', 'Equation 1', 'Untitled'])
    expect(render(tree)).toContain('<figcaption>Figure 1: A plot</figcaption>')
  })
})

describe('raw HTML among blocks', () => {
  it('puts the text after a block of raw HTML in a paragraph at its place', async () => {
    const {tree, file} = await parse('<div class="box">Boxed</div> and a <kbd>tail</kbd>\n\n<!-- a note --> more\n')
    expect(problems(file)).toEqual([])
    expect(tree.children.map((node) => [node.type, node.position?.start.line])).toEqual([
      ['htmlElement', 1],
      ['paragraph', 1],
      ['paragraph', 3]
    ])
    expect(render(tree)).toBe('<div class="box">Boxed</div>\n<p> and a <kbd>tail</kbd></p>\n<p> more</p>')
  })
})

describe('raw HTML', () => {
  it('keeps an image with a class, and the phrasing elements books write by hand', async () => {
    // The Rust book's figures are `<img … class="center" />`; its prose writes `<em>` and `<code>`.
    const {tree, file} = await parse(
      '<img alt="Two boxes" src="img/boxes.svg" class="center" />\n\nAn <em>owner</em> of <code>s</code>, <i>i</i> and <b>b</b>.\n'
    )
    expect(problems(file)).toEqual([])
    expect(all(tree, 'image')).toHaveLength(1)
    const html = render(tree)
    expect(html).toContain('<img src="img/boxes.svg" alt="Two boxes" class="center">')
    expect(html).toContain('An <em>owner</em> of <code>s</code>, <i>i</i> and <b>b</b>.')
  })
})
