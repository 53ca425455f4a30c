/**
 * Bounds on the work one chapter may ask for. The Markdown parser's time grows
 * faster than the depth of nested block quotes and lists (`- ` 50,000 times on
 * one line ran for minutes), and the tree utilities that turn a chapter into
 * pages recurse once per level (3,000 nested `>` overflowed the stack). No
 * book nests anywhere near `maxNesting` levels, so deeper is an error at the
 * place it passes the limit, found in time proportional to the chapter's size.
 */
import type {Nodes, Root} from 'mdast'
import type {VFile} from 'vfile'
import {error, pointAt} from '../messages.js'

const source = 'twofold-parse'

/** Levels of nesting a chapter may use: block quotes, lists, emphasis, links, directives… */
export const maxNesting = 100

/**
 * Emphasis marks (runs of `*`, `_`, `~`) and brackets one paragraph may hold. The parser matches each closing mark
 * or bracket against those before it in its paragraph, so its time grows with the square of their number: 22,000
 * unmatched `a*` in one paragraph took six seconds, 16,000 `[` then as many `]` three. A real paragraph holds a few
 * dozen.
 */
export const maxDelimiters = 10_000

/**
 * Raw HTML tags one paragraph (or one level of the chapter) may hold. Each unclosed tag is checked against every
 * later one beside it: 6,000 `<span>` in one paragraph took 18 seconds, 12,000 more than a minute.
 */
export const maxHtmlTags = 1000

/**
 * Table cells one chapter may hold. Each cell costs about 12 KB while the chapter is parsed and rendered: a table
 * of 50,000 cells took 0.7 GB, one of 128,000 (2,000 columns) over 1.6 GB.
 */
export const maxTableCells = 50_000

/**
 * Definitions (Pandoc's `: ` or `~ ` lines) one chapter may hold. The definition-list extension inserts the events of
 * each definition into those of the whole chapter, so its time grows with their number times the chapter's length:
 * 8,000 took 5 s and 16,000 16 s, against 1 and 3 s for the same text without. A glossary holds a few hundred.
 */
export const maxDefinitions = 5000

const megabyte = 1024 * 1024

/**
 * The most bytes one chapter may hold. Past 1 MB a chapter gets a `chapter-too-large` warning and still builds; past
 * this it is an error, found from the file's size before it is read or parsed. The parse and both renders take
 * several seconds per MB of the densest Markdown (one long list, one table), and a build holds each chapter's trees
 * at some hundred times the size of its text, so a limit keeps a hostile book's work and memory in bounds. The book
 * cannot lift it; whoever runs the build can, with `TWOFOLD_MAX_CHAPTER_MB`.
 */
export const defaultChapterLimit = 2 * megabyte

/** The most bytes all of a book's chapters may hold together (`TWOFOLD_MAX_BOOK_MB` to change it). */
export const defaultBookLimit = 32 * megabyte

/** The limits on chapter sizes, in bytes: the defaults, unless the environment sets a positive number of MB. */
export interface SizeLimits {
  chapter: number
  book: number
}

/** The size limits in force: `TWOFOLD_MAX_CHAPTER_MB` and `TWOFOLD_MAX_BOOK_MB` (positive numbers) or the defaults. */
export function sizeLimits(env: NodeJS.ProcessEnv = process.env): SizeLimits {
  const megabytes = (value: string | undefined, fallback: number) => {
    const wanted = Number(value)
    return value && Number.isFinite(wanted) && wanted > 0 ? Math.round(wanted * megabyte) : fallback
  }
  return {
    chapter: megabytes(env.TWOFOLD_MAX_CHAPTER_MB, defaultChapterLimit),
    book: megabytes(env.TWOFOLD_MAX_BOOK_MB, defaultBookLimit)
  }
}

/** A number of bytes in MB, to one decimal, rounded up (a file just over a limit does not read as equal to it). */
function inMegabytes(bytes: number): string {
  const size = Math.ceil((bytes / megabyte) * 10) / 10
  return Number.isInteger(size) ? String(size) : size.toFixed(1)
}

/** A limit in MB, to two decimals. */
function exactly(bytes: number): string {
  return String(Number((bytes / megabyte).toFixed(2)))
}

/** The error for a chapter of `bytes` over `limit`: at its first line, before anything of it is read. */
export function chapterOverLimit(file: VFile, bytes: number, limit: number): void {
  error(
    file,
    `Unexpected chapter of ${inMegabytes(bytes)} MB, expected at most ${exactly(limit)} MB (the most one chapter may hold): split it into several chapters`,
    {line: 1, column: 1},
    'chapter-over-limit',
    source
  )
}

/**
 * What a loader reads chapters against: each chapter's limit (for `readVFile`), and the book's, counted as the
 * chapters are read. The chapter that passes the book's limit gets a `book-over-limit` error. Once a chapter is over
 * either limit the loader reads no more, and the build parses none: it stops at that one error.
 */
export class ChapterBudget {
  readonly limits = sizeLimits()
  /** Whether a chapter was over a limit. */
  exceeded = false
  private total = 0

  /** Whether the chapter just read into `file` was within its limit and keeps the book within its own; if not, an error on it. */
  admit(file: VFile): boolean {
    if (file.messages.some((message) => message.ruleId === 'chapter-over-limit')) this.exceeded = true
    else this.total += Buffer.byteLength(String(file.value))
    if (this.exceeded || this.total <= this.limits.book) return !this.exceeded
    this.exceeded = true
    error(
      file,
      `Unexpected book of more than ${exactly(this.limits.book)} MB of chapters (${inMegabytes(this.total)} MB up to this one), expected at most ${exactly(this.limits.book)} MB: split it into several books`,
      {line: 1, column: 1},
      'book-over-limit',
      source
    )
    return false
  }
}

/** A block quote marker or a list item marker, with the spaces after it, at the start of a line's remaining text. */
const containerMarker = /^[ \t]{0,3}(?:>|[-+*][ \t]|\d{1,9}[.)][ \t])[ \t]*/

/**
 * Before the parse: whether every line opens at most `maxNesting` block quotes, list items and directives, and no
 * paragraph opens emphasis that deep or holds more than `maxDelimiters` marks. Past a limit is an error at the mark that
 * passes it, and the chapter is not parsed.
 */
export function checkSourceNesting(file: VFile): boolean {
  const text = String(file.value)
  // The content columns of the list items still open: a line indented less than one closes it (lazy lines aside).
  const open: number[] = []
  let fences = 0
  let lineStart = 0
  while (lineStart <= text.length) {
    let lineEnd = text.indexOf('\n', lineStart)
    if (lineEnd === -1) lineEnd = text.length
    let offset = lineStart
    while (offset < lineEnd && (text[offset] === ' ' || text[offset] === '\t')) offset++
    if (offset < lineEnd) {
      const indent = offset - lineStart
      while (open.length > 0 && open.at(-1)! > indent) open.pop()
      let quotes = 0
      for (;;) {
        const match = containerMarker.exec(text.slice(offset, Math.min(lineEnd, offset + 16)))
        if (!match) break
        if (match[0].trimStart().startsWith('>')) quotes++
        else open.push(offset - lineStart + match[0].length)
        if (open.length + quotes > maxNesting) {
          tooDeep(file, pointAt(file, offset))
          return false
        }
        offset += match[0].length
      }
      // A container directive or fenced div (`:::name`, `::: {.note}`) opens a level; a bare `:::` closes one.
      if (text.startsWith(':::', offset)) {
        const fence = /^:{3,}[ \t]*(\S?)/.exec(text.slice(offset, Math.min(lineEnd, offset + 200)))
        if (fence?.[1] && fence[1] !== ':') fences++
        else if (fence && /^:*[ \t]*$/.test(text.slice(offset, lineEnd))) fences = Math.max(0, fences - 1)
        if (open.length + quotes + fences > maxNesting) {
          tooDeep(file, pointAt(file, offset))
          return false
        }
      }
    }
    lineStart = lineEnd + 1
  }
  return checkEmphasisNesting(file, text) && checkTableCells(file, text) && checkDefinitions(file, text)
}

/** Whether the chapter holds at most `maxDefinitions` lines that may start a definition; past it, an error there. */
function checkDefinitions(file: VFile, text: string): boolean {
  let count = 0
  for (const match of text.matchAll(/^[ \t>]*[:~][ \t]/gm)) {
    if (++count <= maxDefinitions) continue
    error(
      file,
      `Unexpected chapter with more than ${maxDefinitions.toLocaleString('en')} definitions, expected fewer (split it into several chapters): the parse takes time with their number times the chapter's length`,
      pointAt(file, match.index ?? 0),
      'chapter-too-complex',
      source
    )
    return false
  }
  return true
}

/** A GFM table's delimiter row (`| --- | :-: |`), in a block quote too: the cells it names are the table's columns. */
const delimiterRow = /^[ \t>]*\|?[ \t]*:?-+:?[ \t]*(?:\|[ \t]*:?-+:?[ \t]*)*\|?[ \t]*$/gm

/**
 * Whether the chapter's tables hold at most `maxTableCells` cells: the columns of each delimiter row times its rows
 * (the lines up to a blank one). Past the limit is an error at the delimiter row of the table that passes it.
 */
function checkTableCells(file: VFile, text: string): boolean {
  if (!text.includes('|')) return true
  let cells = 0
  // Where the last table counted ends: a delimiter row before it is one of its rows, counted already.
  let counted = 0
  const blank = /\n[ \t>]*(?:\n|$)/g
  for (const match of text.matchAll(delimiterRow)) {
    const index = match.index ?? 0
    if (index < counted || !match[0].includes('|')) continue
    blank.lastIndex = index
    counted = blank.exec(text)?.index ?? text.length
    let rows = 1
    for (let at = text.indexOf('\n', index); at !== -1 && at < counted; at = text.indexOf('\n', at + 1)) rows++
    cells += (match[0].match(/:?-+:?/g)?.length ?? 0) * rows
    if (cells > maxTableCells) {
      error(
        file,
        `Unexpected tables of more than ${maxTableCells.toLocaleString('en')} cells in one chapter, expected fewer (split the table, or the chapter): each cell takes memory while the chapter is built`,
        pointAt(file, index),
        'table-too-large',
        source
      )
      return false
    }
  }
  return true
}

/**
 * Emphasis opened inside emphasis (`*a **b ~~c …`): the parser's time grows with the square of the depth (2,000
 * levels took seconds, 8,000 minutes). A rough count, per paragraph, of the runs of `*`, `_` and `~` that open (a
 * letter after them, a space or punctuation before) less those that close: a real text stays within a few.
 */
function checkEmphasisNesting(file: VFile, text: string): boolean {
  let depth = 0
  let delimiters = 0
  // A blank line (in a block quote too) ends a paragraph.
  for (const match of text.matchAll(/\n[ \t>]*\n|[*_~]+|[[\]]/g)) {
    if (match[0].startsWith('\n')) {
      depth = 0
      delimiters = 0
      continue
    }
    const index = match.index ?? 0
    if (++delimiters > maxDelimiters) {
      tooComplex(file, pointAt(file, index), `${maxDelimiters.toLocaleString('en')} emphasis marks or brackets`)
      return false
    }
    if (match[0] === '[' || match[0] === ']') continue
    const before = text[index - 1] ?? ' '
    const after = text[index + match[0].length] ?? ' '
    const closes = !/\s/.test(before) && /[\s\p{P}]/u.test(after)
    const opens = !/\s/.test(after) && /[\s\p{P}]/u.test(before)
    if (closes && !opens) depth = Math.max(0, depth - 1)
    else if (opens && !closes && ++depth > maxNesting) {
      tooDeep(file, pointAt(file, index))
      return false
    }
  }
  return true
}

/**
 * After the parse, before any plugin walks the tree: whether no node lies more than `maxNesting` levels deep (a list
 * item counts with its list), and no paragraph (or level of the chapter) holds more than `maxHtmlTags` raw HTML tags. Walked with a stack of its own, so a deep tree cannot overflow it.
 */
export function checkTreeNesting(tree: Root, file: VFile): boolean {
  const stack: Array<{node: Nodes; depth: number}> = [{node: tree, depth: 0}]
  while (stack.length > 0) {
    const {node, depth} = stack.pop()!
    if (depth > maxNesting) {
      tooDeep(file, node.position?.start)
      return false
    }
    if (!('children' in node)) continue
    const next = node.type === 'list' ? depth : depth + 1
    let html = 0
    for (const child of node.children as Nodes[]) {
      if (child.type === 'html' && ++html > maxHtmlTags) {
        tooComplex(file, child.position?.start, `${maxHtmlTags.toLocaleString('en')} raw HTML tags`)
        return false
      }
      stack.push({node: child, depth: next})
    }
  }
  return true
}

function tooComplex(file: VFile, place: ReturnType<typeof pointAt>, what: string): void {
  error(
    file,
    `Unexpected paragraph with more than ${what}, expected fewer (split it, with blank lines between the parts): the parse takes time with the square of their number`,
    place,
    'paragraph-too-complex',
    source
  )
}

function tooDeep(file: VFile, place: ReturnType<typeof pointAt>): void {
  error(
    file,
    `Unexpected nesting deeper than ${maxNesting} levels (block quotes, lists, emphasis or links inside one another), expected a flatter chapter`,
    place,
    'nesting-too-deep',
    source
  )
}
