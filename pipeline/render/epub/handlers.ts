/**
 * mdast → hast handlers of the EPUB target: a scrolly section becomes its
 * steps in reading order, each followed by the static figure of its state;
 * citations become noterefs; contested claims show every source's account;
 * headings, images and links as ../handlers.ts makes them.
 */
import type {Element, ElementContent} from 'hast'
import {h} from 'hastscript'
import type {Handler, Handlers, State} from 'mdast-util-to-hast'
import type {Book, ScrollySection} from '../../types.js'
import type {BookAssets} from '../assets.js'
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

  // Markdown titles are not kept: reading systems do not show `title`.
  const {heading, image, link, crossReference} = bookHandlers({
    assets,
    images: context.images,
    mediaFolder: 'images',
    headingOffset: context.headingOffset,
    resolveLink: context.resolveLink
  })

  const scrollySection: Handler = (state: State, node: ScrollySection) => {
    const children: ElementContent[] = []
    for (const step of node.children) {
      const figure = assets.figures.get(`${node.graphic}#${step.state}`)
      const parts: ElementContent[] = [...state.all(step)]
      if (figure) {
        // width and height give readers the figure's proportions before it loads.
        parts.push(
          h('figure.state', [
            h('img', {
              src: `images/${figure.fileName}`,
              alt: figure.alt,
              width: figure.width,
              height: figure.height
            })
          ])
        )
      }
      children.push(h('div.step', {id: step.id}, parts))
    }
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
    ...dialectHandlers({epub: true}),
    heading,
    image,
    link,
    crossReference,
    scrollySection,
    citation,
    contestedClaim
  } as Handlers
}
