/**
 * Citations, notes, sources and disagreements in the web story.
 *
 * - A citation is a numbered note link (`<a href="#note-N" id="cite-N"
 *   role="doc-noteref">`) described by a tooltip that holds the formatted
 *   note; `templates/web/popover.ts` shows the tooltip on hover, focus and
 *   tap. Without JavaScript the link jumps to the note.
 * - Each chapter ends with its notes (`role="doc-endnotes"`), each with a
 *   backlink to its citation.
 * - A contested claim is marked, with a “Sources disagree” button (shown by
 *   the client) that opens the list of accounts; without JavaScript the list
 *   is a `<details>`.
 * - Two book-wide pages: `sources.html` (every entry, in the style's order,
 *   with links to every place that cites it) and `disagreements.html` (every
 *   contested claim with each source's account).
 *
 * Everything is built as hast from the book's one formatter; nothing here
 * concatenates HTML.
 */
import type {Element, ElementContent} from 'hast'
import {h} from 'hastscript'
import type {Paragraph} from 'mdast'
import {toHast, type Handler, type Handlers, type State} from 'mdast-util-to-hast'
import {bookClaims, citingPlaces, groupByChapter, inTextLabel, passageExcerpt, placeLabel, placesByKey, sourceAnchors, tightenNoteSpace, type CitingPlace} from '../citations/places.js'
import type {Book, Chapter, Citation, ContestedClaim} from '../types.js'

/** File names of the book-wide pages. */
export const sourcesPage = 'sources.html'
export const disagreementsPage = 'disagreements.html'

/** Options of `webCitation`. */
export interface WebCitationOptions {
  book: Book
  /**
   * The chapter page that holds the notes, when a citation is rendered on
   * another page (the disagreements page): its link goes there and it gets
   * no `id` (its citing place is in the chapter). Default: the current page.
   */
  notesPage?: string | undefined
}

/** The mdast `citation` handler: note number link plus a tooltip with the formatted note; in-text citations show the author first. */
export function webCitation(options: WebCitationOptions): Handler {
  const {book, notesPage} = options
  const items = new Map(book.references.map((item) => [item.id, item]))
  return (state: State, node: Citation) => {
    const number = String(node.number)
    const tip = `cite-${number}-tip`
    const link = h(
      'a.cite__ref',
      {href: `${notesPage ?? ''}#note-${number}`, id: notesPage === undefined ? node.id : undefined, role: 'doc-noteref', ariaLabel: `Note ${number}`, ariaDescribedBy: tip},
      number
    )
    const children: ElementContent[] = []
    if (node.mode === 'in-text') {
      const key = node.items[0]?.key ?? ''
      children.push(h('span.cite__author', inTextLabel(items.get(key), key, book.meta.language)))
    }
    children.push(h('sup.cite__mark', [link]), h('span.cite__tip', {id: tip, role: 'tooltip', hidden: true}, book.formatter.clusterHast(node.items)))
    const result = h(node.mode === 'in-text' ? 'span.cite.cite--in-text' : 'span.cite', children)
    state.patch(node, result)
    return result
  }
}

/** The mdast `contestedClaim` handler: the passage marked, a “Sources disagree” button, and the accounts (a `<details>` without JavaScript). */
export function webContested(options: {book: Book}): Handler {
  const anchors = new Map(bookClaims(options.book).map((entry) => [entry.claim, entry.anchor]))
  return (state: State, node: ContestedClaim) => {
    const panel = `${node.id}-accounts`
    const result = h('div.contested', {id: node.id}, [
      h('div.contested__passage', state.all(node)),
      h('p.contested__bar', [
        // Shown by the client, which turns the details below into its popover.
        h('button.contested__toggle', {type: 'button', ariaExpanded: 'false', ariaControls: panel, hidden: true}, [
          'Sources disagree',
          h('span.tf-visually-hidden', `: ${node.topic}`)
        ])
      ]),
      h('details.contested__accounts', {id: panel}, [
        h('summary', [h('span.contested__flag', 'Sources disagree'), `: ${node.topic}`]),
        h('div.contested__body', [
          h('p.contested__topic', node.topic),
          h(
            'ul.contested__list',
            node.accounts.map((account) => {
              const item = h('li', state.all(account))
              state.patch(account, item)
              return item
            })
          ),
          h('p.contested__more', [h('a', {href: `${disagreementsPage}#${anchors.get(node) ?? node.id}`}, 'Every place where the sources disagree')])
        ])
      ])
    ])
    state.patch(node, result)
    return result
  }
}

/** The notes at the end of a chapter, or `undefined` when it cites nothing. */
export function webNotes(book: Book, chapter: Chapter): Element | undefined {
  const citations = chapter.file.data.citations ?? []
  if (citations.length === 0) return undefined
  return h('section.notes', {role: 'doc-endnotes', ariaLabelledBy: 'notes'}, [
    h('h2#notes.notes__title', 'Notes'),
    h(
      'ol.notes__list',
      citations.map((citation) =>
        h('li.note', {id: `note-${citation.number}`, value: citation.number}, [
          h('span.note__text', book.formatter.clusterHast(citation.items)),
          ' ',
          h('a.note__back', {href: `#${citation.id}`, role: 'doc-backlink', ariaLabel: `Back to citation ${citation.number}`}, '↩\uFE0E')
        ])
      )
    )
  ])
}

/** Links to the book-wide pages the book has (for the contents and every footer). */
export function backMatterLinks(book: Book): Array<{href: string; text: string}> {
  const links: Array<{href: string; text: string}> = []
  if (bookClaims(book).length > 0) links.push({href: disagreementsPage, text: 'Where the sources disagree'})
  if (book.references.length > 0) links.push({href: sourcesPage, text: 'Sources'})
  return links
}

/** The footer's navigation: contents and the book-wide pages. */
export function footerNav(book: Book): Element {
  return h('nav.footer-nav', {ariaLabel: 'Book'}, [
    h('ul', [{href: 'index.html', text: 'Contents'}, ...backMatterLinks(book)].map((link) => h('li', [h('a', {href: link.href}, link.text)])))
  ])
}

/** A book-wide page: where it goes, its title and description, and what goes in `<main>`. */
export interface WebBackMatterPage {
  path: string
  title: string
  description: string
  main: ElementContent[]
}

/** Options of `webBackMatter`. */
export interface WebBackMatterOptions {
  /** The web handlers of a chapter, with citations linking to the notes on `notesPage`. */
  handlersFor: (chapter: Chapter, notesPage: string) => Handlers
  /** URL of a chapter's page. */
  chapterUrl: (chapter: Chapter) => string
}

/** The book-wide pages: `disagreements.html` (when the book has contested claims) and `sources.html` (when it has references). */
export function webBackMatter(book: Book, options: WebBackMatterOptions): WebBackMatterPage[] {
  const pages: WebBackMatterPage[] = []
  const claims = bookClaims(book)
  if (claims.length > 0) {
    pages.push({
      path: disagreementsPage,
      title: 'Where the sources disagree',
      description: `The ${claims.length === 1 ? 'place' : `${claims.length} places`} where the sources of “${book.meta.title}” disagree, with what each of them says.`,
      main: [
        h('section.backmatter.disagreements', {role: 'doc-appendix', ariaLabelledBy: 'disagreements-title'}, [
          h('h1#disagreements-title', 'Where the sources disagree'),
          h('p.backmatter__intro', `The sources disagree in ${claims.length === 1 ? 'one place' : `${claims.length} places`}. The story shows each of them; here they are together, with every source’s account and its note.`),
          ...claims.map(({chapter, chapterNumber, claim, anchor}) => {
            const handlers = options.handlersFor(chapter, options.chapterUrl(chapter))
            const excerpt = passageExcerpt(claim.children)
            return h('section.disagreement', {id: anchor}, [
              h('h2', claim.topic),
              excerpt ? h('blockquote.disagreement__passage', [h('p', excerpt)]) : undefined,
              h(
                'ul.disagreement__accounts',
                claim.accounts.map((account) => {
                  const paragraph: Paragraph = {type: 'paragraph', children: account.children}
                  const hast = toHast(paragraph, {handlers})
                  tightenNoteSpace(hast)
                  return h('li', hast.type === 'element' ? hast.children : [])
                })
              ),
              h('p.disagreement__place', [
                h('a', {href: `${options.chapterUrl(chapter)}#${claim.id}`}, `Read the passage in chapter ${chapterNumber}, “${chapter.title}”`)
              ])
            ])
          })
        ])
      ]
    })
  }

  if (book.references.length > 0) {
    const byKey = placesByKey(citingPlaces(book))
    const ids = book.formatter.order(book.references.map((item) => item.id))
    const anchors = sourceAnchors(ids)
    pages.push({
      path: sourcesPage,
      title: 'Sources',
      description: `Every work “${book.meta.title}” cites, with links to each place that cites it.`,
      main: [
        h('section.backmatter.sources', {role: 'doc-bibliography', ariaLabelledBy: 'sources-title'}, [
          h('h1#sources-title', 'Sources'),
          h('p.backmatter__intro', 'Every work this book cites, with a link to each place that cites it.'),
          h(
            'ul.sources__list',
            ids.map((id) =>
              h('li.source', {id: anchors.get(id)}, [h('p.source__entry', book.formatter.entryHast(id)), citedIn(byKey.get(id) ?? [], options.chapterUrl)])
            )
          )
        ])
      ]
    })
  }
  return pages
}

/** “Cited in ch. 1, notes 1, 3; ch. 2, note 7.”, each number a link to its citing place. */
function citedIn(places: CitingPlace[], chapterUrl: (chapter: Chapter) => string): Element {
  if (places.length === 0) return h('p.source__places', 'Not cited in the text.')
  const children: ElementContent[] = [{type: 'text', value: 'Cited in '}]
  groupByChapter(places).forEach((group, index) => {
    if (index > 0) children.push({type: 'text', value: '; '})
    const first = group[0]!
    children.push({type: 'text', value: `ch. ${first.chapterNumber}, ${group.length === 1 ? 'note' : 'notes'} `})
    group.forEach((place, i) => {
      if (i > 0) children.push({type: 'text', value: ', '})
      children.push(h('a', {href: `${chapterUrl(place.chapter)}#${place.citation.id}`, ariaLabel: placeLabel(place)}, String(place.citation.number)))
    })
  })
  children.push({type: 'text', value: '.'})
  return h('p.source__places', children)
}
