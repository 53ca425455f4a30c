/**
 * Parsing on worker threads gives what the main thread gives: the same
 * trees, plugin data, messages (in order) and graphics, chapter by chapter,
 * and the same book with its messages on every file.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type {VFile} from 'vfile'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {parseBook} from '../pipeline/build.js'
import {loadBibliography} from '../pipeline/citations/bibliography.js'
import {loadBook} from '../pipeline/book/load.js'
import {lastParallel, parseInParallel} from '../pipeline/parse/parallel.js'
import {createProcessor, parseChapter} from '../pipeline/parse/processor.js'
import {RecordingRegistry} from '../pipeline/parse/parse-worker.js'
import {writeSyntheticBook} from '../scripts/synth-book.js'

let dir: string
let book: string

const messages = (file: VFile) => file.messages.map((m) => ({reason: m.reason, ruleId: m.ruleId, source: m.source, place: m.place, fatal: m.fatal, file: m.file, name: m.name}))

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-parallel-'))
  book = await writeSyntheticBook({chapters: 30, out: path.join(dir, 'book'), words: 300, scrollyEvery: 3})
  // Problems the chapters report, and one the graphic's file reports.
  const edit = async (name: string, change: (text: string) => string) => fs.writeFile(path.join(book, name), change(await fs.readFile(path.join(book, name), 'utf8')))
  await edit('05-chapter-5.md', (text) => `${text}\nAn unknown source in 1990 [@nope].\n`)
  await edit('07-chapter-7.md', (text) => `${text}\n::::scrolly{graphic="broken"}\n:::step{state="one"}\nText.\n:::\n::::\n`)
  await edit('09-chapter-9.md', (text) => `${text}\nSee [there](03-chapter-3.md#nowhere) and "quotes" -- here.\n`)
  await fs.writeFile(path.join(book, 'figures', 'broken.svg'), '<svg xmlns="http://www.w3.org/2000/svg"><desc data-state="one">x</desc></svg>\n')
})
afterAll(async () => {
  await fs.rm(dir, {recursive: true, force: true})
})

describe('parsing on worker threads', () => {
  it('gives each chapter the tree, data, messages and graphics the main thread gives', async () => {
    const here = await loadBook(book)
    const {items} = await loadBibliography(path.join(here.dir, 'references.json'), here.referencesFile)
    const registry = new RecordingRegistry(here.dir, here.referencesFile.cwd, [])
    await registry.scan()
    const processor = createProcessor({graphics: registry, references: items})
    const expected: Array<{chapter: Awaited<ReturnType<typeof parseChapter>>; graphics: string[]}> = []
    for (const source of here.chapters) {
      registry.requested = []
      const chapter = await parseChapter(processor, source)
      expected.push({chapter, graphics: registry.requested})
    }

    const there = await loadBook(book)
    const {chapters} = await parseInParallel(there, items, there.chapters, {workers: 1, mainThread: false})
    expect(lastParallel.chapters).toEqual([30, 0])
    there.chapters.forEach((source, index) => {
      const got = chapters.get(source)!
      const want = expected[index]!
      expect(got.chapter.title).toBe(want.chapter.title)
      expect(got.chapter.tree).toEqual(want.chapter.tree)
      expect(got.chapter.file.data).toEqual(want.chapter.file.data)
      expect(messages(got.chapter.file)).toEqual(messages(want.chapter.file))
      expect(got.graphics).toEqual(want.graphics)
    })
  })

  it('gives the same book and messages on every file', async () => {
    const alone = await parseBook(book, process.cwd(), {workers: 0})
    const shared = await parseBook(book, process.cwd(), {workers: 1})
    expect(shared.files.map((file) => [file.path, messages(file)])).toEqual(alone.files.map((file) => [file.path, messages(file)]))
    expect(shared.book?.chapters.map((chapter) => chapter.tree)).toEqual(alone.book?.chapters.map((chapter) => chapter.tree))
    expect(shared.files.some((file) => file.path.endsWith('broken.svg') && file.messages.length > 0)).toBe(true)
  })
})
