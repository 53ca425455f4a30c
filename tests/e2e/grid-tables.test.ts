/**
 * Pandoc's grid tables (tests/fixtures/books/grid-tables/), built by the
 * real pipeline: in the EPUB's XHTML, a table with its header, its cells'
 * blocks, its spans and its column alignment, numbered by its caption for
 * `@tbl-x`, through epubcheck; on the web page in real Chromium, laid out
 * like the book's pipe table, with no axe violation or CSP problem (tables
 * without a caption have names of their own, an empty header cell is none).
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import type {Element, Root} from 'xast'
import {build} from '../../pipeline/build.js'
import {browserForFile} from '../helpers/browser.js'
import {elements, openEpub, text} from '../helpers/epub-package.js'
import {epubcheck} from '../helpers/epubcheck.js'
import {root} from '../helpers/fixture-book.js'
import {serve} from '../helpers/serve.js'
import {axe, watch} from '../helpers/story.js'

const browser = browserForFile()
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-grid-tables-'))
let epubPath: string
let chapter: Root
let messages: string[]
afterAll(async () => {
  await fs.rm(work, {recursive: true, force: true})
})

beforeAll(async () => {
  const result = await build({
    bookDir: path.join(root, 'tests/fixtures/books/grid-tables'),
    outDir: work,
    modified: new Date(Date.UTC(2026, 0, 1))
  })
  expect(result.ok).toBe(true)
  messages = result.files.flatMap((file) => file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`))
  epubPath = result.outputs!.epub.path
  const epub = await openEpub(epubPath)
  chapter = [...epub.documents.entries()].find(([file]) => file.endsWith('tables.xhtml'))?.[1] as Root
}, 120_000)

/** Each row of `table` as its cells: tag, text, and the attributes that place it. */
const rows = (table: Element) =>
  elements(table, 'tr').map((row) =>
    row.children
      .filter((cell): cell is Element => cell.type === 'element')
      .map((cell) =>
        [cell.name, text(cell).trim(), cell.attributes.colspan, cell.attributes.rowspan, cell.attributes.style]
          .filter(Boolean)
          .join(' ')
      )
  )

describe('grid tables in the EPUB', () => {
  it('are tables with a header, block cells, spans and column alignment', () => {
    const tables = elements(chapter, 'table')
    expect(tables.map((table) => table.attributes.id)).toEqual([
      'tbl-pipe',
      'tbl-fruit',
      'tbl-spans',
      undefined,
      undefined
    ])
    const [, fruit, spans, headless, empty] = tables as Element[]
    expect(rows(fruit)).toEqual([
      ['th Fruit', 'th Price text-align: right', 'th Advantages text-align: center'],
      ['td Bananas', 'td $1.34 text-align: right', 'td built-in wrapper bright color text-align: center'],
      ['td Oranges', 'td $2.10 text-align: right', 'td cures scurvy tasty text-align: center']
    ])
    expect(elements(fruit, 'li').map(text)).toEqual(['built-in wrapper', 'bright color', 'cures scurvy', 'tasty'])
    expect(rows(spans)).toEqual([
      ['th Property 2', 'th Earth'],
      ['td Temperature 1961-1990 3', 'td min', 'td -89.2 °C'],
      ['td mean', 'td 14 °C'],
      ['td max', 'td 56.7 °C']
    ])
    // Without a header, the first line's colons align the column; a cell holds code and a hard line break.
    expect(elements(headless, 'thead')).toEqual([])
    expect(text(elements(headless, 'code')[0] as Element)).toBe('--from markdown\n')
    expect(elements(headless, 'td')[1]?.attributes.style).toBe('text-align: right')
    expect(elements(headless, 'br')).toHaveLength(1)
    // An empty header cell heads nothing; a caption of attributes alone is none.
    expect(rows(empty)).toEqual([
      ['td', 'th Count text-align: right'],
      ['td a', 'td 1 text-align: right']
    ])
    expect(elements(empty, 'caption')).toEqual([])
  })

  it('are named by their caption, or by their place among the tables without one', () => {
    const boxes = elements(chapter, 'div').filter((div) => div.attributes.class === 'table-scroll')
    expect(boxes.map((box) => box.attributes['aria-label'])).toEqual([
      'A pipe table',
      'Sample grid table.',
      'Spans',
      'Table (1)',
      'Table (2)'
    ])
  })

  it('are numbered by their caption, which `@tbl-x` reads', () => {
    const captions = elements(chapter, 'caption').map(text)
    expect(captions).toEqual(['Table 1: A pipe table', 'Table 2: Sample grid table.', 'Table 3: Spans'])
    const xrefs = elements(chapter, 'a')
      .filter((a) => a.attributes.class === 'xref')
      .map((a) => `${a.attributes.href} ${text(a)}`)
    expect(xrefs).toEqual([
      'tables.xhtml#tbl-pipe Table 1',
      'tables.xhtml#tbl-fruit Table 2',
      'tables.xhtml#tbl-spans Table 3'
    ])
  })

  it('leave only a table whose lines do not line up as written, with its warning', () => {
    expect(messages).toEqual(['43:1 unrendered-grid-table'])
    expect(elements(chapter, 'p').map(text)).toContain('+---+---+\n| a | b |\n| c  d |\n+---+---+')
  })

  it('pass epubcheck with 0 errors and 0 warnings', async () => {
    const found = await epubcheck(epubPath)
    expect(found.filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')).toEqual([])
  }, 120_000)
})

describe('grid tables on the web', () => {
  it('look like the pipe table, with no axe violation or CSP problem', async () => {
    const site = await serve(path.join(work, 'web'))
    const context = await browser().newContext({viewport: {width: 360, height: 800}, reducedMotion: 'reduce'})
    const problems = await watch(context, site.url)
    const page = await context.newPage()
    await page.goto(`${site.url}tables.html`)
    expect(await axe(page)).toEqual([])
    const looks = await page.evaluate(() =>
      ['#tbl-pipe', '#tbl-fruit', '#tbl-spans'].map((id) => {
        const table = document.querySelector(id) as HTMLElement
        const cell = table.querySelector('td') as HTMLElement
        const style = getComputedStyle(cell)
        const box = table.parentElement as HTMLElement
        return {
          box: `${box.className} ${box.getAttribute('role')} ${box.tabIndex}`,
          cell: `${style.borderBottom} ${style.padding} ${style.textAlign}`,
          caption: getComputedStyle(table.querySelector('caption') as HTMLElement).color,
          fits: box.getBoundingClientRect().right <= 360
        }
      })
    )
    expect(looks[1]).toEqual(looks[0])
    expect(looks[2]).toEqual(looks[0])
    expect(looks[0]?.box).toBe('table-scroll region 0')
    expect(problems).toEqual({errors: [], csp: [], foreign: []})
    await context.close()
    await site.close()
  }, 120_000)
})
