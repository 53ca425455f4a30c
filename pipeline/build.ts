/**
 * A whole build: load the book, parse every chapter once, check the book as a
 * whole, render both targets from the same trees, and write them atomically.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {VFile} from 'vfile'
import {AssetCollector, collectAssets, releaseTree} from './render/assets.js'
import {BuildCache, type BuildCacheOptions} from './output/build-cache.js'
import {createFormatter, loadBibliography, type Formatter} from './citations/bibliography.js'
import {startCitationWorker, type CitationWorker} from './citations/worker.js'
import {coverSize, warmCovers} from './render/epub/cover.js'
import {epubRenderer, renderEpub} from './render/epub/index.js'
import {loadBook, type ChapterSource, type LoadedBook} from './book/load.js'
import {error, hasErrors} from './messages.js'
import {parallelThreshold, parseInParallel, warmUp, workerCount} from './parse/parallel.js'
import {createProcessor, parseChapter} from './parse/processor.js'
import {numberCitations, unusedReferences} from './plugins/remark-citations.js'
import {checkLinks, LinkChecker, slugsByFileName} from './plugins/remark-links.js'
import type {BuildSession} from './output/session.js'
import type {Book, BookMeta, Chapter, CslItem, Graphic, OutputFile} from './types.js'
import {backMatterPaths, renderWeb, webRenderer} from './render/web/index.js'
import {ogImageSize} from './render/web/og-image.js'
import {checkOutput, writeAtomically} from './output/write.js'
import {fieldValuePosition} from './book/yaml-fields.js'

/**
 * Characters of Markdown from which a book's notes are formatted on a worker
 * thread. The worker spends about 0.7 s loading citeproc-js and setting up
 * the style and the bibliography before its first note; below some 20
 * chapters of 2,000 words the main thread parses faster than that and would
 * wait (measured: 10 chapters, 1.7 s alone, 1.9 s with the worker; 100
 * chapters, 5.2 s alone, 4.5 s with it).
 */
export const citationWorkerThreshold = 300_000

/** The citation worker for a book of `citationWorkerThreshold` characters of Markdown or more (see ./citations/worker.ts). */
async function citationWorkerFor(loaded: LoadedBook, items: Map<string, CslItem>): Promise<CitationWorker | undefined> {
  const size = loaded.chapters.reduce((sum, source) => sum + String(source.file.value).length, 0)
  if (!loaded.meta || size < citationWorkerThreshold) return undefined
  return startCitationWorker(items, {style: loaded.meta.citationStyle, locale: loaded.meta.language, bookDir: loaded.dir})
}

/** Whether a build fails: an error on any of `files`, or with `strict`, any message. */
function buildFailed(files: VFile[], strict: boolean | undefined): boolean {
  return hasErrors(files) || (strict === true && files.some((f) => f.messages.length > 0))
}

/** Options of a build. */
export interface BuildOptions {
  /** Book directory. */
  bookDir: string
  /** Output directory: `<outDir>/web/` and `<outDir>/<ebook>.epub`. */
  outDir: string
  /** Working directory for relative paths in messages. Default `process.cwd()`. */
  cwd?: string
  /** Treat warnings as errors. */
  strict?: boolean
  /** Fixed modification time (default: SOURCE_DATE_EPOCH, else the newest source file). */
  modified?: Date
  /** Keep parsed chapters between builds (dev server, benchmarks): unchanged chapters are not parsed again. */
  session?: BuildSession | undefined
  /** Called as the build goes (for a progress line). */
  onProgress?: ProgressListener | undefined
  /** Worker threads that parse a large book (see ./parallel.ts). Default `workerCount()`; 0: the main thread alone. */
  workers?: number | undefined
  /**
   * With a session that built the book before: write the web story first
   * (with the last EPUB) and call this, then make and write the EPUB. The
   * dev server reloads the page then. Each write is atomic, but a crash while
   * the EPUB is made leaves the new web story with the last EPUB.
   */
  onPreview?: (() => void) | undefined
  /** Keep parsed chapters and formatted notes on disk between builds, there (see ./build-cache.ts); used by the build without a session or parse workers (`streamedBuild`). */
  cache?: BuildCacheOptions | undefined
}

/** Progress of a build: the phase, and for `parsing` how many chapters are done. */
export type ProgressListener = (phase: 'loading' | 'parsing' | 'rendering' | 'writing', done: number, total: number) => void

/** Options of `parseBook`. */
export interface ParseBookOptions {
  session?: BuildSession | undefined
  onProgress?: ProgressListener | undefined
  /** Worker threads that parse a large book (see ./parallel.ts). Default `workerCount()`; 0: the main thread alone. */
  workers?: number | undefined
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
  /** With `cache`: the chapters read back instead of parsed, the notes read back instead of formatted, the EPUB's entries read back instead of compressed. */
  cached?: {chapters: number; notes: number; zipEntries: number}
}

/** A file a build wrote, and its size in bytes. */
export interface WrittenFile {
  path: string
  size: number
}

/** Sizes of output files. */
function written(files: OutputFile[]): WrittenFile[] {
  return files.map((file) => ({path: file.path, size: typeof file.contents === 'string' ? Buffer.byteLength(file.contents) : file.contents.byteLength}))
}

/** Parse and check a book without writing anything. */
export async function parseBook(bookDir: string, cwd = process.cwd(), options: ParseBookOptions = {}) {
  const {session, onProgress} = options
  const timings: Record<string, number> = {}
  let t = performance.now()
  onProgress?.('loading', 0, 0)
  const loaded = await loadBook(bookDir, cwd)
  const readBibliography = () => loadBibliography(path.join(loaded.dir, 'references.json'), loaded.referencesFile)
  const bibliography = session ? await session.bibliography(loaded.referencesFile, readBibliography) : await readBibliography()
  const files = [...loaded.files]
  // The covers are drawn on other threads while the chapters are parsed.
  if (loaded.meta) warmCovers(loaded.meta, [coverSize, ogImageSize])
  timings.load = performance.now() - t

  t = performance.now()
  const processor = createProcessor({graphics: loaded.graphics, references: bibliography.items})
  const chapters: Chapter[] = []
  if (loaded.chapters.length >= parallelThreshold) warmUp(options.workers)
  await session?.begin(loaded)
  // The notes of a large book are formatted on a worker thread while the chapters are parsed (see ./citations/worker.ts).
  const citing = session?.keepsFormatter ? undefined : await citationWorkerFor(loaded, bibliography.items)
  let parallel: Awaited<ReturnType<typeof parseInParallel>> | undefined
  try {
    const restored = new Map<ChapterSource, Chapter>()
    for (const source of loaded.chapters) {
      const chapter = await session?.restore(source)
      if (chapter) restored.set(source, chapter)
    }
    // A large book is parsed on every core (./parallel.ts); the graphics and the session are then updated in chapter order below.
    const unparsed = loaded.chapters.filter((source) => !restored.has(source))
    if (unparsed.length >= parallelThreshold && (options.workers ?? workerCount()) > 0) {
      parallel = await parseInParallel(loaded, bibliography.items, unparsed, {
        workers: options.workers,
        onParsed: (done) => onProgress?.('parsing', restored.size + done, loaded.chapters.length)
      })
    }
    for (const source of loaded.chapters) {
      onProgress?.('parsing', chapters.length, loaded.chapters.length)
      let chapter = restored.get(source)
      const elsewhere = parallel?.chapters.get(source)
      if (chapter) {
        // The graphics its scrolly sections use, as the parse would have read them.
        for (const name of chapter.file.data.graphicsUsed ?? []) await loaded.graphics.get(name)
      } else if (elsewhere) {
        chapter = elsewhere.chapter
        // The graphics its parse asked for, read here (their messages are on the graphics' files).
        for (const name of elsewhere.graphics) await loaded.graphics.get(name)
        await session?.store(chapter)
      } else {
        chapter = await parseChapter(processor, source)
        await session?.store(chapter)
      }
      chapters.push(chapter)
      citing?.send(chapter.file.data.citations ?? [])
    }
  } catch (cause) {
    // The worker must not outlive a build that failed on the way.
    citing?.abort()
    throw cause
  }
  onProgress?.('parsing', chapters.length, loaded.chapters.length)
  const formatted = await citing?.finish()
  timings.parse = performance.now() - t

  numberCitations(chapters.map((c) => c.file))
  checkLinks(chapters, loaded.dir)
  if (!hasErrors(files)) unusedReferences(chapters.map((c) => c.file), bibliography.items, loaded.referencesFile)
  // Graphics read during the parse were added to `loaded.files` by the registry.
  for (const file of loaded.files) if (!files.includes(file)) files.push(file)

  const graphics = new Map<string, Graphic>(loaded.graphics.loaded().map((g) => [g.name, g]))
  const formatter = loaded.meta ? bookFormatter(loaded.meta, loaded.dir, bibliography.items, files, session) : undefined
  // The notes the worker threads formatted while they parsed, and the citation worker's bibliography and notes.
  if (parallel) formatter?.addNotes(parallel.notes)
  if (formatted) {
    if (formatted.bibliography) formatter?.addBibliography(formatted.bibliography)
    formatter?.addNotes(formatted.notes)
    formatter?.addNoteForms(formatted.forms)
  }
  const book: Book | undefined =
    loaded.meta && formatter
      ? {dir: loaded.dir, meta: loaded.meta, chapters, graphics, references: [...bibliography.items.values()], formatter}
      : undefined
  return {book, files, timings, bibliography}
}

/**
 * The book's one CSL formatter: style from `citationStyle`, terms in the
 * book's `language`. A style that cannot be used is an error at the field in
 * book.yaml (`invalid-citationStyle`), not a crash.
 */
function bookFormatter(meta: BookMeta, dir: string, items: Map<string, CslItem>, files: VFile[], session: BuildSession | undefined): Formatter | undefined {
  const made = makeFormatter(meta, dir, items)
  if (made instanceof Error) {
    reportFormatterError(files, made)
    return undefined
  }
  // A session keeps the last build's formatter while it formats the same way: its notes are formatted already.
  return session ? session.formatter(made) : made
}

/** The book's formatter, or why it cannot be made. */
function makeFormatter(meta: BookMeta, dir: string, items: Map<string, CslItem>): Formatter | Error {
  try {
    return createFormatter(items, {style: meta.citationStyle, locale: meta.language, bookDir: dir})
  } catch (cause) {
    return cause instanceof Error ? cause : new Error(String(cause))
  }
}

/** A formatter that cannot be made is an error at `citationStyle` in book.yaml. */
function reportFormatterError(files: VFile[], cause: Error): void {
  const file = files.find((f) => path.basename(f.path) === 'book.yaml')
  if (!file) throw cause
  error(file, cause.message, fieldValuePosition(file, 'citationStyle'), 'invalid-citationStyle', 'twofold-load')
}

/** Build a book into `outDir`. Never throws for content problems: see `result.ok` and the messages on `result.files`. */
export async function build(options: BuildOptions): Promise<BuildResult> {
  const cwd = options.cwd ?? process.cwd()
  const started = performance.now()
  // Refuse an output directory that a build must not replace, before any work.
  await checkOutput(path.resolve(cwd, options.outDir), [path.resolve(cwd, options.bookDir), cwd])
  // Without a session (and without parse workers, which hand whole trees back), each chapter is rendered as it comes.
  if (!options.session && (options.workers ?? workerCount()) === 0) return streamedBuild(options, cwd, started)
  const {book, files, timings} = await parseBook(options.bookDir, cwd, {session: options.session, onProgress: options.onProgress, workers: options.workers})
  const failed = () => buildFailed(files, options.strict)
  if (!book || failed()) return {ok: false, files, timings}

  let t = performance.now()
  options.onProgress?.('rendering', 0, 0)
  const assets = await collectAssets(book)
  timings.assets = performance.now() - t

  const epubName = `${book.meta.ebook}.epub`
  const outDir = path.resolve(cwd, options.outDir)
  const webFiles = async (epub: Uint8Array, backMatter?: OutputFile[]) => {
    const pages = await renderWeb(book, {assets, epub: {fileName: epubName, size: epub.byteLength}, cache: options.session?.rendered.web, backMatter})
    pages.push({path: epubName, contents: epub})
    return pages
  }
  const write = (web: OutputFile[], epub: Uint8Array) =>
    writeAtomically(outDir, [...web.map((f) => ({path: `web/${f.path}`, contents: f.contents})), {path: epubName, contents: epub}])

  // Preview first (`twofold dev`, after a first build): the chapter pages, with the last EPUB and the last book-wide
  // pages (sources, disagreements: their note numbers may be behind), are written and announced before the EPUB is
  // made; a second write then brings the new EPUB, the new book-wide pages and the cover page's size for the EPUB.
  const previous = options.onPreview ? options.session?.epub(epubName) : undefined
  let web: OutputFile[] | undefined
  if (previous) {
    t = performance.now()
    web = await webFiles(previous, options.session?.webBackMatter)
    timings.web = timings.previewWeb = performance.now() - t
    t = performance.now()
    await write(web, previous)
    timings.write = timings.previewWrite = performance.now() - t
    timings.preview = performance.now() - started
    options.onPreview?.()
  }

  t = performance.now()
  const modified = options.modified ?? (await sourceDate(book))
  const epub = await renderEpub(book, {assets, modified, cache: options.session?.rendered.epub, notesCache: options.session?.rendered.epubNotes})
  timings.epub = performance.now() - t

  t = performance.now()
  web = await webFiles(epub)
  timings.web = (timings.web ?? 0) + performance.now() - t

  t = performance.now()
  options.onProgress?.('writing', 0, 0)
  await write(web, epub)
  timings.write = (timings.write ?? 0) + performance.now() - t
  options.session?.rendered.web.commit()
  options.session?.rendered.epub.commit()
  options.session?.rendered.epubNotes.commit()
  options.session?.keepEpub(epubName, epub)
  if (options.session) options.session.webBackMatter = web.filter((file) => backMatterPaths.has(file.path))
  timings.total = performance.now() - started
  return {ok: true, files, book, outputs: {web: written(web), epub: {path: path.join(outDir, epubName), size: epub.byteLength}}, timings}
}

/**
 * A build without a session (`twofold build`): the chapters are parsed in
 * order on the main thread, and each is rendered for both targets as soon as
 * everything its pages show is known, then its tree is let go
 * (`releaseTree`), so that a long book never holds every tree at once. A
 * chapter's page shows its own citation numbers and claim anchors (known
 * once the chapters before it are parsed), the next chapter's title (parsed
 * one chapter later), whether its links to other chapters' anchors lead
 * anywhere (a chapter that links ahead waits for the chapter it links to),
 * and its notes (formatted by the citation worker, for a large book, a batch
 * behind). What only the whole book says (the contents, the footer's links
 * to the book-wide pages, the sources, the disagreements, the EPUB's
 * package) is made at the end. The files are those the whole-book path
 * gives (tested byte for byte).
 */
async function streamedBuild(options: BuildOptions, cwd: string, started: number): Promise<BuildResult> {
  const {onProgress} = options
  const timings: Record<string, number> = {load: 0, parse: 0, assets: 0, epub: 0, web: 0, write: 0}
  let t = performance.now()
  onProgress?.('loading', 0, 0)
  const loaded = await loadBook(options.bookDir, cwd)
  const bibliography = await loadBibliography(path.join(loaded.dir, 'references.json'), loaded.referencesFile)
  // Each page is written as soon as it is made, into a build that becomes `outDir` only when everything is (see ./write.ts).
  const outDir = path.resolve(cwd, options.outDir)
  const cache = options.cache && (await BuildCache.open(options.cache, loaded, cwd))
  const staged = collectOutput(outDir)
  let citing: CitationWorker | undefined
  try {
    return await streamInto(staged)
  } catch (cause) {
    // The worker must not outlive a build that failed on the way, nor its files (the error is the one to report).
    citing?.abort()
    await staged.abort().catch(() => {})
    throw cause
  } finally {
    // What was kept is written before the build returns (a failed write is only a miss next time).
    await cache?.close()
  }

  async function streamInto(staged: StagedOutput): Promise<BuildResult> {
    const files = [...loaded.files]
    // The covers are drawn on other threads while the chapters are parsed.
    if (loaded.meta) warmCovers(loaded.meta, [coverSize, ogImageSize])
    const processor = createProcessor({graphics: loaded.graphics, references: bibliography.items})
    // Made now, for the first chapters' notes; a style that cannot be used is reported where the whole-book build does.
    const made = loaded.meta ? makeFormatter(loaded.meta, loaded.dir, bibliography.items) : undefined
    const formatter = made instanceof Error ? undefined : made
    const chapters: Chapter[] = []
    const graphics = new Map<string, Graphic>()
    const book: Book | undefined =
      loaded.meta && formatter ? {dir: loaded.dir, meta: loaded.meta, chapters, graphics, references: [...bibliography.items.values()], formatter} : undefined
    // The notes of a large book are formatted on a worker thread, a batch of citations per chapter (see
    // ./citations/worker.ts), unless the cache has the book's notes: the few an edit adds are formatted here, sooner
    // than the worker would start (0.7 s).
    const notesKept = formatter && cache ? await cache.notes(formatter) : 0
    citing = book && notesKept === 0 ? await citationWorkerFor(loaded, bibliography.items) : undefined
    citing?.receive((notes) => formatter?.addNotes(notes))
    const collector = new AssetCollector(graphics)
    const links = new LinkChecker(
      loaded.chapters.map((source) => source.file),
      loaded.dir
    )
    const slugs = slugsByFileName(loaded.chapters)
    // Made while the first chapters are parsed: the client script, the Open Graph image, the EPUB's templates and cover.
    const renderers = book ? Promise.all([webRenderer(book, {assets: collector.assets, slugs}), epubRenderer(book, {assets: collector.assets, slugs, zip: cache?.zip})]) : undefined
    renderers?.catch(() => {})
    timings.load = performance.now() - t

    /** The pages written, with their size and where their footer's navigation is. */
    const pages: Array<{path: string; size: number; footer: {at: number; html: Buffer}}> = []
    const failed = () => buildFailed(loaded.files, options.strict)
    /** Parsed chapters not rendered yet, by index, with the batches of notes they wait for and the chapters their links name. */
    const waiting = new Map<number, {batches: number; needs: VFile[] | undefined}>()
    const parsed = new Set<VFile>()
    let numbered = 0
    let allParsed = false

    /** Check the links of, render and let go of every waiting chapter whose pages can be made now. */
    const renderReady = async () => {
      for (const [index, wait] of waiting) {
        const chapter = chapters[index]!
        if (index + 1 >= chapters.length && !allParsed) continue
        if (wait.needs) {
          if (!wait.needs.every((file) => parsed.has(file))) continue
          links.check(chapter.file)
          wait.needs = undefined
        }
        if (citing && citing.answered < wait.batches && !allParsed) continue
        if (book && renderers && !failed()) {
          const [web, epub] = await renderers
          let start = performance.now()
          epub.chapter(index)
          timings.epub! += performance.now() - start
          start = performance.now()
          const page = web.chapter(index)
          timings.web! += performance.now() - start
          start = performance.now()
          await staged.write({path: `web/${page.path}`, contents: page.contents})
          timings.write! += performance.now() - start
          pages.push({path: page.path, size: page.contents.byteLength, footer: page.footer})
        }
        releaseTree(chapter)
        waiting.delete(index)
      }
    }

    t = performance.now()
    for (const source of loaded.chapters) {
      onProgress?.('parsing', chapters.length, loaded.chapters.length)
      const cached = await cache?.chapter(source)
      let chapter: Chapter
      if (cached) {
        // The graphics its parse read, read again in the same order.
        for (const name of cached.graphics) await loaded.graphics.get(name)
        chapter = cached.chapter
      } else {
        chapter = await parseChapter(processor, source)
        cache?.keep(source, chapter)
      }
      chapters.push(chapter)
      parsed.add(chapter.file)
      numbered = numberCitations([chapter.file], numbered)
      // The graphics its parse read, in the order the registry read them.
      for (const graphic of loaded.graphics.loaded()) if (!graphics.has(graphic.name)) graphics.set(graphic.name, graphic)
      // Its figures and images, for its pages (none are made once the build has failed).
      const start = performance.now()
      if (!failed()) await collector.add(chapter)
      timings.assets! += performance.now() - start
      citing?.send(chapter.file.data.citations ?? [])
      waiting.set(chapters.length - 1, {batches: citing?.sent ?? 0, needs: links.needs(chapter.file)})
      // Let the citation worker's answers in, then render what can be.
      await new Promise((resolve) => setImmediate(resolve))
      await renderReady()
    }
    onProgress?.('parsing', chapters.length, loaded.chapters.length)
    const formatted = await citing?.finish()
    if (formatted) {
      if (formatted.bibliography) formatter?.addBibliography(formatted.bibliography)
      formatter?.addNotes(formatted.notes)
      formatter?.addNoteForms(formatted.forms)
    }
    allParsed = true
    if (!hasErrors(files)) unusedReferences(chapters.map((c) => c.file), bibliography.items, loaded.referencesFile)
    if (made instanceof Error) reportFormatterError(files, made)
    onProgress?.('rendering', 0, 0)
    await renderReady()
    timings.parse = performance.now() - t - timings.assets! - timings.epub! - timings.web! - timings.write!
    // Graphics read during the parse were added to `loaded.files` by the registry.
    for (const file of loaded.files) if (!files.includes(file)) files.push(file)
    // What came from the cache, as it stands when the build returns.
    const cached = () => cache && {chapters: cache.stats.hits, notes: cache.stats.notes, zipEntries: cache.stats.zipEntries}
    if (!book || !renderers || failed()) {
      await staged.abort()
      return {ok: false, files, timings, cached: cached()}
    }

    const [web, epub] = await renderers
    t = performance.now()
    const epubName = `${book.meta.ebook}.epub`
    const modified = options.modified ?? (await sourceDate(book))
    const epubData = await epub.finish(modified)
    timings.epub! += performance.now() - t

    t = performance.now()
    const webFiles = [...web.finish({fileName: epubName, size: epubData.byteLength}), {path: epubName, contents: epubData}]
    timings.web! += performance.now() - t
    cache?.keepNotes(book.formatter)

    t = performance.now()
    onProgress?.('writing', 0, 0)
    // The pages made before the chapter that first called for a book-wide page (a contested claim) lack its link.
    const navigation = web.footerNav()
    for (const page of pages) if (!page.footer.html.equals(navigation)) await staged.patch(`web/${page.path}`, page.footer.at, page.footer.html.byteLength, navigation)
    for (const file of [...webFiles.map((f) => ({path: `web/${f.path}`, contents: f.contents})), {path: epubName, contents: epubData}]) await staged.write(file)
    await staged.commit()
    timings.write! += performance.now() - t
    timings.total = performance.now() - started
    return {
      ok: true,
      files,
      book,
      outputs: {web: [...written(webFiles), ...pages.map((page) => ({path: page.path, size: page.size + navigation.byteLength - page.footer.html.byteLength}))], epub: {path: path.join(outDir, epubName), size: epubData.byteLength}},
      timings,
      cached: cached()
    }
  }
}

/** A streamed build's files, kept until the whole build is written by `writeAtomically`. */
function collectOutput(outDir: string) {
  const files = new Map<string, OutputFile['contents']>()
  return {
    async write(file: OutputFile) {
      files.set(file.path, file.contents)
    },
    async patch(filePath: string, at: number, length: number, contents: Uint8Array) {
      const data = Buffer.from(files.get(filePath)!)
      files.set(filePath, Buffer.concat([data.subarray(0, at), contents, data.subarray(at + length)]))
    },
    async commit() {
      await writeAtomically(outDir, [...files].map(([filePath, contents]) => ({path: filePath, contents})))
    },
    async abort() {}
  }
}
type StagedOutput = ReturnType<typeof collectOutput>

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
    execFile('git', ['log', '-1', '--format=%ct', '--', '.'], {cwd: book.dir, timeout: 10_000}, (cause, stdout) => resolve(cause ? '' : String(stdout).trim()))
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
