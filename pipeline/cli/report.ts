/**
 * What the command prints about a build: the messages, the one-screen
 * summary, a progress line, and an exception that escaped.
 */
import path from 'node:path'
import type {BuildResult, ProgressListener} from '../build.js'
import {formatSize, labelsFor} from '../labels/index.js'
import {countLine, countMessages, formatMessages, isInteractive} from '../messages.js'
import {OutputError} from '../output/write.js'

/** The report is in English, as the command's messages are. */
const english = labelsFor('en')

/** Exit code of an internal error (EX_SOFTWARE). */
export const internalErrorCode = 70

/**
 * Print an exception that escaped the build: an `OutputError` is a problem
 * with the output directory, and a full disk, a read-only folder or a port in
 * use a problem around the build (exit 1, one line); anything else is a bug in
 * Twofold (exit 70). Stacks print only with `TWOFOLD_DEBUG=1`.
 */
export function crashed(cause: unknown): number {
  const debug = Boolean(process.env.TWOFOLD_DEBUG)
  if (cause instanceof OutputError) {
    process.stderr.write(`twofold: ${cause.message}\n`)
    return 1
  }
  const environment = environmentProblem(cause)
  if (environment) {
    process.stderr.write(`twofold: ${environment}\n`)
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

/** Error codes of the system around the build (disk, permissions, names, ports, limits), never of Twofold's code. */
const environmentCodes = new Set([
  'ENOSPC',
  'EDQUOT',
  'EROFS',
  'EACCES',
  'EPERM',
  'ENAMETOOLONG',
  'EMFILE',
  'ENFILE',
  'EIO',
  'ELOOP',
  'ENOTDIR',
  'EADDRINUSE',
  'EADDRNOTAVAIL',
  'ERR_FS_FILE_TOO_LARGE'
])

/**
 * One line naming the path or port and the cause of a problem in the system around the build (a full disk, a
 * read-only folder, a port in use, a name too long, a file too large to read), or undefined when `cause` is none.
 * The error itself or any error in its `cause` chain counts.
 */
export function environmentProblem(cause: unknown): string | undefined {
  for (let error = cause; error instanceof Error; error = error.cause) {
    const {
      code,
      syscall,
      path: file,
      address,
      port
    } = error as NodeJS.ErrnoException & {address?: string; port?: number}
    if (typeof code !== 'string' || !environmentCodes.has(code)) continue
    // Node's message is `CODE: what happened, syscall 'path'` (`listen CODE: what happened host:port`): keep what happened.
    const what = error.message
      .replace(/^(?:\w+ )?[A-Z_]+: /, '')
      .replace(/, \w+(?: '.*)?$/s, '')
      .replace(/ \S+:\d+$/, '')
    if (port !== undefined) return `cannot listen on ${address ?? '127.0.0.1'}:${port}: ${what} (${code})`
    const where = file ? ` \`${file}\`` : ''
    return `cannot ${syscall ?? 'use'}${where}: ${what} (${code})`
  }
  return undefined
}

/** How many messages of one rule in one file a build prints; the count line still counts them all. */
export const messagesPerRule = 50

/** Print messages and the summary of a build; returns the exit code. */
export function report(result: BuildResult, outDir: string, strict = false): number {
  const color = isInteractive(process.stderr)
  const messages = formatMessages(result.files, {color, perRule: messagesPerRule})
  const counts = countLine(result.files, {color})
  if (messages) process.stderr.write(`${messages}\n${counts ? `${counts}\n` : ''}`)
  if (!result.ok) {
    process.stderr.write(
      `twofold: build failed${strict ? ' (--strict: warnings count as errors)' : ''}; ${outDir}/ was left as it was\n`
    )
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
    words += chapter.file.data.words ?? 0
    citations += chapter.file.data.citations?.length ?? 0
    for (const absolute of Object.values(chapter.file.data.images ?? {})) images.add(absolute)
  }
  const {warnings} = countMessages(result.files)
  const webBytes = result.outputs.web.reduce((n, f) => n + f.size, 0)
  const staticFigures = result.outputs.web.filter((f) => f.path.startsWith('figures/')).length
  const reused = result.cached?.chapters
    ? ` (${result.cached.chapters} of ${book.chapters.length} chapters unchanged, read from the cache)`
    : ''
  return [
    `twofold: built “${book.meta.title}” in ${((result.timings.total ?? 0) / 1000).toFixed(2)} s${reused}`,
    `  chapters ${book.chapters.length}, words ${words}, citations ${citations}, graphics ${book.graphics.size} (${staticFigures} static figures), images ${images.size}, warnings ${warnings}`,
    `  web  ${path.join(outDir, 'web')}/ (${result.outputs.web.length} files, ${formatSize(webBytes, english)})`,
    `  epub ${path.join(outDir, `${book.meta.ebook}.epub`)} (${formatSize(result.outputs.epub.size, english)})`
  ].join('\n')
}

/**
 * A progress line on `stream` when it is an interactive terminal (`parsing
 * 37/100`), redrawn at most every 100 ms and shown only once a build has run
 * for 300 ms; a no-op in CI and in pipes.
 */
export function progressLine(stream: NodeJS.WriteStream): {
  update: ProgressListener
  done: () => void
} {
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
