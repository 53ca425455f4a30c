/**
 * A build without a session renders each chapter as soon as its pages can be
 * made and lets go of its tree (`streamedBuild` in pipeline/build.ts); a
 * build with one renders the whole book after the parse. Both must give the
 * same files, byte for byte, and the same messages, for books whose pages
 * depend on chapters parsed later: a link to an anchor of a later chapter,
 * a contested claim only in the last chapter (every earlier footer links to
 * the disagreements page), the next chapter's title, book-wide citation
 * numbers and notes formatted on the citation worker.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build, type BuildResult} from '../pipeline/build.js'
import {citationWorkerBundle} from '../pipeline/citations/worker.js'
import {BuildSession} from '../pipeline/output/session.js'
import {writeSyntheticBook} from '../scripts/synth-book.js'
import {root} from './helpers/fixture-book.js'
import {treeFiles} from './helpers/tree-hash.js'

const modified = new Date('2023-11-14T22:13:20Z')
let dir: string

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-streamed-'))
})
afterAll(async () => {
  await fs.rm(dir, {recursive: true, force: true})
})

const messages = (result: BuildResult) => result.files.flatMap((file) => file.messages.map((m) => `${path.basename(file.path)}:${m.line}:${m.column} ${m.ruleId} ${m.reason}`))

/** Build `book` streamed (no session) and whole (a fresh session), and compare every file and message. */
async function expectSameBuilds(book: string, label: string, strict = false) {
  const streamed = await build({bookDir: book, outDir: path.join(dir, `${label}-streamed`), cwd: root, modified, strict})
  const whole = await build({bookDir: book, outDir: path.join(dir, `${label}-whole`), cwd: root, modified, strict, session: new BuildSession()})
  expect(messages(streamed)).toEqual(messages(whole))
  expect(streamed.ok).toBe(whole.ok)
  if (!whole.ok) return {streamed, whole}
  const a = await treeFiles(path.join(dir, `${label}-streamed`))
  const b = await treeFiles(path.join(dir, `${label}-whole`))
  expect([...a.keys()].sort()).toEqual([...b.keys()].sort())
  for (const [name, data] of b) expect(a.get(name)?.equals(data), `${label}: ${name}`).toBe(true)
  return {streamed, whole}
}

/** A synthetic book with links ahead and back, and one contested claim, in its last chapter. */
async function linkedBook(name: string, chapters: number, words: number): Promise<string> {
  const book = path.join(dir, name)
  await writeSyntheticBook({chapters, out: book, words})
  const files = (await fs.readdir(book)).filter((f) => f.endsWith('.md')).sort()
  const last = files[files.length - 1]!
  const append = async (file: string, text: string) => fs.appendFile(path.join(book, file), `\n${text}\n`)
  // Ahead to an anchor that exists, ahead to one that does not, back to a chapter, to a chapter by its slug.
  await append(files[0]!, `See [the end](${last}#the-last-word), [nowhere](${files[2]}#no-such-heading), and [the next one](${files[1]!.replace(/^\d+-/, '')}).`)
  await append(files[2]!, `Back to [the start](${files[0]}).`)
  await append(last, '## The last word\n\n:::contested{#count topic="How many were counted"}\nThe count was disputed [@ref001].\n\n- One source: ten [@ref001].\n- Another: twelve [@ref002].\n:::')
  return book
}

describe('a build that renders each chapter as it comes', () => {
  it('gives the files and messages of the whole-book build, with the trees let go', async () => {
    const book = await linkedBook('small', 6, 400)
    const {streamed} = await expectSameBuilds(book, 'small')
    expect(streamed.ok).toBe(true)
    // Each tree was let go once its pages were made: what is kept is an empty root.
    expect(streamed.book?.chapters.every((chapter) => chapter.tree.children.length === 0)).toBe(true)
    const warnings = messages(streamed).filter((m) => m.includes('missing-anchor'))
    expect(warnings).toHaveLength(1)
    const first = await fs.readFile(path.join(dir, 'small-streamed/web', 'chapter-1.html'), 'utf8')
    // The link ahead leads to the last chapter's heading; the footer of the first page links to the disagreements.
    expect(first).toMatch(/<a href="chapter-6\.html#the-last-word">the end<\/a>/)
    expect(first).toMatch(/<nav class="footer-nav"[^]*href="disagreements\.html"/)
  })

  it('gives the same files when the notes are formatted on the citation worker', async () => {
    // Over 300,000 characters of Markdown: the citation worker formats the notes, a batch per chapter.
    const book = await linkedBook('large', 28, 2000)
    expect(await citationWorkerBundle()).toBeTruthy()
    const {streamed} = await expectSameBuilds(book, 'large')
    expect(streamed.ok).toBe(true)
    // Every note came from the worker: the main thread ran citeproc for nothing.
    expect(streamed.book!.formatter.runs).toEqual({bibliography: 0, clusters: 0})
  }, 120_000)

  it('gives the same messages, and no output, when a chapter has an error or, with --strict, a warning', async () => {
    const book = await linkedBook('broken', 5, 300)
    const files = (await fs.readdir(book)).filter((f) => f.endsWith('.md')).sort()
    await fs.appendFile(path.join(book, files[1]!), '\nA citation of nothing [@no-such-work].\n')
    const {streamed} = await expectSameBuilds(book, 'broken')
    expect(streamed.ok).toBe(false)
    // Nothing is written for a build that fails: not even the output directory is made.
    await expect(fs.stat(path.join(dir, 'broken-streamed'))).rejects.toThrow()

    const warned = await linkedBook('warned', 5, 300)
    const strict = await expectSameBuilds(warned, 'warned', true)
    expect(strict.streamed.ok).toBe(false)
  })

  it('leaves the last build as it was, and nothing half written, when the next one fails', async () => {
    const book = await linkedBook('edited', 5, 300)
    const out = path.join(dir, 'edited-out')
    expect((await build({bookDir: book, outDir: out, cwd: root, modified})).ok).toBe(true)
    const before = await treeFiles(out)
    const files = (await fs.readdir(book)).filter((f) => f.endsWith('.md')).sort()
    // The last chapter fails: every page before it was made and written on the way.
    await fs.appendFile(path.join(book, files[files.length - 1]!), '\nA citation of nothing [@no-such-work].\n')
    expect((await build({bookDir: book, outDir: out, cwd: root, modified})).ok).toBe(false)
    const after = await treeFiles(out)
    expect([...after.keys()].sort()).toEqual([...before.keys()].sort())
    for (const [name, data] of before) expect(after.get(name)?.equals(data), name).toBe(true)
    expect(await fs.readdir(path.join(out, '.twofold'))).toEqual(['manifest.json'])
  })

  it('gives the same messages when the citation style cannot be used', async () => {
    const book = await linkedBook('bad-style', 4, 300)
    await fs.appendFile(path.join(book, 'book.yaml'), 'citationStyle: no-such-style\n')
    const {streamed} = await expectSameBuilds(book, 'bad-style')
    expect(messages(streamed).some((m) => m.includes('invalid-citationStyle'))).toBe(true)
  })

  it('writes one file for two images with the same name and bytes, in both books', async () => {
    const book = await linkedBook('twin-images', 3, 300)
    const png = await fs.readFile(path.join(root, 'tests/fixtures/books/basic/figures/bars.svg'))
    for (const dir of ['pics/a', 'pics/b']) {
      await fs.mkdir(path.join(book, dir), {recursive: true})
      await fs.writeFile(path.join(book, dir, 'photo.svg'), png)
    }
    const files = (await fs.readdir(book)).filter((f) => f.endsWith('.md')).sort()
    await fs.appendFile(path.join(book, files[0]!), '\n![A photo](pics/a/photo.svg)\n')
    await fs.appendFile(path.join(book, files[1]!), '\n![The same photo](pics/b/photo.svg)\n')
    const {streamed} = await expectSameBuilds(book, 'twin-images')
    expect(streamed.ok).toBe(true)
    const opf = (await treeFiles(path.join(dir, 'twin-images-streamed'))).get('synthetic-book.epub')!
    const {epubFiles} = await import('./helpers/epub-zip.js')
    const manifest = epubFiles(opf).get('OEBPS/content.opf')!.toString('utf8')
    const ids = [...manifest.matchAll(/<item [^>]*id="([^"]+)"/g)].map((m) => m[1])
    expect(ids.filter((id) => id!.startsWith('img-photo'))).toHaveLength(1)
    expect(new Set(ids).size).toBe(ids.length)
  })

  it('builds the story and the test books as the whole-book build does', async () => {
    for (const book of ['chapters', 'tests/fixtures/books/basic', 'tests/fixtures/books/layouts']) {
      await expectSameBuilds(path.join(root, book), path.basename(book))
    }
  }, 120_000)
})
