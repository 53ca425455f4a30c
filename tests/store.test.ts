/**
 * Builds keep parsed chapters, formatted notes and the EPUB's compressed
 * entries in one store (see pipeline/output/store.ts). A build that reads
 * them back must give the files
 * and messages a build without the cache gives, byte for byte, and must
 * parse again whatever an edit changed: the chapter, the bibliography, a
 * graphic, an image it names, the book's metadata, the code.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type BuildResult, build} from '../pipeline/build.js'
import {maxAgeDays, Store} from '../pipeline/output/store.js'
import {writeSyntheticBook} from '../scripts/synth-book.js'
import {root} from './helpers/fixture-book.js'
import {treeFiles} from './helpers/tree-hash.js'

const run = promisify(execFile)
const modified = new Date('2023-11-14T22:13:20Z')
const basic = path.join(root, 'tests/fixtures/books/basic')
let dir: string
let cacheDir: string
let builds = 0

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-cache-'))
  cacheDir = path.join(dir, 'cache')
})
afterAll(async () => {
  await fs.rm(dir, {recursive: true, force: true})
})

const messages = (result: BuildResult) =>
  result.files.flatMap((file) =>
    file.messages.map((m) => `${path.basename(file.path)}:${m.line}:${m.column} ${m.ruleId} ${m.reason}`)
  )

/** The store of the last `buildBoth`, as a process that opened it would have it. */
let store: Store

/** Build `book` with the cache and without it; expect the same messages and files; resolves to the cached build. */
async function buildBoth(book: string, version = 'test-1'): Promise<BuildResult> {
  const n = builds++
  store = new Store({dir: cacheDir, version})
  const withCache = await build({
    bookDir: book,
    outDir: path.join(dir, `out-${n}-cached`),
    cwd: root,
    modified,
    store
  })
  const without = await build({
    bookDir: book,
    outDir: path.join(dir, `out-${n}-plain`),
    cwd: root,
    modified
  })
  expect(messages(withCache)).toEqual(messages(without))
  expect(withCache.ok).toBe(without.ok)
  if (without.ok) {
    const a = await treeFiles(path.join(dir, `out-${n}-cached`))
    const b = await treeFiles(path.join(dir, `out-${n}-plain`))
    expect([...a.keys()].sort()).toEqual([...b.keys()].sort())
    for (const [name, data] of b) expect(a.get(name)?.equals(data), name).toBe(true)
  }
  return withCache
}

async function copyOfBasic(name: string): Promise<string> {
  const book = path.join(dir, name)
  await fs.cp(basic, book, {recursive: true})
  return book
}

describe('the build cache', () => {
  it('reads unchanged chapters and notes back, and builds the same files as without it', async () => {
    const book = await copyOfBasic('same')
    const cold = await buildBoth(book)
    expect(cold.cached).toEqual({chapters: 0})
    expect(store.stats.hits).toBe(0)
    expect(cold.book!.formatter.runs.clusters).toBeGreaterThan(0)
    const warm = await buildBoth(book)
    expect(warm.cached?.chapters).toBe(2)
    // Not one note nor the bibliography went through citeproc, and no EPUB entry was compressed again.
    expect(warm.book!.formatter.runs).toEqual({bibliography: 0, clusters: 0})
    const hits = store.stats.hits
    expect(hits).toBeGreaterThan(2 + 1 + 5)
    expect(store.stats.misses).toBe(0)
    // A third build reads the same back.
    expect((await buildBoth(book)).cached).toEqual(warm.cached)
    expect(store.stats.hits).toBe(hits)
  })

  it('parses again a chapter that changed, and only that one, and formats only its new notes', async () => {
    const book = await copyOfBasic('edited')
    await buildBoth(book)
    await fs.appendFile(path.join(book, '02-second.md'), '\nA new paragraph that cites a new page [@alpha, p. 99].\n')
    const edited = await buildBoth(book)
    expect(edited.cached?.chapters).toBe(1)
    // A new page in a form of note the last build learnt (`[@alpha, p. 3]`) is filled in without citeproc.
    expect(edited.book!.formatter.runs).toEqual({bibliography: 0, clusters: 0})
    await fs.appendFile(
      path.join(book, '02-second.md'),
      '\nAnd one in a form not seen before [compare @beta, chap. 2].\n'
    )
    const again = await buildBoth(book)
    expect(again.cached?.chapters).toBe(1)
    expect(again.book!.formatter.runs.clusters).toBeGreaterThan(0)
    expect(again.book!.formatter.runs.bibliography).toBe(0)
  })

  it("reads back the content and notes of each chapter an edit did not reach, in both books, and makes the others'", async () => {
    const book = await copyOfBasic('pages')
    // Which chapters' content (web, EPUB) each build made afresh: the keys it looked up and did not find.
    const made = async () => {
      const misses: string[] = []
      const get = Store.prototype.get
      Store.prototype.get = function (this: Store, key: string) {
        const value = get.call(this, key)
        if (!value && /^(web-content|epub-content|epub-notes)\u0000/.test(key))
          misses.push(key.slice(0, key.indexOf('\u0000')))
        return value
      }
      try {
        await buildBoth(book)
      } finally {
        Store.prototype.get = get
      }
      return misses.sort()
    }
    const all = ['epub-content', 'epub-notes', 'web-content']
    expect(await made()).toEqual([...all, ...all].sort())
    expect(await made()).toEqual([])
    // A sentence in chapter 2: its content only.
    const second = path.join(book, '02-second.md')
    await fs.appendFile(second, '\nOne more sentence.\n')
    expect(await made()).toEqual(all)
    // A new note in chapter 1: chapter 1's content and notes only, since chapter 2's notes are numbered from 1.
    const first = path.join(book, '01-first.md')
    await fs.appendFile(first, '\nA new note here [@beta, p. 8].\n')
    expect(await made()).toEqual(all)
    // Chapter 2's new title is in chapter 1's page (its next link), around the content kept: chapter 2's only.
    await fs.writeFile(second, (await fs.readFile(second, 'utf8')).replace(/^title: .*$/m, 'title: A new title'))
    expect(await made()).toEqual(all)
    expect(await fs.readFile(path.join(dir, `out-${builds - 1}-cached/web/first.html`), 'utf8')).toContain(
      'A new title'
    )
    // A contested claim in chapter 2 with the id of chapter 1's gets an anchor of its own: chapter 2's content and notes.
    await fs.appendFile(
      second,
      '\n:::contested{#how-many topic="How many bars again"}\nStill differ.\n\n- one [@alpha]\n- two [@beta]\n:::\n'
    )
    expect(await made()).toEqual(all)
    // Chapter 1's claim renamed frees the id: chapter 2's claim takes it, so both chapters are made again.
    await fs.writeFile(first, (await fs.readFile(first, 'utf8')).replace('{#how-many ', '{#how-many-bars '))
    expect(await made()).toHaveLength(6)
    expect(await fs.readFile(path.join(dir, `out-${builds - 1}-cached/web/second.html`), 'utf8')).toContain(
      'id="how-many"'
    )
  })

  it('parses every chapter again when the bibliography, a graphic, the metadata or the code changed', async () => {
    const book = await copyOfBasic('context')
    await buildBoth(book)
    const references = path.join(book, 'references.json')
    await fs.writeFile(references, (await fs.readFile(references, 'utf8')).replace(/"title": "/, '"title": "Revised: '))
    const revised = await buildBoth(book)
    expect(revised.cached).toEqual({chapters: 0})
    expect(revised.book!.formatter.runs.bibliography).toBe(1)

    const figure = path.join(book, 'figures/bars.svg')
    await fs.writeFile(figure, (await fs.readFile(figure, 'utf8')).replace('</svg>', '<!-- redrawn --></svg>'))
    expect((await buildBoth(book)).cached?.chapters).toBe(0)

    await fs.appendFile(path.join(book, 'book.yaml'), 'subtitle: A new subtitle\n')
    expect((await buildBoth(book)).cached?.chapters).toBe(0)
    expect((await buildBoth(book)).cached?.chapters).toBe(2)
    expect((await buildBoth(book, 'test-2')).cached).toEqual({chapters: 0})
    expect(store.stats.hits).toBe(0)
  })

  it("keeps the EPUB's compressed entries: those that changed are compressed again, and a damaged one is a miss", async () => {
    const book = await copyOfBasic('zip')
    await buildBoth(book)
    await buildBoth(book)
    const entries = store.stats.hits
    // One more sentence in chapter 2: its parse, its document and the package change, the others do not.
    await fs.appendFile(path.join(book, '02-second.md'), '\nOne more sentence.\n')
    await buildBoth(book)
    expect(store.stats.hits).toBeLessThan(entries)
    expect(store.stats.hits).toBeGreaterThan(entries / 2)
    // Every kept entry with one byte changed: none is used, and the EPUB is still the one a build without the cache makes.
    for (const name of await fs.readdir(cacheDir)) {
      const file = path.join(cacheDir, name)
      const data = await fs.readFile(file)
      data[data.length - 1] ^= 1
      await fs.writeFile(file, data)
    }
    expect((await buildBoth(book)).cached?.chapters).toBe(0)
    expect(store.stats.hits).toBe(0)
  })

  it('reports an image that is gone, and a graphic that broke, as a build without it does', async () => {
    const book = await copyOfBasic('broken')
    await fs.mkdir(path.join(book, 'images'))
    await fs.copyFile(path.join(book, 'figures/bars.svg'), path.join(book, 'images/photo.svg'))
    await fs.appendFile(path.join(book, '02-second.md'), '\n![A photograph](images/photo.svg)\n')
    await buildBoth(book)
    expect((await buildBoth(book)).cached?.chapters).toBe(2)
    // Only the image is gone: the chapter's entry is not used, and the image is reported missing.
    await fs.rm(path.join(book, 'images/photo.svg'))
    const gone = await buildBoth(book)
    expect(gone.ok).toBe(false)
    expect(gone.cached?.chapters).toBe(1)
    expect(messages(gone).filter((m) => m.includes('missing-image'))).toHaveLength(1)
    // The graphic of chapter 1's scrolly section, broken: every entry goes (the figures changed), and it is reported.
    await fs.copyFile(path.join(book, 'figures/bars.svg'), path.join(book, 'images/photo.svg'))
    await buildBoth(book)
    await fs.writeFile(
      path.join(book, 'figures/bars.svg'),
      '<svg xmlns="http://www.w3.org/2000/svg"><g id="nothing"/></svg>'
    )
    const broken = await buildBoth(book)
    expect(broken.ok).toBe(false)
    expect(broken.cached?.chapters).toBe(0)
  })

  it('reads again, from an entry, a graphic that another chapter read first before an edit', async () => {
    const book = await copyOfBasic('shared-graphic')
    const scrolly =
      '\n::::scrolly{graphic="bars"}\n:::step{state="two"}\nThe bars again, from the second chapter.\n:::\n::::\n'
    await fs.appendFile(path.join(book, '02-second.md'), scrolly)
    await buildBoth(book)
    expect((await buildBoth(book)).cached?.chapters).toBe(2)
    // Chapter 1 no longer reads the graphic first: chapter 2's entry must read it.
    const first = path.join(book, '01-first.md')
    const text = await fs.readFile(first, 'utf8')
    await fs.writeFile(
      first,
      text.slice(0, text.indexOf('::::scrolly')) +
        text.slice(text.indexOf('::::\n', text.indexOf(':::step{state="three"}')) + 5)
    )
    const edited = await buildBoth(book)
    expect(edited.cached?.chapters).toBe(1)
    expect(edited.book!.graphics.has('bars')).toBe(true)
  })

  it('parses every chapter again when a graphic changed, even to one of the same size and time', async () => {
    const book = await copyOfBasic('same-size')
    const figure = path.join(book, 'figures/bars.svg')
    const time = new Date('2024-05-01T12:00:00Z')
    await fs.utimes(figure, time, time)
    await buildBoth(book)
    const svg = await fs.readFile(figure, 'utf8')
    expect(svg).toContain('data-state="two"')
    // As `cp -p`, `rsync -t` or an archive would leave it: a state renamed, same size, same time.
    await fs.writeFile(figure, svg.replaceAll(/\btwo\b/g, 'tvo'))
    await fs.utimes(figure, time, time)
    const changed = await buildBoth(book)
    expect(changed.cached?.chapters).toBe(0)
    expect(changed.ok).toBe(false)
  })

  it('fills in a page number only where the style prints it as it is (not as `4th`), with or without the cache', async () => {
    const book = await copyOfBasic('ordinal')
    await fs.copyFile(path.join(root, 'tests/fixtures/styles/ordinal-locator.csl'), path.join(book, 'ordinal.csl'))
    await fs.appendFile(path.join(book, 'book.yaml'), 'citationStyle: ordinal.csl\n')
    const first = path.join(book, '01-first.md')
    const text = await fs.readFile(first, 'utf8')
    await fs.writeFile(first, text.replace('[@alpha, p. 3]', '[@alpha, p. 4] and [@alpha, p. 22]'))
    const page = async () => fs.readFile(path.join(dir, `out-${builds - 1}-cached/web/first.html`), 'utf8')
    expect((await buildBoth(book)).ok).toBe(true)
    expect(await page()).toContain('The Alpha Book, 4th page.')
    expect(await page()).toContain('The Alpha Book, 22nd page.')
    // The notes (and what was learnt of their forms) come from the cache: page 1 is still not `1th`.
    await fs.writeFile(first, text.replace('[@alpha, p. 3]', '[@alpha, p. 1]'))
    expect((await buildBoth(book)).book!.formatter.runs.bibliography).toBe(0)
    expect(await page()).toContain('The Alpha Book, 1st page.')
  })

  it('reads back a chapter whose frontmatter holds an object shaped like a node reference, as it was', async () => {
    const book = await copyOfBasic('node-shaped')
    const first = path.join(book, '01-first.md')
    await fs.writeFile(
      first,
      (await fs.readFile(first, 'utf8')).replace(
        'description: Where the bars begin.',
        'description: Where the bars begin.\nodd: {"$node": 0}'
      )
    )
    await buildBoth(book)
    const again = await buildBoth(book)
    expect(again.cached?.chapters).toBe(2)
    expect(again.book!.chapters[0]!.file.data.meta?.odd).toEqual({$node: 0})
  })

  it('keeps a chapter with warnings, and reports its warnings again at every build', async () => {
    const book = await copyOfBasic('warned')
    await fs.appendFile(path.join(book, '02-second.md'), '\nSee [nowhere](#nowhere) and count 1,234 things.\n')
    const first = await buildBoth(book)
    const second = await buildBoth(book)
    expect(second.cached?.chapters).toBe(2)
    expect(messages(second)).toEqual(messages(first))
    expect(messages(second).length).toBeGreaterThan(0)
  })

  it('uses an entry only under the key it was stored under, and only when its bytes are whole', async () => {
    const where = path.join(dir, 'keys')
    const first = new Store({dir: where, version: 'v1'})
    first.set('a', 'the value of a')
    first.set('b', 'the value of b')
    await first.close()
    const names = (await fs.readdir(where)).filter((name) => !name.startsWith('.'))
    expect(names).toHaveLength(2)
    expect(Buffer.from(new Store({dir: where, version: 'v1'}).get('a')!).toString()).toBe('the value of a')
    // Other code's entries are never read.
    expect(new Store({dir: where, version: 'v2'}).get('a')).toBeUndefined()
    // A whole entry under another key's name (a file copied or renamed by hand): a miss.
    const [x, y] = names.map((name) => path.join(where, name))
    await fs.copyFile(x!, y!)
    const again = new Store({dir: where, version: 'v1'})
    expect([again.get('a'), again.get('b')].filter(Boolean)).toHaveLength(1)
    // Cut short (a full disk): a miss, not a crash.
    await fs.writeFile(x!, (await fs.readFile(x!)).subarray(0, 40))
    const cut = new Store({dir: where, version: 'v1'})
    expect([cut.get('a'), cut.get('b')]).toEqual([undefined, undefined])
  })

  it(`removes entries no build used for ${maxAgeDays} days, and keeps those in use`, async () => {
    const book = await copyOfBasic('pruned')
    await buildBoth(book)
    const old = path.join(cacheDir, 'f'.repeat(64))
    await fs.writeFile(old, 'an entry of a book built long ago')
    const longAgo = new Date(Date.now() - (maxAgeDays + 1) * 86_400_000)
    await fs.utimes(old, longAgo, longAgo)
    // Entries this build uses are marked used, however old they were; the last sweep was long ago too.
    for (const name of await fs.readdir(cacheDir))
      if (name !== path.basename(old)) await fs.utimes(path.join(cacheDir, name), longAgo, longAgo)
    expect((await buildBoth(book)).cached?.chapters).toBe(2)
    expect(await fs.stat(old).catch(() => undefined)).toBeUndefined()
    expect((await buildBoth(book)).cached?.chapters).toBe(2)
    // The directory is swept once a day: an old entry stays until the day is over.
    await fs.writeFile(old, 'another entry of a book built long ago')
    await fs.utimes(old, longAgo, longAgo)
    await buildBoth(book)
    expect(await fs.stat(old).catch(() => undefined)).toBeDefined()
    const swept = path.join(cacheDir, '.swept')
    await fs.utimes(swept, longAgo, longAgo)
    await buildBoth(book)
    expect(await fs.stat(old).catch(() => undefined)).toBeUndefined()
  })

  it('formats only the notes an edit adds to a longer book: a new page of a known form from what it learnt', async () => {
    const book = path.join(dir, 'large')
    await writeSyntheticBook({chapters: 12, out: book, words: 2000})
    await buildBoth(book)
    const warm = await buildBoth(book)
    expect(warm.cached?.chapters).toBe(12)
    expect(warm.book!.formatter.runs).toEqual({bibliography: 0, clusters: 0})
    const first = (await fs.readdir(book)).find((name) => name.endsWith('.md'))!
    // A new page in a known form is filled in from what the last build learnt; a new form goes through citeproc.
    // Known: a first note with a page, of a work another chapter cites so and this one does not cite.
    const chapters = warm.book!.chapters
    const cited = new Set(chapters[0]!.file.data.citations!.flatMap((citation) => citation.items.map((i) => i.key)))
    const known = chapters
      .flatMap((chapter) => chapter.file.data.citations!)
      .find(
        ({items: [item, ...more]}) =>
          more.length === 0 && item!.position === 'first' && /^p\. \d+$/.test(item!.suffix) && !cited.has(item!.key)
      )!.items[0]!.key
    await fs.appendFile(path.join(book, first), `\nA sentence with a new page [@${known}, p. 9999].\n`)
    const paged = await buildBoth(book)
    expect(paged.cached?.chapters).toBe(11)
    expect(paged.book!.formatter.runs).toEqual({bibliography: 0, clusters: 0})
    await fs.appendFile(path.join(book, first), '\nA sentence with a note of a new form [compare @ref001, chap. 3].\n')
    const edited = await buildBoth(book)
    expect(edited.cached?.chapters).toBe(11)
    expect(edited.book!.formatter.runs.clusters).toBeGreaterThan(0)
  }, 240_000)

  it('is used by `twofold build`, and not with --no-cache', async () => {
    const book = await copyOfBasic('command')
    const bin = path.join(root, 'bin/twofold.js')
    const twofold = async (...args: string[]) =>
      (
        await run(process.execPath, [bin, 'build', book, '--out', path.join(dir, 'command-out'), ...args], {cwd: dir})
      ).stdout.split('\n')[0]
    await twofold()
    expect(await twofold()).toMatch(/ \(2 of 2 chapters unchanged, read from the cache\)$/)
    expect(await twofold('--no-cache')).toMatch(/ s$/)
  }, 60_000)
})
