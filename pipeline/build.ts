/**
 * A whole build, the one path that `twofold build`, `twofold dev` and the
 * bench all take: load the book, parse every chapter once (or read its parse
 * from the cache), check the book as a whole, render both targets from the
 * same trees, and write them atomically.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import v8 from 'node:v8'
import type {Root} from 'mdast'
import type {Data, VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import type {ChapterSource} from './book/files.js'
import {type LoadedBook, loadBook} from './book/load.js'
import {fieldValuePosition} from './book/yaml-fields.js'
import {createFormatter, type Formatter, loadBibliography} from './citations/bibliography.js'
import {mergeBibliographies} from './citations/chapter-bibliographies.js'
import {error, hasErrors} from './messages.js'
import {hashOf, type Store} from './output/store.js'
import {checkOutput, writeAtomically} from './output/write.js'
import {chapterOf, createProcessor, parseChapter} from './parse/processor.js'
import {numberCitations, unusedReferences} from './plugins/remark-citations.js'
import {resolveCrossReferences} from './plugins/remark-cross-references.js'
import {checkLinks} from './plugins/remark-links.js'
import {imageFileProblem} from './plugins/remark-local-images.js'
import {type BookAssets, collectAssets} from './render/assets.js'
import {coverSize, warmCovers} from './render/epub/cover.js'
import {renderEpub} from './render/epub/index.js'
import {chapterMemory, pageKeys} from './render/pages.js'
import {renderWeb} from './render/web/index.js'
import {ogImageSize} from './render/web/og-image.js'
import {applyRules} from './rules.js'
import type {Book, BookMeta, Chapter, CslItem, FormattedNote, Graphic, NoteForms} from './types.js'

/** Options of a build. */
export interface BuildOptions {
  /** Book directory. */
  bookDir: string
  /** Output directory: `<outDir>/web/` and `<outDir>/<ebook>.epub`. */
  outDir: string
  /** Working directory for relative paths in messages. Default `process.cwd()`. */
  cwd?: string | undefined
  /** Treat warnings as errors. */
  strict?: boolean | undefined
  /** Fixed modification time (default: SOURCE_DATE_EPOCH, else the newest source file). */
  modified?: Date | undefined
  /** The cache (see ./output/store.ts): parsed chapters, notes and EPUB entries are read from it and kept in it. */
  store?: Store | undefined
  /** Called as the build goes (for a progress line). */
  onProgress?: ProgressListener | undefined
}

/** Progress of a build: the phase, and for `parsing` how many chapters are done. */
export type ProgressListener = (
  phase: 'loading' | 'parsing' | 'rendering' | 'writing',
  done: number,
  total: number
) => void

/** Options of `parseBook`. */
export interface ParseBookOptions {
  store?: Store | undefined
  onProgress?: ProgressListener | undefined
}

/** A parsed, checked book: the book (when it could be made), every file that may carry messages, and where the time went. */
export interface ParsedBook {
  book: Book | undefined
  files: VFile[]
  timings: Record<string, number>
  /** Chapters read from the cache instead of parsed. */
  cachedChapters: number
  /** The cache key of the book's notes (with a store). */
  notesKey?: string | undefined
  /** With a store: a hash of what every chapter's parse reads besides its own text (settings, bibliography, graphics). */
  context?: string | undefined
}

/** What a build produced. */
export interface BuildResult {
  ok: boolean
  /** Every file that may carry messages, for the reporter. */
  files: VFile[]
  book?: Book
  /** What was written: the web story's files (relative to `web/`) and the EPUB, with their sizes in bytes. */
  outputs?: {web: WrittenFile[]; epub: WrittenFile}
  timings: Record<string, number>
  /** With a store: the chapters read back instead of parsed. */
  cached?: {chapters: number}
}

/** A file a build wrote, and its size in bytes. */
export interface WrittenFile {
  path: string
  size: number
}

/** Build a book into `outDir`. Never throws for content problems: see `result.ok` and the messages on `result.files`. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd()
  const started = performance.now()
  const outDir = path.resolve(cwd, options.outDir)
  // Refuse an output directory that a build must not replace, before any work.
  await checkOutput(outDir, [path.resolve(cwd, options.bookDir), cwd])
  const {store, onProgress} = options
  try {
    const {
      book,
      files,
      timings,
      cachedChapters,
      notesKey: notes,
      context
    } = await parseBook(options.bookDir, cwd, {store, onProgress})
    const cached = store ? {chapters: cachedChapters} : undefined
    // The book's own levels for the rules (book.yaml's `rules:`), on every message, kept or new.
    applyRules(
      files,
      book?.meta.rules,
      files.find((file) => path.basename(file.path) === 'book.yaml')
    )
    if (
      !book ||
      hasErrors(files) ||
      (options.strict === true && files.some((f) => f.messages.some((m) => m.fatal !== undefined)))
    )
      return {ok: false, files, timings, cached}

    let t = performance.now()
    onProgress?.('rendering', 0, 0)
    const assets = await collectAssets(book)
    // What each chapter's rendered content is made from, so that a rebuild reads back what no edit touched.
    const remember = chapterMemory(
      store,
      store && notes && context ? keysOf(book, assets, hashOf(context, notes)) : undefined
    )
    timings.assets = performance.now() - t

    t = performance.now()
    const epubName = `${book.meta.ebook}.epub`
    // The web story first: the faces of its typeface are made on another thread while the EPUB is made.
    const story = await renderWeb(book, {assets, epub: epubName, store, remember})
    timings.web = performance.now() - t

    t = performance.now()
    const modified = options.modified ?? (await sourceDate(book))
    const epub = await renderEpub(book, {assets, modified, store, remember})
    timings.epub = performance.now() - t

    t = performance.now()
    // The web story offers the EPUB for download beside its pages.
    const web = [...(await story.finish(epub.byteLength)), {path: epubName, contents: epub}]
    timings.fonts = performance.now() - t
    if (store && notes) keepNotes(store, notes, book)

    t = performance.now()
    onProgress?.('writing', 0, 0)
    await writeAtomically(outDir, [
      ...web.map((file) => ({
        path: `web/${file.path}`,
        contents: file.contents
      })),
      {path: epubName, contents: epub}
    ])
    timings.write = performance.now() - t
    timings.total = performance.now() - started
    const sizes = web.map((file) => ({
      path: file.path,
      size: typeof file.contents === 'string' ? Buffer.byteLength(file.contents) : file.contents.byteLength
    }))
    return {
      ok: true,
      files,
      book,
      outputs: {
        web: sizes,
        epub: {path: path.join(outDir, epubName), size: epub.byteLength}
      },
      timings,
      cached
    }
  } finally {
    // What was kept is written before the build returns (a failed write is only a miss next time).
    await store?.close()
  }
}

/** Load, parse and check a book without rendering or writing anything. */
export async function parseBook(
  bookDir: string,
  cwd = process.cwd(),
  options: ParseBookOptions = {}
): Promise<ParsedBook> {
  const {store, onProgress} = options
  const timings: Record<string, number> = {}
  let t = performance.now()
  onProgress?.('loading', 0, 0)
  const loaded = await loadBook(bookDir, cwd)
  // The book's bibliography, then those chapters name: one set of entries for the book's one formatter.
  const bibliographies = await Promise.all(
    [loaded.referencesFile, ...loaded.chapterReferenceFiles].map((file) =>
      loadBibliography(path.resolve(file.cwd, file.path), file)
    )
  )
  const bibliography = {file: loaded.referencesFile, items: mergeBibliographies(bibliographies)}
  const references = bibliographies.map(({file}) => String(file.value ?? '')).join('\u0000')
  const files = [...loaded.files]
  // The covers are drawn on other threads while the chapters are parsed.
  if (loaded.meta && !loaded.cover) warmCovers(loaded.meta, [coverSize, ogImageSize], store)
  const formatter = loaded.meta ? makeFormatter(loaded.meta, loaded.dir, bibliography.items) : undefined
  const context = store ? await bookContext(loaded, cwd) : ''
  // The notes kept for this bibliography and style: only the new ones go through citeproc.
  const usable = formatter instanceof Error ? undefined : formatter
  const notes = store && usable ? notesKey(usable, references) : undefined
  if (store && usable && notes) restoreNotes(store, notes, usable)
  timings.load = performance.now() - t

  t = performance.now()
  const processor = createProcessor({
    graphics: loaded.graphics,
    references: bibliography.items,
    // A bibliography that is not UTF-8 or not JSON is one error, not one per citation.
    referencesReadable: !bibliographies.some(({file}) =>
      file.messages.some(
        (m) => m.fatal && ['invalid-encoding', 'invalid-references', 'file-outside-book'].includes(m.ruleId ?? '')
      )
    ),
    bibliographyName: path.basename(loaded.referencesFile.path),
    // A chapter's own bibliography (often a Quarto example's) makes its entries citable, not every number a claim.
    claims: bibliographies[0].items.size > 0
  })
  const chapters: Chapter[] = []
  let cachedChapters = 0
  for (const source of loaded.chapters) {
    onProgress?.('parsing', chapters.length, loaded.chapters.length)
    const key = store && chapterKey(context, source)
    let chapter = store && key ? await restoreChapter(store, key, source, loaded) : undefined
    if (chapter) cachedChapters++
    else {
      chapter = await parseChapter(processor, source)
      if (store && key) keepChapter(store, key, chapter)
    }
    chapters.push(chapter)
    // Numbered, the chapter's cites get their positions (first, subsequent…), which their notes show.
    numberCitations(chapter.file)
  }
  onProgress?.('parsing', chapters.length, loaded.chapters.length)
  timings.parse = performance.now() - t

  checkLinks(chapters, loaded.dir)
  resolveCrossReferences(chapters, loaded.meta?.language)
  if (!hasErrors(files))
    for (const {file, items} of bibliographies)
      unusedReferences(
        chapters.map((c) => c.file),
        items,
        file
      )
  // Graphics read during the parse were added to `loaded.files` by the registry (a Set: a book may have thousands of files).
  const listed = new Set(files)
  for (const file of loaded.files) if (!listed.has(file)) files.push(file)
  if (formatter instanceof Error) reportFormatterError(files, formatter)
  if (!loaded.meta || !formatter || formatter instanceof Error) return {book: undefined, files, timings, cachedChapters}
  const graphics = new Map<string, Graphic>(loaded.graphics.loaded().map((g) => [g.name, g]))
  const book: Book = {
    dir: loaded.dir,
    meta: loaded.meta,
    chapters,
    graphics,
    references: [...bibliography.items.values()],
    formatter,
    cover: loaded.cover
  }
  return {book, files, timings, cachedChapters, notesKey: notes, context}
}

/** The keys of `pageKeys`, or none when a chapter holds a value v8 cannot serialize (none today): then every page is made afresh. */
function keysOf(book: Book, assets: BookAssets, base: string): Map<Chapter, string> | undefined {
  try {
    return pageKeys(book, assets, base)
  } catch {
    return undefined
  }
}

/** The book's formatter (style from `citationStyle`, terms in the book's `language`), or why it cannot be made. */
function makeFormatter(meta: BookMeta, dir: string, items: Map<string, CslItem>): Formatter | Error {
  try {
    return createFormatter(items, {
      style: meta.citationStyle,
      locale: meta.language,
      bookDir: dir
    })
  } catch (cause) {
    return cause instanceof Error ? cause : new Error(String(cause))
  }
}

/** A formatter that cannot be made is an error at `citationStyle` in book.yaml, not a crash. */
function reportFormatterError(files: VFile[], cause: Error): void {
  const file = files.find((f) => ['book.yaml', 'book.toml', '_quarto.yml', 'index.Rmd'].includes(path.basename(f.path)))
  if (!file) throw cause
  const field = path.basename(file.path) === 'book.yaml' ? 'citationStyle' : 'csl'
  error(file, cause.message, fieldValuePosition(file, field), 'invalid-citationStyle', 'twofold-load')
}

/**
 * What every chapter's parse reads besides its own text: where the book is,
 * its metadata, its bibliography and its graphics (the contents of the
 * graphic sources in `figures/`, the names, sizes and times of its other
 * files).
 */
async function bookContext(loaded: LoadedBook, cwd: string): Promise<string> {
  return hashOf(
    cwd,
    loaded.dir,
    // The date alone may follow the newest file (books without one): no parse reads it.
    JSON.stringify(loaded.meta ? {...loaded.meta, date: ''} : null),
    ...[loaded.referencesFile, ...loaded.chapterReferenceFiles].map((file) => String(file.value ?? '')),
    await folderHash(path.join(loaded.dir, 'figures'))
  )
}

/** The cache key of a chapter's parse. */
function chapterKey(context: string, source: ChapterSource): string {
  const {listedTitle = '', bookFrontmatter = false, partMarkers = false} = source.file.data
  return `chapter\u0000${hashOf(context, source.file.path, String(source.number), source.slug, String(source.file.value), JSON.stringify([listedTitle, bookFrontmatter, partMarkers]))}`
}

/** A chapter's parse as kept: the tree, what the plugins put on `file.data`, and the graphics it used, in one `v8.serialize` (which keeps the data's references into the tree). */
interface KeptChapter {
  tree: Root
  data: Partial<Data>
  /** The parse's warnings, reported again by every build that reads the chapter from the cache. */
  warnings?: KeptWarning[]
}

/** A warning as kept: what `file.message` needs to make it again. */
interface KeptWarning {
  reason: string
  place: VFileMessage['place']
  ruleId: string | undefined
  source: string | undefined
  note: string | undefined
  url: string | undefined
}

/**
 * Keep a chapter just parsed (before the book-wide passes change it), with
 * its parse's warnings, which every build that reads it reports again. A
 * chapter with an error is not kept.
 */
function keepChapter(store: Store, key: string, chapter: Chapter): void {
  if (chapter.file.messages.some((message) => message.fatal !== false)) return
  const {
    number: _number,
    slug: _slug,
    bookDir: _bookDir,
    listedTitle: _listedTitle,
    bookFrontmatter: _bookFrontmatter,
    partMarkers: _partMarkers,
    ...data
  } = chapter.file.data
  const warnings = chapter.file.messages.map(
    (message): KeptWarning => ({
      reason: message.reason,
      place: message.place,
      ruleId: message.ruleId,
      source: message.source,
      note: message.note,
      url: message.url
    })
  )
  try {
    store.set(key, v8.serialize({tree: chapter.tree, data, warnings} satisfies KeptChapter))
  } catch {
    // A value v8 cannot serialize (none today): the chapter is parsed next time.
  }
}

/**
 * The kept parse of `source`, when the images it found are still files;
 * the graphics it used are read again, in the same order, so that the
 * graphics (and their messages) are those a parse reads.
 */
async function restoreChapter(
  store: Store,
  key: string,
  source: ChapterSource,
  loaded: LoadedBook
): Promise<Chapter | undefined> {
  const bytes = store.get(key)
  if (!bytes) return undefined
  let kept: KeptChapter
  try {
    kept = v8.deserialize(bytes) as KeptChapter
  } catch {
    return undefined
  }
  // An image that became a link out of the book, or bytes of another kind, since it was kept: parse again to report it.
  for (const image of Object.values(kept.data.images ?? {})) {
    if (imageFileProblem(image, loaded.dir)) return undefined
  }
  const file = source.file
  Object.assign(file.data, kept.data)
  for (const warning of kept.warnings ?? []) {
    const message = file.message(warning.reason, {place: warning.place, ruleId: warning.ruleId, source: warning.source})
    message.fatal = false
    if (warning.note !== undefined) message.note = warning.note
    if (warning.url !== undefined) message.url = warning.url
  }
  for (const name of file.data.graphicsUsed ?? []) await loaded.graphics.get(name)
  return chapterOf(source, file, kept.tree)
}

/** Notes as kept: the formatter's notes, bibliography and what it learnt of the style's forms. */
interface KeptNotes {
  notes: Array<[string, FormattedNote]>
  bibliography: Array<[string, FormattedNote]> | undefined
  forms: NoteForms
}

/** The cache key of a book's notes: what a formatter's output depends on. */
function notesKey(formatter: Formatter, references: string): string {
  return `notes\u0000${hashOf(formatter.style, formatter.locale ?? '', references)}`
}

/** Give `formatter` the notes kept for its bibliography, style and locale, if any. */
function restoreNotes(store: Store, key: string, formatter: Formatter): void {
  const bytes = store.get(key)
  if (!bytes) return
  const kept = JSON.parse(Buffer.from(bytes).toString('utf8')) as KeptNotes
  formatter.addNotes(kept.notes)
  if (kept.bibliography) formatter.addBibliography(kept.bibliography)
  formatter.addNoteForms(kept.forms)
}

/** Keep the book's notes for the next build. */
function keepNotes(store: Store, key: string, book: Book): void {
  const kept: KeptNotes = {
    notes: book.formatter.allNotes(),
    bibliography: book.formatter.takeBibliography(),
    forms: book.formatter.noteForms()
  }
  store.set(key, JSON.stringify(kept))
}

/**
 * A hash of the files in `dir`: the contents of those a parse reads (the
 * graphic sources: `.svg`, `.yaml`, `.yml`), the names, sizes and times of
 * the others (images, whose existence is checked at each use).
 */
async function folderHash(dir: string): Promise<string> {
  const parts: string[] = []
  const names = (await fs.readdir(dir).catch(() => [] as string[])).sort()
  for (const name of names) {
    const file = path.join(dir, name)
    const stat = await fs.stat(file).catch(() => undefined)
    if (!stat?.isFile()) continue
    parts.push(name, /\.(svg|ya?ml)$/i.test(name) ? hashOf(await fs.readFile(file)) : `${stat.size}:${stat.mtimeMs}`)
  }
  return hashOf(...parts)
}

/**
 * The book's modification time, in whole seconds, so that the same sources give the same EPUB:
 * `SOURCE_DATE_EPOCH` when set (reproducible-builds.org); else, in a git checkout, the date of
 * the last commit that touched the book directory; else the newest source file's mtime
 * (book.yaml, references.json, chapters, graphics).
 */
async function sourceDate(book: Book): Promise<Date> {
  const epoch = process.env.SOURCE_DATE_EPOCH
  if (epoch && /^\d+$/.test(epoch)) return new Date(Number(epoch) * 1000)
  const {execFile} = await import('node:child_process')
  const committed = await new Promise<string>((resolve) => {
    // No git, not a checkout, or no commit for this directory: fall through to the files' dates.
    execFile('git', ['log', '-1', '--format=%ct', '--', '.'], {cwd: book.dir, timeout: 10_000}, (cause, stdout) =>
      resolve(cause ? '' : String(stdout).trim())
    )
  })
  if (/^\d+$/.test(committed)) return new Date(Number(committed) * 1000)
  const sources = [
    path.join(book.dir, 'book.yaml'),
    path.join(book.dir, 'references.json'),
    ...book.chapters.map((chapter) => path.resolve(chapter.file.cwd, chapter.file.path)),
    ...[...book.graphics.values()].map((graphic) => path.resolve(book.dir, graphic.path))
  ]
  let newest = 0
  for (const file of sources) {
    const stat = await fs.stat(file).catch(() => undefined)
    if (stat) newest = Math.max(newest, stat.mtimeMs)
  }
  return new Date(Math.floor((newest || Date.now()) / 1000) * 1000)
}
