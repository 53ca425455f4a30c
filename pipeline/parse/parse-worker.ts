/**
 * A worker thread of `./parallel.ts`: parses the chapters it is sent with
 * the shared processor, exactly as the main thread would, formats their
 * notes with the book's CSL style, and sends back each chapter's tree, the
 * data the plugins left on its file, its messages and the graphics it asked
 * for. It runs as an esbuild bundle of this file (no TypeScript loader in
 * the worker); see `workerBundle` in ./parallel.ts.
 */
import {parentPort} from 'node:worker_threads'
import type {Root} from 'mdast'
import {VFile} from 'vfile'
import {createFormatter, loadBibliography, type Formatter} from '../citations/bibliography.js'
import {GraphicRegistry} from '../book/load.js'
import {createProcessor, parseChapter} from './processor.js'
import type {CslItem} from '../types.js'

/** What the main thread sends. */
export type WorkerRequest =
  | {
      type: 'book'
      /** Absolute book directory and working directory, as `loadBook` has them. */
      dir: string
      cwd: string
      references: {path: string; value: string}
      /** Citation style and language from book.yaml, when it has been read. */
      style: string | undefined
      language: string | undefined
    }
  | {type: 'parse'; index: number; path: string; value: string; number: number; slug: string}

/** What a worker sends back. */
export type WorkerReply =
  | {type: 'ready'}
  | {
      type: 'parsed'
      index: number
      title: string
      tree: Root
      data: Record<string, unknown>
      messages: Array<Record<string, unknown>>
      /** Graphics the chapter asked for, in order (the main thread reads them again, for their messages). */
      graphics: string[]
      /** Notes this worker formatted since its last reply, for the main thread's formatter. */
      notes: ReturnType<Formatter['takeNotes']>
    }
  | {type: 'failed'; index: number; message: string; stack: string | undefined}

/** A graphics registry that records which graphics a chapter asks for. */
export class RecordingRegistry extends GraphicRegistry {
  requested: string[] = []
  override async get(name: string) {
    this.requested.push(name)
    return super.get(name)
  }
}

// Keys `loadBook` sets on every chapter file; the main thread's file has them already.
const loaderKeys = new Set(['number', 'slug', 'bookDir'])

/** A VFileMessage as plain data (structured clone keeps only an Error's message and stack). */
export function plainMessage(message: object): Record<string, unknown> {
  return {...message, stack: (message as Error).stack}
}

if (parentPort) {
  const port = parentPort
  let book: {dir: string; cwd: string; registry: RecordingRegistry; processor: ReturnType<typeof createProcessor>; formatter: Formatter | undefined} | undefined
  // One request at a time, in order: a chapter waits for its book to be set up.
  let queue = Promise.resolve()
  port.on('message', (request: WorkerRequest) => {
    queue = queue.then(() =>
      handle(request).catch((cause: unknown) => {
        const index = request.type === 'parse' ? request.index : -1
        port.postMessage({type: 'failed', index, message: cause instanceof Error ? cause.message : String(cause), stack: cause instanceof Error ? cause.stack : undefined} satisfies WorkerReply)
      })
    )
  })
  port.postMessage({type: 'ready'} satisfies WorkerReply)

  async function handle(request: WorkerRequest) {
    if (request.type === 'book') {
      const registry = new RecordingRegistry(request.dir, request.cwd, [])
      await registry.scan()
      const {items} = await loadBibliography(request.references.path, new VFile({path: request.references.path, cwd: request.cwd, value: request.references.value}))
      book = {dir: request.dir, cwd: request.cwd, registry, processor: createProcessor({graphics: registry, references: items}), formatter: formatter(items, request)}
      return
    }
    if (!book) throw new Error('Expected the book before a chapter')
    const file = new VFile({path: request.path, cwd: book.cwd, value: request.value})
    file.data.number = request.number
    file.data.slug = request.slug
    file.data.bookDir = book.dir
    book.registry.requested = []
    const chapter = await parseChapter(book.processor, {number: request.number, slug: request.slug, file})
    if (book.formatter && !file.messages.some((message) => message.fatal)) {
      // Notes are formatted here, in parallel: the main thread's formatter takes them as its own.
      for (const citation of file.data.citations ?? []) book.formatter.cluster(citation.items)
    }
    const data: Record<string, unknown> = {}
    for (const [name, value] of Object.entries(file.data)) if (!loaderKeys.has(name)) data[name] = value
    port.postMessage({
      type: 'parsed',
      index: request.index,
      title: chapter.title,
      tree: chapter.tree,
      data,
      messages: file.messages.map((message) => plainMessage(message)),
      graphics: book.registry.requested,
      notes: book.formatter?.takeNotes() ?? []
    } satisfies WorkerReply)
  }
}

function formatter(items: Map<string, CslItem>, request: {dir: string; style: string | undefined; language: string | undefined}): Formatter | undefined {
  try {
    return createFormatter(items, {style: request.style, locale: request.language, bookDir: request.dir})
  } catch {
    // A style that cannot be used is reported by the main thread; notes are then not formatted at all.
    return undefined
  }
}
