/**
 * mdast → hast handlers of the EPUB target: a scrolly section becomes its
 * steps in reading order, each followed by the static figure of its state;
 * citations become noterefs; contested claims show every source's account;
 * headings, images and links as ../handlers.ts makes them.
 */
import type {Element, ElementContent} from 'hast'
import {h} from 'hastscript'
import type {Nodes} from 'mdast'
import type {Handler, Handlers, State} from 'mdast-util-to-hast'
import {labelsFor} from '../../labels/index.js'
import type {Book, ScrollySection} from '../../types.js'
import {type BookAssets, figureKey} from '../assets.js'
import {dataTable} from '../data-table.js'
import {dialectHandlers} from '../dialect.js'
import {bookHandlers} from '../handlers.js'
import {epubCitation, epubContested} from './notes.js'

/** What the handlers need to know about the document they render. */
export interface EpubDocContext {
  assets: BookAssets
  headingOffset: number
  images: Record<string, string>
  resolveLink: (url: string) => string | undefined
  /** File name of the notes document, for noterefs (`''` when rendering inside it). */
  notesFile: string
  /** The book: its references, formatter and contested claims. */
  book: Book
  /** Whether citations get their `id="cite-N"` (the citing place). Default `true`; `false` for copies. */
  citeIds?: boolean | undefined
}

/** The handlers for one chapter document. */
export function epubHandlers(context: EpubDocContext): Handlers {
  const {assets} = context
  const labels = labelsFor(context.book.meta.language)

  // Markdown titles are not kept: reading systems do not show `title`.
  const {heading, image, link, crossReference} = bookHandlers({
    assets,
    images: context.images,
    mediaFolder: 'images',
    headingOffset: context.headingOffset,
    resolveLink: context.resolveLink
  })

  // A sequence of captioned figures: the graphic's title once, each state's figure after the
  // steps that show it (“2 of 4: The releases”, with the first step's key sentence), the credit once.
  const scrollySection: Handler = (state: State, node: ScrollySection) => {
    const graphic = context.book.graphics.get(node.graphic)
    // A run: steps in a row that show one figure (one state, zoom and highlight).
    const keys = node.children.map((step) => figureKey(node.graphic, step))
    const runs = node.children.filter((_, index) => keys[index - 1] !== keys[index])
    const children: ElementContent[] = []
    if (graphic) children.push(h('p.sequence-title', graphic.title))
    node.children.forEach((step, index) => {
      children.push(h('div.step', {id: step.id}, state.all(step)))
      const figure = assets.figures.get(figureKey(node.graphic, step))
      if (!figure || keys[index + 1] === keys[index]) return
      const first = node.children.slice(0, index + 1).findLast((_, i) => keys[i - 1] !== keys[i]) ?? step
      const number = runs.indexOf(first) + 1
      const found = graphic?.states.find((s) => s.id === step.state)
      const label = found?.label ?? humanize(step.state)
      children.push(
        h('figure.state', [
          // width and height give readers the figure's proportions before it loads.
          h('img', {
            src: `images/${figure.book.fileName}`,
            alt: figure.alt,
            width: figure.book.width,
            height: figure.book.height
          }),
          h('figcaption', [
            h('strong', `${labels.figureCount(number, runs.length)}: ${label}.`),
            ' ',
            keySentence(prose(first))
          ])
        ])
      )
    })
    if (graphic?.credit) children.push(h('p.sequence-credit', graphic.credit))
    const table = graphic && dataTable(graphic, labels)
    if (table) children.push(table)
    const result: Element = h('div.scrolly', {id: node.id}, children)
    state.patch(node, result)
    return result
  }

  // Noterefs to endnotes, and contested claims as a noteref to their accounts: see ./notes.ts.
  const citation = epubCitation({
    book: context.book,
    notesFile: context.notesFile,
    citeIds: context.citeIds
  })
  const contestedClaim = epubContested({
    book: context.book,
    notesFile: context.notesFile
  })

  return {
    ...dialectHandlers({epub: true, language: context.book.meta.language}),
    heading,
    image,
    link,
    crossReference,
    scrollySection,
    citation,
    contestedClaim
  } as Handlers
}

/** `election-1990` → `Election 1990`: a state's name when it has no label. */
function humanize(id: string): string {
  const words = id.replace(/[-_]+/g, ' ').trim()
  return words.charAt(0).toUpperCase() + words.slice(1)
}

const phrasing = new Set([
  'paragraph',
  'heading',
  'emphasis',
  'strong',
  'delete',
  'link',
  'linkReference',
  'textDirective'
])

/** A step's text without its citations (their notes are in the step itself). */
function prose(node: Nodes): string {
  if (node.type === 'citation') return ''
  if ('children' in node) return (node.children as Nodes[]).map(prose).join(phrasing.has(node.type) ? '' : ' ')
  if ('value' in node && node.type !== 'html' && node.type !== 'yaml') return String(node.value)
  return ''
}

/** The first sentence of a step's text, for its figure's caption. */
export function keySentence(text: string): string {
  const clean = text
    .replace(/\s+/g, ' ')
    .replace(/ ([.,;:!?])/g, '$1')
    .trim()
  const match = /^.+?[.!?](?=\s+[A-Z“"‘'(]|$)/.exec(clean)
  return match ? match[0] : clean
}
