/**
 * Pandoc citation syntax, as plain string functions: the key grammar, the
 * content of a bracketed citation (`see @a, pp. 3-4; also @b`), locators
 * (`pp. 33, 35-37`) and the closest-key suggestion for unknown keys. The
 * remark plugin finds citations in the tree; this module says what they mean.
 */
import type {CiteItem} from '../types.js'

/**
 * A citation key as Pandoc reads it: starts with a letter, digit or `_`, may
 * contain internal punctuation `:.#$%&-+?<>~/` (never trailing), or any text
 * in braces (`@{a key}`). Source of a regular expression, without flags; use
 * it with the `u` flag.
 */
export const keySource = String.raw`(?:\{[^{}\n]+\}|[\p{L}\p{N}_](?:[\p{L}\p{N}_]|[:.#$%&\-+?<>~/](?=[\p{L}\p{N}_]))*)`

// The `@` of a cite inside brackets: at the start, or after whitespace or `;`, optionally with `-` (suppress author).
const citeStart = /(?:^|[\s;])-?@/u

/** Whether the text between `[` and `]` is meant as a citation (has an `@` where a cite can start). */
export function looksLikeCitation(content: string): boolean {
  return citeStart.test(content)
}

/** One cite parsed from bracket content, with offsets into that content. */
export interface ParsedCite extends CiteItem {
  /** Offset of the `@` in the bracket content. */
  start: number
  /** Offset just after the key. */
  end: number
}

/** A problem in bracket content, with offsets into that content. */
export interface SyntaxProblem {
  reason: string
  start: number
  end: number
}

/**
 * Parse the content of a bracketed citation (without the brackets).
 *
 * Items are separated by `;`; each is `prefix -@key suffix`, where the prefix
 * is text that ends in whitespace and the suffix starts with `,` or
 * whitespace (a leading comma is dropped: `[@a, p. 3]` has suffix `p. 3`).
 */
export function parseBracketContent(content: string): {items: ParsedCite[]} | {problem: SyntaxProblem} {
  const items: ParsedCite[] = []
  const key = new RegExp(`^${keySource}`, 'u')
  let offset = 0

  for (const part of content.split(';')) {
    const partStart = offset
    offset += part.length + 1

    if (part.trim() === '') {
      // Point at the `;` that closes the empty item (or opens it, at the end).
      const at = partStart + part.length < content.length ? partStart + part.length : partStart - 1
      return {
        problem: {
          reason: 'Unexpected empty item in citation, expected `@key` between each `;`',
          start: at,
          end: at + 1
        }
      }
    }

    const at = findCiteAt(part)
    if (at === -1) {
      return {
        problem: {
          reason: `Unexpected citation item \`${part.trim()}\` without a key, expected \`@key\` (as in \`[see @key, p. 3]\`)`,
          start: partStart,
          end: partStart + part.length
        }
      }
    }

    const dash = at > 0 && part[at - 1] === '-'
    const keyMatch = key.exec(part.slice(at + 1))
    if (!keyMatch) {
      return {
        problem: {
          reason:
            'Unexpected `@` without a citation key, expected a key such as `@smith2020` (keys start with a letter, digit or `_`)',
          start: partStart + at,
          end: partStart + at + 1
        }
      }
    }

    const raw = keyMatch[0]
    const end = at + 1 + raw.length
    let suffix = part.slice(end)
    const next = findCiteAt(suffix)
    if (next !== -1) {
      return {
        problem: {
          reason: 'Unexpected second `@` in one citation item, expected `;` between cites (as in `[@a; @b]`)',
          start: partStart + end + next,
          end: partStart + end + next + 1
        }
      }
    }

    suffix = suffix.replace(/^\s*,/, '').trim()
    items.push({
      key: raw.startsWith('{') ? raw.slice(1, -1).trim() : raw,
      prefix: part.slice(0, dash ? at - 1 : at).trim(),
      suffix,
      suppressAuthor: dash,
      start: partStart + at,
      end: partStart + end
    })
  }

  return {items}
}

/** Index of the first `@` in `text` at which a cite can start (start, after whitespace, or `-` after whitespace), or -1. */
function findCiteAt(text: string): number {
  let index = text.indexOf('@')
  while (index !== -1) {
    const before = text.slice(0, index)
    if (/(?:^|\s)-?$/u.test(before)) return index
    index = text.indexOf('@', index + 1)
  }
  return -1
}

/** CSL locator labels and the terms that name them (Pandoc's English terms, abbreviated and in full). */
const labels: Array<[label: string, terms: string[]]> = [
  ['page', ['p.', 'pp.', 'page', 'pages']],
  ['chapter', ['chap.', 'chaps.', 'chapter', 'chapters', 'ch.']],
  ['section', ['sec.', 'secs.', 'section', 'sections', '§§', '§']],
  ['paragraph', ['para.', 'paras.', 'paragraph', 'paragraphs', '¶¶', '¶']],
  ['volume', ['vol.', 'vols.', 'volume', 'volumes']],
  ['line', ['l.', 'll.', 'line', 'lines']],
  ['verse', ['v.', 'vv.', 'verse', 'verses']],
  ['figure', ['fig.', 'figs.', 'figure', 'figures']],
  ['note', ['n.', 'nn.', 'note', 'notes']],
  ['part', ['pt.', 'pts.', 'part', 'parts']],
  ['book', ['bk.', 'bks.', 'book', 'books']],
  ['column', ['col.', 'cols.', 'column', 'columns']],
  ['folio', ['fol.', 'fols.', 'folio', 'folios']],
  ['number', ['no.', 'nos.', 'number', 'numbers']],
  ['opus', ['op.', 'opp.', 'opus', 'opera']],
  ['issue', ['iss.', 'issue', 'issues']],
  ['table', ['tbl.', 'table', 'tables']],
  ['sub-verbo', ['s.v.', 's.vv.', 'sub verbo', 'sub verbis']],
  ['timestamp', ['at']]
]

const termToLabel = new Map(
  labels.flatMap(([label, terms]) => terms.map((term) => [term.toLowerCase(), label] as const))
)
// Longest terms first, so `pp.` wins over `p.`.
const termSource = [...termToLabel.keys()]
  .sort((a, b) => b.length - a.length)
  .map((term) => term.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'))
  .join('|')
// One locator value: digits with letters (`12a`, `A4`), a Roman numeral, or a timestamp.
const valueSource = String.raw`(?:\d+(?::\d+)*[\p{L}]*|[\p{L}]?\d+[\p{L}\d]*|[ivxlcdm]+\b|[IVXLCDM]+\b)`
const locatorPattern = new RegExp(
  String.raw`^(?:(?<term>${termSource})(?=[\s\d{]|$)\s*)?(?<value>\{[^{}]*\}|${valueSource}(?:\s*(?:[-–—]|,|&|and)\s*${valueSource})*)`,
  'iu'
)

/** A cite suffix split the CSL way. */
export interface Locator {
  /** CSL locator label, e.g. `page`, `chapter`. */
  label?: string
  /** Locator value, e.g. `33, 35-37`. */
  locator?: string
  /** What follows the locator, with its leading punctuation (`, and nowhere else`). */
  suffix: string
}

/**
 * Split a cite's suffix (`pp. 33, 35-37, and nowhere else`) into a CSL label,
 * locator and the rest, as Pandoc does: a known term (`p.`, `chap.`, `§`...)
 * then numbers joined by `-`, `,` or `&`; a suffix that starts with a number
 * is a page. `{...}` gives a locator verbatim.
 */
export function parseLocator(suffix: string): Locator {
  const text = suffix.trim()
  if (text === '') return {suffix: ''}
  const match = locatorPattern.exec(text)
  const groups = match?.groups
  // Without a term, only something that starts with a digit (or braces) is a page locator: “and elsewhere” is not.
  if (!match || !groups || groups.value === undefined || (!groups.term && !/^[\d{]/.test(groups.value))) {
    return {suffix: text.startsWith(',') ? text : ` ${text}`}
  }

  let value = groups.value
  let rest = text.slice(match[0].length)
  // `33, and elsewhere`: a trailing separator belongs to the suffix.
  const trailing = /(?:\s*(?:[-–—]|,|&|and))+$/u.exec(value)
  if (trailing) {
    rest = value.slice(trailing.index) + rest
    value = value.slice(0, trailing.index)
  }
  if (value.startsWith('{')) value = value.slice(1, -1)

  const label = groups.term ? (termToLabel.get(groups.term.toLowerCase()) ?? 'page') : 'page'
  return {
    label,
    locator: value,
    suffix: rest === '' ? '' : /^[\s,;.:]/.test(rest) ? rest : ` ${rest}`
  }
}

/**
 * The known key closest to `key`, for “did you mean” hints: the smallest edit
 * distance (case-insensitive), preferring keys that start with or contain the
 * unknown one; `undefined` when nothing is close.
 */
export function closestKey(key: string, keys: Iterable<string>): string | undefined {
  const wanted = key.toLowerCase()
  let best: string | undefined
  let bestScore = Number.POSITIVE_INFINITY

  for (const candidate of keys) {
    const lower = candidate.toLowerCase()
    let score = distance(wanted, lower)
    if (lower.startsWith(wanted) || wanted.startsWith(lower)) score = Math.min(score, 1)
    else if (lower.includes(wanted) || wanted.includes(lower)) score = Math.min(score, 2)
    if (score < bestScore || (score === bestScore && best !== undefined && candidate < best)) {
      best = candidate
      bestScore = score
    }
  }

  const allowed = Math.max(2, Math.ceil(wanted.length * 0.4))
  return best !== undefined && bestScore <= allowed ? best : undefined
}

/** Levenshtein distance with transpositions (optimal string alignment). */
function distance(a: string, b: string): number {
  const rows: number[][] = []
  for (let i = 0; i <= a.length; i++) {
    rows.push([i])
    for (let j = 1; j <= b.length; j++) rows[i]!.push(i === 0 ? j : 0)
  }
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1
      let value = Math.min(rows[i - 1]![j]! + 1, rows[i]![j - 1]! + 1, rows[i - 1]![j - 1]! + cost)
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        value = Math.min(value, rows[i - 2]![j - 2]! + 1)
      rows[i]![j] = value
    }
  }
  return rows[a.length]![b.length]!
}
