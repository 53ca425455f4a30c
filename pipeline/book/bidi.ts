/**
 * Bidirectional formatting characters: the embeddings and overrides U+202A–U+202E and the isolates U+2066–U+2069.
 * They reorder the text around them, so a title or a line of a chapter can show a reader what it does not say (and a
 * code sample what it does not do). Right-to-left text may need one, so each is kept, with a `bidi-override` warning
 * at its place.
 */
import type {VFile} from 'vfile'
import {linesOf, warn} from '../messages.js'

/** The bidirectional embeddings, overrides and isolates. */
export const bidiControls = /[\u202A-\u202E\u2066-\u2069]/g

/** The warning for the bidirectional control `character` in `where`. */
export function bidiReason(character: string, where: string): string {
  const code = `U+${character.codePointAt(0)!.toString(16).toUpperCase()}`
  return `Unexpected bidirectional control ${code} in ${where}, expected text in its own order: it reorders the text around it`
}

/** Warn at each bidirectional control in a chapter's text (its places found with one index of its lines). */
export function warnBidiControls(file: VFile, source: string): void {
  const text = String(file.value)
  if (text.search(bidiControls) === -1) return
  const lines = linesOf(file)
  for (const match of text.matchAll(bidiControls))
    warn(file, bidiReason(match[0], 'the text'), lines.toPoint(match.index), 'bidi-override', source)
}
