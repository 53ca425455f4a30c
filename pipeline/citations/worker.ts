/**
 * Citations formatted on a worker thread while the main thread parses the
 * chapters. citeproc-js is the largest single cost of a small book (setting
 * up the style, the bibliography, every distinct note) and needs nothing but
 * the bibliography and each citation's cites, which the parse yields chapter
 * by chapter. The worker makes its own formatter for the same items, style
 * and locale, makes the bibliography, formats the notes of each batch of
 * citations it is sent and answers with them (`takeNotes`), and at the end
 * hands the bibliography over (`takeBibliography`), so the main thread's
 * formatter formats nothing it already has, with the same result (a
 * formatter's output depends only on items, style and locale).
 *
 * The worker runs as a bundle (../../bin/bundle.js) in the system's
 * temporary directory. A build never waits for the bundle to be made: while
 * it is stale the build formats on the main thread and the bundle is made
 * on the side for the next one. Anything that goes wrong in the worker
 * leaves the main thread to format, as without it.
 */
import {existsSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'
import {isMainThread, parentPort, Worker} from 'node:worker_threads'
import {bundle, freshBundle, temporaryBundleDir} from '../../bin/bundle.js'
import type {CiteItem, CslItem, FormattedNote, Formatter, NoteForms} from '../types.js'
import {createFormatter, type FormatterOptions} from './formatter.js'

/** What the main thread sends. */
type Request =
  | {type: 'book'; items: CslItem[]; options: FormatterOptions}
  | {type: 'notes'; clusters: CiteItem[][]}
  | {type: 'finish'}

/** What the worker answers: to each `notes`, the notes it formatted; to `finish`, the rest and the bibliography. */
type Reply =
  | {type: 'notes'; notes: Array<[string, FormattedNote]>}
  | {
      type: 'done'
      notes: Array<[string, FormattedNote]>
      bibliography: Array<[string, FormattedNote]> | undefined
      forms: NoteForms
    }
  | {type: 'failed'; message: string}

/** What the worker formatted, for `Formatter.addNotes`, `Formatter.addBibliography` and `Formatter.addNoteForms`. */
export interface FormattedCitations {
  notes: Array<[string, FormattedNote]>
  bibliography: Array<[string, FormattedNote]> | undefined
  forms: NoteForms
}

/** A worker formatting one book's citations; see the module comment. */
export interface CitationWorker {
  /** Format the notes of these citations (a chapter's) not sent before: a batch, when there is any. */
  send(citations: Array<{items: CiteItem[]}>): void
  /** Everything formatted and not handed over yet, once every note sent is; `undefined` when the worker failed. Ends the worker. */
  finish(): Promise<FormattedCitations | undefined>
  /** End the worker without waiting (the build failed on the way). */
  abort(): void
}

const here = path.dirname(fileURLToPath(import.meta.url))
const bundleOptions = {
  entry: path.join(here, 'worker.ts'),
  dir: temporaryBundleDir(),
  name: 'citation-worker',
  packages: 'bundle' as const,
  external: ['esbuild']
}
/** An installed package ships the worker compiled (scripts/pack.mjs), and not its sources. */
const packaged = existsSync(bundleOptions.entry) ? undefined : path.resolve(here, '../../lib/citation-worker.mjs')
let making: Promise<string | undefined> | undefined = packaged ? Promise.resolve(packaged) : undefined
let made: string | undefined = packaged

/** Make the worker's bundle (or check it), once per process; resolves to its path, or undefined when it cannot be made. */
export function citationWorkerBundle(): Promise<string | undefined> {
  making ??= bundle(bundleOptions).then(
    (file) => (made = file),
    () => undefined
  )
  return making
}

/**
 * Start formatting a book's citations on a worker thread, or `undefined`
 * when there is nothing to format, `TWOFOLD_CITATION_WORKER=0` says not to,
 * or the worker's bundle is not made yet (it is then made for the next
 * build, and this one formats on the main thread).
 */
export async function startCitationWorker(
  items: Map<string, CslItem>,
  options: FormatterOptions
): Promise<CitationWorker | undefined> {
  if (items.size === 0 || process.env.TWOFOLD_CITATION_WORKER === '0') return undefined
  // A bundle still being made (by an earlier build of this process) is not waited for.
  const ready = made ?? (making ? undefined : await freshBundle(bundleOptions))
  if (!ready) {
    void citationWorkerBundle()
    return undefined
  }
  let worker: Worker
  try {
    worker = new Worker(pathToFileURL(ready), {
      resourceLimits: {maxOldGenerationSizeMb: 512}
    })
  } catch {
    return undefined
  }
  let failed = false
  /** Clusters sent, as JSON: each is formatted once. */
  const seen = new Set<string>()
  const kept: Array<[string, FormattedNote]> = []
  const result = new Promise<FormattedCitations | undefined>((resolve) => {
    worker.on('message', (reply: Reply) => {
      if (reply.type === 'notes') kept.push(...reply.notes)
      else
        resolve(
          reply.type === 'done'
            ? {
                notes: [...kept, ...reply.notes],
                bibliography: reply.bibliography,
                forms: reply.forms
              }
            : undefined
        )
    })
    worker.once('error', () => resolve(undefined))
    worker.once('exit', () => resolve(undefined))
  }).then((formatted) => {
    failed = formatted === undefined
    void worker.terminate()
    return formatted
  })
  const post = (request: Request) => {
    if (failed) return
    try {
      worker.postMessage(request)
    } catch {
      failed = true
    }
  }
  post({type: 'book', items: [...items.values()], options})
  return {
    send(citations) {
      const clusters: CiteItem[][] = []
      for (const citation of citations) {
        const key = JSON.stringify(citation.items)
        if (seen.has(key)) continue
        seen.add(key)
        clusters.push(citation.items)
      }
      if (clusters.length > 0) post({type: 'notes', clusters})
    },
    finish() {
      post({type: 'finish'})
      return result
    },
    abort() {
      failed = true
      void worker.terminate()
    }
  }
}

// The worker itself.
if (!isMainThread && parentPort) {
  const port = parentPort
  let formatter: Formatter | undefined
  let problem: string | undefined
  port.on('message', (request: Request) => {
    try {
      if (request.type === 'book') {
        formatter = createFormatter(new Map(request.items.map((item) => [item.id, item])), request.options)
        // The bibliography first: every entry is registered and sorted once, as the main thread would.
        formatter.order([])
      } else if (request.type === 'notes') {
        for (const cites of request.clusters) {
          try {
            formatter?.cluster(cites)
          } catch {
            // A key not in the bibliography: the main thread reports it (and the build fails).
          }
        }
        port.postMessage({
          type: 'notes',
          notes: formatter?.takeNotes() ?? []
        } satisfies Reply)
      } else {
        const reply: Reply =
          formatter && !problem
            ? {
                type: 'done',
                notes: formatter.takeNotes(),
                bibliography: formatter.takeBibliography(),
                forms: formatter.noteForms()
              }
            : {type: 'failed', message: problem ?? 'no formatter'}
        port.postMessage(reply)
      }
    } catch (cause) {
      // A style that cannot be used: the main thread reports it. Whatever fails, `finish` is answered.
      problem = cause instanceof Error ? cause.message : String(cause)
      formatter = undefined
      if (request.type === 'finish') port.postMessage({type: 'failed', message: problem} satisfies Reply)
      // A batch that failed is answered with nothing: the main thread formats those notes itself.
      if (request.type === 'notes') port.postMessage({type: 'notes', notes: []} satisfies Reply)
    }
  })
}
