/**
 * The dialect fixture book (tests/fixtures/books/dialect/), which writes
 * every Pandoc, Quarto and GitHub construct Twofold reads, built by the real
 * CLI: each construct checked element by element in the EPUB's XHTML and on
 * the web page in real Chromium (axe, the CSP, a 360 px screen), and the
 * EPUB through epubcheck and DAISY Ace.
 */
import path from 'node:path'
import {beforeAll, describe, expect, inject, it} from 'vitest'
import type {Element, Root} from 'xast'
import {browserForFile} from '../helpers/browser.js'
import {ace} from '../helpers/epub-ace.js'
import {type Epub, elements, openEpub, text} from '../helpers/epub-package.js'
import {epubcheck} from '../helpers/epubcheck.js'
import {root} from '../helpers/fixture-book.js'
import {axe, viewports, watch} from '../helpers/story.js'

const builds = inject('builds')
const browser = browserForFile()
const build = builds.dialect

const byClass = (tree: Root | Element, name: string, className: string) =>
  elements(tree, name).filter((element) =>
    String(element.attributes.class ?? '')
      .split(' ')
      .includes(className)
  )

describe('the dialect book in the EPUB', () => {
  let epub: Epub
  let chapter: Root
  let second: Root
  beforeAll(async () => {
    epub = await openEpub(build.epub)
    const find = (name: string) => [...epub.documents.entries()].find(([file]) => file.endsWith(name))?.[1]
    chapter = find('constructs.xhtml') as Root
    second = find('second.xhtml') as Root
    expect(chapter).toBeDefined()
  })

  it('keeps every construct as its element', () => {
    // Attributes: the heading's id and class, the link's class; the attribute text is gone.
    const h2 = elements(chapter, 'h2')
    expect(h2.map((element) => element.attributes.id)).toEqual(['sec-attributes', 'appendix-notes'])
    expect(h2[0]?.attributes.class).toBe('lead')
    expect(h2.map(text)).toEqual(['Attributes', 'Appendix notes'])
    expect(byClass(chapter, 'a', 'internal')[0]?.attributes.href).toBe('#sec-attributes')
    // Sub, sup, strike, and the escaped at sign.
    expect(elements(chapter, 'sub').map(text)).toEqual(['2'])
    expect(elements(chapter, 'sup').map(text)).toEqual(expect.arrayContaining(['nd']))
    expect(elements(chapter, 'del').map(text)).toEqual(['struck'])
    expect(text(elements(chapter, 'p')[1] as Element)).toContain('[@key] and @handle')
    // Callouts and alerts: labelled asides.
    const asides = byClass(chapter, 'aside', 'callout')
    expect(asides.map((aside) => aside.attributes.class)).toEqual([
      'callout callout--note',
      'callout callout--tip',
      'callout callout--warning',
      'callout callout--caution',
      'callout callout--important',
      'callout callout--tip'
    ])
    expect(asides.map((aside) => text(byClass(aside, 'p', 'callout__title')[0] as Element))).toEqual([
      'Read this first',
      'Tip',
      'Warning',
      'Caution',
      'Important',
      'Tip'
    ])
    // Callouts written inside a block quote and a list item.
    expect(byClass(elements(chapter, 'blockquote').at(-1) as Element, 'aside', 'callout--important')).toHaveLength(1)
    expect(byClass(elements(chapter, 'li').at(-1) as Element, 'aside', 'callout--tip').map(text)).toEqual([
      'TipA callout in a list item.'
    ])
    expect(asides[1]?.attributes['epub:type']).toBe('tip')
    for (const aside of asides) expect(aside.attributes['aria-labelledby']).toBe(`${aside.attributes.id}-title`)
    // Pandoc divs, nested with fences of the same length.
    const outer = elements(chapter, 'div').find((element) => element.attributes.id === 'outer')
    expect(outer?.attributes.class).toBe('box')
    expect(outer?.attributes['data-key']).toBe('value')
    expect(byClass(outer as Element, 'div', 'inner')).toHaveLength(1)
    // Footnotes: noterefs to footnote asides in the same document.
    const refs = elements(chapter, 'a').filter((a) => a.attributes['epub:type'] === 'noteref')
    expect(refs.map((a) => a.attributes.href)).toEqual(['#fn-1', '#fn-2'])
    expect(refs.map((a) => a.attributes['aria-label'])).toEqual(['Footnote 1', 'Footnote 2'])
    const notes = elements(chapter, 'aside').filter((a) => a.attributes['epub:type'] === 'footnote')
    expect(notes.map((a) => a.attributes.id)).toEqual(['fn-1', 'fn-2'])
    expect(text(notes[1] as Element)).toContain('Inline notes hold Markdown [and brackets].')
    expect(byClass(notes[0] as Element, 'a', 'footnote__back')[0]?.attributes['aria-label']).toBe(
      'Back to footnote reference 1'
    )
    expect(elements(notes[1] as Element, 'em').map(text)).toEqual(['Markdown'])
    // Math: MathML in its namespace, with the TeX kept; prices stay text.
    const math = elements(chapter, 'math')
    expect(math).toHaveLength(3)
    for (const element of math) expect(element.attributes.xmlns).toBe('http://www.w3.org/1998/Math/MathML')
    expect(elements(chapter, 'annotation').map(text)).toEqual(['x\\,dx', '\\frac{a}{b}', 'E = mc^2'])
    expect(elements(chapter, 'mspace')).toHaveLength(1)
    expect(elements(chapter, 'p').map(text).join('\n')).toContain('prices of $5 and $10 stay prices')
    // Code: highlighted as class names, the id kept.
    const code = elements(chapter, 'code')
    expect(code[0]?.attributes).toMatchObject({class: 'language-python', id: 'code-hello'})
    expect(byClass(code[0] as Element, 'span', 'hljs-keyword').map(text)).toEqual(['def', 'return'])
    expect(byClass(code[0] as Element, 'span', 'hljs-comment').map(text)).toEqual(['# a greeting'])
    // Figures and tables, numbered, with their captions.
    const figure = elements(chapter, 'figure').find((element) => element.attributes.id === 'fig-plot') as Element
    expect(text(elements(figure, 'figcaption')[0] as Element)).toBe('Figure 1: A plot of eight columns')
    expect(elements(figure, 'img')[0]?.attributes).toMatchObject({alt: 'A plot of eight columns', class: 'img-w50'})
    expect(elements(figure, 'img')[0]?.attributes.style).toBeUndefined()
    const table = elements(chapter, 'table')[0] as Element
    expect(table.attributes.id).toBe('tbl-counts')
    expect(text(elements(table, 'caption')[0] as Element)).toBe('Table 1: Counts by year')
    // Cross-references, in this chapter and the next; a bracketed group loses its brackets.
    const xrefs = byClass(chapter, 'a', 'xref').map((a) => [a.attributes.href, text(a)])
    expect(xrefs).toEqual([
      ['constructs.xhtml#fig-plot', 'Figure 1'],
      ['constructs.xhtml#tbl-counts', 'Table 1'],
      ['constructs.xhtml#eq-energy', 'Equation 1'],
      ['constructs.xhtml#sec-attributes', 'Attributes'],
      ['second.xhtml#sec-later', 'Later'],
      ['constructs.xhtml#fig-plot', 'Figure 1'],
      ['constructs.xhtml#fig-plot', 'Figure 1'],
      ['constructs.xhtml#tbl-counts', 'Table 1']
    ])
    const paragraphs = elements(chapter, 'p').map(text)
    expect(paragraphs).toContain('Bracketed groups lose their brackets see Figure 1 Figure 1; Table 1, left.')
    // The equation shows the number its cross-reference reads, as text.
    const equation = elements(chapter, 'div').find((element) => element.attributes.id === 'eq-energy') as Element
    expect(byClass(equation, 'span', 'math-display__number').map(text)).toEqual(['(1)'])
    // Escaped tildes and carets are literal, not sub- or superscripts.
    expect(paragraphs).toContain('Escaped signs stay literal: ~tilde~, 2^10^ and ^caret^.')
    expect(elements(chapter, 'sup').map(text)).not.toContain('10')
    // A definition list: terms, tight definitions (one lazily continued) and a loose one of two paragraphs.
    const list = elements(chapter, 'dl')
    expect(list).toHaveLength(1)
    expect(elements(list[0] as Element, 'dt').map(text)).toEqual(['Term one', 'Term two'])
    const definitions = elements(list[0] as Element, 'dd')
    expect(definitions.map((dd) => text(dd).trim())).toEqual([
      'The first definition,\nlazily continued.',
      'A second definition.',
      'A loose definition.\nWith a second paragraph.'
    ])
    expect(elements(definitions[2] as Element, 'p').map(text)).toEqual([
      'A loose definition.',
      'With a second paragraph.'
    ])
    expect(byClass(second, 'a', 'xref').map((a) => [a.attributes.href, text(a)])).toEqual([
      ['constructs.xhtml#fig-plot', 'Figure 1']
    ])
  })

  it('keeps the allowed raw HTML as elements and shows the rest as text', () => {
    expect(elements(second, 'kbd').map(text)).toEqual(['Ctrl', 'C'])
    expect(elements(second, 'abbr')[0]?.attributes.title).toBe('HyperText Markup Language')
    expect(elements(second, 'mark').map(text)).toEqual(['marked'])
    expect(elements(second, 'small').map(text)).toEqual(['small'])
    expect(elements(second, 'br')).toHaveLength(1)
    expect(elements(second, 'a').some((a) => a.attributes.id === 'anchor-here')).toBe(true)
    const figure = elements(second, 'figure')[0] as Element
    expect(elements(figure, 'img')[0]?.attributes.src).toMatch(/^images\/plot-[0-9a-f]+\.png$/)
    expect(text(elements(figure, 'figcaption')[0] as Element)).toBe('A figure written in HTML')
    const details = elements(second, 'details')[0] as Element
    expect(text(elements(details, 'summary')[0] as Element)).toBe('More detail')
    expect(elements(details, 'strong').map(text)).toEqual(['Markdown'])
    expect(byClass(second, 'div', 'note-box').map(text)).toEqual(['A div with a class.'])
    for (const name of ['span', 'font', 'script']) expect(elements(second, name), name).toEqual([])
    const shown = elements(second, 'p').map(text).join('\n')
    expect(shown).toContain('<font color=')
    expect(shown).toContain('<script>alert(')
  })

  it('numbers only the numbered chapters', () => {
    const third = [...epub.documents.entries()].find(([file]) => file.endsWith('afterword.xhtml'))?.[1] as Root
    expect(byClass(chapter, 'p', 'chapter-number').map(text)).toEqual(['Chapter 1'])
    expect(byClass(second, 'p', 'chapter-number').map(text)).toEqual(['Chapter 2'])
    expect(byClass(third, 'p', 'chapter-number')).toEqual([])
    expect(elements(third, 'h1').map(text)).toEqual(['Afterword'])
  })

  it('declares its MathML in the package', () => {
    const item = epub.manifest.find((entry) => entry.href.endsWith('constructs.xhtml'))
    expect(item?.properties).toContain('mathml')
    expect(epub.manifest.find((entry) => entry.href.endsWith('second.xhtml'))?.properties).not.toContain('mathml')
  })

  it('passes epubcheck with 0 errors and 0 warnings', async () => {
    const messages = await epubcheck(build.epub)
    expect(messages.filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')).toEqual([])
  }, 120_000)

  it('passes DAISY Ace with 0 violations', async () => {
    const {violations} = await ace(build.epub, path.join(root, 'test-results', 'ace', 'dialect'))
    expect(violations.map((v) => `${v.impact} ${v.rule} in ${v.document}: ${v.description}`)).toEqual([])
  }, 300_000)
})

describe('the dialect book on the web', () => {
  it('renders every construct, within a 360 px screen, with no axe violation or CSP problem', async () => {
    const context = await browser().newContext({viewport: {...viewports.phone, width: 360}, reducedMotion: 'reduce'})
    const problems = await watch(context, build.url)
    const page = await context.newPage()
    for (const file of ['constructs.html', 'second.html']) {
      await page.goto(`${build.url}${file}`)
      expect(await axe(page), file).toEqual([])
      const width = await page.evaluate(() => document.documentElement.scrollWidth)
      expect(width, `${file} is no wider than the screen`).toBeLessThanOrEqual(360)
    }
    await page.goto(`${build.url}constructs.html`)
    const layout = await page.evaluate(() => {
      const pre = [...document.querySelectorAll('pre')].find((element) => element.textContent?.includes('answer'))
      const keyword = document.querySelector('.hljs-keyword')
      return {
        // The long line scrolls inside its block.
        preScrolls: pre ? pre.scrollWidth > pre.clientWidth : false,
        preFits: pre ? pre.getBoundingClientRect().right <= 360 : false,
        keywordColour: keyword ? getComputedStyle(keyword).color : '',
        textColour: getComputedStyle(document.body).color,
        math: document.querySelectorAll('math').length,
        mathBlock: getComputedStyle(document.querySelector('math[display="block"]') ?? document.body).display
      }
    })
    expect(layout.preScrolls).toBe(true)
    expect(layout.preFits).toBe(true)
    expect(layout.keywordColour).not.toBe(layout.textColour)
    expect(layout.math).toBe(3)
    expect(layout.mathBlock).toBe('block math')
    // The equation's number is beside it, on its line, within the screen.
    const beside = await page.evaluate(() => {
      const math = document.querySelector('#eq-energy math')?.getBoundingClientRect()
      const number = document.querySelector('#eq-energy .math-display__number')?.getBoundingClientRect()
      return math && number
        ? {
            right: number.left >= math.right - 1,
            sameLine: number.top < math.bottom && number.bottom > math.top,
            fits: number.right <= 360
          }
        : undefined
    })
    expect(beside).toEqual({right: true, sameLine: true, fits: true})
    expect(await page.locator('#eq-energy .math-display__number').textContent()).toBe('(1)')
    expect(await page.locator('dl dt').allTextContents()).toEqual(['Term one', 'Term two'])
    // A footnote's tooltip shows its note on focus, as a citation's does.
    await page.focus('#fnref-2')
    const tip = page.locator('#fnref-2-tip')
    await tip.waitFor({state: 'visible'})
    expect(await tip.textContent()).toBe('Inline notes hold Markdown [and brackets].')
    expect(await page.locator('#fn-2').textContent()).toContain('Inline notes hold Markdown')
    expect(problems).toEqual({errors: [], csp: [], foreign: []})
    await context.close()
  }, 120_000)
})
