/**
 * The dialect book (tests/fixtures/books/dialect/) built in Spanish: its
 * cross-references, figure and table captions and footnote references read
 * in the book's language in both books, with no English word of the dialect
 * left, and the EPUB still passes epubcheck.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {epubFiles} from './helpers/epub-zip.js'
import {epubcheck} from './helpers/epubcheck.js'
import {root} from './helpers/fixture-book.js'

const dialect = path.join(root, 'tests/fixtures/books/dialect')
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-dialect-language-'))
afterAll(async () => {
  await fs.rm(work, {recursive: true, force: true})
})

let web: string
let epub: string
let epubPath: string

beforeAll(async () => {
  const book = path.join(work, 'book')
  await fs.cp(dialect, book, {recursive: true})
  const yaml = await fs.readFile(path.join(book, 'book.yaml'), 'utf8')
  await fs.writeFile(path.join(book, 'book.yaml'), yaml.replace(/^language: .*$/m, 'language: es'))
  const out = path.join(work, 'out')
  const result = await build({bookDir: book, outDir: out, modified: new Date(Date.UTC(2026, 0, 1))})
  expect(result.ok).toBe(true)
  const page = (name: string) => fs.readFile(path.join(out, 'web', name), 'utf8')
  web = (await Promise.all(['constructs.html', 'second.html'].map(page))).join('\n')
  const files = epubFiles(await fs.readFile(result.outputs!.epub.path))
  epub = [...files]
    .filter(([name]) => name.endsWith('constructs.xhtml') || name.endsWith('second.xhtml'))
    .map(([, data]) => data.toString('utf8'))
    .join('\n')
  epubPath = result.outputs!.epub.path
}, 120_000)

/** The first group of every match of `pattern` in `html`, its tags removed. */
const texts = (html: string, pattern: RegExp) => [...html.matchAll(pattern)].map((m) => m[1].replace(/<[^>]*>/g, ''))

describe('the dialect book in Spanish', () => {
  for (const [target, markup] of [
    ['web', () => web],
    ['EPUB', () => epub]
  ] as const) {
    it(`numbers captions and cross-references in Spanish (${target})`, () => {
      const html = markup()
      expect(texts(html, /<figcaption>([\s\S]*?)<\/figcaption>/g)).toContain('Figura 1: A plot of eight columns')
      expect(texts(html, /<caption>([\s\S]*?)<\/caption>/g)).toEqual(['Tabla 1: Counts by year'])
      expect(texts(html, /<a class="xref"[^>]*>([\s\S]*?)<\/a>/g)).toEqual([
        'Figura 1',
        'Tabla 1',
        'Ecuación 1',
        'Attributes',
        'Later',
        'Figura 1',
        'Figura 1',
        'Tabla 1',
        'Figura 1'
      ])
      expect(html).toContain('aria-label="Nota al pie 1"')
      expect(html).not.toMatch(/>(Figure|Table|Equation) \d|aria-label="Footnote/)
    })
  }

  it('passes epubcheck with 0 errors and 0 warnings', async () => {
    const messages = await epubcheck(epubPath)
    expect(messages.filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')).toEqual([])
  }, 120_000)
})
