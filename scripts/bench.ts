/**
 * `npm run bench`: build synthetic books of 10, 100 and 1,000 chapters (every
 * feature on: citations, figures, templates, both targets) and print a table:
 * the first build without a cache (timed in a fresh process once Twofold's
 * code is loaded, with its phases and peak RSS), pandoc's EPUB and HTML of
 * the same book for comparison (books of up to 100 chapters, when `pandoc` is
 * installed: `apt-get install -y pandoc`), and the command itself, `twofold
 * build`, timed from its start to its exit as pandoc's are: the build that
 * fills its cache, the same build again, and the build after an edit to the
 * middle chapter (a new citation). Then one long chapter at two sizes, made
 * of CommonMark's spec examples: its parse time per KB must not grow with
 * the chapter.
 * Writes bench-results.json.
 *
 *   npm run bench                      # 10, 100, 1000
 *   npm run bench -- --chapters 100    # one size
 *   npm run bench -- --no-pandoc
 */
import {execFile, spawnSync} from 'node:child_process'
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {parseArgs, promisify} from 'node:util'
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
}

/** The synthetic book's chapter files, in order, as paths. */
async function chapterFiles(book: string): Promise<string[]> {
  return (await fs.readdir(book))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => path.join(book, f))
}

/** In a child process: one full build, without a cache. */
async function child(book: string, out: string): Promise<void> {
  const {build} = await import('../pipeline/build.js')
  const started = performance.now()
  const cpu = process.cpuUsage()
  const result = await build({bookDir: book, outDir: out})
  const wallMs = performance.now() - started
  const used = process.cpuUsage(cpu)
  const webBytes = (result.outputs?.web ?? []).reduce((n, f) => n + f.size, 0)
  const report: ChildResult = {
    ok: result.ok,
    wallMs,
    cpuMs: (used.user + used.system) / 1000,
    maxRssMb: process.resourceUsage().maxRSS / 1024,
    timings: result.timings,
    webBytes,
    epubBytes: result.outputs?.epub.size ?? 0
  }
  process.stdout.write(`${JSON.stringify(report)}\n`)
}

/**
 * This script as the `twofold` command runs: one bundled module (../bin/bundle.js), in a process without tsx, so
 * that peak RSS is the command's.
 */
function childScript(): Promise<string> {
  return bundle({
    entry: path.join(root, 'scripts/bench.ts'),
    dir: path.join(root, 'node_modules/.cache/twofold'),
    name: 'bench',
    packages: 'bundle',
    external: ['@resvg/resvg-js', 'esbuild', 'subset-font', 'tsx']
  })
}

async function runChild(book: string, out: string): Promise<ChildResult> {
  const {stdout} = await run(process.execPath, [await childScript(), '--child', '--book', book, '--out', out], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024,
    env: {...process.env, SOURCE_DATE_EPOCH: '1700000000'}
  })
  return JSON.parse(stdout.trim().split('\n').pop() ?? '{}') as ChildResult
}

async function pandoc(book: string, out: string): Promise<{epubMs: number; htmlMs: number} | undefined> {
  if (spawnSync('pandoc', ['--version']).status !== 0) return undefined
  const chapters = await chapterFiles(book)
  const args = [
    '--citeproc',
    '--bibliography',
    path.join(book, 'references.json'),
    '--metadata',
    'title=Synthetic',
    '--resource-path',
    book
  ]
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
      chapters: {type: 'string', multiple: true},
      'no-pandoc': {type: 'boolean', default: false},
      seed: {type: 'string', default: '1'}
    }
  })
  if (values.child) return child(values.book!, values.out!)

  const sizes = (values.chapters ?? ['10', '100', '1000']).map(Number)
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-bench-'))
  const rows: Row[] = []
  const load = os
    .loadavg()
    .map((value) => value.toFixed(1))
    .join(', ')
  process.stdout.write(`Twofold bench on ${os.cpus().length} cores, node ${process.version}, load average ${load}\n`)
  if (!values['no-pandoc'] && spawnSync('pandoc', ['--version']).status !== 0)
    process.stdout.write('pandoc is not installed (apt-get install -y pandoc): no comparison\n')
  // The command's bundle is made (when its code changed) before any run of it is timed.
  await run(process.execPath, [path.join(root, 'bin/twofold.js'), '--help'])
  for (const chapters of sizes) {
    const book = await writeSyntheticBook({
      chapters,
      out: path.join(work, `book-${chapters}`),
      seed: Number(values.seed)
    })
    const first = await runChild(book, path.join(work, `out-${chapters}`))
    const pandocRun =
      values['no-pandoc'] || chapters > 100 ? undefined : await pandoc(book, path.join(work, `pandoc-${chapters}`))
    // The command with its cache: the build that fills it, the same build again, and after one more cited sentence
    // (with a page no note had) in the middle chapter.
    const cacheDir = path.join(work, `cache-${chapters}`)
    const filling = await runCommand(book, path.join(work, `out-${chapters}`), cacheDir)
    const again = await runCommand(book, path.join(work, `out-${chapters}`), cacheDir)
    const files = await chapterFiles(book)
    await fs.appendFile(
      files[Math.floor(files.length / 2)]!,
      '\nA sentence edited in for the benchmark [@ref001, p. 4321].\n'
    )
    const edited = await runCommand(book, path.join(work, `out-${chapters}`), cacheDir)
    rows.push({
      chapters,
      first,
      pandoc: pandocRun,
      command: {filling, again, edited}
    })
  }
  process.stdout.write(`\n${table(rows)}\n`)
  if (rows.length > 1) {
    // The largest book against the second size (the smallest is mostly start-up).
    const base = rows[rows.length >= 3 ? 1 : 0]!
    const last = rows[rows.length - 1]!
    const growth = last.first.wallMs / last.chapters / (base.first.wallMs / base.chapters)
    process.stdout.write(
      `\nGrowth: ${growth.toFixed(2)}× time per chapter from ${base.chapters} to ${last.chapters} chapters (${growth < 1.5 ? 'linear' : 'super-linear'})\n`
    )
  }
  const long = await longChapter(work)
  const [small, large] = long
  const perKb = (entry: LongChapter) => entry.parseMs / entry.kb
  const longGrowth = perKb(large!) / perKb(small!)
  process.stdout.write(
    `\nOne long chapter of CommonMark's examples: parse ${long.map((entry) => `${s(entry.parseMs)} at ${entry.kb} KB`).join(', ')}; ${longGrowth.toFixed(2)}× time per KB (${longGrowth < 1.5 ? 'linear' : 'super-linear'})\n`
  )
  const resultPath = path.join(root, 'bench-results.json')
  await fs.writeFile(
    resultPath,
    `${JSON.stringify({date: new Date().toISOString(), node: process.version, cores: os.cpus().length, loadAverage: os.loadavg(), rows, long}, null, 2)}\n`
  )
  process.stdout.write(`Results written to ${path.relative(process.cwd(), resultPath)}\n`)
  await fs.rm(work, {recursive: true, force: true})
}

/** Seconds, as the tables show them. */
function s(ms: number): string {
  return `${(ms / 1000).toFixed(2)} s`
}

/** The parse of one long chapter. */
interface LongChapter {
  kb: number
  parseMs: number
}

/**
 * One chapter of 100 KB and one of 400 KB, each CommonMark's spec examples
 * over and over (block quotes, lazy lines, lists, emphasis, links…), built
 * without a cache: their parse times. Sections whose examples leave a block
 * open to the end (an unclosed fence or HTML block) are left out, or the rest
 * of the chapter would be one code block. A construct that costs more than
 * linear time shows here: micromark 4.0.3's block quotes took 20 s for 4,000
 * of them (package.json pins 4.0.2).
 */
async function longChapter(work: string): Promise<LongChapter[]> {
  const spec = createRequire(import.meta.url)('commonmark-spec') as {
    tests: Array<{markdown: string; section: string}>
  }
  const open = new Set(['Fenced code blocks', 'HTML blocks', 'Raw HTML'])
  const sample = spec.tests
    .filter((example) => !open.has(example.section))
    .map((example) => example.markdown)
    .join('\n\n')
  const result: LongChapter[] = []
  for (const kb of [100, 400]) {
    const book = path.join(work, `long-${kb}`)
    await fs.mkdir(book, {recursive: true})
    await fs.writeFile(
      path.join(book, 'book.yaml'),
      'title: One long chapter\nauthors: Bench Writer\nlanguage: en\ndescription: CommonMark examples, over and over.\ndate: 2026-01-01\nebook: long\n'
    )
    let text = ''
    while (text.length < kb * 1024) text += `${sample}\n\n`
    await fs.writeFile(path.join(book, '01-long.md'), `---\ntitle: Long\n---\n\n${text.slice(0, kb * 1024)}\n`)
    // The examples' images and links name files that are not there: the build stops after the parse, which is timed.
    const built = await runChild(book, path.join(work, `long-out-${kb}`))
    result.push({kb, parseMs: built.timings.parse ?? 0})
  }
  return result
}

/** One book's figures. */
interface Row {
  chapters: number
  first: ChildResult
  pandoc: {epubMs: number; htmlMs: number} | undefined
  command: {filling: CommandResult; again: CommandResult; edited: CommandResult}
}

/** The bench's table: a row per book size, then the first build's phases. */
function table(rows: Row[]): string {
  const ratio = (row: Row, ms: number) =>
    row.pandoc ? ` (${((row.pandoc.epubMs + row.pandoc.htmlMs) / ms).toFixed(1)}×)` : ''
  const command = (row: Row, result: CommandResult) =>
    `${s(result.wallMs)}${ratio(row, result.wallMs)}${result.ok ? '' : ' FAILED'}`
  const lines = [
    [
      'chapters',
      'first build, no cache',
      'peak RSS',
      'pandoc EPUB+HTML',
      'command, filling cache',
      'command, unchanged',
      'command, one edit'
    ],
    ...rows.map((row) => [
      String(row.chapters),
      `${s(row.first.wallMs)}${ratio(row, row.first.wallMs)}${row.first.ok ? '' : ' FAILED'}`,
      `${row.first.maxRssMb.toFixed(0)} MB`,
      row.pandoc ? s(row.pandoc.epubMs + row.pandoc.htmlMs) : '-',
      command(row, row.command.filling),
      `${command(row, row.command.again)}, ${row.command.again.cachedChapters} cached`,
      `${command(row, row.command.edited)}, ${row.command.edited.cachedChapters} cached`
    ])
  ]
  const phases = ['load', 'parse', 'assets', 'web', 'epub', 'fonts', 'write']
  const phaseLines = [
    ['chapters', ...phases.map((p) => `${p} (s)`), 'web', 'EPUB'],
    ...rows.map((row) => [
      String(row.chapters),
      ...phases.map((p) => ((row.first.timings[p] ?? 0) / 1000).toFixed(2)),
      `${(row.first.webBytes / 1048576).toFixed(1)} MB`,
      `${(row.first.epubBytes / 1048576).toFixed(1)} MB`
    ])
  ]
  return `Wall time; in brackets, how many times faster than pandoc\n${format(lines)}\n\nThe first build, by phase\n${format(phaseLines)}`
}

/** Rows as a Markdown table, columns padded. */
function format(rows: string[][]): string {
  const widths = rows[0]!.map((_, column) => Math.max(...rows.map((row) => row[column]!.length)))
  const line = (row: string[]) => `| ${row.map((cell, column) => cell.padEnd(widths[column]!)).join(' | ')} |`
  return [line(rows[0]!), `|${widths.map((w) => '-'.repeat(w + 2)).join('|')}|`, ...rows.slice(1).map(line)].join('\n')
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
  const result = await run(
    process.execPath,
    [
      '--import',
      pathToFileURL(path.join(root, 'scripts/bench-usage.mjs')).href,
      path.join(root, 'bin/twofold.js'),
      'build',
      book,
      '--out',
      out
    ],
    {
      cwd: root,
      maxBuffer: 64 * 1024 * 1024,
      env: {
        ...process.env,
        SOURCE_DATE_EPOCH: '1700000000',
        TWOFOLD_CACHE_DIR: cacheDir,
        TWOFOLD_BENCH_USAGE: usageFile,
        NO_COLOR: '1'
      }
    }
  ).then(
    ({stdout}) => ({ok: true, stdout}),
    (cause: {stdout?: string}) => ({ok: false, stdout: cause.stdout ?? ''})
  )
  const wallMs = performance.now() - started
  const usage = JSON.parse(await fs.readFile(usageFile, 'utf8')) as {
    cpuMs: number
    maxRssMb: number
  }
  const cachedChapters = Number(/\((\d+) of \d+ chapters unchanged/.exec(result.stdout)?.[1] ?? 0)
  return {
    ok: result.ok,
    wallMs,
    cpuMs: usage.cpuMs,
    maxRssMb: usage.maxRssMb,
    cachedChapters
  }
}

await main()
