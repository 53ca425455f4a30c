/**
 * Parse the chapters of a large book on several cores: worker threads (see
 * `workerCount`: off unless asked) and the main thread take chapters from one
 * queue, so the main thread keeps parsing while the workers start. Each chapter is still
 * parsed exactly once, by the shared processor (see ./parse-worker.ts); the
 * main thread gets back the same tree, plugin data and messages it would
 * have made itself, and the workers format the chapters' notes on the way.
 *
 * Workers run an esbuild bundle of ./parse-worker.ts (a thread has no
 * TypeScript loader, and loading one bundle is several times faster than
 * loading the hundreds of modules behind it), kept in the system's temporary
 * folder until a file it was built from changes. Without a bundle or
 * workers (no esbuild, one core), the main thread parses alone.
 */
import os from 'node:os'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {Worker} from 'node:worker_threads'
import {VFileMessage} from 'vfile-message'
import {bundle as makeBundle, temporaryBundleDir} from '../../bin/bundle.js'
import type {FormattedNote} from '../citations/formatter.js'
import type {ChapterSource, LoadedBook} from '../book/load.js'
import {createProcessor, parseChapter} from './processor.js'
import {plainMessage, RecordingRegistry, type WorkerReply, type WorkerRequest} from './parse-worker.js'
import type {Chapter, CslItem} from '../types.js'

/** Chapters a worker is given ahead: it parses one while the others wait in its queue. */
const inHand = 3

/** Books with fewer chapters to parse than this are parsed on the main thread alone (starting workers costs more). */
export const parallelThreshold = 24

/** How the last parallel parse went (for tests and benchmarks): worker threads used, chapters each parsed (the main thread's last). */
export const lastParallel = {workers: 0, chapters: [] as number[]}

/** Options of `parseInParallel`. */
export interface ParallelOptions {
  /** Worker threads to use. Default `workerCount()`. */
  workers?: number | undefined
  /** Whether the main thread parses too. Default: when there are fewer workers than cores. */
  mainThread?: boolean | undefined
  /** Called as chapters come in, with how many are done. */
  onParsed?: ((done: number) => void) | undefined
}

/** A chapter parsed in parallel, with the graphics its parse asked for, in order. */
export interface ParsedChapter {
  chapter: Chapter
  graphics: string[]
}

const here = path.dirname(fileURLToPath(import.meta.url))

/**
 * Parse `sources` on the worker threads and the main thread. Returns each
 * chapter by source, and the notes the workers formatted. `onParsed` is
 * called as chapters come in.
 */
export async function parseInParallel(
  loaded: LoadedBook,
  references: Map<string, CslItem>,
  sources: ChapterSource[],
  options: ParallelOptions = {}
): Promise<{chapters: Map<ChapterSource, ParsedChapter>; notes: Array<[string, FormattedNote]>}> {
  const {onParsed} = options
  const chapters = new Map<ChapterSource, ParsedChapter>()
  const notes: Array<[string, FormattedNote]> = []
  const queue = sources.map((source, index) => ({source, index}))
  const failures: Error[] = []
  const workers = (await pool(options.workers ?? workerCount())).slice(0, options.workers ?? workerCount())
  const mainThread = options.mainThread ?? workers.length < os.availableParallelism()
  const counts = new Array<number>(workers.length + 1).fill(0)
  const book: WorkerRequest = {
    type: 'book',
    dir: loaded.dir,
    cwd: loaded.referencesFile.cwd,
    references: {path: loaded.referencesFile.path, value: String(loaded.referencesFile.value ?? '')},
    style: loaded.meta?.citationStyle,
    language: loaded.meta?.language
  }

  const received = (source: ChapterSource, reply: Extract<WorkerReply, {type: 'parsed'}>) => {
    const file = source.file
    Object.assign(file.data, reply.data)
    for (const message of reply.messages) file.messages.push(Object.assign(Object.create(VFileMessage.prototype) as VFileMessage, message))
    chapters.set(source, {chapter: {number: source.number, slug: source.slug, title: reply.title, file, tree: reply.tree}, graphics: reply.graphics})
    notes.push(...reply.notes)
    onParsed?.(chapters.size)
  }

  // Each worker keeps a few chapters in hand, so that it never waits for the main thread (busy parsing) to send more.
  const running = workers.map(
    (worker, number) =>
      new Promise<void>((resolve) => {
        const given = new Map<number, (typeof queue)[number]>()
        const give = () => {
          while (given.size < inHand) {
            const item = queue.shift()
            if (!item) break
            given.set(item.index, item)
            const {source, index} = item
            worker.postMessage({type: 'parse', index, path: source.file.path, value: String(source.file.value), number: source.number, slug: source.slug} satisfies WorkerRequest)
          }
          if (given.size === 0) finish()
        }
        const onMessage = (reply: WorkerReply) => {
          if (reply.type === 'ready') return
          const item = given.get(reply.index)
          if (!item) return
          given.delete(reply.index)
          if (reply.type === 'parsed') {
            received(item.source, reply)
            counts[number]!++
          } else {
            failures.push(Object.assign(new Error(reply.message), {stack: reply.stack}))
          }
          give()
        }
        // A worker that dies hands its chapters back to the queue.
        const onError = () => {
          queue.unshift(...given.values())
          given.clear()
          retire(worker)
          finish()
        }
        const finish = () => {
          worker.off('message', onMessage)
          worker.off('error', onError)
          worker.unref()
          resolve()
        }
        worker.ref()
        worker.on('message', onMessage)
        worker.once('error', onError)
        worker.postMessage(book)
        give()
      })
  )

  // Meanwhile the main thread parses too, with its own registry (the caller reads graphics in chapter order afterwards).
  const registry = new RecordingRegistry(loaded.dir, loaded.referencesFile.cwd, [])
  await registry.scan()
  const processor = createProcessor({graphics: registry, references})
  for (let item = mainThread || workers.length === 0 ? queue.shift() : undefined; item; item = queue.shift()) {
    registry.requested = []
    const chapter = await parseChapter(processor, item.source)
    chapters.set(item.source, {chapter, graphics: registry.requested})
    counts[workers.length]!++
    onParsed?.(chapters.size)
    // Let the workers' replies in between chapters.
    await new Promise((resolve) => setImmediate(resolve))
  }
  await Promise.all(running)
  lastParallel.workers = workers.length
  lastParallel.chapters = counts
  if (failures.length > 0) throw failures[0]
  // Chapters a dying worker left: parse them here.
  for (const source of sources) {
    if (chapters.has(source)) continue
    registry.requested = []
    chapters.set(source, {chapter: await parseChapter(processor, source), graphics: registry.requested})
  }
  return {chapters, notes}
}

let workers: Promise<Worker[]> | undefined
let bundlePath: Promise<string | undefined> | undefined

/** At least `count` worker threads of this process, started on first use (none when they cannot be). */
async function pool(count: number): Promise<Worker[]> {
  bundlePath ??= workerBundle().catch(() => undefined)
  const list = await (workers ??= Promise.resolve([]))
  const bundle = await bundlePath
  if (!bundle) return list
  while (list.length < count) {
    // Old-generation space is capped: a worker holds one chapter at a time, and its garbage is collected sooner.
    const worker = new Worker(pathToFileURL(bundle), {resourceLimits: {maxOldGenerationSizeMb: 256}})
    worker.unref()
    // Until it dies: a worker that fails is left out of later builds.
    worker.once('error', () => retire(worker))
    list.push(worker)
  }
  return list
}

/**
 * Worker threads to use: `TWOFOLD_WORKERS` (at most 7), else none. Measured
 * on the 2-core machine this was written on, a worker slows the build down
 * (its copies of the trees, a second JIT warm-up, and the two threads
 * sharing one core's caches cost more than the second core gives), so the
 * main thread parses alone unless asked; on a machine with idle cores of
 * its own, try `TWOFOLD_WORKERS=<cores - 1>` with `npm run bench`.
 */
export function workerCount(): number {
  const wanted = process.env.TWOFOLD_WORKERS
  return wanted !== undefined && /^\d+$/.test(wanted) ? Math.min(7, Number(wanted)) : 0
}

function retire(worker: Worker): void {
  void workers?.then((list) => {
    const index = list.indexOf(worker)
    if (index >= 0) list.splice(index, 1)
  })
  void worker.terminate()
}

/** Start the worker threads now (when a large book is coming), so they load while the book is read. */
export function warmUp(count = workerCount()): void {
  if (count > 0) void pool(count)
}

/**
 * The worker's code as one ES module: ./parse-worker.ts and everything it
 * imports, packages included (see ../bin/bundle.js), in the system's
 * temporary directory.
 */
export function workerBundle(): Promise<string> {
  return makeBundle({entry: path.join(here, 'parse-worker.ts'), dir: temporaryBundleDir(), name: 'parse-worker', packages: 'bundle'})
}
