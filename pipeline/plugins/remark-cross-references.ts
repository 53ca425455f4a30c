/**
 * remark plugin: Quarto's cross-references, `@fig-x`, `@tbl-x`, `@sec-x` and
 * `@eq-x` (also in brackets, `[@fig-x]`). Format-neutral.
 *
 * Per chapter, the plugin records the labels it can target
 * (`file.data.crossLabels`: figures, tables, headings and display math whose
 * ids start with those prefixes) and turns each reference into a
 * `crossReference` node; a prefix of `fig-`, `tbl-`, `sec-` or `eq-` is
 * never a citation key. `resolveCrossReferences` then numbers the labels
 * book-wide, in reading order, and gives every reference its text
 * ("Figure 3", "Table 1", "Equation 2", or the section's title) and its
 * target, `02-x.md#fig-x`, which both targets resolve as they resolve links.
 *
 * Messages (source `remark-cross-references`): `unknown-cross-reference`
 * (error), a label no chapter has, with the closest one.
 */
import path from 'node:path'
import type {Heading, Parent, PhrasingContent, Root, Table} from 'mdast'
import {findAndReplace} from 'mdast-util-find-and-replace'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import {closestKey} from '../citations/syntax.js'
import {error, positionAt} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'
import type {ImplicitFigure} from './remark-figures.js'

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
  /** The figure or table, whose caption then says its number. */
  target?: ImplicitFigure | Table | undefined
}

/** `@fig-x`: a reference to a figure, table, section or equation. */
export interface CrossReference extends Parent {
  type: 'crossReference'
  label: string
  /** Set by `resolveCrossReferences`: `02-x.md#fig-x`. */
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
  }
}

const key = String.raw`((?:fig|tbl|sec|eq)-[\p{L}\p{N}_-]*[\p{L}\p{N}_])`
const pattern = new RegExp(String.raw`\[-?@${key}\]|(?<![\p{L}\p{N}_\\])-?@${key}`, 'gu')

/** Record labels and turn `@fig-x` and its kin into `crossReference` nodes. */
export function remarkCrossReferences() {
  return (tree: Root, file: VFile) => {
    const labels: CrossLabel[] = []
    const references: CrossReference[] = []
    file.data.crossLabels = labels
    file.data.crossReferences = references
    const text = String(file.value)
    if (!/(?:fig|tbl|sec|eq)-/.test(text)) return
    visit(tree, (node) => {
      const id =
        node.type === 'implicitFigure'
          ? node.id
          : (node.data as {hProperties?: {id?: unknown}} | undefined)?.hProperties?.id
      const kind = typeof id === 'string' ? /^(fig|tbl|sec|eq)-/.exec(id)?.[1] : undefined
      if (typeof id === 'string' && kind)
        labels.push({
          id,
          kind: kind as CrossKind,
          title: node.type === 'heading' ? toString(node as Heading) : undefined,
          target: node.type === 'implicitFigure' || node.type === 'table' ? node : undefined
        })
      return blocksOnly(node)
    })
    findAndReplace(
      tree,
      [
        pattern,
        (value: string, inBrackets: string | undefined, bare: string | undefined, match) => {
          const label = inBrackets ?? bare ?? ''
          const node = match.stack.at(-1)
          const start = node?.position?.start.offset
          // `\@fig-x` is literal (the backslash is gone from the text, not from the source).
          if (start !== undefined && text.slice(start, node?.position?.end.offset).includes(`\\@${label}`)) return false
          const reference: CrossReference = {type: 'crossReference', label, children: [{type: 'text', value}]}
          // The reference's own place: the first such text from where its text node starts.
          const at = start === undefined ? -1 : text.indexOf(value, start)
          const place = at === -1 ? undefined : positionAt(file, at, at + value.length)
          if (place ?? node?.position) reference.position = place ?? node?.position
          references.push(reference)
          return reference
        }
      ],
      {ignore: ['link', 'linkReference', 'inlineCode', 'inlineMath', 'code']}
    )
  }
}

/** A chapter as `resolveCrossReferences` needs it. */
export interface CrossChapter {
  file: VFile
}

const names: Record<CrossKind, string> = {fig: 'Figure', tbl: 'Table', sec: 'Section', eq: 'Equation'}

/**
 * Number every label of the book per kind in reading order, and give every
 * cross-reference its text and target; an unknown label is an error at the
 * reference. Run on every build (trees are reused from the cache).
 */
export function resolveCrossReferences(chapters: CrossChapter[]): void {
  const found = new Map<string, {label: CrossLabel; file: string}>()
  const counts: Record<CrossKind, number> = {fig: 0, tbl: 0, sec: 0, eq: 0}
  for (const {file} of chapters) {
    for (const label of file.data.crossLabels ?? []) {
      if (found.has(label.id)) continue
      label.number = ++counts[label.kind]
      if (label.target?.type === 'implicitFigure') label.target.number = label.number
      else if (label.target) {
        label.target.data ??= {}
        label.target.data.number = label.number
      }
      found.set(label.id, {label, file: path.basename(file.path)})
    }
  }
  for (const {file} of chapters) {
    for (const reference of file.data.crossReferences ?? []) {
      const target = found.get(reference.label)
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
      reference.url = `${target.file}#${label.id}`
      reference.text = label.kind === 'sec' && label.title ? label.title : `${names[label.kind]} ${label.number}`
    }
  }
}
