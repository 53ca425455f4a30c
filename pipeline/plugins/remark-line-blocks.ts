/**
 * remark plugin: Pandoc's line blocks (its `line_blocks` extension), for
 * verse and addresses, where the line breaks and leading spaces matter.
 *
 * ```markdown
 * | The limerick packs laughs anatomical
 * |     Into space that is quite economical.
 * | A line that goes on
 *   is continued by a line that starts with a space.
 * ```
 *
 * CommonMark reads these lines as a paragraph (GitHub's tables come first:
 * lines with a `|---|` delimiter row are a table, as in Pandoc, which tries
 * tables before line blocks). A paragraph is a line block when every one of
 * its source lines is a `| ` line, a bare `|` (an empty line) or a
 * continuation that starts with a space. Each `| ` line becomes a line of its
 * own: the `|` and the space after it go, and a `break` starts the next
 * line. Its leading spaces stay in the text, as written (so the plugins
 * after this one still find each character's place in the source); the
 * targets write them as no-break spaces, as Pandoc does. The paragraph stays a
 * paragraph, marked `data.lineBlock`, so the plugins that read prose read it;
 * both targets render it as Pandoc does, a `div.line-block` with `<br>`s.
 */
import type {Paragraph, PhrasingContent, Root, Text} from 'mdast'
import type {VFile} from 'vfile'
import {mapSource} from '../citations/source-map.js'
import {positionAt} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'

declare module 'mdast' {
  interface ParagraphData {
    /** A Pandoc line block: its lines are parted by `break` nodes (remark-line-blocks). */
    lineBlock?: boolean | undefined
  }
}

type Kind = 'line' | 'continuation'

/** Read Pandoc line blocks. Use after `remark-parse`. */
export function remarkLineBlocks() {
  return (tree: Root, file: VFile) => {
    const text = String(file.value)
    if (!/(?:^|\n)[ \t>]*\|/.test(text)) return
    visit(tree, (node) => {
      if (node.type !== 'paragraph') return blocksOnly(node)
      const kinds = lineKinds(node, text)
      if (kinds) toLineBlock(node, kinds, text, file)
      return undefined
    })
  }
}

/** The kind of each source line of a paragraph that is a line block, or `undefined` when it is none. */
function lineKinds(node: Paragraph, text: string): Kind[] | undefined {
  const start = node.position?.start
  const end = node.position?.end.offset
  if (start?.offset === undefined || end === undefined || text[start.offset] !== '|') return undefined
  const lineStart = start.offset - (start.column - 1)
  const lines = text.slice(lineStart, end).split(/\r?\n/)
  const kinds: Kind[] = []
  for (const line of lines) {
    // The paragraph's column on each line: block quote markers and list indents are as wide on every line.
    const content = line.slice(start.column - 1)
    if (/^\|(?:[ \t]|$)/.test(content)) kinds.push('line')
    else if (kinds.length > 0 && /^[ \t]+\S/.test(content)) kinds.push('continuation')
    else return undefined
  }
  return kinds
}

/**
 * Part the paragraph's phrasing into its lines, in place. Leaves it untouched when a line starts where a `|` is not
 * the start of a text (inside code spanning two lines, say).
 */
function toLineBlock(node: Paragraph, kinds: Kind[], text: string, file: VFile): void {
  let line = 0
  // Whether the next text starts a `| ` line, whose marker is to go.
  let marker = true
  let broken = false

  const split = (child: Text): PhrasingContent[] => {
    const map = mapSource(child, text)
    const out: PhrasingContent[] = []
    let from = 0
    const piece = (to: number) => {
      let start = from
      if (marker) {
        if (child.value[start] !== '|') broken = true
        start += child.value[start + 1] === ' ' || child.value[start + 1] === '\t' ? 2 : 1
        marker = false
      }
      if (start >= to) return
      const value = child.value.slice(start, to)
      const place = map ? positionAt(file, map.offset(start), map.offset(to)) : undefined
      out.push(place ? {type: 'text', value, position: place} : {type: 'text', value})
    }
    for (let at = child.value.indexOf('\n'); at !== -1; at = child.value.indexOf('\n', at + 1)) {
      line++
      // A continuation line goes on with the line before it: its line ending reads as a space.
      if (kinds[line] !== 'line') continue
      piece(at)
      out.push({type: 'break'})
      marker = true
      from = at + 1
    }
    piece(child.value.length)
    return out
  }

  const part = (children: PhrasingContent[]): PhrasingContent[] => {
    const out: PhrasingContent[] = []
    for (const child of children) {
      if (child.type === 'text') out.push(...split(child))
      else if (child.type === 'break') {
        line++
        if (kinds[line] === 'line') {
          out.push(child)
          marker = true
        } else out.push({type: 'text', value: ' '})
      } else if ('children' in child) {
        if (marker) broken = true
        out.push({...child, children: part(child.children as PhrasingContent[])} as PhrasingContent)
      } else {
        if (marker || ('value' in child && child.value.includes('\n'))) broken = true
        out.push(child)
      }
    }
    return out
  }

  const children = part(node.children)
  if (broken || line !== kinds.length - 1) return
  node.children = children
  node.data = {...node.data, lineBlock: true}
}
