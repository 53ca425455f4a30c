/**
 * remark plugin: Pandoc fenced divs, Quarto callouts and GitHub alerts.
 * Format-neutral.
 *
 * - `::: {#id .class}` (read as a `div` directive, see remark-pandoc-fences)
 *   becomes a `fencedDiv` node with its id, classes and attributes.
 * - A div with a class `callout-note`, `-tip`, `-important`, `-warning` or
 *   `-caution` (Quarto) and a block quote that starts with `[!NOTE]`,
 *   `[!TIP]`, `[!IMPORTANT]`, `[!WARNING]` or `[!CAUTION]` (GitHub) become a
 *   `callout` node of that kind. A Quarto callout's title is its `title`
 *   attribute or its first heading.
 *
 * Messages (source `remark-fenced-divs`): `unclosed-fenced-div` (error), a
 * div whose closing `:::` line is missing.
 */
import type {BlockContent, DefinitionContent, Parent, PhrasingContent, Root} from 'mdast'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {error} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'

const source = 'remark-fenced-divs'

/** The kinds of callouts, as GitHub and Quarto name them. */
export const calloutKinds = ['note', 'tip', 'important', 'warning', 'caution'] as const
export type CalloutKind = (typeof calloutKinds)[number]

/** A Pandoc div: `::: {#id .class key=value}`. */
export interface FencedDiv extends Parent {
  type: 'fencedDiv'
  id?: string | undefined
  classes: string[]
  /** Other attributes, kept as `data-*` by the targets. */
  attributes: Record<string, string>
  children: Array<BlockContent | DefinitionContent>
  /** A Quarto figure or table div (`{#fig-x}`, `{#tbl-x}`): its number (set by `resolveCrossReferences`). */
  number?: number | undefined
  /** What its caption, the div's last paragraph, starts with: `Figure 3` (set by `resolveCrossReferences`). */
  numbered?: string | undefined
}

/** A callout (Quarto) or alert (GitHub): a labelled aside. */
export interface Callout extends Parent {
  type: 'callout'
  kind: CalloutKind
  id?: string | undefined
  /** Its own title, if it has one; otherwise the targets label it by its kind. */
  title?: PhrasingContent[] | undefined
  children: Array<BlockContent | DefinitionContent>
}

declare module 'mdast' {
  interface BlockContentMap {
    fencedDiv: FencedDiv
    callout: Callout
  }
  interface RootContentMap {
    fencedDiv: FencedDiv
    callout: Callout
  }
}

const alert = /^\[!(NOTE|TIP|IMPORTANT|WARNING|CAUTION)\][ \t]*(?:\n|$)/

/** Turn `div` directives and GitHub alerts into `fencedDiv` and `callout` nodes. */
export function remarkFencedDivs() {
  return (tree: Root, file: VFile) => {
    for (const line of file.data.unclosedDivs ?? []) {
      error(
        file,
        'Unclosed fenced div, expected a closing `:::` line',
        {line, column: 1},
        'unclosed-fenced-div',
        source
      )
    }
    const text = String(file.value)
    if (!text.includes(':::') && !text.includes('[!')) return
    visit(tree, (node, index, parent) => {
      if (!parent || index === undefined) return blocksOnly(node)
      if (node.type === 'containerDirective' && node.name === 'div') {
        const attributes: Record<string, string> = {}
        for (const [key, value] of Object.entries(node.attributes ?? {}))
          if (key !== 'id' && key !== 'class' && value !== null && value !== undefined) attributes[key] = value
        const id = node.attributes?.id ?? undefined
        const classes = (node.attributes?.class ?? '').split(/\s+/).filter(Boolean)
        const children = node.children.filter((child) => !(child.type === 'paragraph' && child.data?.directiveLabel))
        const kind = classes.map((name) => /^callout-(\w+)$/.exec(name)?.[1]).find(isKind)
        let replacement: FencedDiv | Callout
        if (kind) {
          let title: PhrasingContent[] | undefined = attributes.title
            ? [{type: 'text', value: attributes.title}]
            : undefined
          const first = children[0]
          if (!title && first?.type === 'heading') {
            title = first.children
            children.shift()
          }
          replacement = {type: 'callout', kind, id, title, children, position: node.position}
        } else {
          replacement = {type: 'fencedDiv', id, classes, attributes, children, position: node.position}
        }
        parent.children[index] = replacement as never
        return [SKIP, index]
      }
      if (node.type === 'blockquote') {
        const first = node.children[0]
        const lead = first?.type === 'paragraph' ? first.children[0] : undefined
        const match = lead?.type === 'text' ? alert.exec(lead.value) : null
        if (!match || !lead || lead.type !== 'text' || first?.type !== 'paragraph') return
        lead.value = lead.value.slice(match[0].length)
        if (lead.value === '') first.children.shift()
        const children = first.children.length === 0 ? node.children.slice(1) : node.children
        const callout: Callout = {
          type: 'callout',
          kind: match[1].toLowerCase() as CalloutKind,
          children,
          position: node.position
        }
        parent.children[index] = callout as never
        return [SKIP, index]
      }
      return blocksOnly(node)
    })
  }
}

function isKind(name: string | undefined): name is CalloutKind {
  return calloutKinds.includes(name as CalloutKind)
}
