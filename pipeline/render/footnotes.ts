/**
 * Markdown footnotes (`[^x]`, and Pandoc's inline `^[…]` that
 * remark-inline-notes turns into them) in both targets, numbered per chapter
 * in the order they are first called.
 *
 * - Web: a note link with a tooltip holding the note, as citations have
 *   (`templates/web/popover.ts` shows it), and the chapter's footnotes in a
 *   list after the text, each with a link back.
 * - EPUB: a `epub:type="noteref"` link to an `<aside epub:type="footnote">`
 *   at the end of the chapter document, which Apple Books, Kobo and Thorium
 *   show as a pop-up note.
 */
import type {Element, ElementContent, Root} from 'hast'
import {h} from 'hastscript'
import type {FootnoteDefinition, FootnoteReference, Root as MdastRoot} from 'mdast'
import {type Handler, type Handlers, type State, toHast} from 'mdast-util-to-hast'
import {tightenNoteSpace} from '../citations/places.js'
import {type Labels, labelsFor} from '../labels/index.js'
import {blocksOnly, visit} from '../tree.js'

/** Options of `chapterFootnotes`. */
export interface FootnoteOptions {
  /** Render for the EPUB. Default `false` (the web). */
  epub?: boolean | undefined
  /** The book's language (BCP 47), for the footnotes' words. Default `en`. */
  language?: string | undefined
}

/** A chapter's text as hast, through `handlers` (and its footnotes' own), with its footnotes after it. */
export function chapterBody(tree: MdastRoot, handlers: Handlers, options: FootnoteOptions): ElementContent[] {
  const footnotes = chapterFootnotes(tree, options)
  // A root gives a root.
  const content = toHast(tree, {handlers: {...handlers, ...footnotes.handlers}}) as Root
  tightenNoteSpace(content)
  const section = footnotes.section()
  return [...(content.children as ElementContent[]), ...(section ? [section] : [])]
}

/** The footnote handlers of one chapter, and its footnotes to put after its text. */
export function chapterFootnotes(
  tree: MdastRoot,
  options: FootnoteOptions = {}
): {handlers: Record<string, Handler>; section: () => Element | undefined} {
  const labels = labelsFor(options.language ?? 'en')
  const definitions = new Map<string, FootnoteDefinition>()
  visit(tree, (node) => {
    if (node.type === 'footnoteDefinition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node)
    return blocksOnly(node)
  })
  const numbers = new Map<string, number>()
  const calls = new Map<string, number>()
  const notes: Array<{number: number; content: ElementContent[]}> = []

  const footnoteReference: Handler = (state: State, node: FootnoteReference) => {
    const definition = definitions.get(node.identifier)
    if (!definition) return {type: 'text', value: `[^${node.label ?? node.identifier}]`}
    let number = numbers.get(node.identifier)
    if (number === undefined) {
      number = numbers.size + 1
      numbers.set(node.identifier, number)
      notes.push({number, content: state.all(definition)})
    }
    const call = (calls.get(node.identifier) ?? 0) + 1
    calls.set(node.identifier, call)
    const id = call === 1 ? `fnref-${number}` : `fnref-${number}-${call}`
    if (options.epub) {
      return h('sup', [
        h(
          'a',
          {href: `#fn-${number}`, id, 'epub:type': 'noteref', role: 'doc-noteref', ariaLabel: labels.footnote(number)},
          String(number)
        )
      ])
    }
    // Numbered in the order their notes are pushed, from 1.
    const note = notes[number - 1]?.content ?? []
    return h('span.cite.footnote', [
      h('sup.cite__mark', [
        h(
          'a.cite__ref',
          {
            href: `#fn-${number}`,
            id,
            role: 'doc-noteref',
            ariaLabel: labels.footnote(number),
            ariaDescribedBy: `${id}-tip`
          },
          String(number)
        )
      ]),
      h('span.cite__tip', {id: `${id}-tip`, role: 'tooltip', hidden: true}, phrasing(tooltipCopy(note)))
    ])
  }

  // A definition shows where it is called, not where it is written.
  const footnoteDefinition: Handler = () => undefined

  const section = (): Element | undefined => {
    if (notes.length === 0) return undefined
    if (options.epub) {
      return h(
        'section.footnotes',
        {ariaLabel: labels.footnotes},
        notes.map(({number, content}) =>
          h(
            'aside',
            {id: `fn-${number}`, 'epub:type': 'footnote', role: 'doc-footnote'},
            withBacklink(content, number, labels)
          )
        )
      )
    }
    return h('section.footnotes', {ariaLabelledBy: 'footnotes-title'}, [
      h('h2#footnotes-title', labels.footnotes),
      h(
        'ol',
        notes.map(({number, content}) => h('li', {id: `fn-${number}`}, withBacklink(content, number, labels)))
      )
    ])
  }

  return {handlers: {footnoteReference, footnoteDefinition}, section}
}

/** The note's blocks with its number, a link back to where it is first called, at their start. */
function withBacklink(content: ElementContent[], number: number, labels: Labels): ElementContent[] {
  const back = h(
    'a.footnote__back',
    {href: `#fnref-${number}`, role: 'doc-backlink', ariaLabel: labels.backToFootnote(number)},
    `${number}.`
  )
  const blocks = content.filter((child) => child.type !== 'text' || child.value.trim() !== '')
  const first = blocks[0]
  if (first?.type === 'element' && first.tagName === 'p') {
    first.children.unshift(back, {type: 'text', value: ' '})
    return blocks
  }
  return [h('p', [back]), ...blocks]
}

/**
 * A copy of a note's blocks for a tooltip. The note in the list keeps the ids
 * (a citation's, an anchor's), which links and backlinks point to: the copy
 * has none, so a page never holds an id twice, and no tooltip of its own (a
 * citation's link in it is still described by its tooltip in the list).
 */
function tooltipCopy(content: ElementContent[]): ElementContent[] {
  const copy: Root = {type: 'root', children: structuredClone(content)}
  visit(copy, 'element', (node, index, parent) => {
    const classes = node.properties.className
    if (parent && index !== undefined && Array.isArray(classes) && classes.includes('cite__tip')) {
      parent.children.splice(index, 1)
      return index
    }
    delete node.properties.id
    return undefined
  })
  return copy.children as ElementContent[]
}

/** A note's blocks as phrasing content, for a tooltip: each paragraph's content, one after another. */
function phrasing(content: ElementContent[]): ElementContent[] {
  const result: ElementContent[] = []
  for (const child of content) {
    if (child.type === 'element' && child.tagName === 'p') {
      if (result.length > 0) result.push({type: 'text', value: ' '})
      result.push(...child.children)
    } else if (child.type === 'element' && ['pre', 'ul', 'ol', 'blockquote', 'div', 'table'].includes(child.tagName)) {
      result.push({type: 'text', value: ' …'})
    } else if (child.type !== 'text' || child.value.trim()) result.push(child)
  }
  return result
}
