/**
 * mdast → hast handlers of the web target: scrolly sections with a sticky
 * inline graphic and per-step static figures, citations as note links,
 * contested claims as disclosures; headings, images and links as ../handlers.ts
 * makes them, with lazy-loaded images and titles kept.
 */
import type {Element, ElementContent} from 'hast'
import {h} from 'hastscript'
import type {Handler, Handlers, State} from 'mdast-util-to-hast'
import {labelsFor} from '../../labels/index.js'
import type {Book, Graphic, ScrollySection} from '../../types.js'
import {type BookAssets, figureKey} from '../assets.js'
import {dataTable} from '../data-table.js'
import {dialectHandlers} from '../dialect.js'
import {bookHandlers} from '../handlers.js'
import {webCitation, webContested} from './citations.js'
import {inlineSvg} from './svg.js'

/** What the handlers need to know about the page they render. */
export interface WebPageContext {
  book: Book
  assets: BookAssets
  /** Heading shift for this chapter. */
  headingOffset: number
  /** Resolve a chapter-relative link (`02-x.md#y`) to its web URL; undefined to leave it alone. */
  resolveLink: (url: string) => string | undefined
  /** Local images of this chapter: url as written → absolute path. */
  images: Record<string, string>
  /** The chapter page holding the notes, when rendering its content on another page (citations then link there and get no ids). */
  notesPage?: string | undefined
}

/**
 * The sticky graphic: one inline SVG, or, when the graphic has a narrow
 * variant, both (ids prefixed apart), `.tf-wide` and `.tf-narrow`, of which
 * the stylesheet shows one per screen width (`display: none` keeps the other
 * out of the accessibility tree).
 */
function inlineGraphic(graphic: Graphic, state: string, id: string): Element[] {
  if (graphic.svgNarrow === undefined) return [inlineSvg(graphic, state, `${id}-svg`)]
  return [inlineSvg(graphic, state, `${id}-svg`, 'wide'), inlineSvg(graphic, state, `${id}-svgn`, 'narrow')]
}

/** The handlers for one chapter page. */
export function webHandlers(context: WebPageContext): Handlers {
  const {book, assets} = context
  const labels = labelsFor(book.meta.language)

  const {heading, image, link, crossReference} = bookHandlers({
    assets,
    images: context.images,
    mediaFolder: 'media',
    headingOffset: context.headingOffset,
    resolveLink: context.resolveLink,
    titles: true,
    imageProperties: {loading: 'lazy', decoding: 'async'}
  })

  const scrollySection: Handler = (state: State, node: ScrollySection) => {
    const graphic = book.graphics.get(node.graphic)
    const first = node.children[0]?.state ?? ''
    const count = node.children.length
    const steps = node.children.map((step, index): Element => {
      const figure = assets.figures.get(figureKey(node.graphic, step))
      const previous = node.children[index - 1]
      const next = node.children[index + 1]
      // Plain links between steps: they work without JavaScript, and the client turns them into
      // aligned, focus-moving jumps. Every step has one, so Tab reaches every step.
      const nav = h('p.step__nav', [
        h('span.step__count', labels.stepCount(index + 1, count)),
        previous
          ? h('a.step__link.step__link--prev', {href: `#${previous.id}`}, [
              h('span', {ariaHidden: 'true'}, '↑ '),
              labels.previous,
              h('span.visually-hidden', labels.stepSuffix)
            ])
          : undefined,
        next
          ? h('a.step__link.step__link--next', {href: `#${next.id}`}, [
              labels.next,
              h('span.visually-hidden', labels.stepSuffix),
              h('span', {ariaHidden: 'true'}, ' ↓')
            ])
          : undefined
      ])
      const children: ElementContent[] = [h('div.step__text', [...state.all(step), nav])]
      if (figure) {
        const image = h('img', {
          src: `figures/${figure.fileName}`,
          alt: figure.alt,
          width: figure.width,
          height: figure.height,
          loading: 'lazy',
          decoding: 'async'
        })
        // Phones get the narrow artboard; each source's own width and height reserve its space.
        const {narrow} = figure
        children.push(
          h('figure.step__figure', [
            narrow
              ? h('picture', [
                  h('source', {
                    media: '(max-width: 40em)',
                    srcSet: `figures/${narrow.fileName}`,
                    type: 'image/svg+xml',
                    width: narrow.width,
                    height: narrow.height
                  }),
                  image
                ])
              : image
          ])
        )
      }
      // tabindex -1: the target of the step links and deep links takes focus, so reading continues from it.
      const element = h(
        'div.step',
        {
          id: step.id,
          dataStep: index,
          dataState: step.state,
          dataZoom: step.zoom,
          dataHighlight: step.highlight?.join(' '),
          dataProgress: step.progress ? '' : undefined,
          tabIndex: -1
        },
        children
      )
      state.patch(step, element)
      return element
    })
    const result = h(`section.scrolly.scrolly--${node.layout}`, {id: node.id, dataGraphic: node.graphic}, [
      h('div.scrolly__graphic', [
        graphic ? h('figure.scrolly__figure', inlineGraphic(graphic, first, node.id)) : h('figure.scrolly__figure')
      ]),
      h('div.scrolly__steps', steps)
    ])
    state.patch(node, result)
    // The graphic's data, under the section, closed until asked for.
    const table = graphic && dataTable(graphic, labels)
    if (!table) return result
    return [result, h('details.data-details', [h('summary', labels.dataTable(graphic.title)), table])]
  }

  // Note links with a tooltip, and contested claims with their accounts: see ./citations.ts.
  const citation = webCitation({book, notesPage: context.notesPage})
  const contestedClaim = webContested({book})

  return {
    ...dialectHandlers({language: book.meta.language}),
    heading,
    image,
    link,
    crossReference,
    scrollySection,
    citation,
    contestedClaim
  } as Handlers
}
