/**
 * The `twofold` command line: `twofold build [bookDir] [--out dir] [--strict]`
 * and `twofold dev`. Problems print one per line as
 * `file:line:column  severity  reason  rule-id  source`; errors exit with
 * code 1 and leave the previous output untouched. On a terminal, output is
 * coloured and long builds show a progress line; in CI and in pipes it is
 * plain text.
 */
import path from 'node:path'
import {parseArgs} from 'node:util'
import {wordCount} from './assets.js'
import {build, type BuildResult, type ProgressListener} from './build.js'
import {countLine, formatMessages, isInteractive} from './messages.js'
import {OutputError} from './write.js'

const usage = `Usage: twofold <command> [bookDir] [options]

Commands:
  build [bookDir]   Build the web story and the EPUB (default bookDir: chapters)
  dev [bookDir]     Build, serve the web story on 127.0.0.1, rebuild on change

Options:
  --out <dir>       Output directory (default: dist)
  --strict          Treat warnings as errors
  --no-cache        Parse every chapter (build keeps parsed chapters in node_modules/.cache/twofold)
  --port <n>        Port for dev (default: 4321; 0 picks a free one)
  -h, --help        Show this help`

/** Exit code of an internal error (a bug in Twofold, not in the book). */
export const internalErrorCode = 70

/** How the command runs: `version` names its code (the bundle `bin/twofold.js` loaded), for the parse cache. */
export interface MainOptions {
  version?: string | undefined
}

/** Where `twofold build` keeps parsed chapters and notes (see ./build-cache.ts): `TWOFOLD_CACHE_DIR`, else in node_modules/.cache. */
export function parseCacheDir(): string {
  const wanted = process.env.TWOFOLD_CACHE_DIR
  return wanted ? path.resolve(wanted) : path.resolve(import.meta.dirname, '../node_modules/.cache/twofold/parses')
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: {type: 'string', default: 'dist'},
        strict: {type: 'boolean', default: false},
        'no-cache': {type: 'boolean', default: false},
        port: {type: 'string', default: '4321'},
        help: {type: 'boolean', short: 'h', default: false}
      }
    })
  } catch (cause) {
    process.stderr.write(`twofold: ${(cause as Error).message}\n\n${usage}\n`)
    return 2
  }
  const [command, bookDir = 'chapters', ...rest] = parsed.positionals
  if (parsed.values.help || !command) {
    process.stdout.write(`${usage}\n`)
    return command || parsed.values.help ? 0 : 2
  }
  if (rest.length > 0) {
    process.stderr.write(`twofold: unexpected argument \`${rest[0]}\`\n\n${usage}\n`)
    return 2
  }
  const port = Number(parsed.values.port)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) {
    process.stderr.write(`twofold: unexpected port \`${parsed.values.port}\`, expected a number from 0 to 65535\n`)
    return 2
  }
  try {
    if (command === 'build') {
      const progress = progressLine(process.stderr)
      let result: BuildResult
      try {
        // Without a bundle (sources run through tsx) there is no version to key the cache by, and no cache.
        const cache = options.version && !parsed.values['no-cache'] && process.env.TWOFOLD_CACHE !== '0' ? {dir: parseCacheDir(), version: options.version} : undefined
        result = await build({bookDir, outDir: parsed.values.out, strict: parsed.values.strict, onProgress: progress.update, cache})
      } finally {
        progress.done()
      }
      return report(result, parsed.values.out, parsed.values.strict)
    }
    if (command === 'dev') {
      const {dev} = await import('./dev.js')
      return await dev({bookDir, outDir: parsed.values.out, port, strict: parsed.values.strict})
    }
    if (command === '__dev-worker') {
      // The build process of `twofold dev` (see pipeline/dev.ts); not for people.
      const {devWorker} = await import('./dev.js')
      return await devWorker({bookDir, outDir: parsed.values.out, strict: parsed.values.strict})
    }
  } catch (cause) {
    return crashed(cause)
  }
  process.stderr.write(`twofold: unknown command \`${command}\`\n\n${usage}\n`)
  return 2
}

/**
 * Print an exception that escaped the build: an `OutputError` is a problem
 * with the output directory (exit 1); anything else is a bug in Twofold
 * (exit 70). Stacks print only with `TWOFOLD_DEBUG=1`.
 */
export function crashed(cause: unknown): number {
  const debug = Boolean(process.env.TWOFOLD_DEBUG)
  if (cause instanceof OutputError) {
    process.stderr.write(`twofold: ${cause.message}\n`)
    return 1
  }
  const message = cause instanceof Error ? cause.message : String(cause)
  process.stderr.write(
    debug && cause instanceof Error && cause.stack
      ? `twofold: internal error: ${cause.stack}\n`
      : `twofold: internal error: ${message.split('\n')[0]}\n  This is a bug in Twofold, not in the book: please report it with the input (TWOFOLD_DEBUG=1 shows where it happened).\n`
  )
  return internalErrorCode
}

/** Print messages and the summary of a build; returns the exit code. */
export function report(result: BuildResult, outDir: string, strict = false): number {
  const color = isInteractive(process.stderr)
  const messages = formatMessages(result.files, {color})
  if (messages) process.stderr.write(`${messages}\n${countLine(result.files, {color})}\n`)
  if (!result.ok) {
    process.stderr.write(`twofold: build failed${strict ? ' (--strict: warnings count as errors)' : ''}; ${outDir}/ was left as it was\n`)
    return 1
  }
  process.stdout.write(`${summary(result, outDir)}\n`)
  return 0
}

/** A one-screen summary of a successful build: what was built, how big, how long. */
export function summary(result: BuildResult, outDir: string): string {
  const book = result.book
  if (!book || !result.outputs) return ''
  let words = 0
  let citations = 0
  const images = new Set<string>()
  for (const chapter of book.chapters) {
    words += wordCount(chapter.tree)
    citations += chapter.file.data.citations?.length ?? 0
    for (const absolute of Object.values(chapter.file.data.images ?? {})) images.add(absolute)
  }
  const warnings = result.files.reduce((n, f) => n + f.messages.filter((m) => m.fatal === false).length, 0)
  const webBytes = result.outputs.web.reduce((n, f) => n + f.size, 0)
  const staticFigures = result.outputs.web.filter((f) => f.path.startsWith('figures/')).length
  const reused = result.cached?.chapters ? ` (${result.cached.chapters} of ${book.chapters.length} chapters unchanged, read from the cache)` : ''
  return [
    `twofold: built “${book.meta.title}” in ${((result.timings.total ?? 0) / 1000).toFixed(2)} s${reused}`,
    `  chapters ${book.chapters.length}, words ${words}, citations ${citations}, graphics ${book.graphics.size} (${staticFigures} static figures), images ${images.size}, warnings ${warnings}`,
    `  web  ${path.join(outDir, 'web')}/ (${result.outputs.web.length} files, ${size(webBytes)})`,
    `  epub ${path.join(outDir, `${book.meta.ebook}.epub`)} (${size(result.outputs.epub.size)})`
  ].join('\n')
}

function size(bytes: number): string {
  return bytes < 1024 * 1024 ? `${Math.max(1, Math.round(bytes / 1024))} KB` : `${(bytes / 1024 / 1024).toFixed(1)} MB`
}

/**
 * A progress line on `stream` when it is an interactive terminal (`parsing
 * 37/100`), redrawn at most every 100 ms and shown only once a build has run
 * for 300 ms; a no-op in CI and in pipes.
 */
export function progressLine(stream: NodeJS.WriteStream): {update: ProgressListener; done: () => void} {
  if (!isInteractive(stream)) return {update: () => {}, done: () => {}}
  const started = performance.now()
  let last = 0
  let shown = false
  return {
    update(phase, done, total) {
      const now = performance.now()
      if (now - started < 300 || (now - last < 100 && done !== total)) return
      last = now
      shown = true
      stream.write(`\r\u001B[2K${phase}${total > 0 ? ` ${done}/${total}` : ''}…`)
    },
    done() {
      if (shown) stream.write('\r\u001B[2K')
    }
  }
}
