/**
 * Helpers to report problems in the author's content through vfile messages,
 * so every problem prints with file, line, column, rule id and source.
 */
import type {Node, Point, Position} from 'unist'
import type {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {location} from 'vfile-location'

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

/** Map an offset in `file`'s text to a point (line and column, 1-based). */
export function pointAt(file: VFile, offset: number): Point | undefined {
  const point = location(file).toPoint(offset)
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
