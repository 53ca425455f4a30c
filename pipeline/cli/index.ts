/**
 * The `twofold` command line: `twofold build [bookDir] [--out dir] [--strict]`
 * and `twofold dev`. Problems print one per line as
 * `file:line:column  severity  reason  rule-id  source`; errors exit with
 * code 1 and leave the previous output untouched. On a terminal, output is
 * coloured and long builds show a progress line; in CI and in pipes it is
 * plain text.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {parseArgs} from 'node:util'
import {type BuildResult, build} from '../build.js'
import {hashOf, Store} from '../output/store.js'
import {crashed, progressLine, report} from './report.js'

const usage = `Usage: twofold <command> [bookDir] [options]

Commands:
  build [bookDir]   Build the web story and the EPUB (default bookDir: chapters)
  dev [bookDir]     Build, serve the web story on 127.0.0.1, rebuild on change
  new <dir>         Write a small starter book into a new or empty folder

Options:
  --out <dir>       Output directory (default: dist)
  --strict          Treat warnings as errors
  --no-cache        Make everything afresh (builds keep parsed chapters, notes and
                    EPUB entries in node_modules/.cache/twofold)
  --port <n>        Port for dev (default: 4321; 0 picks a free one)
  -h, --help        Show this help`

/** How the command runs: `version` names its code (the bundle `bin/twofold.js` loaded), for the parse cache. */
export interface MainOptions {
  version?: string | undefined
}

/** The command line's options. */
const cliOptions = {
  out: {type: 'string', default: 'dist'},
  strict: {type: 'boolean', default: false},
  'no-cache': {type: 'boolean', default: false},
  port: {type: 'string', default: '4321'},
  help: {type: 'boolean', short: 'h', default: false}
} as const

/** Where builds keep their cache (see ../output/store.ts): `TWOFOLD_CACHE_DIR`, else in node_modules/.cache. */
export function cacheDir(): string {
  const wanted = process.env.TWOFOLD_CACHE_DIR
  return wanted ? path.resolve(wanted) : path.resolve(import.meta.dirname, '../../node_modules/.cache/twofold/store')
}

/**
 * The cache for a build by the code `bundle` names, or none: without a
 * bundle (sources run through tsx) there is no version to key entries by.
 * The code is the bundle, the templates it reads as it runs (the shipped CSL
 * style, the EJS templates) and Node's own version (its ICU data and zlib).
 */
async function openStore(bundle: string | undefined): Promise<Store | undefined> {
  if (!bundle) return undefined
  const templates = path.resolve(import.meta.dirname, '../../templates')
  const names = (await fs.readdir(templates, {recursive: true})).sort()
  const parts = await Promise.all(
    names.map(async (name) => [name, await fs.readFile(path.join(templates, name)).catch(() => '')] as const)
  )
  const version = hashOf(bundle, process.version, process.versions.zlib ?? '', ...parts.flat())
  return new Store({dir: cacheDir(), version})
}

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[], options: MainOptions = {}): Promise<number> {
  let parsed: ReturnType<
    typeof parseArgs<{
      args: string[]
      allowPositionals: true
      options: typeof cliOptions
    }>
  >
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: cliOptions
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
    if (command === 'new') {
      if (parsed.positionals.length < 2) {
        process.stderr.write(
          `twofold: \`new\` needs a folder for the book, such as \`twofold new my-book\`\n\n${usage}\n`
        )
        return 2
      }
      const {newBook} = await import('./new.js')
      return await newBook(bookDir)
    }
    if (command === 'build') {
      const progress = progressLine(process.stderr)
      let result: BuildResult
      try {
        const store =
          parsed.values['no-cache'] || process.env.TWOFOLD_CACHE === '0' ? undefined : await openStore(options.version)
        result = await build({
          bookDir,
          outDir: parsed.values.out,
          strict: parsed.values.strict,
          onProgress: progress.update,
          store
        })
      } finally {
        progress.done()
      }
      return report(result, parsed.values.out, parsed.values.strict)
    }
    if (command === 'dev') {
      const {dev} = await import('./dev.js')
      return await dev({
        bookDir,
        outDir: parsed.values.out,
        port,
        strict: parsed.values.strict,
        noCache: parsed.values['no-cache']
      })
    }
    if (command === '__dev-worker') {
      // The build process of `twofold dev` (see pipeline/dev.ts); not for people.
      const {devWorker} = await import('./dev.js')
      const store = parsed.values['no-cache'] ? undefined : await openStore(options.version)
      return await devWorker({
        bookDir,
        outDir: parsed.values.out,
        strict: parsed.values.strict,
        store
      })
    }
  } catch (cause) {
    return crashed(cause)
  }
  process.stderr.write(`twofold: unknown command \`${command}\`\n\n${usage}\n`)
  return 2
}
