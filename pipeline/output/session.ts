/**
 * A build session: what one process keeps between builds of the same book
 * (the dev server, a benchmark), so that a rebuild parses only what changed.
 *
 * Per chapter it keeps the parsed tree, the data the shared plugins left on
 * the file and their messages, keyed by:
 * - the chapter's path and a hash of its text;
 * - a hash of what every chapter's parse reads: `book.yaml`,
 *   `references.json` and every file in `figures/` (a change there
 *   invalidates every chapter);
 * - the size and modification time of the local images the chapter uses.
 *
 * It also keeps the book's CSL formatter, and so every note it formatted,
 * while the style, the locale and the bibliography stay the same, and the
 * targets' renderings of each chapter (`rendered`, see ./chapter-cache.ts).
 *
 * Only chapters whose parse had no errors are kept: a chapter with errors is
 * parsed again on every build, so its messages always reflect the files as
 * they are. Book-wide passes (citation numbering, link checks, unused
 * references) run on every build, over cached and fresh trees alike, so
 * citations stay numbered in reading order across the book. Those passes
 * and the targets must treat the trees as read-only, apart from the fields
 * the book-wide passes (re)set each time.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Root} from 'mdast'
import type {Data, VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {ChapterCache} from './chapter-cache.js'
import type {Bibliography} from '../citations/bibliography.js'
import type {Formatter} from '../citations/formatter.js'
import type {ChapterSource, LoadedBook} from '../book/load.js'
import type {Chapter, OutputFile} from '../types.js'

/** Keys of `file.data` that the loader sets (not cached: they come with the file). */
const loaderKeys = new Set(['number', 'slug', 'bookDir'])

interface Entry {
  /** Hash of the chapter's text and of the book key. */
  key: string
  /** Images the chapter uses (absolute path → `size:mtime`). */
  images: Map<string, string>
  tree: Root
  title: string
  data: Partial<Data>
  messages: VFileMessage[]
}

/** Counters of the last build, for the dev server and benchmarks. */
export interface SessionStats {
  /** Chapters reused from the cache. */
  reused: number
  /** Chapters parsed. */
  parsed: number
}

/** Per-chapter cache of parsed trees across the builds of one process. Pass it as `session` to `build` or `parseBook`. */
export class BuildSession {
  private readonly entries = new Map<string, Entry>()
  private bookKey = ''
  private kept: Formatter | undefined
  private lastEpub: {name: string; bytes: Uint8Array} | undefined
  /** What the last build reused and parsed. */
  stats: SessionStats = {reused: 0, parsed: 0}
  /** Chapter pages and documents of the last build, by target, and each chapter's EPUB notes document (see ./chapter-cache.ts). */
  readonly rendered = {web: new ChapterCache(), epub: new ChapterCache(), epubNotes: new ChapterCache()}

  /** Start a build: hash what every chapter depends on. */
  async begin(loaded: LoadedBook): Promise<void> {
    this.stats = {reused: 0, parsed: 0}
    const hash = createHash('sha256')
    hash.update(await readOrEmpty(path.join(loaded.dir, 'book.yaml'))).update('\0')
    hash.update(String(loaded.referencesFile.value ?? '')).update('\0')
    let names: string[] = []
    try {
      names = (await fs.readdir(path.join(loaded.dir, 'figures'))).sort()
    } catch {}
    for (const name of names) {
      hash.update(name).update('\0')
      hash.update(await readOrEmpty(path.join(loaded.dir, 'figures', name))).update('\0')
    }
    const key = hash.digest('hex')
    if (key !== this.bookKey) {
      this.entries.clear()
      this.kept = undefined
    }
    this.bookKey = key
  }

  /**
   * The cached parse of `source`, restored onto its (fresh) file: data and
   * messages as the plugins left them. Undefined when it must be parsed.
   */
  async restore(source: ChapterSource): Promise<Chapter | undefined> {
    const file = source.file
    const entry = this.entries.get(this.id(file))
    if (!entry || entry.key !== this.key(file)) return undefined
    for (const [absolute, stamp] of entry.images) {
      if ((await imageStamp(absolute)) !== stamp) return undefined
    }
    Object.assign(file.data, entry.data)
    file.messages.push(...entry.messages)
    this.stats.reused++
    return {number: source.number, slug: source.slug, title: entry.title, file, tree: entry.tree}
  }

  /** Keep a freshly parsed chapter (only when its parse had no errors). Call before any book-wide pass adds messages. */
  async store(chapter: Chapter): Promise<void> {
    const file = chapter.file
    this.stats.parsed++
    if (file.messages.some((m) => m.fatal)) {
      this.entries.delete(this.id(file))
      return
    }
    const data: Partial<Data> = {}
    for (const [name, value] of Object.entries(file.data)) {
      if (!loaderKeys.has(name)) (data as Record<string, unknown>)[name] = value
    }
    const images = new Map<string, string>()
    for (const absolute of Object.values(file.data.images ?? {})) images.set(absolute, await imageStamp(absolute))
    this.entries.set(this.id(file), {key: this.key(file), images, tree: chapter.tree, title: chapter.title, data, messages: [...file.messages]})
  }

  /**
   * The formatter to use: the last build's, with every note it formatted,
   * when it formats the same way as `fresh` (same style and locale; the
   * bibliography is part of the book key), else `fresh`, kept from now on.
   */
  formatter(fresh: Formatter): Formatter {
    if (this.kept && this.kept.style === fresh.style && this.kept.locale === fresh.locale) return this.kept
    this.kept = fresh
    return fresh
  }

  /** Whether a formatter is kept from an earlier build (its notes need no formatting again). */
  get keepsFormatter(): boolean {
    return this.kept !== undefined
  }

  /** The EPUB the last build wrote under `name`, if any (the web preview offers it until the new one is made). */
  epub(name: string): Uint8Array | undefined {
    return this.lastEpub?.name === name ? this.lastEpub.bytes : undefined
  }

  /** Keep the EPUB a build wrote. */
  keepEpub(name: string, bytes: Uint8Array): void {
    this.lastEpub = {name, bytes}
  }

  /**
   * The bibliography read from `file`: the last build's when the file says
   * the same (its entries, their places and its messages), else `load()`'s.
   */
  async bibliography(file: VFile, load: () => Promise<Bibliography>): Promise<Bibliography> {
    // A file that could not be read as text (its messages say why) is loaded every time.
    if (file.messages.length > 0) {
      this.lastBibliography = undefined
      return load()
    }
    const text = String(file.value ?? '')
    const last = this.lastBibliography
    if (last && last.text === text) {
      file.data.referencePositions = last.positions
      file.messages.push(...last.messages)
      return {file, items: last.items}
    }
    const loaded = await load()
    // The messages `load` added (the file had none before).
    this.lastBibliography = {text, items: loaded.items, positions: file.data.referencePositions, messages: [...file.messages]}
    return loaded
  }

  private lastBibliography: {text: string; items: Bibliography['items']; positions: VFile['data']['referencePositions']; messages: VFile['messages']} | undefined

  /** The book-wide web pages of the last build (a preview shows them until the build renders new ones). */
  webBackMatter: OutputFile[] | undefined

  /** Forget everything (the next build parses every chapter). */
  clear(): void {
    this.entries.clear()
    this.kept = undefined
    this.lastEpub = undefined
    this.webBackMatter = undefined
    this.lastBibliography = undefined
    this.bookKey = ''
  }

  private id(file: VFile): string {
    return path.resolve(file.cwd, file.path)
  }

  private key(file: VFile): string {
    return createHash('sha256').update(this.bookKey).update('\0').update(file.path).update('\0').update(String(file.value)).digest('hex')
  }
}

async function readOrEmpty(file: string): Promise<Buffer> {
  try {
    return await fs.readFile(file)
  } catch {
    return Buffer.alloc(0)
  }
}

async function imageStamp(absolute: string): Promise<string> {
  try {
    const stat = await fs.stat(absolute)
    return `${stat.size}:${stat.mtimeMs}:${stat.ino}`
  } catch {
    return 'missing'
  }
}
