/**
 * remark plugin: Quarto's cross-references, `@fig-x`, `@tbl-x`, `@sec-x` and
 * `@eq-x` (also in brackets, `[@fig-x]`). Format-neutral.
 *
 * Per chapter, the plugin records the labels it can target
 * (`file.data.crossLabels`: figures, tables (pipe or grid), Quarto's figure and table divs
 * (`::: {#fig-x}`, captioned by their last paragraph), headings and display
 * math whose ids start with those prefixes) and turns each reference into a
 * `crossReference` node; a prefix of `fig-`, `tbl-`, `sec-` or `eq-` is
 * never a citation key. `resolveCrossReferences` then numbers the labels
 * book-wide, in reading order, and gives every reference its text
 * ("Figure 3", "Table 1", "Equation 2", or the section's title, in the
 * book's language: "Figura 3" in Spanish) and its target, `x.md#fig-x` (the
 * chapter's slug), which both targets resolve as they resolve links. A numbered figure or
 * table gets the same words for its caption (`numbered`), on its node.
 *
 * Messages (source `remark-cross-references`): `unknown-cross-reference`
 * (error), a label no chapter has, with the closest one; `chunk-cross-reference`
 * (warning), the label of an executable chunk, whose figure or table is not in
 * the books since nothing runs the chunk (the reference shows as written);
 * `unnumbered-cross-reference` (warning), a reference of a kind Quarto numbers
 * and Twofold does not (`@lst-x`, `@tip-x`, `@thm-x`…), shown as written too,
 * unless the bibliography has that key, which then is a citation.
 */
import path from 'node:path'
import type {Heading, Parent, PhrasingContent, Root, Table, Text} from 'mdast'
import {findAndReplace} from 'mdast-util-find-and-replace'
import type {Math} from 'mdast-util-math'
import {toString} from 'mdast-util-to-string'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {mapSource, type SourceMap} from '../citations/source-map.js'
import {closestKey} from '../citations/syntax.js'
import {labelsFor} from '../labels/index.js'
import {error, positionAt, warn} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'
import type {FencedDiv} from './remark-fenced-divs.js'
import type {ImplicitFigure} from './remark-figures.js'
import type {GridTable} from './remark-grid-tables.js'

const source = 'remark-cross-references'

/** The kinds of labels, by prefix. */
export type CrossKind = 'fig' | 'tbl' | 'sec' | 'eq'

/** A label a cross-reference can target. */
export interface CrossLabel {
  id: string
  kind: CrossKind
  /** A section's title. */
  title?: string | undefined
  /** Set by `resolveCrossReferences`: 1-based, book-wide, per kind. */
  number?: number | undefined
  /** The figure, table, figure or table div, or display math, which then shows its number. */
  target?: ImplicitFigure | FencedDiv | Table | GridTable | Math | undefined
}

/** `@fig-x`: a reference to a figure, table, section or equation. */
export interface CrossReference extends Parent {
  type: 'crossReference'
  label: string
  /** Set by `resolveCrossReferences`: `x.md#fig-x`, `x` the chapter's slug. */
  url?: string | undefined
  /** Set by `resolveCrossReferences`: what the reference reads as. */
  text?: string | undefined
  children: PhrasingContent[]
}

declare module 'mdast' {
  interface PhrasingContentMap {
    crossReference: CrossReference
  }
  interface RootContentMap {
    crossReference: CrossReference
  }
}

declare module 'vfile' {
  interface DataMap {
    /** Labels of this chapter a cross-reference can target, in reading order (set by remark-cross-references). */
    crossLabels: CrossLabel[]
    /** Cross-references of this chapter, in reading order (set by remark-cross-references). */
    crossReferences: CrossReference[]
    /** Labels of this chapter's executable chunks, whose output the books do not have (set by remark-cross-references). */
    chunkLabels: string[]
  }
}

/**
 * Kinds Quarto numbers and Twofold does not: listings, callouts, theorems and their kin, algorithms. A reference to
 * one is shown as written, with a warning.
 */
const unnumbered = 'lst|tip|nte|wrn|imp|cau|thm|lem|cor|prp|cnj|def|exm|exr|sol|rem|alg'
const kinds = `fig|tbl|sec|eq|${unnumbered}`
const key = String.raw`((?:${kinds})-[\p{L}\p{N}_-]*[\p{L}\p{N}_])`
const bare = String.raw`(?<![\p{L}\p{N}_\\])-?@${key}`
// A bracketed group that holds a cross-reference (`[see @fig-x]`, `[@fig-a; @fig-b]`), or a bare one.
const pattern = new RegExp(
  String.raw`\[([^\[\]]*?(?<![\p{L}\p{N}_])-?@(?:${kinds})-[\p{L}\p{N}_][^\[\]]*)\]|${bare}`,
  'gu'
)
const unnumberedKind = new RegExp(`^(?:${unnumbered})-`)
// Whether a chapter may hold a label (`{#fig-x}`) or a reference: no walk otherwise.
const mayHold = new RegExp(`(?:${kinds})-`)
const inGroup = new RegExp(bare, 'u')

/** Record labels and turn `@fig-x` and its kin into `crossReference` nodes. */
export function remarkCrossReferences(options: {keys?: ReadonlyMap<string, unknown> | undefined} = {}) {
  return (tree: Root, file: VFile) => {
    const labels: CrossLabel[] = []
    const references: CrossReference[] = []
    const chunkLabels: string[] = []
    file.data.crossLabels = labels
    file.data.crossReferences = references
    file.data.chunkLabels = chunkLabels
    const text = String(file.value)
    if (!mayHold.test(text)) return
    visit(tree, (node) => {
      if (node.type === 'code' && node.data?.chunkLabel) chunkLabels.push(node.data.chunkLabel)
      const id =
        node.type === 'implicitFigure' || node.type === 'fencedDiv'
          ? node.id
          : (node.data as {hProperties?: {id?: unknown}} | undefined)?.hProperties?.id
      // A div labels a figure or a table only, as Quarto's figure and table divs do.
      const kind = typeof id === 'string' ? /^(fig|tbl|sec|eq)-/.exec(id)?.[1] : undefined
      if (typeof id === 'string' && kind && (node.type !== 'fencedDiv' || kind === 'fig' || kind === 'tbl'))
        labels.push({
          id,
          kind: kind as CrossKind,
          title: node.type === 'heading' ? toString(node as Heading) : undefined,
          target:
            node.type === 'implicitFigure' ||
            node.type === 'fencedDiv' ||
            node.type === 'table' ||
            node.type === 'gridTable' ||
            node.type === 'math'
              ? node
              : undefined
        })
      return blocksOnly(node)
    })
    const maps = new Map<Text, SourceMap | undefined>()
    const sourceMap = (node: Text): SourceMap | undefined => {
      if (!maps.has(node)) maps.set(node, mapSource(node, text))
      return maps.get(node)
    }
    /** Where the value of `node` from `from` to `to` was written. */
    const place = (node: Text, from: number, to: number): Position | undefined => {
      const map = sourceMap(node)
      return map ? positionAt(file, map.offset(from), map.offset(to)) : undefined
    }
    /** A reference written at `from` (in the value of `node`), or `undefined` when its `@` is escaped. */
    const reference = (written: string, label: string, from: number, node: Text): CrossReference | undefined => {
      // `\@fig-x` is literal (the backslash is gone from the text, not from the source).
      if (sourceMap(node)?.escaped(from + written.indexOf('@'))) return undefined
      // A key of the bibliography with the prefix of a kind Twofold does not number (`@def-1999`) is a citation.
      if (unnumberedKind.test(label) && options.keys?.has(label)) return undefined
      const result: CrossReference = {type: 'crossReference', label, children: [{type: 'text', value: written}]}
      const position = place(node, from, from + written.length) ?? node.position
      if (position) result.position = position
      references.push(result)
      return result
    }
    // The text nodes split, and what replaced each part: their text between gets its place back (below).
    const splits = new Map<Text, {parent: Parent; parts: Array<{from: number; to: number; nodes: PhrasingContent[]}>}>()
    findAndReplace(
      tree,
      [
        pattern,
        (value: string, group: string | undefined, label: string | undefined, match) => {
          const node = match.stack.at(-1) as Text
          const from = match.index
          let nodes: PhrasingContent[] | undefined
          if (label !== undefined) {
            const made = reference(value, label, from, node)
            nodes = made && [made]
          } else if (group !== undefined && !sourceMap(node)?.escaped(from)) {
            // (`\[see @fig-x]`: the bracket is literal, the reference in it is read on its own.)
            nodes = bracketGroup(
              group,
              from + 1,
              (written, found, at) => reference(written, found, at, node),
              (at, to) => place(node, at, to)
            )
          }
          if (!nodes) return false
          const split = splits.get(node) ?? {parent: match.stack.at(-2) as Parent, parts: []}
          split.parts.push({from, to: from + value.length, nodes})
          splits.set(node, split)
          return nodes
        }
      ],
      {ignore: ['link', 'linkReference', 'inlineCode', 'inlineMath', 'code']}
    )
    // The text find-and-replace keeps around the references has no place: remark-citations reads its escapes there.
    for (const [node, {parent, parts}] of splits) {
      let end = 0
      for (const [index, part] of [...parts, {from: node.value.length, to: node.value.length, nodes: []}].entries()) {
        const next = part.nodes[0] ?? parts[index - 1]?.nodes.at(-1)
        const at = next ? parent.children.indexOf(next) : -1
        const piece = part.nodes[0] ? parent.children[at - 1] : parent.children[at + 1]
        if (piece?.type === 'text' && !piece.position && piece.value === node.value.slice(end, part.from)) {
          const position = place(node, end, part.from)
          if (position) piece.position = position
        }
        end = part.to
      }
    }
  }
}

/**
 * A bracketed group's content (`see @fig-x; @tbl-y, left`) without its
 * brackets, as Quarto prints it: each reference with its prefix and suffix,
 * separated by `; `. Citations in the same group stay a bracketed group of
 * their own after the reference before them, for remark-citations to read;
 * `undefined` when no item is a cross-reference.
 */
function bracketGroup(
  content: string,
  start: number,
  make: (written: string, label: string, from: number) => CrossReference | undefined,
  place: (from: number, to: number) => Position | undefined
): PhrasingContent[] | undefined {
  const result: PhrasingContent[] = []
  let cites: string[] = []
  let last: 'reference' | 'citation' | undefined
  let offset = start
  const add = (value: string, from?: number) => {
    if (!value) return
    const position = from === undefined ? undefined : place(from, from + value.length)
    result.push(position ? {type: 'text', value, position} : {type: 'text', value})
  }
  const flush = () => {
    if (cites.length === 0) return
    add(`${last ? ' ' : ''}[${cites.join('; ')}]`)
    cites = []
    last = 'citation'
  }
  for (const part of content.split(';')) {
    const from = offset
    offset += part.length + 1
    const found = inGroup.exec(part)
    const made = found ? make(found[0], found[1], from + found.index) : undefined
    if (!found || !made) {
      cites.push(part.trim())
      continue
    }
    flush()
    add(last === 'reference' ? '; ' : last ? ' ' : '')
    const prefix = part.slice(0, found.index)
    add(prefix.trimStart(), from + prefix.length - prefix.trimStart().length)
    result.push(made)
    add(part.slice(found.index + found[0].length).trimEnd(), from + found.index + found[0].length)
    last = 'reference'
  }
  if (last === undefined) return undefined
  flush()
  return result
}

/** A chapter as `resolveCrossReferences` needs it. */
export interface CrossChapter {
  file: VFile
}

/**
 * Number every label of the book per kind in reading order, and give every
 * cross-reference its text and target, in the book's `language` (BCP 47;
 * English for one without labels); an unknown label is an error at the
 * reference. Run on every build (trees are reused from the cache): what it
 * decides goes on each chapter's tree, which keys its rendered content.
 */
export function resolveCrossReferences(chapters: CrossChapter[], language = 'en'): void {
  const names = labelsFor(language).numbered
  const found = new Map<string, {label: CrossLabel; file: string; whole: boolean}>()
  const counts: Record<CrossKind, number> = {fig: 0, tbl: 0, sec: 0, eq: 0}
  const chunks = new Set<string>()
  for (const {file} of chapters) {
    for (const label of file.data.chunkLabels ?? []) chunks.add(label)
    for (const label of file.data.crossLabels ?? []) {
      if (found.has(label.id)) continue
      label.number = ++counts[label.kind]
      const numbered = `${names[label.kind]} ${label.number}`
      if (label.target?.type === 'implicitFigure' || label.target?.type === 'fencedDiv')
        Object.assign(label.target, {number: label.number, numbered})
      else if (label.target?.type === 'table' || label.target?.type === 'gridTable')
        label.target.data = {...label.target.data, number: label.number, numbered}
      else if (label.target) label.target.data = {...label.target.data, number: label.number}
      // The chapter as `checkLinks` names it, by its slug: a `.qmd` or `.Rmd` file's name is no link the targets resolve.
      const slug = file.data.slug ?? path.basename(file.path).replace(/\.[^.]+$/, '')
      found.set(label.id, {label, file: `${slug}.md`, whole: label.kind === 'sec' && label.id === file.data.titleId})
    }
  }
  for (const {file} of chapters) {
    for (const reference of file.data.crossReferences ?? []) {
      const target = found.get(reference.label)
      // A reference no label can answer, shown as written: a kind Twofold does not number, or a chunk's output.
      const written = target ? undefined : shownAsWritten(reference.label, chunks)
      if (written) {
        warn(file, written.reason, reference, written.ruleId, source)
        reference.url = undefined
        reference.text = undefined
        continue
      }
      if (!target) {
        const suggestion = closestKey(reference.label, found.keys())
        error(
          file,
          `Unexpected unknown cross-reference \`@${reference.label}\`, expected a figure, table, section or equation with that id${
            suggestion ? ` (did you mean \`@${suggestion}\`?)` : ` (give one \`{#${reference.label}}\`)`
          }`,
          reference,
          'unknown-cross-reference',
          source
        )
        reference.url = undefined
        reference.text = undefined
        continue
      }
      const {label} = target
      // A chapter's title heading is the page's own title, without the author's id: the reference leads to the page.
      reference.url = target.whole ? target.file : `${target.file}#${label.id}`
      reference.text = label.kind === 'sec' && label.title ? label.title : `${names[label.kind]} ${label.number}`
    }
  }
}

/** Why a reference without a label is shown as written, with a warning; `undefined` when it is an error. */
function shownAsWritten(label: string, chunks: Set<string>): {ruleId: string; reason: string} | undefined {
  if (unnumberedKind.test(label))
    return {
      ruleId: 'unnumbered-cross-reference',
      reason: `Unexpected cross-reference \`@${label}\` of a kind Twofold does not number, expected a figure, table, section or equation (\`fig-\`, \`tbl-\`, \`sec-\`, \`eq-\`): the reference is shown as written`
    }
  if (chunks.has(label))
    return {
      ruleId: 'chunk-cross-reference',
      reason: `Unexpected cross-reference \`@${label}\` to the output of an executable chunk, expected a figure, table, section or equation in the text (nothing runs the chunk, so its output is not in the books: the reference is shown as written)`
    }
  return undefined
}
