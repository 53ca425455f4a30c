/**
 * A book written with Pandoc's block constructs (line blocks, fancy list
 * markers, example lists, `~` definitions) and an in-text citation with
 * further cites, built for real: both books carry them as Pandoc renders
 * them, and the EPUB passes epubcheck.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {epubFiles} from './helpers/epub-zip.js'
import {epubcheck} from './helpers/epubcheck.js'
import {root} from './helpers/fixture-book.js'

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-pandoc-book-'))
afterAll(async () => {
  await fs.rm(work, {recursive: true, force: true})
})

const chapter = `# Verse and lists

| The limerick packs laughs anatomical
|     into space that is quite economical.
|
| A line that goes on
  and on.

As @alpha [p. 33; @beta] says, the lists are these.

c. three
d. four

(iv) four
(v) five

(@) An example.
(@good) A good one.

Example (@good) is good.

Term
~ Its definition.
`

let web: string
let epub: string
let epubPath: string
let problems: string[]

beforeAll(async () => {
  const book = path.join(work, 'book')
  await fs.mkdir(book, {recursive: true})
  const basic = path.join(root, 'tests/fixtures/books/basic')
  for (const name of ['book.yaml', 'references.json']) await fs.copyFile(path.join(basic, name), path.join(book, name))
  await fs.writeFile(path.join(book, '01-verse.md'), chapter)
  const result = await build({bookDir: book, outDir: path.join(work, 'out'), modified: new Date(Date.UTC(2026, 0, 1))})
  problems = result.files.flatMap((file) => file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`))
  expect(result.ok).toBe(true)
  web = await fs.readFile(path.join(work, 'out/web/verse.html'), 'utf8')
  epubPath = result.outputs!.epub.path
  epub = epubFiles(await fs.readFile(epubPath))
    .get('OEBPS/verse.xhtml')!
    .toString('utf8')
}, 120_000)

describe('a book in Pandoc Markdown', () => {
  it('builds without a problem', () => {
    expect(problems).toEqual([])
  })

  for (const [target, markup, br] of [
    ['web', () => web, '<br>'],
    ['EPUB', () => epub, '<br />']
  ] as const) {
    it(`renders line blocks, lists, definitions and citations as Pandoc does (${target})`, () => {
      const html = markup()
      expect(html).toContain(
        `<div class="line-block">The limerick packs laughs anatomical${br}\n\u00a0\u00a0\u00a0\u00a0into space that is quite economical.${br}\n${br}\nA line that goes on\nand on.</div>`
      )
      expect(html).toMatch(/<ol start="3" type="a">\s*<li>three<\/li>\s*<li>four<\/li>\s*<\/ol>/)
      expect(html).toMatch(/<ol start="4" type="i">\s*<li>four<\/li>\s*<li>five<\/li>\s*<\/ol>/)
      expect(html).toMatch(/<ol class="example" type="1">\s*<li>An example.<\/li>\s*<li>A good one.<\/li>\s*<\/ol>/)
      expect(html).toContain('<p>Example (2) is good.</p>')
      expect(html).toMatch(/<dl>\s*<dt>Term<\/dt>\s*<dd>Its definition.\s*<\/dd>\s*<\/dl>/)
      expect(html).toMatch(/As <span class="cite cite--in-text">(<span class="cite__author">)?Alpha/)
    })
  }

  it('passes epubcheck with 0 errors and 0 warnings', async () => {
    const messages = await epubcheck(epubPath)
    expect(messages.filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')).toEqual([])
  }, 120_000)
})
