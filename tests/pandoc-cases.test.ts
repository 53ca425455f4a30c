/**
 * Cases from trying the dialect on Markdown written for Pandoc, each in our
 * own small words, through the real processor and the handlers both targets
 * use: what came out wrong (duplicate ids in a page) stays right.
 */
import type {Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {Root} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {GraphicRegistry} from '../pipeline/book/load.js'
import {createProcessor} from '../pipeline/parse/processor.js'
import {dialectHandlers} from '../pipeline/render/dialect.js'
import {chapterFootnotes} from '../pipeline/render/footnotes.js'

const processor = createProcessor({
  graphics: new GraphicRegistry('/nonexistent', process.cwd(), []),
  references: new Map()
})

async function build(markdown: string): Promise<{html: string; problems: string[]; file: VFile}> {
  const file = new VFile({path: 'chapters/01-test.md', value: markdown})
  const tree = processor.parse(file) as Root
  await processor.run(tree, file)
  const footnotes = chapterFootnotes(tree, {language: 'en'})
  const hast = toHast(tree, {handlers: {...dialectHandlers({language: 'en'}), ...footnotes.handlers}}) as HastRoot
  const section = footnotes.section()
  const html = toHtml({type: 'root', children: [...hast.children, ...(section ? [section] : [])]})
  const problems = file.messages
    .filter((m) => m.ruleId !== 'uncited-claim')
    .map((m) => `${m.line}:${m.column} ${m.ruleId}`)
  return {html, problems, file}
}

const ids = (html: string) => [...html.matchAll(/\sid="([^"]*)"/g)].map((match) => match[1])

describe('ids on a page', () => {
  it('never gives a heading the id the author gave a div around it', async () => {
    const {html, problems} = await build('# Title\n\n::: {#intro .section}\n## Intro\n\nText.\n:::\n')
    expect(html).toContain('<div id="intro" class="section">')
    expect(new Set(ids(html)).size).toBe(ids(html).length)
    expect(problems).toEqual([])
  })

  it('reports an id the author gave twice, on headings, code or kept HTML', async () => {
    const {problems} = await build(
      '# Title\n\n## One {#same}\n\n> ## Two {#same}\n\n```js {#code}\nx\n```\n\n<a id="code"></a>Text.\n'
    )
    expect(problems).toEqual(['5:3 duplicate-id', '11:1 duplicate-id'])
  })

  it("reports an author's id that the footnotes use, and keeps slugs off them", async () => {
    const {html, problems} = await build(
      '# Title\n\n## Footnotes title\n\nText.[^a]\n\n## Note {#fn-1}\n\n[^a]: A note.\n'
    )
    expect(problems).toEqual(['7:1 duplicate-id'])
    expect(html).toContain('<h2 id="footnotes-title-1">Footnotes title</h2>')
  })

  it('counts an `<a id>` in kept HTML as an anchor a link can reach', async () => {
    const {file} = await build('# Title\n\nSee [below](#here).\n\n<a id="here"></a>Here.\n')
    expect(file.data.anchors).toContain('here')
  })
})

/** The TeX of each inline equation, from Temml's annotation. */
const tex = (html: string) =>
  [
    ...html.matchAll(/<span class="math-inline">.*?<annotation encoding="application\/x-tex">(.*?)<\/annotation>/gs)
  ].map((match) => match[1])

describe('dollars, as Pandoc reads them', () => {
  it('keeps the Markdown between two prices that are no math', async () => {
    const {html, problems} = await build('# Title\n\nA flat costs $200,000 and *a lot* more; a boat $90,000.\n')
    expect(html).toContain('<p>A flat costs $200,000 and <em>a lot</em> more; a boat $90,000.</p>')
    expect(tex(html)).toEqual([])
    expect(problems).toEqual([])
  })

  it('reads math that starts at the dollar closing a price that is none', async () => {
    const {html} = await build('# Title\n\nIt costs $5 and $x$ more.\n')
    expect(tex(html)).toEqual(['x'])
    expect(html).toContain('It costs $5 and <span class="math-inline">')
  })

  it('takes `\\$` inside math as the TeX’s, and `$` inside `\\text{}`', async () => {
    const {html, problems} = await build(
      '# Title\n\nSum $\\$2 + \\$3$ and $x = \\text{the $n$th root}$, or *a* $4 *b* 2\\$ c.\n'
    )
    expect(tex(html)).toEqual(['\\$2 + \\$3', 'x = \\text{the $n$th root}'])
    expect(html).toContain(', or <em>a</em> $4 <em>b</em> 2$ c.')
    expect(problems).toEqual([])
  })

  it('shows `$$…$$` within a line as display math, in a span the paragraph may hold', async () => {
    const {html} = await build('# Title\n\nThe rate: $$\\frac{a}{b}$$ and $c$.\n')
    expect(html).toMatch(
      /^<p>The rate: <span class="math-display" tabindex="0"><math display="block"[^>]*>.*<\/math><\/span> and <span class="math-inline"><math>/
    )
  })

  it("keeps `\\newcommand` in an equation as the chapter's macro for the equations after it", async () => {
    const {html, problems} = await build(
      '# Title\n\n$$\n\\newcommand{\\R}{\\mathbb{R}}\n\\newcommand\\pair[2]{\\langle #1, #2 \\rangle}\n$$\n\nIn $\\R$, $\\pair{a}{b}$.\n'
    )
    expect(problems).toEqual([])
    expect(html).not.toContain('math-display')
    expect(html).toContain('<mi>ℝ</mi>')
    expect(html).toMatch(/⟨<\/mo><mi>a<\/mi><mo separator="true">,<\/mo><mi>b<\/mi>/)
  })

  it('reads a paragraph of `\\newcommand`s as macros, as Pandoc does, and keeps prose that names one', async () => {
    const {html, problems} = await build(
      '# Title\n\n\\newcommand{\\tuple}[1]{\\langle #1 \\rangle}\n\nA $\\tuple{x}$, and \\newcommand in prose.\n'
    )
    expect(problems).toEqual([])
    expect(html).not.toContain('\\langle #1')
    expect(html).toMatch(/^<p>A <span class="math-inline"><math>.*⟨.*<\/span>, and \\newcommand in prose\.<\/p>$/s)
  })

  it('reads no math after an opening or before a closing space, nor in code', async () => {
    const {html} = await build('# Title\n\n$ a$, $a $ and `$c$`; but $a$ and $b\nc$.\n')
    expect(tex(html)).toEqual(['a', 'b\nc'])
    expect(html).toContain('<p>$ a$, $a $ and <code>$c$</code>; but')
  })
})

describe('web addresses', () => {
  it('gives a host name in another script in its ASCII form, and the rest percent-encoded', async () => {
    const {html} = await build('# Title\n\nSee <http://例え.jp/パス?q=値> and [this](https://user@bücher.de:8080/ö).\n')
    expect(html).toContain('href="http://xn--r8jz45g.jp/%E3%83%91%E3%82%B9?q=%E5%80%A4"')
    expect(html).toContain('href="https://user@xn--bcher-kva.de:8080/%C3%B6"')
  })
})

describe('sub- and superscripts', () => {
  it('may hold emphasis, strong emphasis or code', async () => {
    const {html} = await build('# Title\n\nThe 2^*nd*^ try, CO~**2**~ and x^`n`^.\n')
    expect(html).toContain(
      'The 2<sup><em>nd</em></sup> try, CO<sub><strong>2</strong></sub> and x<sup><code>n</code></sup>.'
    )
  })

  it('hold an escaped space as a no-break space, and no bare one', async () => {
    const {html} = await build('# Title\n\nH~many\\ of\\ them~O, a^b\\ c^; not x^a *b*^ nor ~a *b* c~.\n')
    expect(html).toContain(
      'H<sub>many\u00a0of\u00a0them</sub>O, a<sup>b\u00a0c</sup>; not x^a <em>b</em>^ nor ~a <em>b</em> c~.'
    )
  })

  it('leave escaped marks and strikethrough alone', async () => {
    const {html} = await build('# Title\n\nNot \\^*x*^ nor ~~*gone*~~.\n')
    expect(html).toContain('Not ^<em>x</em>^ nor <del><em>gone</em></del>.')
  })
})

describe('figures', () => {
  it('makes a figure of a lone reference image, as of a lone inline one', async () => {
    const {html, problems} = await build(
      '# Title\n\n![The moon][moon]\n\n![Sea][]\n\nText ![inline][moon] here, and ![Ghost][none].\n\n[moon]: moon.png "A trip"\n[sea]: sea.png\n'
    )
    expect(html).toContain(
      '<figure><img src="moon.png" alt="The moon" title="A trip"><figcaption>The moon</figcaption></figure>'
    )
    expect(html).toContain('<figure><img src="sea.png" alt="Sea"><figcaption>Sea</figcaption></figure>')
    expect(html).toContain('<p>Text <img src="moon.png" alt="inline" title="A trip"> here, and ![Ghost][none].</p>')
    expect(problems.filter((problem) => !problem.endsWith('missing-image'))).toEqual([])
  })
})

describe('attributes', () => {
  it("drop an ATX heading's closing hashes before them, as Pandoc does", async () => {
    const {html} = await build(
      '# Title\n\n## Closing ## {#closing}\n\n> ### Quoted ### {.q}\n\n## Kept \\# {#kept}\n\nSetext ## {#setext}\n---\n'
    )
    expect(html).toContain('<h2 id="closing">Closing</h2>')
    expect(html).toContain('<h3 class="q" id="quoted">Quoted</h3>')
    expect(html).toContain('<h2 id="kept">Kept #</h2>')
    expect(html).toContain('<h2 id="setext">Setext ##</h2>')
  })

  it('go on inline code too', async () => {
    const {html, problems} = await build('# Title\n\nRun `x <- 1`{.r #assign} and `y`{.py}.\n')
    expect(html).toContain('Run <code id="assign" class="r">x &#x3C;- 1</code> and <code class="py">y</code>.')
    expect(problems).toEqual([])
  })
})

describe('bracketed spans', () => {
  it('make spans with the attributes, around any inline Markdown, nested too', async () => {
    const {html, problems} = await build(
      '# Title\n\n[Some *text*]{.mark #here lang=fr}, [a [b]{.in}]{.out}[c]{.c} and \\[not]{.x}, `[code]{.x}`.\n\n## A [part]{.s} {#head}\n'
    )
    expect(html).toContain(
      '<p><span id="here" class="mark" data-lang="fr">Some <em>text</em></span>, <span class="out">a <span class="in">b</span></span><span class="c">c</span> and [not]{.x}, <code>[code]{.x}</code>.</p>'
    )
    expect(html).toContain('<h2 id="head">A <span class="s">part</span></h2>')
    expect(problems).toEqual([])
  })

  it('keep what is not attributes as text', async () => {
    const {html} = await build('# Title\n\nA set [1, 2]{x y} and [x]{ .a b }.\n')
    expect(html).toContain('<p>A set [1, 2]{x y} and')
  })
})
