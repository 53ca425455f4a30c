/**
 * `npm run bench`: build synthetic books of 10, 100 and 1,000 chapters (every
 * feature on: citations, figures, templates, both targets) and print wall
 * time, peak RSS, output sizes, time per chapter and whether growth stays
 * linear; the incremental rebuild after editing one chapter (web page and
 * EPUB separately); and, when `pandoc` is installed, the same book through
 * `pandoc --citeproc` to EPUB and standalone HTML, as a ratio measured in the
 * same run (install it with `apt-get install -y pandoc`; without it the
 * comparison is skipped); and the command itself, `twofold build`, timed
 * from its start to its exit as pandoc is, with the build cache it keeps:
 * the build that fills it, the same build again and the build after an
 * edit to one chapter. Writes bench-results.json. The first build of each
 * size (with its phases) runs in a fresh process that loads Twofold as the
 * command does (one bundled module, no tsx), after its code is loaded (and
 * the worker threads' bundle made): what is timed there is the build alone.
 *
 *   npm run bench                      # 10, 100, 1000
 *   npm run bench -- --chapters 100    # one size
 *   npm run bench -- --no-pandoc
 *   npm run bench -- --no-floor        # without timing the parser alone
 *   TWOFOLD_WORKERS=1 npm run bench    # parse on a worker thread too (see pipeline/parallel.ts)
 */
import {execFile, spawnSync} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {parseArgs, promisify} from 'node:util'
import {isMainThread, Worker, workerData, parentPort} from 'node:worker_threads'
import {bundle} from '../bin/bundle.js'
import {writeSyntheticBook} from './synth-book.js'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '..')

interface ChildResult {
  ok: boolean
  wallMs: number
  /** CPU time of the build (all threads of the process): on a shared machine, less noisy than wall time. */
  cpuMs: number
  maxRssMb: number
  timings: Record<string, number>
  webBytes: number
  epubBytes: number
  incremental?: {parsed: number; reused: number; totalMs: number; previewMs: number; loadMs: number; parseMs: number; previewWebMs: number; previewWriteMs: number; webMs: number; epubMs: number}
  /** Chapters parsed by each worker thread and by the main thread (last), when the book was parsed in parallel. */
  parallel?: {workers: number; chapters: number[]}
  /** What parsing the same chapters costs with the parser alone, warmed up, on this machine now (see `parseFloor`). */
  floor?: ParseFloor
}

/**
 * The least any build of the book can cost on this machine with remark-parse (which Twofold must use): the time to
 * parse every chapter to mdast with the parser alone, its JIT warmed up, no plugin run, nothing rendered; once with
 * remark-parse alone (CommonMark) and once with the syntax the chapters are written in (frontmatter, directives and
 * GFM, as Twofold sets them up); and how much more two threads parse at once than one (2 on two free cores, 1 when
 * the threads share one).
 */
interface ParseFloor {
  commonmarkMs: number
  syntaxMs: number
  /** Chapters two threads parse in the time one thread parses them once, divided by that one thread's count (books of 100 chapters and more, on their first 100). */
  twoThreads?: number
}

type FloorJob = {book: string; syntax: boolean; limit: number}

/** In a worker thread: parse the first chapters twice to warm the JIT up, then, after a `go`, every chapter, and post the time. */
async function floorWorker(job: FloorJob): Promise<void> {
  const texts = (await chapterTexts(job.book)).slice(0, job.limit)
  const parse = await floorParser(job.syntax)
  for (let round = 0; round < 2; round++) for (const text of texts.slice(0, 40)) parse(text)
  parentPort!.postMessage('ready')
  await new Promise((resolve) => parentPort!.once('message', resolve))
  const t = performance.now()
  for (const text of texts) parse(text)
  parentPort!.postMessage(performance.now() - t)
}

/** The synthetic book's chapter files, in order, as paths. */
async function chapterFiles(book: string): Promise<string[]> {
  return (await fs.readdir(book))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => path.join(book, f))
}

async function chapterTexts(book: string): Promise<string[]> {
  return Promise.all((await chapterFiles(book)).map((file) => fs.readFile(file, 'utf8')))
}

/** remark-parse alone, or Twofold's processor's parser (its syntax extensions; the plugins that change trees do not run on a parse). */
async function floorParser(syntax: boolean): Promise<(text: string) => unknown> {
  if (!syntax) {
    const {unified} = await import('unified')
    const {default: remarkParse} = await import('remark-parse')
    const processor = unified().use(remarkParse)
    return (text) => processor.parse(text)
  }
  const {createProcessor} = await import('../pipeline/parse/processor.js')
  const none = {get: async () => undefined, has: () => false, names: () => []}
  const processor = createProcessor({graphics: none as never, references: new Map()})
  return (text) => processor.parse(text)
}

/** Time `threads` worker threads each parsing the whole book at once (once warmed up): the slowest thread's time. */
async function timeFloor(book: string, syntax: boolean, threads: number, limit = Infinity): Promise<number> {
  // This script is bundled (see `childScript`): the worker runs the bundle, and finds its job in `workerData`.
  const workers = Array.from({length: threads}, () => new Worker(process.argv[1]!, {workerData: {floor: {book, syntax, limit} satisfies FloorJob}}))
  const replies = workers.map((worker) => {
    let ready!: () => void
    const isReady = new Promise<void>((resolve) => (ready = resolve))
    const done = new Promise<number>((resolve, reject) => {
      worker.on('message', (message: 'ready' | number) => (message === 'ready' ? ready() : resolve(message)))
      worker.once('error', reject)
    })
    return {isReady, done}
  })
  await Promise.all(replies.map((reply) => reply.isReady))
  for (const worker of workers) worker.postMessage('go')
  const times = await Promise.all(replies.map((reply) => reply.done))
  await Promise.all(workers.map((worker) => worker.terminate()))
  return Math.max(...times)
}

/**
 * The floor of a book. Two threads are timed on its first 100 chapters (enough for the ratio; a smaller book parses
 * in less time than the threads take to start together, so it is not timed).
 */
async function parseFloor(book: string): Promise<ParseFloor> {
  const commonmarkMs = await timeFloor(book, false, 1)
  const syntaxMs = await timeFloor(book, true, 1)
  const chapters = (await chapterFiles(book)).length
  if (chapters < 100) return {commonmarkMs, syntaxMs}
  const oneThread = chapters === 100 ? commonmarkMs : await timeFloor(book, false, 1, 100)
  return {commonmarkMs, syntaxMs, twoThreads: (2 * oneThread) / (await timeFloor(book, false, 2, 100))}
}

/** In a child process: one full build, without the build cache (and optionally an incremental rebuild after editing one chapter). */
async function child(book: string, out: string, incremental: boolean, floor: boolean): Promise<void> {
  const {build} = await import('../pipeline/build.js')
  const {BuildSession} = await import('../pipeline/output/session.js')
  const {lastParallel, workerBundle, workerCount} = await import('../pipeline/parse/parallel.js')
  const {citationWorkerBundle} = await import('../pipeline/citations/worker.js')
  // The worker threads' code, like the rest of Twofold's, is ready before the clock starts (made once per code change).
  if (workerCount() > 0) await workerBundle().catch(() => undefined)
  await citationWorkerBundle()
  const session = incremental ? new BuildSession() : undefined
  const started = performance.now()
  const cpu = process.cpuUsage()
  const result = await build({bookDir: book, outDir: out, session})
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  const cpuMs = (used.user + used.system) / 1000
  const webBytes = (result.outputs?.web ?? []).reduce((n, f) => n + f.size, 0)
  const report: ChildResult = {ok: result.ok, wallMs, cpuMs, maxRssMb: 0, timings: result.timings, webBytes, epubBytes: result.outputs?.epub.size ?? 0}
  if (lastParallel.workers > 0) report.parallel = {workers: lastParallel.workers, chapters: [...lastParallel.chapters]}
  if (incremental && result.ok) {
    // Edit the middle chapter three times (one more cited sentence each time, so every later chapter is renumbered),
    // as `twofold dev` rebuilds: the web story is written first (preview), then the EPUB. The median of each measure.
    const files = await chapterFiles(book)
    const target = files[Math.floor(files.length / 2)]!
    const runs: NonNullable<ChildResult['incremental']>[] = []
    for (let edit = 1; edit <= 3; edit++) {
      await fs.appendFile(target, `\nAn edited closing sentence ${edit} for the benchmark [@ref001].\n`)
      const again = performance.now()
      let previewMs = 0
      const second = await build({bookDir: book, outDir: out, session, onPreview: () => (previewMs = performance.now() - again)})
      runs.push({
        parsed: session!.stats.parsed,
        reused: session!.stats.reused,
        totalMs: performance.now() - again,
        previewMs,
        loadMs: second.timings.load ?? 0,
        parseMs: second.timings.parse ?? 0,
        previewWebMs: second.timings.previewWeb ?? 0,
        previewWriteMs: second.timings.previewWrite ?? 0,
        webMs: second.timings.web ?? 0,
        epubMs: second.timings.epub ?? 0
      })
    }
    const median = (pick: (run: (typeof runs)[number]) => number) => runs.map(pick).sort((a, b) => a - b)[1]!
    report.incremental = {
      parsed: runs[0]!.parsed,
      reused: runs[0]!.reused,
      totalMs: median((r) => r.totalMs),
      previewMs: median((r) => r.previewMs),
      loadMs: median((r) => r.loadMs),
      parseMs: median((r) => r.parseMs),
      previewWebMs: median((r) => r.previewWebMs),
      previewWriteMs: median((r) => r.previewWriteMs),
      webMs: median((r) => r.webMs),
      epubMs: median((r) => r.epubMs)
    }
  }
  report.maxRssMb = process.resourceUsage().maxRSS / 1024
  // After the build (and its peak RSS): what the parser alone costs for the same chapters.
  if (floor) report.floor = await parseFloor(book)
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

/**
 * This script as the `twofold` command runs: one bundled module (../bin/bundle.js), in a process without tsx, so
 * that peak RSS is the command's.
 */
function childScript(): Promise<string> {
  return bundle({entry: path.join(root, 'scripts/bench.ts'), dir: path.join(root, 'node_modules/.cache/twofold'), name: 'bench', packages: 'bundle', external: ['@resvg/resvg-js', 'esbuild', 'tsx']})
}

async function runChild(book: string, out: string, incremental: boolean, floor: boolean): Promise<ChildResult> {
  const options = [...(incremental ? ['--incremental'] : []), ...(floor ? [] : ['--no-floor'])]
  const {stdout} = await run(process.execPath, [await childScript(), '--child', '--book', book, '--out', out, ...options], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    env: {...process.env, SOURCE_DATE_EPOCH: '1700000000'}
  })
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult
}

async function pandoc(book: string, out: string): Promise<{epubMs: number; htmlMs: number} | undefined> {
  if (spawnSync('pandoc', ['--version']).status !== 0) return undefined
  const chapters = await chapterFiles(book)
  const args = ['--citeproc', '--bibliography', path.join(book, 'references.json'), '--metadata', 'title=Synthetic', '--resource-path', book]
  await fs.mkdir(out, {recursive: true})
  let t = performance.now()
  await run('pandoc', [...args, '-o', path.join(out, 'book.epub'), ...chapters], {maxBuffer: 256 * 1024 * 1024})
  const epubMs = performance.now() - t
  t = performance.now()
  await run('pandoc', [...args, '-s', '-o', path.join(out, 'book.html'), ...chapters], {maxBuffer: 256 * 1024 * 1024})
  const htmlMs = performance.now() - t
  return {epubMs, htmlMs}
}

async function main() {
  const {values} = parseArgs({
    options: {
      child: {type: 'boolean', default: false},
      book: {type: 'string'},
      out: {type: 'string'},
      incremental: {type: 'boolean', default: false},
      chapters: {type: 'string', multiple: true},
      'no-pandoc': {type: 'boolean', default: false},
      'no-floor': {type: 'boolean', default: false},
      seed: {type: 'string', default: '1'}
    }
  })
  if (values.child) return child(values.book!, values.out!, values.incremental, !values['no-floor'])

  const sizes = (values.chapters ?? ['10', '100', '1000']).map(Number)
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-bench-'))
  const rows: Array<Record<string, unknown>> = []
  const load = os.loadavg().map((value) => value.toFixed(1)).join(', ')
  process.stdout.write(`Twofold bench on ${os.cpus().length} cores, node ${process.version}, load average ${load}\n`)
  if (!values['no-pandoc'] && spawnSync('pandoc', ['--version']).status !== 0) process.stdout.write('pandoc is not installed (apt-get install -y pandoc): no comparison\n')
  process.stdout.write('\n')
  // The command's bundle is made (when its code changed) before any run of it is timed.
  await run(process.execPath, [path.join(root, 'bin/twofold.js'), '--help'])
  for (const chapters of sizes) {
    const book = await writeSyntheticBook({chapters, out: path.join(work, `book-${chapters}`), seed: Number(values.seed)})
    const ours = await runChild(book, path.join(work, `out-${chapters}`), chapters === 100, !values['no-floor'])
    const theirs = values['no-pandoc'] || chapters > 100 ? undefined : await pandoc(book, path.join(work, `pandoc-${chapters}`))
    // `twofold build` with its cache (the build above has none): the first build, which fills it; the same build
    // again, nothing changed; and again after one more cited sentence (with a page no note had) in the middle chapter.
    // Each is the command itself (`node bin/twofold.js build`), timed from its start to its exit, as pandoc's are.
    const cacheDir = path.join(work, `cache-${chapters}`)
    const first = await runCommand(book, path.join(work, `out-${chapters}`), cacheDir)
    const again = await runCommand(book, path.join(work, `out-${chapters}`), cacheDir)
    const files = await chapterFiles(book)
    await fs.appendFile(files[Math.floor(files.length / 2)]!, '\nA sentence edited in for the benchmark [@ref001, p. 4321].\n')
    const edited = await runCommand(book, path.join(work, `out-${chapters}`), cacheDir)
    const rebuild = {first, again, edited}
    const row = {
      chapters,
      ok: ours.ok,
      wallS: ours.wallMs / 1000,
      cpuS: ours.cpuMs / 1000,
      msPerChapter: ours.wallMs / chapters,
      maxRssMb: ours.maxRssMb,
      webMb: ours.webBytes / 1024 / 1024,
      epubMb: ours.epubBytes / 1024 / 1024,
      timings: ours.timings,
      incremental: ours.incremental,
      parallel: ours.parallel,
      pandoc: theirs,
      floor: ours.floor,
      command: Object.fromEntries(Object.entries(rebuild).map(([k, r]) => [k, {ok: r.ok, wallS: r.wallMs / 1000, cpuS: r.cpuMs / 1000, maxRssMb: r.maxRssMb, cachedChapters: r.cachedChapters}])),
      ratio: theirs ? (theirs.epubMs + theirs.htmlMs) / ours.wallMs : undefined
    }
    rows.push(row)
    const phases = ['load', 'parse', 'assets', 'epub', 'web', 'write'].map((k) => `${k} ${((ours.timings[k] ?? 0) / 1000).toFixed(2)}`).join(', ')
    process.stdout.write(
      `${String(chapters).padStart(5)} chapters: ${row.wallS.toFixed(2)} s (${row.msPerChapter.toFixed(1)} ms/chapter, CPU ${row.cpuS.toFixed(2)} s), peak RSS ${row.maxRssMb.toFixed(0)} MB, web ${row.webMb.toFixed(1)} MB, epub ${row.epubMb.toFixed(1)} MB${ours.ok ? '' : ' BUILD FAILED'}\n` +
        `        phases (s): ${phases}${ours.parallel ? `; parsed by ${ours.parallel.workers} worker thread${ours.parallel.workers === 1 ? '' : 's'} and the main thread (${ours.parallel.chapters.join(' + ')} chapters)` : ''}\n` +
        (theirs ? `        pandoc: epub ${(theirs.epubMs / 1000).toFixed(2)} s + html ${(theirs.htmlMs / 1000).toFixed(2)} s → Twofold is ${row.ratio!.toFixed(1)}× faster\n` : '') +
        (ours.floor ? `        ${floorLine(ours.floor, theirs ? {ms: (theirs.epubMs + theirs.htmlMs) / 8, what: '8× pandoc'} : chapters === 1000 ? {ms: 10_000, what: 'the 10 s target'} : undefined)}\n` : '') +
        (ours.incremental
          ? `        edit one chapter: preview ${ours.incremental.previewMs.toFixed(0)} ms, EPUB ${ours.incremental.totalMs.toFixed(0)} ms (parsed ${ours.incremental.parsed}, reused ${ours.incremental.reused}; ` +
            `preview: load ${ours.incremental.loadMs.toFixed(0)}, parse ${ours.incremental.parseMs.toFixed(0)}, web ${ours.incremental.previewWebMs.toFixed(0)}, write ${ours.incremental.previewWriteMs.toFixed(0)} ms; ` +
            `then epub ${ours.incremental.epubMs.toFixed(0)} ms)\n`
          : '') +
        `        twofold build (the command, start-up included) with its cache: ${commandLine(first, chapters, theirs)} the first time (filling it); again, nothing changed, ${commandLine(again, chapters, theirs)}; after editing one chapter, ${commandLine(edited, chapters, theirs)}\n`
    )
  }
  if (rows.length > 1) {
    // Compare the largest book with the second size (the smallest is dominated by start-up costs).
    const base = rows[rows.length >= 3 ? 1 : 0]
    const last = rows[rows.length - 1]
    const growth = (last.msPerChapter as number) / (base.msPerChapter as number)
    process.stdout.write(`\nGrowth: ${growth.toFixed(2)}× time per chapter from ${base.chapters} to ${last.chapters} chapters (${growth < 1.5 ? 'linear' : 'super-linear'})\n`)
  }
  const resultPath = path.join(root, 'bench-results.json')
  await fs.writeFile(resultPath, `${JSON.stringify({date: new Date().toISOString(), node: process.version, cores: os.cpus().length, loadAverage: os.loadavg(), rows}, null, 2)}\n`)
  process.stdout.write(`Results written to ${path.relative(process.cwd(), resultPath)}\n`)
  await fs.rm(work, {recursive: true, force: true})
}

/** A run of the command, in a few words (with its ratio to pandoc's full build). */
function commandLine(result: CommandResult, chapters: number, pandoc: {epubMs: number; htmlMs: number} | undefined): string {
  const ratio = pandoc ? `, ${((pandoc.epubMs + pandoc.htmlMs) / result.wallMs).toFixed(1)}× pandoc` : ''
  return `${(result.wallMs / 1000).toFixed(2)} s (CPU ${(result.cpuMs / 1000).toFixed(2)} s, ${result.maxRssMb.toFixed(0)} MB, ${result.cachedChapters}/${chapters} chapters from the cache${ratio})${result.ok ? '' : ' BUILD FAILED'}`
}

/** A run of `twofold build` as a user runs it. */
interface CommandResult {
  ok: boolean
  /** From the process's start to its exit. */
  wallMs: number
  cpuMs: number
  maxRssMb: number
  cachedChapters: number
}

/**
 * Run `node bin/twofold.js build book --out out` with its cache in `cacheDir`
 * (`TWOFOLD_CACHE_DIR`); the process writes its CPU time and peak RSS as it
 * exits (./bench-usage.mjs, loaded with `--import`).
 */
async function runCommand(book: string, out: string, cacheDir: string): Promise<CommandResult> {
  const usageFile = path.join(cacheDir, '..', `usage-${process.pid}.json`)
  const started = performance.now()
  const result = await run(process.execPath, ['--import', pathToFileURL(path.join(root, 'scripts/bench-usage.mjs')).href, path.join(root, 'bin/twofold.js'), 'build', book, '--out', out], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    env: {...process.env, SOURCE_DATE_EPOCH: '1700000000', TWOFOLD_CACHE_DIR: cacheDir, TWOFOLD_BENCH_USAGE: usageFile, NO_COLOR: '1'}
  }).then(
    ({stdout}) => ({ok: true, stdout}),
    (cause: {stdout?: string}) => ({ok: false, stdout: cause.stdout ?? ''})
  )
  const wallMs = performance.now() - started
  const usage = JSON.parse(await fs.readFile(usageFile, 'utf8')) as {cpuMs: number; maxRssMb: number}
  const cachedChapters = Number(/\((\d+) of \d+ chapters unchanged/.exec(result.stdout)?.[1] ?? 0)
  return {ok: result.ok, wallMs, cpuMs: usage.cpuMs, maxRssMb: usage.maxRssMb, cachedChapters}
}

/** The parse floor, and how much of a target's time it takes (spread over two threads, at the speed-up measured). */
function floorLine(floor: ParseFloor, target: {ms: number; what: string} | undefined): string {
  const s = (ms: number) => `${(ms / 1000).toFixed(2)} s`
  let line = `parser alone, warmed up: remark-parse ${s(floor.commonmarkMs)}, with GFM, directives and frontmatter ${s(floor.syntaxMs)}`
  if (floor.twoThreads === undefined) return line
  line += `; two threads at once parse ${floor.twoThreads.toFixed(2)}× what one does`
  if (target) {
    const least = floor.syntaxMs / floor.twoThreads
    line += `\n        ${target.what} allows ${s(target.ms)}; parsing alone, over two threads, takes ${s(least)}: ${((100 * least) / target.ms).toFixed(0)} % of it`
  }
  return line
}

const job = isMainThread ? undefined : (workerData as {floor?: FloorJob} | undefined)?.floor
if (job) await floorWorker(job)
else await main()
