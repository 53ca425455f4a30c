/**
 * The story's typeface: Literata (SIL Open Font License, from the
 * `@expo-google-fonts/literata` package the cover already uses), subset to the
 * characters the book's pages hold, plus printable ASCII, as WOFF2 with
 * `font-display: swap`. Three faces: regular, bold and italic; a page loads only
 * the faces its text uses. Their `@font-face` rules open the story's one
 * stylesheet, so a page makes no request for them of its own. Pages are written
 * with placeholders for the faces' preloads (`fontsPlaceholder`): the
 * characters are known once every page is made, and the file names hash the
 * subsets.
 *
 * Subsetting and WOFF2 compression take a second or more of CPU for the
 * three faces, so the faces are kept in the store under the characters and
 * the packages' versions, and in memory for the process; a face that is in
 * neither is made on another thread while the EPUB is made (see build.ts).
 */
import fs from 'node:fs'
import {createRequire} from 'node:module'
import {Worker} from 'node:worker_threads'
import {hashOf, type Store} from '../../output/store.js'
import type {OutputFile} from '../../types.js'
import {contentHash} from '../assets.js'

const require = createRequire(import.meta.url)

/** The faces shipped, with the files they are cut from. */
const faces = [
  {weight: 400, style: 'normal', file: '400Regular/Literata_400Regular.ttf', name: 'literata-400'},
  {weight: 700, style: 'normal', file: '700Bold/Literata_700Bold.ttf', name: 'literata-700'},
  {weight: 400, style: 'italic', file: '400Regular_Italic/Literata_400Regular_Italic.ttf', name: 'literata-400i'}
] as const

/** What the pages hold in place of the faces' paths (regular, bold, italic) until they are made. */
export const fontsPlaceholder = {
  preload: ['assets/twofold-font-400.woff2', 'assets/twofold-font-700.woff2', 'assets/twofold-font-400i.woff2']
}

const versions = JSON.stringify([
  require('@expo-google-fonts/literata/package.json').version,
  require('subset-font/package.json').version
])

const made = new Map<string, Promise<Uint8Array>>()

/** Printable ASCII: what a reader may type or a script may show, always in. */
const ascii = Array.from({length: 0x7f - 0x20}, (_, i) => String.fromCharCode(0x20 + i)).join('')

/** The characters of `pages` (whole HTML pages: markup is ASCII, which is in anyway), sorted, with printable ASCII. */
export function charactersOf(pages: Iterable<string | Uint8Array>): string {
  const seen = new Set(ascii)
  for (const page of pages) {
    const text = typeof page === 'string' ? page : Buffer.from(page).toString('utf8')
    // Runs of other characters, found by a regular expression: a loop over each of a page's characters (mostly
    // ASCII) took ten times as long, and made a string of each.
    for (const [run] of text.matchAll(/[^\0-\x7e]+/g)) for (const char of run) seen.add(char)
  }
  return [...seen].sort().join('')
}

/**
 * The thread that subsets (subset-font, with HarfBuzz's and WOFF2's
 * WebAssembly): given a face's file and characters, it answers with the WOFF2.
 * Plain CommonJS, so that it runs as it is from the sources and from an
 * installed package alike.
 */
const subsetter = `
const {parentPort, workerData} = require('node:worker_threads')
const subsetFont = require(workerData)
parentPort.on('message', ({id, source, characters}) => {
  subsetFont(Buffer.from(source), characters, {targetFormat: 'woff2'}).then(
    (data) => parentPort.postMessage({id, data}),
    (cause) => parentPort.postMessage({id, error: String(cause && cause.message ? cause.message : cause)})
  )
})`

/** Subset faces on one other thread, in turn; `done` ends it once every face asked for is answered. */
function subsetThread(): {subset(file: string, characters: string): Promise<Uint8Array>; done(): void} {
  let worker: Worker | undefined
  const waiting = new Map<number, {file: string; resolve(data: Uint8Array): void; reject(cause: Error): void}>()
  let next = 0
  const fail = (cause: Error) => {
    for (const job of waiting.values()) job.reject(cause)
    waiting.clear()
  }
  return {
    // Synchronous up to the message: the thread starts on it now, not once this one is idle again.
    subset(file, characters) {
      const source = fs.readFileSync(require.resolve(`@expo-google-fonts/literata/${file}`))
      if (!worker) {
        worker = new Worker(subsetter, {eval: true, workerData: require.resolve('subset-font')})
        worker.on('message', ({id, data, error}: {id: number; data?: Uint8Array; error?: string}) => {
          const job = waiting.get(id)
          waiting.delete(id)
          if (data) job?.resolve(new Uint8Array(data))
          else job?.reject(new Error(`Could not subset ${job?.file}: ${error}`))
        })
        worker.on('error', fail)
        worker.on('exit', () => fail(new Error('The font subsetting thread stopped')))
      }
      const id = next++
      const result = new Promise<Uint8Array>((resolve, reject) => waiting.set(id, {file, resolve, reject}))
      worker.postMessage({id, source, characters})
      return result
    },
    done() {
      void worker?.terminate()
    }
  }
}

/** One face subset to `characters`, as WOFF2: from memory, the store, or made on `thread`. */
function face(
  file: string,
  characters: string,
  store: Store | undefined,
  thread: ReturnType<typeof subsetThread>
): Promise<Uint8Array> {
  const key = `font\u0000${hashOf(versions, file, characters)}`
  let result = made.get(key)
  if (!result) {
    const kept = store?.get(key)
    result = kept
      ? Promise.resolve(kept)
      : thread.subset(file, characters).then((data) => {
          store?.set(key, data)
          return data
        })
    made.set(key, result)
    // A face that failed is made again at the next build.
    result.catch(() => made.delete(key))
  }
  return result
}

/**
 * The fonts of a book whose pages hold `characters`: the WOFF2 files, their
 * `@font-face` rules (with paths relative to assets/, for a stylesheet
 * there), and the paths pages preload.
 */
export async function makeFonts(
  characters: string,
  store: Store | undefined,
  /** Whether the pages set anything in italic (`<i>`, `<em>`): the italic face is made only then. */
  italic = true
): Promise<{files: OutputFile[]; css: string; preload: string[]}> {
  const files: OutputFile[] = []
  const rules: string[] = []
  const thread = subsetThread()
  const wanted = faces.filter((entry) => entry.style !== 'italic' || italic)
  // All asked for at once: the thread works through them while this one waits (or makes the EPUB).
  const data = await Promise.all(wanted.map((entry) => face(entry.file, characters, store, thread))).finally(
    thread.done
  )
  wanted.forEach((entry, index) => {
    const path = `assets/${entry.name}.${contentHash(data[index]!, 8)}.woff2`
    files.push({path, contents: data[index]!})
    rules.push(
      `@font-face{font-family:Literata;src:url(${path.slice('assets/'.length)}) format("woff2");font-weight:${entry.weight};font-style:${entry.style};font-display:swap}`
    )
  })
  // Preloaded, the faces are in before the first paint more often, and nothing shifts when they swap in: regular and
  // bold on every page (body, headings), the italic on pages that set italic (see `withFonts`).
  return {files, css: `${rules.join('\n')}\n`, preload: files.map((file) => file.path)}
}

/**
 * The story's stylesheet with the faces' rules at its top, under a name that
 * hashes both: one request for a page's styles, fonts declared included.
 */
export function withFontFaces(stylesheet: OutputFile, fontFaces: string): OutputFile {
  const contents = Buffer.concat([Buffer.from(fontFaces), Buffer.from(stylesheet.contents)])
  return {path: `assets/style.${contentHash(contents, 8)}.css`, contents}
}
