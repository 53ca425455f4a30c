/**
 * Map characters of a text node's value back to the Markdown source, so a
 * citation found in the value gets its exact line and column, and an escaped
 * `\@` or `\[` in the source is told apart from a plain one.
 */
import type {Text} from 'mdast'

/**
 * `text` with each replacement written over as many characters at its offset, in one join: markers rewritten for a
 * second parse (Pandoc's `~` and list markers) keep every position, so messages and source maps stay true.
 */
export function overwrite(text: string, replacements: Map<number, string>): string {
  const parts: string[] = []
  let last = 0
  for (const [offset, value] of [...replacements].sort((a, b) => a[0] - b[0])) {
    parts.push(text.slice(last, offset), value)
    last = offset + value.length
  }
  parts.push(text.slice(last))
  return parts.join('')
}

/** Where each character of a text node's value came from. */
export interface SourceMap {
  /** Source offset of the value character at `index` (the end of the node for `index === value.length`). */
  offset(index: number): number
  /** Whether the value character at `index` was written escaped (`\@`). */
  escaped(index: number): boolean
}

// What typographic plugins (remark-smartypants) turn source characters into.
const typographic: Record<string, string[]> = {
  '“': ['"', '``'],
  '”': ['"', "''"],
  '‘': ["'", '`'],
  '’': ["'"],
  '–': ['--'],
  '—': ['---', '--'],
  '…': ['...', '. . .']
}

/**
 * Align `node.value` with its source text. Characters that match are mapped
 * one to one; escapes, character references, typographic replacements and
 * container prefixes (`> ` of block quotes, list indentation after a line
 * ending) are stepped over. Returns `undefined` for nodes without a position.
 */
export function mapSource(node: Text, source: string): SourceMap | undefined {
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  if (start === undefined || end === undefined) return undefined

  const value = node.value
  const offsets = new Array<number>(value.length + 1)
  const escapes = new Array<boolean>(value.length).fill(false)
  let j = start
  let i = 0

  while (i < value.length) {
    const char = value[i]!
    if (j >= end) {
      // The source ran out (should not happen): pin the rest to the end.
      offsets[i++] = end
      continue
    }
    // An escape first: `\\` is one backslash, written escaped, and what follows it is not.
    if (source[j] === '\\' && source[j + 1] === char && char !== '\n') {
      escapes[i] = true
      offsets[i++] = j
      j += 2
      continue
    }
    if (source[j] === char) {
      offsets[i++] = j++
      continue
    }
    const reference =
      source[j] === '&'
        ? /^&(?:#\d{1,7}|#[xX][\da-fA-F]{1,6}|[A-Za-z][A-Za-z\d]{1,31});/.exec(source.slice(j, j + 40))
        : null
    if (reference) {
      offsets[i++] = j
      // A reference can decode to two UTF-16 units (astral characters).
      if (i < value.length && /[\uDC00-\uDFFF]/.test(value[i]!)) offsets[i++] = j
      j += reference[0].length
      continue
    }
    const replaced = typographic[char]?.find((raw) => source.startsWith(raw, j))
    if (replaced) {
      offsets[i++] = j
      j += replaced.length
      continue
    }
    // A container prefix or stripped whitespace in the source: skip it.
    j++
  }

  offsets[value.length] = end
  return {
    offset: (index) => offsets[Math.max(0, Math.min(index, value.length))]!,
    escaped: (index) => escapes[index] === true
  }
}
