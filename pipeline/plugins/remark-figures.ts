/**
 * remark plugin: Pandoc's implicit figures and table captions.
 * Format-neutral.
 *
 * - An image alone in its paragraph, with alt text, is a figure whose
 *   caption is the alt text: the paragraph becomes an `implicitFigure` node,
 *   and the image's id (`{#fig-x}`) becomes the figure's. So is a reference
 *   image (`![Caption][moon]`) whose definition the chapter has (remark-links
 *   makes it a plain image later). So is Quarto's linked figure, an image
 *   with an id alone in a link alone in its paragraph
 *   (`[![Caption](x.png){#fig-x}](x.pdf)`): the figure holds the link.
 * - A paragraph `: Caption {#tbl-x}` (or `Table: Caption`) right after or
 *   right before a table (pipe or grid) is that table's caption, on
 *   `table.data.caption`, and its id the table's.
 */
import type {Image, ImageReference, Link, Parent, PhrasingContent, Root, Text} from 'mdast'
import {SKIP} from 'unist-util-visit'
import {blocksOnly, visit} from '../tree.js'
import {parseAttributes} from './remark-pandoc-attributes.js'

/** An image alone in its paragraph (or alone in a link alone in it), with its caption. */
export interface ImplicitFigure extends Parent {
  type: 'implicitFigure'
  id?: string | undefined
  children: [Image | ImageReference | Link]
  caption: PhrasingContent[]
  /** Its number, when a cross-reference can reach it (set by `resolveCrossReferences`). */
  number?: number | undefined
  /** What its caption starts with, in the book's language: `Figure 3` (set by `resolveCrossReferences`). */
  numbered?: string | undefined
}

declare module 'mdast' {
  interface BlockContentMap {
    implicitFigure: ImplicitFigure
  }
  interface RootContentMap {
    implicitFigure: ImplicitFigure
  }
  interface TableData {
    /** The table's caption (`: Caption`). */
    caption?: PhrasingContent[] | undefined
    /** Its number, when a cross-reference can reach it (set by `resolveCrossReferences`). */
    number?: number | undefined
    /** What its caption starts with, in the book's language: `Table 3` (set by `resolveCrossReferences`). */
    numbered?: string | undefined
  }
}

const captionStart = /^(?::|Table:)[ \t]+/
const captionEnd = /[ \t]*\{([^{}]*)\}[ \t]*$/

/** Make figures of lone images and captions of `: Caption` paragraphs. */
export function remarkFigures() {
  return (tree: Root) => {
    let defined: Set<string> | undefined
    // The labels a reference image may use, found once a chapter has a lone one.
    const isDefined = (identifier: string) => {
      if (!defined) {
        const labels = new Set<string>()
        visit(tree, (node) => {
          if (node.type === 'definition') labels.add(node.identifier)
          return blocksOnly(node)
        })
        defined = labels
      }
      return defined.has(identifier)
    }
    visit(tree, (node, index, parent) => {
      if (!parent || index === undefined) return blocksOnly(node)
      if (node.type === 'paragraph') {
        const isImage = (child: PhrasingContent | undefined): child is Image | ImageReference =>
          child?.type === 'image' || (child?.type === 'imageReference' && isDefined(child.identifier))
        const only = loneChild(node.children)
        let image = isImage(only) ? only : undefined
        // Quarto's linked figure, `[![Caption](x.png){#fig-x}](x.pdf)`: a lone link holding a lone image with an id.
        if (only?.type === 'link') {
          const inner = loneChild(only.children)
          if (isImage(inner) && typeof inner.data?.hProperties?.id === 'string') image = inner
        }
        if (only && image?.alt) {
          const id = image.data?.hProperties?.id
          if (typeof id === 'string' && image.data?.hProperties) delete image.data.hProperties.id
          const figure: ImplicitFigure = {
            type: 'implicitFigure',
            id: typeof id === 'string' ? id : undefined,
            children: [only as Image | ImageReference | Link],
            caption: [{type: 'text', value: image.alt}],
            position: node.position
          }
          parent.children[index] = figure as never
          return SKIP
        }
        const first = node.children[0]
        if (first?.type !== 'text' || !captionStart.test(first.value)) return SKIP
        const table = [parent.children[index - 1], parent.children[index + 1]].find(
          (sibling) => sibling?.type === 'table' || sibling?.type === 'gridTable'
        )
        if ((table?.type !== 'table' && table?.type !== 'gridTable') || table.data?.caption) return SKIP
        const caption = structuredClone(node.children)
        const lead = caption[0] as Text
        lead.value = lead.value.replace(captionStart, '')
        const last = caption.at(-1)
        const match = last?.type === 'text' ? captionEnd.exec(last.value) : null
        const attributes = match ? parseAttributes(match[1]) : undefined
        if (match && attributes && last?.type === 'text') {
          last.value = last.value.slice(0, match.index)
          if (attributes.id) {
            table.data ??= {}
            table.data.hProperties = {...table.data.hProperties, id: attributes.id}
          }
        }
        table.data ??= {}
        table.data.caption = caption.filter((child) => child.type !== 'text' || child.value !== '')
        parent.children.splice(index, 1)
        return [SKIP, index]
      }
      return blocksOnly(node)
    })
  }
}

/** The one child of `children` besides white space, if there is only one. */
function loneChild(children: PhrasingContent[]): PhrasingContent | undefined {
  const meaningful = children.filter((child) => !(child.type === 'text' && child.value.trim() === ''))
  return meaningful.length === 1 ? meaningful[0] : undefined
}
