/**
 * remark plugin: Pandoc's ordered list markers beyond CommonMark's `1.` and
 * `1)` (its `fancy_lists`, `startnum` and `example_lists` extensions).
 *
 * ```markdown
 * a. letters, `A)`, `(b)`; roman numerals `i.`, `(iv)`, `II)`; `#.`; `(3)`
 *
 * (@) Example lists number on through the chapter.
 * (@good) A labelled example, which the text cites as (@good).
 * ```
 *
 * CommonMark reads such lines as a paragraph. No micromark extension reads
 * these markers, and CommonMark's list construct takes digits only, so the
 * parser is given the chapter with each such marker written as digits of the
 * same width (`(iv)` as `001)`): every position stays where it was, and the
 * list, its nesting and its items are CommonMark's own. A marker is
 * rewritten only where the parse found it starting a paragraph, or a line of
 * a paragraph that starts with one (the next items of a tight list), so code,
 * HTML and prose lines are never touched; markers inside a rewritten list's
 * items are read on the next parse. Then each list gets Pandoc's start
 * number and numbering style (`data.listStyle`: the targets write
 * `type="a"`), example lists are numbered on through the chapter, and an
 * example's `@label` in the text becomes its number, as in Pandoc.
 *
 * As in Pandoc, a capital letter (or `I`, `V`, `X`, `L`, `C`, `D`, `M`) with
 * a period needs two spaces after it (`B. Russell` is a name), and `p. 3` is
 * no list. Example markers are read in parentheses only (`(@)`), since
 * `@key.` at the start of a line is a citation more often than an example.
 *
 * Messages (source `remark-fancy-lists`): `unread-list-marker` (warning), an
 * example label too long to read (over 7 characters), shown as written.
 */
import type {List, ListItem, Literal, Paragraph, Root, Text} from 'mdast'
import {findAndReplace, type RegExpMatchObject} from 'mdast-util-find-and-replace'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'
import {mapSource, overwrite} from '../citations/source-map.js'
import {positionAt, warn} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'

/** A list's numbering style, as Pandoc names it. */
export type ListStyle = 'decimal' | 'lower-alpha' | 'upper-alpha' | 'lower-roman' | 'upper-roman' | 'example'

declare module 'mdast' {
  interface ListData {
    /** The numbering style of a list written with Pandoc's markers (remark-fancy-lists). */
    listStyle?: ListStyle | undefined
  }
  interface PhrasingContentMap {
    exampleReference: ExampleReference
  }
  interface RootContentMap {
    exampleReference: ExampleReference
  }
}

/** An example's number where the text cites its `@label`: a label, not a claim. Both targets write its `value`. */
export interface ExampleReference extends Literal {
  type: 'exampleReference'
}

declare module 'vfile' {
  interface DataMap {
    /** The list markers remark-fancy-lists rewrote, by source offset. */
    listMarkers: globalThis.Map<number, Marker>
  }
}

interface Marker {
  /** The marker as written (`(iv)`). */
  raw: string
  style: ListStyle | 'default'
  /** Its number (`4`); for an example, 0 (numbered in the transformer). */
  number: number
  /** An example's label (`good` of `(@good)`). */
  label?: string | undefined
  /** Whether it was found on a paragraph's later line, where the list interrupts the paragraph. */
  interrupts?: boolean | undefined
  /** Spaces written before its digits, where its list item starts. */
  lead?: number | undefined
}

/** The rewritten marker of the list item starting at `offset` (after the spaces written before the digits). */
function itemMarker(markers: Map<number, Marker>, offset: number | undefined): Marker | undefined {
  if (offset === undefined) return undefined
  for (let lead = 0; lead <= 3; lead++) {
    const marker = markers.get(offset - lead)
    if (marker && (marker.lead ?? 0) === lead) return marker
  }
  return undefined
}

const source = 'remark-fancy-lists'
// A marker at the start of a line of text: `(x)`, `x.` or `x)`, then white space or the line's end.
const markerPattern = /^(?:\(([A-Za-z]+|\d+|#|@[\w-]*)\)|([A-Za-z]+|#)([.)]))(?=([ \t]*))(?:[ \t]|$)/
// A line that may hold one (a quick test before any work).
const candidate =
  /^[ \t>]*(?:(?:[-*+]|\d{1,9}[.)])[ \t]+)*(?:\((?:[A-Za-z]+|\d+|#|@[\w-]*)\)|(?:[A-Za-z]|[ivxlcdmIVXLCDM]+|#)[.)])(?:[ \t]|$)/m
const roman = /^(?=[mdclxvi])m{0,4}(?:cm|cd|d?c{0,3})(?:xc|xl|l?x{0,3})(?:ix|iv|v?i{0,3})$/

/**
 * Levels of nested lists with Pandoc's markers that are read: each costs the chapter one more parse. Deeper markers
 * are shown as written.
 */
const maxPasses = 4

/** Read Pandoc's fancy list markers and example lists. Use right after `remark-parse`. */
export function remarkFancyLists(this: Processor) {
  const parse = this.parser
  if (!parse) throw new Error('Expected `remark-parse` before `remarkFancyLists`')
  this.parser = (document: string, file: VFile) => {
    let tree = parse(document, file) as Root
    if (!candidate.test(document)) return tree
    const markers = new Map<number, Marker>()
    const warned = new Set<number>()
    let text = document
    // Each parse reads the markers of one more level of nesting, up to `maxPasses` levels.
    for (let pass = 0; pass < maxPasses; pass++) {
      const found = findMarkers(tree, text, markers, warned, file)
      if (found.size === 0) break
      // Each marker as digits of its own width.
      const digits = new Map<number, string>()
      for (const [offset, marker] of found) {
        markers.set(offset, marker)
        const end = offset + marker.raw.length
        const written = asDigits(marker, text.slice(end, end + 5))
        marker.lead = /^ */.exec(written)![0].length
        digits.set(offset, written)
      }
      text = overwrite(text, digits)
      tree = parse(text, file) as Root
    }
    if (markers.size > 0) {
      restoreUnread(tree, text, markers)
      file.data.listMarkers = markers
    }
    return tree
  }

  return (tree: Root, file: VFile) => {
    const markers = file.data.listMarkers
    if (!markers) return
    splitLists(tree, String(file.value), markers)
    let examples = 0
    const labels = new Map<string, number>()
    visit(tree, (node) => {
      if (node.type !== 'list') return blocksOnly(node)
      const first = itemMarker(markers, node.children[0]?.position?.start.offset)
      if (!first || !node.ordered) return undefined
      if (first.style === 'example') {
        node.start = examples + 1
        for (const item of node.children) {
          examples++
          const label = itemMarker(markers, item.position?.start.offset)?.label
          if (label && !labels.has(label)) labels.set(label, examples)
        }
      } else node.start = first.number
      if (first.style !== 'default') node.data = {...node.data, listStyle: first.style}
      return undefined
    })
    if (labels.size > 0) exampleReferences(tree, file, labels)
  }
}

/**
 * Part each list whose items change their style or delimiter, as Pandoc does: CommonMark knows only `.` and `)`, so
 * `a.` then `i.` after a blank line make one list for it.
 */
function splitLists(tree: Root, text: string, markers: Map<number, Marker>): void {
  const kindOf = (item: ListItem) => {
    const offset = item.position?.start.offset ?? -1
    const marker = itemMarker(markers, offset)
    if (marker) return {...marker, delimiter: marker.raw.startsWith('(') ? '()' : marker.raw.slice(-1)}
    const native = /^(\d+)([.)])/.exec(text.slice(offset, offset + 12))
    return {raw: native?.[0] ?? '', style: 'native', number: Number(native?.[1] ?? 1), delimiter: native?.[2] ?? '.'}
  }
  visit(tree, (node, index, parent) => {
    if (node.type !== 'list') return blocksOnly(node)
    if (!node.ordered || !parent || index === undefined) return undefined
    const parts: Array<{list: List; kind: ReturnType<typeof kindOf>}> = []
    for (const item of node.children) {
      const kind = kindOf(item)
      const part = parts.at(-1)
      if (part && sameStyle(part.kind, kind)) part.list.children.push(item)
      else parts.push({list: {...node, start: kind.number, children: [item]}, kind})
    }
    if (parts.length < 2) return undefined
    for (const {list} of parts) {
      const items = list.children
      list.position = {start: items[0]!.position!.start, end: items.at(-1)!.position!.end}
      // Loose when a blank line parts two of its items, or an item's blocks.
      list.spread = items.some(
        (item, i) => item.spread || (i > 0 && item.position!.start.line > items[i - 1]!.position!.end.line + 1)
      )
    }
    parent.children.splice(index, 1, ...parts.map((part) => part.list))
    // Visit the parts (and lists nested in them) from the first.
    return index
  })
}

/** Whether an item's marker goes on with a list's: the same delimiter, and a number in the same style. */
function sameStyle(list: {style: string; delimiter: string}, item: {raw: string; style: string; delimiter: string}) {
  if (list.delimiter !== item.delimiter) return false
  if (list.style === item.style) return true
  const letter = item.raw.replace(/[().]/g, '')
  // A single letter reads in the list's style: `v.` after `iv.`, `i.` after `h.`.
  if (item.style.endsWith('-alpha') && list.style.endsWith('-roman'))
    return /^[ivxlcdm]$/i.test(letter) && item.style.startsWith(list.style.slice(0, 5))
  if (item.style.endsWith('-roman') && list.style.endsWith('-alpha'))
    return letter.length === 1 && item.style.startsWith(list.style.slice(0, 5))
  return false
}

/** The markers that start a paragraph, or a line of a paragraph that starts with one, not yet rewritten. */
function findMarkers(
  tree: Root,
  text: string,
  known: Map<number, Marker>,
  warned: Set<number>,
  file: VFile
): Map<number, Marker> {
  const found = new Map<number, Marker>()
  // In a list item, as in Pandoc, a marker on any line of a paragraph starts a list: a nested one.
  const inItem = new Set<Paragraph>()
  visit(tree, 'listItem', (item) => {
    for (const child of item.children) if (child.type === 'paragraph') inItem.add(child)
  })
  visit(tree, (node) => {
    if (node.type !== 'paragraph') return blocksOnly(node)
    let lineStart = true
    let first = true
    for (const child of node.children) {
      if (child.type === 'break') {
        lineStart = true
        continue
      }
      if (child.type !== 'text') {
        lineStart = false
        first = false
        continue
      }
      // The source map only for a text that holds a marker: most paragraphs hold none.
      let map: ReturnType<typeof mapSource> | null = null
      const starts = lineStart ? [0] : []
      for (let at = child.value.indexOf('\n'); at !== -1; at = child.value.indexOf('\n', at + 1)) starts.push(at + 1)
      for (const at of starts) {
        const marker = readMarker(child.value.slice(at, at + 40))
        if (marker && map === null) map = mapSource(child, text)
        const offset = marker ? map?.offset(at) : undefined
        const lineOne = first && at === 0
        const isFirst = lineOne && !inItem.has(node)
        first = false
        if (!marker || offset === undefined || map?.escaped(at) || !text.startsWith(marker.raw, offset)) {
          // A paragraph whose first line is no marker is prose: its other lines are not items.
          if (isFirst) return undefined
        } else if (marker.raw.length > 10) {
          if (!warned.has(offset))
            warn(
              file,
              `Unexpected example label \`${marker.raw}\` over 7 characters, expected a shorter label (the list is shown as written)`,
              positionAt(file, offset, offset + marker.raw.length),
              'unread-list-marker',
              source
            )
          warned.add(offset)
          if (isFirst) return undefined
        } else if (!known.has(offset)) found.set(offset, {...marker, interrupts: !lineOne})
      }
      lineStart = false
      first = false
    }
    return undefined
  })
  return found
}

/**
 * A CommonMark marker as wide as `marker`, for the text `after` it. Mostly `001)`; but a list that interrupts a
 * paragraph (a nested list in an item, the next item of a tight list) must start with a bare `1.` or `1)`, so then
 * the width is made up with spaces after it, as many as keep its content where it was, and then before it.
 */
function asDigits(marker: Marker, after: string): string {
  const delimiter = marker.raw.endsWith('.') ? '.' : ')'
  const spaces = /^ */.exec(after)![0].length
  const extra = marker.raw.length - 2
  if (!marker.interrupts || after.startsWith('\t')) return `${'1'.padStart(extra + 1, '0')}${delimiter}`
  const trailing = Math.max(0, Math.min(extra, 4 - spaces))
  return `${' '.repeat(extra - trailing)}1${delimiter}${' '.repeat(trailing)}`
}

/** The Pandoc list marker at the start of `line`, or `undefined`. */
function readMarker(line: string): Marker | undefined {
  const match = markerPattern.exec(line)
  if (!match) return undefined
  const raw = match[0].trimEnd()
  const body = match[1] ?? match[2]!
  const period = match[3] === '.'
  const spaces = match[4]!.length
  if (/^\d+$/.test(body)) return {raw, style: 'decimal', number: Number(body)}
  if (body === '#') return {raw, style: 'default', number: 1}
  if (body.startsWith('@')) return {raw, style: 'example', number: 0, label: body.slice(1) || undefined}
  // `p. 3` is a page, not a list.
  if (body === 'p' && period && /^p\.[ \t]+\d/.test(line)) return undefined
  const lower = body.toLowerCase()
  const upper = body !== lower
  if (body.length > 1 && (body !== (upper ? body.toUpperCase() : lower) || !roman.test(lower))) return undefined
  // `i` is a roman one; other single letters are letters (the next items of a roman list are items all the same).
  const isRoman = body.length > 1 || lower === 'i'
  const number = isRoman ? romanValue(lower) : lower.charCodeAt(0) - 96
  // A capital letter with a period wants two spaces after it: `B. Russell` is no list.
  if (upper && period && (!isRoman || [1, 5, 10, 50, 100, 500, 1000].includes(number)) && spaces < 2) return undefined
  const style: ListStyle = isRoman ? (upper ? 'upper-roman' : 'lower-roman') : upper ? 'upper-alpha' : 'lower-alpha'
  return {raw, style, number}
}

function romanValue(numeral: string): number {
  const values: Record<string, number> = {i: 1, v: 5, x: 10, l: 50, c: 100, d: 500, m: 1000}
  let total = 0
  for (let i = 0; i < numeral.length; i++) {
    const value = values[numeral[i]!]!
    const next = values[numeral[i + 1] ?? ''] ?? 0
    total += value < next ? -value : value
  }
  return total
}

/** Put back, as written, a rewritten marker that did not start a list item after all. */
function restoreUnread(tree: Root, text: string, markers: Map<number, Marker>): void {
  const items = new Set<Marker>()
  visit(tree, 'listItem', (node) => {
    const marker = itemMarker(markers, node.position?.start.offset)
    if (marker) items.add(marker)
  })
  const unread = new Map([...markers].filter(([, marker]) => !items.has(marker)))
  if (unread.size === 0) return
  for (const offset of unread.keys()) markers.delete(offset)
  visit(tree, 'text', (node) => {
    const start = node.position?.start.offset
    const end = node.position?.end.offset
    if (start === undefined || end === undefined) return
    const map = mapSource(node, text)
    for (const [offset, {raw}] of unread) {
      if (offset < start || offset >= end || !map) continue
      for (let i = 0; i < node.value.length; i++) {
        if (map.offset(i) !== offset) continue
        node.value = node.value.slice(0, i) + raw + node.value.slice(i + raw.length)
        break
      }
    }
  })
}

/** An example's `@label` in the text becomes its number: `(@good)` reads `(1)`. */
function exampleReferences(tree: Root, file: VFile, labels: Map<string, number>): void {
  const text = String(file.value)
  const names = [...labels.keys()].map((label) => label.replace(/-/g, '\\-')).join('|')
  findAndReplace(
    tree,
    [
      new RegExp(`(?<![\\p{L}\\p{N}_])@(${names})(?![\\p{L}\\p{N}_-])`, 'gu'),
      (_: string, label: string, match: RegExpMatchObject) => {
        const node = match.stack.at(-1) as Text
        const map = mapSource(node, text)
        if (map?.escaped(match.index)) return false
        const value = String(labels.get(label))
        const place = map && positionAt(file, map.offset(match.index), map.offset(match.index + label.length + 1))
        const reference: ExampleReference = {type: 'exampleReference', value}
        if (place) reference.position = place
        return reference
      }
    ],
    {ignore: ['inlineCode', 'inlineMath', 'code']}
  )
}
