/**
 * Helpers to report problems in the author's content through vfile messages,
 * so every problem prints with file, line, column, rule id and source.
 */
import type {Node, Point, Position} from 'unist'
import type {VFile} from 'vfile'
import {location} from 'vfile-location'
import type {VFileMessage} from 'vfile-message'

type Place = Node | Position | Point | undefined

/** Report an error: the build fails, but parsing goes on to find the other errors. */
export function error(file: VFile, reason: string, place: Place, ruleId: string, source = 'twofold'): VFileMessage {
  const message = file.message(reason, {place: toPlace(place), ruleId, source})
  message.fatal = true
  return message
}

/** Report a warning: printed, and an error under `--strict`. */
export function warn(file: VFile, reason: string, place: Place, ruleId: string, source = 'twofold'): VFileMessage {
  return file.message(reason, {place: toPlace(place), ruleId, source})
}

function toPlace(place: Place): Position | Point | undefined {
  if (!place) return undefined
  if ('type' in place) return place.position
  return place
}

/** The index of lines in each file's text, made once: a new one scans the text anew, so one per message is quadratic. */
const indexes = new WeakMap<VFile, {value: VFile['value']; lines: ReturnType<typeof location>}>()

/** The index of the lines in `file`'s text (see vfile-location), one per text. */
export function linesOf(file: VFile): ReturnType<typeof location> {
  let found = indexes.get(file)
  if (found?.value !== file.value) {
    found = {value: file.value, lines: location(file)}
    indexes.set(file, found)
  }
  return found.lines
}

/** Map an offset in `file`'s text to a point (line and column, 1-based). */
export function pointAt(file: VFile, offset: number): Point | undefined {
  const point = linesOf(file).toPoint(offset)
  return point ? {line: point.line, column: point.column, offset} : undefined
}

/** Map an offset range in `file`'s text to a position. */
export function positionAt(file: VFile, start: number, end: number): Position | undefined {
  const a = pointAt(file, start)
  const b = pointAt(file, end)
  return a && b ? {start: a, end: b} : undefined
}

/** Whether any message on these files is an error. */
export function hasErrors(files: Iterable<VFile>): boolean {
  for (const file of files) {
    if (file.messages.some((m) => m.fatal === true)) return true
  }
  return false
}

/** How `formatMessages` prints. */
export interface FormatOptions {
  /** ANSI colours (default `false`). */
  color?: boolean | undefined
  /**
   * At most this many messages of one rule in one file; the rest are one line
   * that says how many more there are (default: every message). A book that
   * breaks a rule a hundred thousand times still prints a screen's worth.
   */
  perRule?: number | undefined
}

/**
 * Every message of `files`, one per line, in the form editors and CI
 * problem matchers understand:
 * `chapters/03-takeover.md:12:5  error  Unknown citation key \`cerpa\`  unknown-cite-key  remark-citations`.
 * Files keep their order; messages are sorted by place within a file. A
 * message without a place prints the file alone. With `perRule`, a rule's
 * messages after that many in a file are counted on one line instead.
 */
export function formatMessages(files: Iterable<VFile>, options: FormatOptions = {}): string {
  const paint = painter(options.color === true)
  const lines: string[] = []
  for (const file of files) {
    const messages = [...file.messages].sort(
      (a, b) => (a.line ?? 0) - (b.line ?? 0) || (a.column ?? 0) - (b.column ?? 0)
    )
    // Per rule: how many messages it has so far, and the first past `perRule`, which stands for the rest.
    const counts = new Map<string, number>()
    const over = new Map<string, (typeof messages)[number]>()
    const line = (where: string, message: (typeof messages)[number], reason: string) => {
      const severity =
        message.fatal === true ? paint.red('error') : message.fatal === false ? paint.yellow('warning') : 'info'
      lines.push(
        [paint.underline(where), severity, reason, paint.dim(message.ruleId ?? ''), paint.dim(message.source ?? '')]
          .join('  ')
          .trimEnd()
      )
    }
    for (const message of messages) {
      const rule = `${message.source}:${message.ruleId}`
      const count = (counts.get(rule) ?? 0) + 1
      counts.set(rule, count)
      if (options.perRule !== undefined && count > options.perRule) {
        if (!over.has(rule)) over.set(rule, message)
        continue
      }
      const where = message.line ? `${file.path}:${message.line}:${message.column ?? 1}` : file.path || '<input>'
      line(where, message, message.reason.replace(/\s*\n\s*/g, ' '))
    }
    for (const [rule, first] of over)
      line(
        file.path || '<input>',
        first,
        `and ${counts.get(rule)! - options.perRule!} more like the ${options.perRule} above`
      )
  }
  return lines.join('\n')
}

/** Numbers of errors and warnings on `files`. */
export function countMessages(files: Iterable<VFile>): {
  errors: number
  warnings: number
} {
  let errors = 0
  let warnings = 0
  for (const file of files) {
    for (const message of file.messages) {
      if (message.fatal === true) errors++
      else if (message.fatal === false) warnings++
    }
  }
  return {errors, warnings}
}

/** `2 errors, 1 warning` (empty when there are none). */
export function countLine(files: Iterable<VFile>, options: FormatOptions = {}): string {
  const paint = painter(options.color === true)
  const {errors, warnings} = countMessages(files)
  const parts: string[] = []
  if (errors) parts.push(paint.red(`${errors} ${errors === 1 ? 'error' : 'errors'}`))
  if (warnings) parts.push(paint.yellow(`${warnings} ${warnings === 1 ? 'warning' : 'warnings'}`))
  return parts.join(', ')
}

/**
 * Whether to use colour and progress lines on `stream`: only on a terminal,
 * never in CI or with `NO_COLOR` set (`FORCE_COLOR=1` forces colour).
 */
export function isInteractive(stream: {isTTY?: boolean | undefined}): boolean {
  if (process.env.FORCE_COLOR && process.env.FORCE_COLOR !== '0') return true
  if (process.env.NO_COLOR || process.env.CI || process.env.TERM === 'dumb') return false
  return stream.isTTY === true
}

function painter(color: boolean) {
  const wrap = (open: number, close: number) => (text: string) =>
    color && text ? `\u001B[${open}m${text}\u001B[${close}m` : text
  return {
    red: wrap(31, 39),
    yellow: wrap(33, 39),
    dim: wrap(2, 22),
    underline: wrap(4, 24)
  }
}
