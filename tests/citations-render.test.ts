/**
 * How both books render citations, notes and contested claims.
 *
 * Render fixtures: every folder in tests/fixtures/render/ holds an `input.md`
 * chapter, built with the real `build()` inside a copy of the basic fixture
 * book (its references: `alpha`, a book with an author, and `beta`, a web
 * page without one). `output.html` is the chapter's `<article>` in the web
 * story; `output.xhtml` is the chapter's EPUB body followed by the bodies of
 * the notes document and (when there is one) the disagreements document.
 * `UPDATE=1` rewrites both; read the diff.
 *
 * Then: the book's formatter formats each entry once per build, a bad
 * `citationStyle` is an error at its field, and a chapter heading cannot take
 * an id the notes use.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {build, parseBook} from '../pipeline/build.js'
import {citeprocCounter} from './helpers/citeproc-count.js'
import {epubFiles} from './helpers/epub-zip.js'
import {bookForCase, root} from './helpers/fixture-book.js'

const fixtures = path.join(root, 'tests/fixtures/render')
const cases = (await fs.readdir(fixtures, {withFileTypes: true}))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()
const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-render-'))
const modified = new Date('2026-01-15T00:00:00Z')

afterAll(async () => {
  await fs.rm(scratch, {recursive: true, force: true})
})

/** Build a book; fails the test with the build's messages when it does not build. */
async function buildBook(bookDir: string, name: string) {
  const outDir = path.join(scratch, name)
  const result = await build({
    bookDir,
    outDir,
    cwd: path.dirname(bookDir),
    modified
  })
  const errors = result.files.flatMap((file) =>
    file.messages.filter((m) => m.fatal).map((m) => `${file.path}:${m.line}:${m.column} ${m.reason} [${m.ruleId}]`)
  )
  expect(errors).toEqual([])
  expect(result.ok).toBe(true)
  return {outDir, result}
}

/** One element of each block on its own line, so a reviewer can read the diff. */
function lines(markup: string): string {
  return `${markup
    .replace(/\n+/g, '\n')
    .replace(/(<\/(?:p|li|ol|ul|section|div|details|summary|blockquote|h[1-6]|header)>)(?!\n)/g, '$1\n')
    .replace(/(?<!\n)(<(?:p|li|ol|ul|section|div|details|summary|blockquote|h[1-6]|header)[\s>])/g, '\n$1')
    .trim()}\n`
}

function body(xhtml: string): string {
  const match = /<body[^>]*>([\s\S]*)<\/body>/.exec(xhtml)
  if (!match) throw new Error('Expected an XHTML document with a body')
  return match[1]!.trim()
}

describe('render fixtures', () => {
  it('has a case for every citation form and contested claims', () => {
    expect(cases).toEqual(
      expect.arrayContaining(['contested', 'in-text', 'locator', 'parenthetical', 'several', 'suppress-author'])
    )
  })

  for (const name of cases) {
    it(name, async () => {
      const caseDir = path.join(fixtures, name)
      const {outDir} = await buildBook(await bookForCase(caseDir), name)

      const page = await fs.readFile(path.join(outDir, 'web/input.html'), 'utf8')
      const article = /<article class="chapter">[\s\S]*<\/article>/.exec(page)?.[0]
      expect(article, 'the chapter page has an <article>').toBeDefined()
      const html = lines(article!)

      const epubName = (await fs.readdir(outDir)).find((file) => file.endsWith('.epub'))!
      const files = epubFiles(await fs.readFile(path.join(outDir, epubName)))
      const text = (name: string) => files.get(`OEBPS/${name}`)?.toString('utf8')
      const parts = [
        lines(body(text('input.xhtml')!)),
        '<!-- notes-input.xhtml -->\n',
        lines(body(text('notes-input.xhtml')!))
      ]
      const disagreements = text('disagreements.xhtml')
      if (disagreements) parts.push('<!-- disagreements.xhtml -->\n', lines(body(disagreements)))
      const xhtml = parts.join('')

      if (process.env.UPDATE) {
        await fs.writeFile(path.join(caseDir, 'output.html'), html)
        await fs.writeFile(path.join(caseDir, 'output.xhtml'), xhtml)
      }
      expect(html).toBe(await fs.readFile(path.join(caseDir, 'output.html'), 'utf8'))
      expect(xhtml).toBe(await fs.readFile(path.join(caseDir, 'output.xhtml'), 'utf8'))
    })
  }
})

describe('the book’s formatter', () => {
  const count = citeprocCounter()

  it('formats each entry once per build: one formatter serves both books', async () => {
    const bibliography = count('bibliography')
    const {result, outDir} = await buildBook(path.join(root, 'tests/fixtures/books/basic'), 'formatter-once')
    // Both books list every entry (sources.html and sources.xhtml): a formatter per target would run the bibliography twice.
    expect(result.book!.formatter.runs.bibliography).toBe(1)
    // (by the formatter's own citeproc engine, not citation-js's one-off output)
    expect(bibliography.calls).toBe(0)
    const web = await fs.readFile(path.join(outDir, 'web/sources.html'), 'utf8')
    const epub = epubFiles(await fs.readFile(result.outputs!.epub.path))
      .get('OEBPS/sources.xhtml')!
      .toString('utf8')
    for (const item of result.book!.references) {
      const entry = result.book!.formatter.entry(item.id).html
      expect(web).toContain(entry)
      expect(epub).toContain(entry)
    }
  })

  it('uses the style of book.yaml and the book’s language', async () => {
    const {book} = await parseBook(path.join(root, 'tests/fixtures/books/basic'), root)
    expect(book?.formatter.style).toBe('chicago-fullnote-bibliography')
    expect(book?.formatter.locale).toBe('en-US')
  })

  it('reports a citation style it cannot use at the field in book.yaml', async () => {
    const dir = await bookForCase(path.join(fixtures, 'parenthetical'))
    const yaml = await fs.readFile(path.join(dir, 'book.yaml'), 'utf8')
    await fs.writeFile(path.join(dir, 'book.yaml'), `${yaml.trimEnd()}\ncitationStyle: chicago-nope\n`)
    const {book, files} = await parseBook(dir, path.dirname(dir))
    expect(book).toBeUndefined()
    const messages = files.flatMap((file) =>
      file.messages.map((m) => ({
        file: file.path,
        line: m.line,
        column: m.column,
        ruleId: m.ruleId,
        fatal: m.fatal
      }))
    )
    const line = yaml.trimEnd().split('\n').length + 1
    expect(messages).toEqual([
      {
        file: 'book/book.yaml',
        line,
        column: 16,
        ruleId: 'invalid-citationStyle',
        fatal: true
      }
    ])
    expect(files.flatMap((f) => f.messages)[0]!.reason).toMatch(
      /^Unexpected citation style `chicago-nope`, expected one of .*`chicago-note-bibliography`/
    )
  })
})

describe('ids of the notes', () => {
  it('keeps chapter headings off the ids the notes, tooltips and accounts use', async () => {
    const dir = await bookForCase(path.join(fixtures, 'contested'))
    const file = path.join(dir, '01-input.md')
    await fs.appendFile(
      file,
      '\n## Notes\n\nText [@alpha].\n\n## Cite 1 tip\n\nText [@alpha].\n\n## Bar count accounts\n\nText [@beta].\n'
    )
    const {outDir} = await buildBook(dir, 'reserved-ids')
    const page = await fs.readFile(path.join(outDir, 'web/input.html'), 'utf8')
    const ids = [...page.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1])
    expect(ids.filter((id, index) => ids.indexOf(id) !== index)).toEqual([])
    expect(ids).toEqual(
      expect.arrayContaining([
        'notes',
        'notes-1',
        'cite-1-tip',
        'cite-1-tip-1',
        'bar-count-accounts',
        'bar-count-accounts-1'
      ])
    )
  })
})
