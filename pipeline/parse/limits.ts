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

/** Levels of nesting a chapter may use: block quotes, lists, emphasis, links, directives… */
export const maxNesting = 100

const source = 'twofold-parse'

/** A block quote marker or a list item marker, with the spaces after it, at the start of a line's remaining text. */
const containerMarker = /^[ \t]{0,3}(?:>|[-+*][ \t]|\d{1,9}[.)][ \t])[ \t]*/

/**
 * Before the parse: whether every line opens at most `maxNesting` block quotes and list items (`> > - > …`), and no
 * paragraph opens emphasis that deep. Deeper is an error at the marker that passes the limit, and the chapter is not
 * parsed.
 */
export function checkSourceNesting(file: VFile): boolean {
  const text = String(file.value)
  // The content columns of the list items still open: a line indented less than one closes it (lazy lines aside).
  const open: number[] = []
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
    }
    lineStart = lineEnd + 1
  }
  return checkEmphasisNesting(file, text)
}

/**
 * Emphasis opened inside emphasis (`*a **b ~~c …`): the parser's time grows with the square of the depth (2,000
 * levels took seconds, 8,000 minutes). A rough count, per paragraph, of the runs of `*`, `_` and `~` that open (a
 * letter after them, a space or punctuation before) less those that close: a real text stays within a few.
 */
function checkEmphasisNesting(file: VFile, text: string): boolean {
  let depth = 0
  for (const match of text.matchAll(/\n[ \t]*\n|[*_~]+/g)) {
    if (match[0].startsWith('\n')) {
      depth = 0
      continue
    }
    const index = match.index ?? 0
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
 * item counts with its list). Walked with a stack of its own, so a deep tree cannot overflow it.
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
    for (const child of node.children as Nodes[]) stack.push({node: child, depth: next})
  }
  return true
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
