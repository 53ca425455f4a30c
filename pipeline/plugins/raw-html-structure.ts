/**
 * Where the elements kept from raw HTML (remark-raw-html) may stand. Each is
 * allowed on its own, but HTML has rules about what holds what, and the
 * EPUB's XHTML is checked against them: a `<div>` or `<p>` inside a
 * paragraph, a `<span>` around paragraphs, a link inside a link, a
 * `<details>` without its `<summary>` first, a `<summary>` or `<figcaption>`
 * anywhere else. Such an element loses its tags and keeps its content, with a
 * `raw-html` warning at its place.
 */
import type {Parent, Root, RootContent} from 'mdast'
import type {VFile} from 'vfile'
import {warn} from '../messages.js'
import type {HtmlElement} from './remark-raw-html.js'

const source = 'remark-raw-html'

/** Kept elements that are blocks; the others (`kbd`, `a`, `img`…) are phrasing content, as text is. */
export const blockTags = new Set(['figure', 'figcaption', 'details', 'summary', 'div', 'p'])

/** Nodes that hold phrasing content only (a table cell may hold blocks in HTML). */
const phrasingParents = new Set([
  'paragraph',
  'heading',
  'emphasis',
  'strong',
  'delete',
  'link',
  'linkReference',
  'subscript',
  'superscript'
])

/** Nodes that are blocks. */
const blockTypes = new Set([
  'paragraph',
  'heading',
  'list',
  'listItem',
  'blockquote',
  'code',
  'table',
  'thematicBreak',
  'math',
  'containerDirective',
  'leafDirective',
  'definition',
  'footnoteDefinition'
])

/** Give each misplaced element of raw HTML in `tree` up for its content, with a warning. */
export function unwrapMisplaced(tree: Root, file: VFile): void {
  walk(tree, [], file)
}

function walk(parent: Parent, ancestors: Parent[], file: VFile): void {
  const children = parent.children as RootContent[]
  for (let index = 0; index < children.length; index++) {
    const node = children[index]!
    const why = misplaced(node, parent, ancestors)
    if (why) {
      warn(file, `Unexpected raw HTML: ${why} (its tags are left out, its content kept)`, node, 'raw-html', source)
      children.splice(index, 1, ...((node as Parent).children as RootContent[]))
      index--
      continue
    }
    if ('children' in node) walk(node, [...ancestors, parent], file)
  }
}

/** What is wrong with `node`'s place, said as the problem and the fix; `undefined` when nothing (or it is not raw HTML). */
function misplaced(node: RootContent, parent: Parent, ancestors: Parent[]): string | undefined {
  const isLink = (candidate: Parent) =>
    candidate.type === 'link' || (candidate.type === 'htmlElement' && (candidate as HtmlElement).tagName === 'a')
  if (isLink(node as Parent) && [...ancestors, parent].some(isLink))
    return 'a link inside a link, expected links side by side'
  if (node.type !== 'htmlElement') return undefined
  const name = `\`<${node.tagName}>\``
  if (blockTags.has(node.tagName) && phrasing(parent))
    return `${name} inside a line of text, expected it on lines of its own, among blocks`
  const holdsBlocks = node.children.some(
    (child) =>
      (blockTypes.has(child.type) && !(node.tagName === 'summary' && child.type === 'heading')) ||
      (child.type === 'htmlElement' && blockTags.has(child.tagName))
  )
  if ((!blockTags.has(node.tagName) || node.tagName === 'p' || node.tagName === 'summary') && holdsBlocks)
    return `${name} around blocks, expected it inside a paragraph`
  const siblings = meaningful(parent)
  const parentTag = parent.type === 'htmlElement' ? (parent as HtmlElement).tagName : undefined
  if (node.tagName === 'summary' && (parentTag !== 'details' || siblings[0] !== node))
    return '`<summary>` that is not the first thing in a `<details>`, expected it there'
  if (node.tagName === 'details') {
    const first = meaningful(node)[0]
    if (first?.type !== 'htmlElement' || first.tagName !== 'summary')
      return '`<details>` without a `<summary>` first, expected `<summary>…</summary>` right after `<details>`'
  }
  if (node.tagName === 'figcaption') {
    const captions = siblings.filter((child) => child.type === 'htmlElement' && child.tagName === 'figcaption')
    if (parentTag !== 'figure' || (siblings[0] !== node && siblings.at(-1) !== node) || captions[0] !== node)
      return '`<figcaption>` that is not the first or last thing in a `<figure>`, or its second, expected one there'
  }
  return undefined
}

function phrasing(parent: Parent): boolean {
  if (phrasingParents.has(parent.type)) return true
  if (parent.type !== 'htmlElement') return false
  const tag = (parent as HtmlElement).tagName
  return !blockTags.has(tag) || tag === 'p' || tag === 'summary'
}

/** The children of `parent` but text that is only white space. */
function meaningful(parent: Parent): RootContent[] {
  return (parent.children as RootContent[]).filter((child) => !(child.type === 'text' && child.value.trim() === ''))
}
