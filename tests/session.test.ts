/**
 * A BuildSession reuses the parse of unchanged chapters, and an incremental
 * build is byte for byte the build from scratch: citations numbered across
 * the book, link checks and their messages, graphics, everything. Changes to
 * what every chapter reads (references, graphics, book.yaml) parse all
 * chapters again; a chapter with errors is parsed again every time.
 */
import {readFileSync} from 'node:fs'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build, type BuildResult} from '../pipeline/build.js'
import {BuildSession} from '../pipeline/output/session.js'
import {root} from './helpers/fixture-book.js'
import {treeHash} from './helpers/tree-hash.js'

const basic = path.join(root, 'tests/fixtures/books/basic')
const modified = new Date(Date.UTC(2026, 0, 1))

const messages = (result: BuildResult) => result.files.flatMap((f) => f.messages.map((m) => `${f.path}:${m.line}:${m.column} ${m.ruleId} ${m.reason}`)).sort()

describe('BuildSession', () => {
  let work = ''
  let book = ''
  const session = new BuildSession()

  /** Build with the session and from scratch; both must agree byte for byte. */
  async function both(): Promise<{incremental: BuildResult; fresh: BuildResult}> {
    const incremental = await build({bookDir: book, outDir: path.join(work, 'incremental'), cwd: work, session, modified})
    const fresh = await build({bookDir: book, outDir: path.join(work, 'fresh'), cwd: work, modified})
    expect(incremental.ok).toBe(fresh.ok)
    expect(messages(incremental)).toEqual(messages(fresh))
    if (fresh.ok) expect(await treeHash(path.join(work, 'incremental'))).toBe(await treeHash(path.join(work, 'fresh')))
    return {incremental, fresh}
  }

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-session-'))
    book = path.join(work, 'book')
    await fs.cp(basic, book, {recursive: true})
    await fs.writeFile(path.join(book, '03-third.md'), '---\ntitle: Third\n---\n\n## Last words\n\nBack to [the scrolly section](01-first.md#a-scrolly-section) [@beta].\n')
  })
  afterAll(async () => {
    await fs.rm(work, {recursive: true, force: true})
  })

  it('parses every chapter the first time, none when nothing changed', async () => {
    await both()
    expect(session.stats).toEqual({reused: 0, parsed: 3})
    await both()
    expect(session.stats).toEqual({reused: 3, parsed: 0})
  })

  it('parses only the edited chapter, and numbers citations across the book as a full build does', async () => {
    const first = path.join(book, '01-first.md')
    await fs.writeFile(first, (await fs.readFile(first, 'utf8')).replace('This chapter opens', 'This chapter [@beta] [@alpha] opens'))
    const {incremental} = await both()
    expect(session.stats).toEqual({reused: 2, parsed: 1})
    const numbers = incremental.book!.chapters.flatMap((c) => (c.file.data.citations ?? []).map((citation) => citation.number))
    expect(numbers).toEqual(numbers.map((_, index) => index + 1))
  })

  it('checks links again when their target changes, although the linking chapter is reused', async () => {
    const first = path.join(book, '01-first.md')
    await fs.writeFile(first, (await fs.readFile(first, 'utf8')).replace('## A scrolly section', '## The scrolly section'))
    const {incremental} = await both()
    expect(session.stats).toEqual({reused: 2, parsed: 1})
    expect(messages(incremental).some((m) => m.includes('03-third.md') && m.includes('missing-anchor'))).toBe(true)
    await fs.writeFile(first, (await fs.readFile(first, 'utf8')).replace('## The scrolly section', '## A scrolly section'))
    const again = await both()
    expect(messages(again.incremental).some((m) => m.includes('missing-anchor'))).toBe(false)
  })

  it('parses everything again when the references or a graphic change', async () => {
    const references = path.join(book, 'references.json')
    await fs.writeFile(references, (await fs.readFile(references, 'utf8')).replace('The Alpha Book', 'The Alpha Book, revised'))
    await both()
    expect(session.stats).toEqual({reused: 0, parsed: 3})
    const svg = path.join(book, 'figures/bars.svg')
    await fs.writeFile(svg, (await fs.readFile(svg, 'utf8')).replace('</svg>', '<!-- touched --></svg>'))
    await both()
    expect(session.stats).toEqual({reused: 0, parsed: 3})
  })

  it('parses a chapter with errors every time, and reuses it once fixed', async () => {
    const second = path.join(book, '02-second.md')
    const good = await fs.readFile(second, 'utf8')
    await fs.writeFile(second, `${good}\nAn unknown key [@nobody].\n`)
    const broken = await both()
    expect(broken.incremental.ok).toBe(false)
    await both()
    expect(session.stats).toEqual({reused: 2, parsed: 1})
    await fs.writeFile(second, good)
    await both()
    expect(session.stats.parsed).toBe(1)
    await both()
    expect(session.stats).toEqual({reused: 3, parsed: 0})
  })

  it('previews the edited chapter with the last book-wide pages and EPUB, then writes what a full build writes', async () => {
    const out = path.join(work, 'incremental')
    await both()
    const stylesheet = path.join('web/assets', (await fs.readdir(path.join(out, 'web/assets'))).find((name) => name.endsWith('.css'))!)
    const inode = async (file: string) => (await fs.stat(path.join(out, file))).ino
    const before = {
      sources: await fs.readFile(path.join(out, 'web/sources.html'), 'utf8'),
      epub: await fs.readFile(path.join(out, 'test-book.epub')),
      inodes: {page: await inode('web/first.html'), stylesheet: await inode(stylesheet)}
    }
    const first = path.join(book, '01-first.md')
    await fs.writeFile(first, `${await fs.readFile(first, 'utf8')}\nOne more cited sentence [@alpha].\n`)
    let preview: {page: string; sources: string; epub: Buffer} | undefined
    const incremental = await build({
      bookDir: book,
      outDir: out,
      cwd: work,
      session,
      modified,
      onPreview() {
        // What a reader of the preview gets, read the moment it is announced.
        const web = path.join(out, 'web')
        preview = {page: readFileSync(path.join(web, 'first.html'), 'utf8'), sources: readFileSync(path.join(web, 'sources.html'), 'utf8'), epub: readFileSync(path.join(out, 'test-book.epub'))}
      }
    })
    expect(incremental.ok).toBe(true)
    expect(preview?.page).toContain('One more cited sentence')
    expect(preview?.sources).toBe(before.sources)
    expect(preview?.epub.equals(before.epub)).toBe(true)
    const fresh = await build({bookDir: book, outDir: path.join(work, 'fresh'), cwd: work, modified})
    expect(await treeHash(out)).toBe(await treeHash(path.join(work, 'fresh')))
    expect(await fs.readFile(path.join(out, 'web/sources.html'), 'utf8')).not.toBe(before.sources)
    expect(fresh.ok).toBe(true)
    // Files that did not change are hard links to the last build's, not written again; changed ones are new files.
    expect(await inode(stylesheet)).toBe(before.inodes.stylesheet)
    expect(await inode('web/first.html')).not.toBe(before.inodes.page)
  })

  it('notices an image outside figures/ that appears, changes or disappears', async () => {
    const second = path.join(book, '02-second.md')
    const photo = path.join(book, 'media/photo.svg')
    await fs.writeFile(second, `${await fs.readFile(second, 'utf8')}\n![A photo](media/photo.svg)\n`)
    expect((await both()).incremental.ok).toBe(false)
    await fs.mkdir(path.dirname(photo))
    await fs.copyFile(path.join(book, 'figures/bars.svg'), photo)
    expect((await both()).incremental.ok).toBe(true)
    await both()
    expect(session.stats).toEqual({reused: 3, parsed: 0})
    await fs.writeFile(photo, (await fs.readFile(photo, 'utf8')).replace('</svg>', '<!-- changed --></svg>'))
    await both()
    expect(session.stats).toEqual({reused: 2, parsed: 1})
    await fs.rm(photo)
    expect((await both()).incremental.ok).toBe(false)
  })
})
