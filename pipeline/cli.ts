/**
 * The `twofold` command line: `twofold build [bookDir] [--out dir] [--strict]`.
 * Problems print through vfile-reporter with file, line, column and rule id;
 * errors exit with code 1 and leave the previous output untouched.
 */
import path from 'node:path'
import {parseArgs} from 'node:util'
import {reporter} from 'vfile-reporter'
import {build, type BuildResult} from './build.js'

const usage = `Usage: twofold <command> [bookDir] [options]

Commands:
  build [bookDir]   Build the web story and the EPUB (default bookDir: chapters)
  dev [bookDir]     Build, serve the web story on 127.0.0.1, rebuild on change

Options:
  --out <dir>       Output directory (default: dist)
  --strict          Treat warnings as errors
  --port <n>        Port for dev (default: 4321)
  -h, --help        Show this help`

/** Run the CLI with `argv` (without node and script); resolves to the exit code. */
export async function main(argv: string[]): Promise<number> {
  let parsed
  try {
    parsed = parseArgs({
      args: argv,
      allowPositionals: true,
      options: {
        out: {type: 'string', default: 'dist'},
        strict: {type: 'boolean', default: false},
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
  if (command === 'build') {
    const result = await build({bookDir, outDir: parsed.values.out, strict: parsed.values.strict})
    return report(result, parsed.values.out, parsed.values.strict)
  }
  if (command === 'dev') {
    const {dev} = await import('./dev.js')
    return dev({bookDir, outDir: parsed.values.out, port: Number(parsed.values.port), strict: parsed.values.strict})
  }
  process.stderr.write(`twofold: unknown command \`${command}\`\n\n${usage}\n`)
  return 2
}

/** Print messages and the summary of a build; returns the exit code. */
export function report(result: BuildResult, outDir: string, strict = false): number {
  const withMessages = result.files.filter((f) => f.messages.length > 0)
  if (withMessages.length > 0) process.stderr.write(`${reporter(withMessages, {quiet: true})}\n`)
  if (!result.ok) {
    process.stderr.write(`twofold: build failed${strict ? ' (--strict: warnings count as errors)' : ''}; ${outDir}/ was left as it was\n`)
    return 1
  }
  process.stdout.write(`${summary(result, outDir)}\n`)
  return 0
}

/** A one-screen summary of a successful build. */
export function summary(result: BuildResult, outDir: string): string {
  const book = result.book
  if (!book || !result.outputs) return ''
  let words = 0
  let citations = 0
  for (const chapter of book.chapters) {
    words += String(chapter.file.value).split(/\s+/).filter(Boolean).length
    citations += chapter.file.data.citations?.length ?? 0
  }
  const warnings = result.files.reduce((n, f) => n + f.messages.filter((m) => !m.fatal).length, 0)
  const webBytes = result.outputs.web.reduce((n, f) => n + (typeof f.contents === 'string' ? Buffer.byteLength(f.contents) : f.contents.byteLength), 0)
  const kb = (n: number) => `${(n / 1024).toFixed(0)} KB`
  return [
    `twofold: built “${book.meta.title}” in ${(result.timings.total / 1000).toFixed(2)} s`,
    `  chapters ${book.chapters.length}, words ${words}, citations ${citations}, graphics ${book.graphics.size}, warnings ${warnings}`,
    `  web  ${path.join(outDir, 'web')}/ (${result.outputs.web.length} files, ${kb(webBytes)})`,
    `  epub ${path.join(outDir, `${book.meta.ebook}.epub`)} (${kb(result.outputs.epub.size)})`
  ].join('\n')
}
