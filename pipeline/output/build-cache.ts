/**
 * What a build keeps on disk for the next (`twofold build`): parsed chapters,
 * so that a rebuild parses only the chapters that changed, and the book's
 * formatted notes and bibliography, with what the formatter learnt of the
 * style's forms of notes, so that it runs citeproc only for notes of a form
 * it has not formatted before (a new page number in a known form is filled
 * in).
 *
 * Chapters. A parsed chapter (its tree
 * after the shared plugins, and what they put in `file.data`) is read back
 * with `JSON.parse`, some 40 times faster than remark-parse and the plugins
 * make it (measured: 100 chapters of 2,000 words, 1.39 s parsed, 37 ms read).
 *
 * An entry is used only when everything its parse read is what it was: the
 * chapter's text, path, number and slug; the code (`version`: the command's
 * bundle, named by the hash of its sources and packages), the files in
 * `templates/` (read as it runs: the shipped CSL style) and Node's version
 * (its ICU data); the book's metadata, bibliography and graphics (the
 * contents of the graphic sources in `figures/`, the names, sizes and times
 * of its other files); and, checked at each use, every local image it named
 * still being a file (the images themselves are read when the pages are
 * made). Anything else changed makes a miss, and the chapter is parsed.
 *
 * Only chapters whose parse gave no message are kept: a chapter with a
 * warning is parsed every time, and so reports it every time. The graphics
 * a chapter uses are read again, in the same order, when its entry is used,
 * so that the graphics (and their messages) are those a parse reads.
 *
 * The EPUB's entries, compressed, are kept too (`zip`): an unchanged
 * chapter's document is not compressed again.
 *
 * One entry per chapter file (named by the hash of its absolute path), made
 * in one rename: an edited chapter replaces its own entry, and two builds at
 * once each find a whole entry or none. Entries that cannot be read or
 * written, or are not what this code writes, are misses; the cache never
 * fails a build.
 */
import {createHash} from 'node:crypto'
import {readFileSync, statSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Root} from 'mdast'
import type {FormattedNote, Formatter, NoteForms} from '../citations/formatter.js'
import type {ZipStore} from '../render/epub/zip.js'
import {abandoned, sealed, unsealed, writeKept} from './kept.js'
import type {ChapterSource, LoadedBook} from '../book/load.js'
import type {Chapter} from '../types.js'

/** Where a build keeps what it made, and what identifies the code that made it. */
export interface BuildCacheOptions {
  /** Directory of the entries (made when missing). */
  dir: string
  /** Identifies the code: entries made by other code are not used. */
  version: string
}

/** The notes of a book as kept: what they were formatted for, the notes, the bibliography, and what was learnt of the style's forms. */
interface KeptNotes {
  key: string
  notes: Array<[string, FormattedNote]>
  bibliography: Array<[string, FormattedNote]> | undefined
  forms: NoteForms
}

/** A chapter read back: its parse, and the graphics that parse read. */
export interface CachedChapter {
  chapter: Chapter
  graphics: string[]
}

/** How many books' entries are kept (those built last). */
export const keptBooks = 16

const hash = (text: string) => createHash('sha256').update(text).digest('hex')

/** What one build of one book reads from and keeps in the cache. */
export class BuildCache {
  /** Entries being written. */
  private writes: Array<Promise<void>> = []
  private made: Promise<unknown> | undefined
  /** The notes read, and how many. */
  private notesRead = {key: '', count: -1, bibliography: false, forms: -1}
  /** Chapters read back and kept, notes read back, and the EPUB's entries read back, this build. */
  stats = {hits: 0, kept: 0, notes: 0, zipEntries: 0}
  /** Names of the compressed entries this build read or kept, once it packed an EPUB (the others are removed on close). */
  private zipUsed: Set<string> | undefined

  /**
   * The EPUB's compressed entries (see ../epub/zip.ts), one file each in
   * `zip/`, named by the hash of the code's version and the entry's key
   * (its name and contents); a file holds the SHA-1 of its compressed bytes,
   * then the bytes, and one whose bytes do not match is a miss.
   */
  readonly zip: ZipStore = {
    get: (key) => {
      const name = this.zipName(key)
      ;(this.zipUsed ??= new Set()).add(name)
      let kept: Buffer
      try {
        kept = readFileSync(path.join(this.dir, 'zip', name))
      } catch {
        return undefined
      }
      const bytes = unsealed(kept)
      if (bytes) this.stats.zipEntries++
      return bytes
    },
    set: (key, compressed) => {
      const name = this.zipName(key)
      ;(this.zipUsed ??= new Set()).add(name)
      this.write(path.join(this.dir, 'zip', name), sealed(compressed))
    }
  }

  private zipName(key: string): string {
    return hash(`${this.version}\u0000${key}`).slice(0, 32)
  }

  private constructor(
    private readonly dir: string,
    private readonly version: string,
    private readonly loaded: LoadedBook,
    private readonly context: string
  ) {}

  /** The cache of `loaded` in `options.dir`. */
  static async open(options: BuildCacheOptions, loaded: LoadedBook, cwd: string): Promise<BuildCache> {
    // The code is the bundle and what it reads as it runs.
    const version = hash(JSON.stringify([options.version, process.version, process.versions.zlib, await filesHash(templatesDir, true)]))
    const context = JSON.stringify([version, cwd, loaded.dir, loaded.meta ?? null, String(loaded.referencesFile.value ?? ''), await filesHash(path.join(loaded.dir, 'figures'), false)])
    // One directory per book (by its path), holding an entry per chapter file and the notes.
    return new BuildCache(path.join(options.dir, hash(loaded.dir).slice(0, 16)), version, loaded, hash(context))
  }

  /**
   * Give `formatter` the notes and bibliography kept for this book, when they
   * were formatted by the same code from the same bibliography, style and
   * locale (a formatter's output depends on nothing else); resolves to how
   * many notes it was given.
   */
  async notes(formatter: Formatter): Promise<number> {
    const key = this.notesKey(formatter)
    this.notesRead = {key, count: 0, bibliography: false, forms: 0}
    let kept: unknown
    try {
      kept = JSON.parse(await fs.readFile(this.notesPath(), 'utf8'))
    } catch {
      return 0
    }
    if (!isKeptNotes(kept) || kept.key !== key) return 0
    formatter.addNotes(kept.notes)
    if (kept.bibliography) formatter.addBibliography(kept.bibliography)
    formatter.addNoteForms(kept.forms)
    this.notesRead = {key, count: kept.notes.length, bibliography: kept.bibliography !== undefined, forms: formCount(kept.forms)}
    this.stats.notes = kept.notes.length
    return kept.notes.length
  }

  /** Keep `formatter`'s notes, bibliography and forms for the next build, when it has more than were read. */
  keepNotes(formatter: Formatter): void {
    const notes = formatter.allNotes()
    const bibliography = formatter.takeBibliography()
    const forms = formatter.noteForms()
    if (notes.length === this.notesRead.count && formCount(forms) === this.notesRead.forms && (bibliography === undefined || this.notesRead.bibliography)) return
    const kept: KeptNotes = {key: this.notesRead.key || this.notesKey(formatter), notes, bibliography, forms}
    this.write(this.notesPath(), JSON.stringify(kept))
  }

  private notesKey(formatter: Formatter): string {
    return hash(JSON.stringify([this.version, formatter.style, formatter.locale ?? null, String(this.loaded.referencesFile.value ?? '')]))
  }

  private notesPath(): string {
    return path.join(this.dir, 'notes.json')
  }

  /** The kept parse of `source`, when it is still the one a parse would give; else undefined. */
  async chapter(source: ChapterSource): Promise<CachedChapter | undefined> {
    let text: string
    try {
      // Read at once: a small file from the page cache, where four round trips through the thread pool would wait.
      text = readFileSync(this.entryPath(source), 'utf8')
    } catch {
      return undefined
    }
    const lines = text.split('\n')
    if (lines.length !== 4 || lines[0] !== this.key(source)) return undefined
    try {
      const graphics = JSON.parse(lines[1]!) as unknown
      const tree = JSON.parse(lines[3]!) as Root
      if (!isStrings(graphics) || tree?.type !== 'root' || !Array.isArray(tree.children)) return undefined
      const nodes = indexNodes(tree)?.nodes
      if (!nodes) return undefined
      const data = JSON.parse(lines[2]!, (_, value: unknown) => {
        if (value && typeof value === 'object' && !Array.isArray(value)) {
          const at = (value as {$node?: unknown}).$node
          if (typeof at === 'number' && Object.keys(value).length === 1) return nodes[at]
        }
        return value
      }) as unknown
      if (!isRecord(data)) return undefined
      // The images its parse found must still be there (the parse checks that they are files).
      const images = isRecord(data.images) ? Object.values(data.images) : []
      for (const image of images) if (typeof image !== 'string' || !statSync(image, {throwIfNoEntry: false})?.isFile()) return undefined
      const file = source.file
      Object.assign(file.data, data)
      this.stats.hits++
      return {chapter: {number: source.number, slug: source.slug, title: String(file.data.meta?.title ?? source.slug), file, tree}, graphics}
    } catch {
      return undefined
    }
  }

  /**
   * Keep `chapter`, just parsed (before anything else changes its tree), with
   * the names of the graphics it uses (which its parse asked for, in order).
   * A chapter with messages, or whose tree or data JSON cannot carry as they
   * are, is not kept.
   */
  keep(source: ChapterSource, chapter: Chapter): void {
    const file = chapter.file
    const graphics = file.data.graphicsUsed ?? []
    if (file.messages.length > 0) return
    const index = indexNodes(chapter.tree)
    if (!index) return
    let plain = true
    const data = JSON.stringify(file.data, function (this: Record<string, unknown>, key, value: unknown) {
      const original = this[key]
      if (original && typeof original === 'object') {
        const at = index.at.get(original)
        if (at !== undefined) return {$node: at}
        // A node that is not in the tree would come back as a copy of itself, and an object of the
        // shape of a node's place (frontmatter can hold anything) as that node.
        if (typeof (original as {type?: unknown}).type === 'string' || '$node' in original) plain = false
      }
      if (!isPlain(original) || (original === undefined && Array.isArray(this))) plain = false
      return value
    })
    if (!plain) return
    this.write(this.entryPath(source), `${this.key(source)}\n${JSON.stringify(graphics)}\n${data}\n${JSON.stringify(chapter.tree)}`, () => this.stats.kept++)
  }

  /** Write `text` to `target` in one rename, on the side. */
  private write(target: string, text: string | Uint8Array, done?: () => void): void {
    this.made ??= fs.mkdir(path.join(this.dir, 'zip'), {recursive: true})
    this.writes.push(this.made.then(() => writeKept(target, text)).then(done, () => {}))
  }

  /** Wait for the entries being written (errors are ignored: a missing entry is a miss). */
  async close(): Promise<void> {
    await Promise.all(this.writes)
    await this.prune().catch(() => {})
  }

  /**
   * Keep the cache the size of the books built lately: remove the entries of
   * chapter files the book no longer has, and the directories of all but the
   * `keptBooks` books built last.
   */
  private async prune(): Promise<void> {
    if (!(await fs.stat(this.dir).catch(() => undefined))) return
    // The EPUB's compressed entries this build did not use, once it packed one.
    if (this.zipUsed) await removeUnwanted(path.join(this.dir, 'zip'), this.zipUsed)
    await removeUnwanted(this.dir, new Set(['notes.json', 'zip', ...this.loaded.chapters.map((source) => path.basename(this.entryPath(source)))]))
    const now = new Date()
    await fs.utimes(this.dir, now, now)
    const parent = path.dirname(this.dir)
    const books = await Promise.all((await fs.readdir(parent)).map(async (name) => ({name, time: (await fs.stat(path.join(parent, name))).mtimeMs})))
    books.sort((a, b) => b.time - a.time)
    for (const book of books.slice(keptBooks)) await fs.rm(path.join(parent, book.name), {recursive: true, force: true})
  }

  private key(source: ChapterSource): string {
    return hash(`${this.context}\u0000${source.file.path}\u0000${source.number}\u0000${source.slug}\u0000${String(source.file.value)}`)
  }

  private entryPath(source: ChapterSource): string {
    return path.join(this.dir, `${hash(path.resolve(source.file.cwd, source.file.path)).slice(0, 32)}.json`)
  }
}

/**
 * Remove the files in `dir` not `wanted`. Files being written by another
 * build end in `.tmp` and are theirs to rename or remove, unless that build
 * was stopped long ago (killed: nothing else removes them).
 */
async function removeUnwanted(dir: string, wanted: ReadonlySet<string>): Promise<void> {
  for (const name of await fs.readdir(dir).catch(() => [] as string[])) {
    if (wanted.has(name)) continue
    const file = path.join(dir, name)
    if (name.endsWith('.tmp') && !abandoned(name, (await fs.stat(file).catch(() => undefined))?.mtimeMs ?? 0)) continue
    await fs.rm(file, {force: true})
  }
}

/** Where the files the code reads as it runs are (the shipped CSL style, the templates). */
const templatesDir = fileURLToPath(new URL('../templates/', import.meta.url))

/**
 * A hash of the files in `dir` (not its subfolders unless `deep`): the
 * contents of those a parse reads (every file, or with `deep` false the
 * graphic sources: `.svg`, `.yaml`, `.yml`), the names, sizes and times of
 * the others (images, whose existence is checked at each use).
 */
async function filesHash(dir: string, deep: boolean): Promise<string> {
  const digest = createHash('sha256')
  const entries = await fs.readdir(dir, {recursive: deep, withFileTypes: true}).catch(() => [])
  const files = entries.filter((entry) => entry.isFile()).map((entry) => path.join(entry.parentPath, entry.name))
  for (const file of files.sort()) {
    digest.update(`${path.relative(dir, file)}\u0000`)
    if (deep || /\.(svg|ya?ml)$/i.test(file)) digest.update(await fs.readFile(file).catch(() => Buffer.alloc(0)))
    else {
      const stat = await fs.stat(file).catch(() => undefined)
      digest.update(`${stat?.size}\u0000${stat?.mtimeMs}`)
    }
    digest.update('\u0000')
  }
  return digest.digest('hex')
}

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null && !Array.isArray(value)
const isStrings = (value: unknown): value is string[] => Array.isArray(value) && value.every((item) => typeof item === 'string')

/** Whether `value` is hast as a note's nodes are (elements and texts, all the way down). */
function isHast(value: unknown): boolean {
  if (!isRecord(value)) return false
  if (value.type === 'text') return typeof value.value === 'string'
  return value.type === 'element' && typeof value.tagName === 'string' && isRecord(value.properties) && Array.isArray(value.children) && value.children.every(isHast)
}

const isNotes = (value: unknown): value is Array<[string, FormattedNote]> =>
  Array.isArray(value) &&
  value.every(
    (pair) =>
      Array.isArray(pair) &&
      pair.length === 2 &&
      typeof pair[0] === 'string' &&
      isRecord(pair[1]) &&
      isRecord(pair[1].formatted) &&
      typeof pair[1].formatted.html === 'string' &&
      typeof pair[1].formatted.text === 'string' &&
      Array.isArray(pair[1].nodes) &&
      pair[1].nodes.every(isHast)
  )

/** Whether `value` is notes as `keepNotes` writes them (a damaged file is a miss, not a crash). */
function isKeptNotes(value: unknown): value is KeptNotes {
  if (!isRecord(value) || typeof value.key !== 'string' || !isNotes(value.notes)) return false
  if (value.bibliography !== undefined && !isNotes(value.bibliography)) return false
  const forms = value.forms
  return (
    isRecord(forms) &&
    Array.isArray(forms.shapes) &&
    forms.shapes.every((pair) => Array.isArray(pair) && typeof pair[0] === 'string' && isRecord(pair[1]) && typeof pair[1].html === 'string' && typeof pair[1].ok === 'boolean') &&
    Array.isArray(forms.forms) &&
    forms.forms.every((pair) => Array.isArray(pair) && typeof pair[0] === 'string' && typeof pair[1] === 'boolean')
  )
}

function formCount(forms: NoteForms): number {
  return forms.shapes.length + forms.forms.length
}

/** Whether a value read from a tree or its data comes back the same from JSON (objects are checked value by value). */
function isPlain(value: unknown): boolean {
  switch (typeof value) {
    case 'string':
    case 'boolean':
    case 'undefined':
      return true
    case 'number':
      return Number.isFinite(value) && !Object.is(value, -0)
    case 'object':
      if (value === null || Array.isArray(value)) return true
      {
        const prototype = Object.getPrototypeOf(value) as unknown
        return prototype === Object.prototype || prototype === null
      }
    default:
      return false
  }
}

/**
 * The nodes of `tree` (objects with a `type`) in the order of a walk of every
 * own value, which a tree read back from JSON walks the same; undefined when
 * an object occurs twice or a value would not come back the same from JSON.
 */
function indexNodes(tree: Root): {nodes: object[]; at: Map<object, number>} | undefined {
  const nodes: object[] = []
  const at = new Map<object, number>()
  const seen = new Set<object>()
  const walk = (value: unknown, inArray: boolean): boolean => {
    if (!isPlain(value) || (value === undefined && inArray)) return false
    if (!value || typeof value !== 'object') return true
    if (seen.has(value)) return false
    seen.add(value)
    if (Array.isArray(value)) return value.every((item) => walk(item, true))
    if (typeof (value as {type?: unknown}).type === 'string') {
      at.set(value, nodes.length)
      nodes.push(value)
    }
    for (const key in value) if (!walk((value as Record<string, unknown>)[key], false)) return false
    return true
  }
  return walk(tree, false) ? {nodes, at} : undefined
}
