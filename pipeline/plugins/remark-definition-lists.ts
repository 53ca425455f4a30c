/**
 * remark plugin: Pandoc's definition lists, read by
 * micromark-extension-definition-list and mdast-util-definition-list.
 * Format-neutral: `defList` nodes holding `defListTerm` and
 * `defListDescription` nodes, which the targets render as `<dl>`, `<dt>`
 * and `<dd>`.
 *
 * ```markdown
 * Term
 * : Definition, which may go on
 * lazily on the next line.
 * : A second definition.
 * ```
 *
 * The extension tries a definition only at a line that starts with `:` and a
 * space after a paragraph, so `:::` fences are not definitions. A Pandoc
 * table caption written before its table (`: Caption {#tbl-x}`) after a
 * paragraph reads as a definition of that paragraph; it is given back to the
 * table (remark-figures makes it the caption).
 *
 * The extension does not read a definition list inside a list item (it
 * knows block quote prefixes, not a list item's indent), so such a list
 * would show as a paragraph with its `:` lines. That is reported, never
 * silent.
 *
 * Messages (source `remark-definition-lists`): `unread-definition-list`
 * (warning), at the `:` line of a definition list in a list item.
 */
import type {ElementContent, Properties} from 'hast'
import type {Paragraph, Parent, Root, RootContent} from 'mdast'
import {type DefListNode, defListFromMarkdown} from 'mdast-util-definition-list'
import {defList} from 'micromark-extension-definition-list'
import type {Processor} from 'unified'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {mapSource, overwrite} from '../citations/source-map.js'
import {warn} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'

declare module 'unist' {
  // The package types its nodes as unist nodes: give them the fields mdast-util-to-hast reads on mdast's.
  interface Data {
    hName?: string | undefined
    hProperties?: Properties | undefined
    hChildren?: ElementContent[] | undefined
  }
}

// A line that may start a definition: `:` and a space, after block quote markers or indentation.
const definitionLine = /^[ \t>]*:[ \t]/m

type Parse = (document: string, file: VFile) => Root

/** Read Pandoc definition lists. Use after `remark-parse` and the GFM plugin. */
export function remarkDefinitionLists(this: Processor) {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push(defList)
  ;(data.fromMarkdownExtensions ??= []).push(defListFromMarkdown)
  const parse = this.parser as Parse | undefined
  if (!parse) throw new Error('Expected `remark-parse` before `remarkDefinitionLists`')
  this.parser = (document: string, file: VFile): Root => {
    const tree = parse(document, file)
    if (!/(?:^|\n)[ \t>]*~[ \t]/.test(document)) return tree
    const tildes = tildeMarkers(tree, document)
    if (tildes.size === 0) return tree
    const text = overwrite(document, new Map([...tildes].map((offset) => [offset, ':'])))
    const again = parse(text, file)
    restoreTildes(again, text, tildes)
    return again
  }
  return (tree: Root, file: VFile) => {
    if (!definitionLine.test(String(file.value))) return
    unreadInListItems(tree, file)
    visit(tree, (node, index, parent) => {
      if (node.type !== 'defList' || !parent || index === undefined) return blocksOnly(node)
      const next = parent.children[index + 1]
      if ((next?.type !== 'table' && next?.type !== 'gridTable') || next.data?.caption) return
      const replacement = captionBack(node)
      if (!replacement) return
      parent.children.splice(index, 1, ...(replacement as never[]))
      return index + replacement.length
    })
  }
}

/**
 * Pandoc also marks a definition with `~`, which the extension does not know: the offsets of each `~` and space
 * that starts a line of a paragraph (where the parse left it), for the parser to read as `:`.
 */
function tildeMarkers(tree: Root, text: string): Set<number> {
  const found = new Set<number>()
  visit(tree, (node) => {
    if (node.type !== 'paragraph') return blocksOnly(node)
    for (const [index, child] of node.children.entries()) {
      if (child.type !== 'text') continue
      const starts = index === 0 ? [0] : []
      for (let at = child.value.indexOf('\n'); at !== -1; at = child.value.indexOf('\n', at + 1)) starts.push(at + 1)
      const tildes = starts.filter((at) => /^~[ \t]/.test(child.value.slice(at, at + 2)))
      const map = tildes.length > 0 ? mapSource(child, text) : undefined
      for (const at of tildes) {
        const offset = map?.offset(at)
        if (offset !== undefined && text[offset] === '~') found.add(offset)
      }
    }
    return SKIP
  })
  return found
}

/** Put back the `~` that the extension did not read as a definition's marker after all. */
function restoreTildes(tree: Root, text: string, tildes: Set<number>): void {
  visit(tree, 'text', (node) => {
    const start = node.position?.start.offset
    const end = node.position?.end.offset
    if (start === undefined || end === undefined || !node.value.includes(':')) return
    const map = mapSource(node, text)
    for (let i = 0; map && i < node.value.length; i++)
      if (node.value[i] === ':' && tildes.has(map.offset(i)))
        node.value = `${node.value.slice(0, i)}~${node.value.slice(i + 1)}`
  })
}

/**
 * The list with its last definition given back as a `: Caption` paragraph
 * (and a term left without a definition as a paragraph), or `undefined`
 * when that definition is more than one paragraph.
 */
function captionBack(list: DefListNode): RootContent[] | undefined {
  const last = list.children.at(-1)
  const only = last?.type === 'defListDescription' && last.children.length === 1 ? last.children[0] : undefined
  if (only?.type !== 'paragraph' || only.children[0]?.type !== 'text') return undefined
  const caption: Paragraph = {
    ...only,
    children: [{...only.children[0], value: `: ${only.children[0].value}`}, ...only.children.slice(1)]
  }
  const children = list.children.slice(0, -1)
  const result: RootContent[] = []
  const term = children.at(-1)
  if (term?.type === 'defListTerm') {
    children.pop()
    result.push({type: 'paragraph', children: term.children, position: term.position})
  }
  if (children.length > 0) result.unshift({...list, children} as never)
  result.push(caption)
  return result
}

/**
 * Warn at each definition list written in a list item, which the extension
 * leaves a paragraph: a `: ` line inside a paragraph (a tight definition),
 * or a paragraph that starts with `: ` right after another one (a loose
 * definition) and is no table caption.
 */
function unreadInListItems(tree: Root, file: VFile): void {
  const lines = String(file.value).split(/\r?\n|\r/)
  const report = (line: number) => {
    // The `:` after the line's indent and block quote markers.
    const column = (/^[ \t>]*/.exec(lines[line - 1] ?? '')?.[0].length ?? 0) + 1
    warn(
      file,
      'Unexpected definition list in a list item, shown as a paragraph; expected it outside the list (end the list before it), or the term in bold with its definition after it, as `- **Term**: definition`',
      {line, column},
      'unread-definition-list',
      'remark-definition-lists'
    )
  }
  const inItem = (node: Parent, depth: number) => {
    for (const [index, child] of node.children.entries()) {
      if (child.type === 'paragraph' && depth > 0) {
        const before = node.children[index - 1]
        const after = node.children[index + 1]
        const first = child.children[0]
        if (
          first?.type === 'text' &&
          /^:[ \t]/.test(first.value) &&
          before?.type === 'paragraph' &&
          after?.type !== 'table' &&
          after?.type !== 'gridTable' &&
          first.position
        )
          report(first.position.start.line)
        for (const phrase of child.children) {
          if (phrase.type !== 'text' || !phrase.position) continue
          for (const match of phrase.value.matchAll(/\n:[ \t]/g))
            report(phrase.position.start.line + phrase.value.slice(0, match.index + 1).split('\n').length - 1)
        }
      } else if (
        'children' in child &&
        child.type !== 'paragraph' &&
        child.type !== 'heading' &&
        child.type !== 'table'
      )
        inItem(child as Parent, depth + (child.type === 'listItem' ? 1 : 0))
    }
  }
  inItem(tree, 0)
}
