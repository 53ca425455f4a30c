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
import type {Handler, Handlers, State} from 'mdast-util-to-hast'
import {
  disagreementTable,
  notesOf,
  noteWithSources,
  referencesById,
  sourceFacts,
  sourceHref
} from '../../citations/apparatus.js'
import {
  bookClaims,
  type CitingPlace,
  citingPlaces,
  groupByChapter,
  inTextLabel,
  passageExcerpt,
  placeLabel,
  placesByKey,
  sourceAnchors
} from '../../citations/places.js'
import {labelsFor} from '../../labels/index.js'
import type {Book, Chapter, Citation, ContestedClaim} from '../../types.js'

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
  const items = referencesById(book)
  const labels = labelsFor(book.meta.language)
  return (state: State, node: Citation) => {
    const number = String(node.number)
    // On another page, notes of several chapters meet, numbered from 1 in each: the tip's id names its chapter's page.
    const tip = notesPage === undefined ? `${node.id}-tip` : `${notesPage.replace(/\.html$/, '')}-${node.id}-tip`
    const link = h(
      'a.cite__ref',
      {
        href: `${notesPage ?? ''}#note-${number}`,
        id: notesPage === undefined ? node.id : undefined,
        role: 'doc-noteref',
        ariaLabel: labels.note(node.number),
        ariaDescribedBy: tip
      },
      number
    )
    const children: ElementContent[] = []
    if (node.mode === 'in-text') {
      const key = node.items[0]?.key ?? ''
      children.push(h('span.cite__author', inTextLabel(items.get(key), key, book.meta.language)))
    }
    children.push(
      h('sup.cite__mark', [link]),
      h('span.cite__tip', {id: tip, role: 'tooltip', hidden: true}, book.formatter.clusterHast(node.items))
    )
    const result = h(node.mode === 'in-text' ? 'span.cite.cite--in-text' : 'span.cite', children)
    state.patch(node, result)
    return result
  }
}

/** The mdast `contestedClaim` handler: the passage marked, a “Sources disagree” button, and the accounts (a `<details>` without JavaScript). */
export function webContested(options: {book: Book}): Handler {
  const anchors = new Map(bookClaims(options.book).map((entry) => [entry.claim, entry.anchor]))
  const labels = labelsFor(options.book.meta.language)
  return (state: State, node: ContestedClaim) => {
    const panel = `${node.id}-accounts`
    const result = h('div.contested', {id: node.id}, [
      h('div.contested__passage', state.all(node)),
      h('p.contested__bar', [
        // Shown by the client, which turns the details below into its popover.
        h(
          'button.contested__toggle',
          {
            type: 'button',
            ariaExpanded: 'false',
            ariaControls: panel,
            hidden: true
          },
          [labels.sourcesDisagree, h('span.tf-visually-hidden', `: ${node.topic}`)]
        )
      ]),
      h('details.contested__accounts', {id: panel}, [
        h('summary', [h('span.contested__flag', labels.sourcesDisagree), `: ${node.topic}`]),
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
          h('p.contested__more', [
            h('a', {href: `${disagreementsPage}#${anchors.get(node) ?? node.id}`}, labels.everyDisagreement)
          ])
        ])
      ])
    ])
    state.patch(node, result)
    return result
  }
}

/**
 * The notes at the end of a chapter, or `undefined` when it cites nothing. Each note links each work it names to
 * the work's entry on the sources page, and back to every place that gives it (a run of citations of the same
 * thing shares one note: `↩ a b`).
 */
export function webNotes(book: Book, chapter: Chapter): Element | undefined {
  const citations = chapter.file.data.citations ?? []
  if (citations.length === 0) return undefined
  const labels = labelsFor(book.meta.language)
  const toSource = sourceHref(book, sourcesPage)
  return h('section.notes', {role: 'doc-endnotes', ariaLabelledBy: 'notes'}, [
    h('h2#notes.notes__title', labels.notes),
    h(
      'ol.notes__list',
      notesOf(citations).map((group) => {
        const first = group[0]!
        return h('li.note', {id: `note-${first.number}`, value: first.number}, [
          h('span.note__text', noteWithSources(book, first, toSource)),
          ...group.flatMap((citation, index) => {
            // A shared note's backlinks are lettered, in the name a screen reader says too (`Back to citation 3 b`).
            const letter = group.length > 1 ? String.fromCharCode(97 + (index % 26)) : ''
            return [
              {type: 'text' as const, value: ' '},
              h(
                'a.note__back',
                {
                  href: `#${citation.id}`,
                  role: 'doc-backlink',
                  ariaLabel: `${labels.backToCitation(citation.number)}${letter && ` ${letter}`}`
                },
                `↩\uFE0E${letter}`
              )
            ]
          })
        ])
      })
    )
  ])
}

/** Links to the book-wide pages the book has (for the contents and every footer). */
export function backMatterLinks(book: Book): Array<{href: string; text: string}> {
  const links: Array<{href: string; text: string}> = []
  const labels = labelsFor(book.meta.language)
  if (bookClaims(book).length > 0) links.push({href: disagreementsPage, text: labels.whereSourcesDisagree})
  if (book.references.length > 0) links.push({href: sourcesPage, text: labels.sources})
  return links
}

/** The footer's navigation: contents and the book-wide pages. */
export function footerNav(book: Book): Element {
  const labels = labelsFor(book.meta.language)
  return h('nav.footer-nav', {ariaLabel: labels.bookNav}, [
    h(
      'ul',
      [{href: 'index.html', text: labels.contents}, ...backMatterLinks(book)].map((link) =>
        h('li', [h('a', {href: link.href}, link.text)])
      )
    )
  ])
}

/** A book-wide page: where it goes, its title and description, and what goes in `<main>`. */
export interface WebBackMatterPage {
  path: string
  title: string
  description: string
  main: ElementContent[]
  /**
   * The items of a long list, made one at a time as the page is written (a 1,000-chapter book's sources link
   * 50,000 places): they go where `main` has the element `listLater`.
   */
  items?: Iterable<ElementContent> | undefined
}

/** The element that stands in `main` for a page's `items`. */
export const listLater = 'twofold-list-items'

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
  const labels = labelsFor(book.meta.language)
  if (claims.length > 0) {
    pages.push({
      path: disagreementsPage,
      title: labels.whereSourcesDisagree,
      description: labels.disagreementsDescription(claims.length, book.meta.title),
      main: [
        h('section.backmatter.disagreements', {role: 'doc-appendix', ariaLabelledBy: 'disagreements-title'}, [
          h('h1#disagreements-title', labels.whereSourcesDisagree),
          h('p.backmatter__intro', labels.disagreementsIntroWeb(claims.length)),
          ...claims.map(({chapter, chapterNumber, claim, anchor}) => {
            const handlers = options.handlersFor(chapter, options.chapterUrl(chapter))
            const excerpt = passageExcerpt(claim.children)
            return h('section.disagreement', {id: anchor}, [
              h('h2', {id: `${anchor}-topic`}, claim.topic),
              excerpt ? h('blockquote.disagreement__passage', [h('p', excerpt)]) : undefined,
              disagreementTable(book, claim, handlers, sourceHref(book, sourcesPage), `${anchor}-topic`),
              h('p.disagreement__place', [
                h(
                  'a',
                  {href: `${options.chapterUrl(chapter)}#${claim.id}`},
                  labels.readPassage(chapterNumber, chapter.title)
                )
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
    const items = referencesById(book)
    pages.push({
      path: sourcesPage,
      title: labels.sources,
      description: labels.sourcesDescription(book.meta.title),
      main: [
        h('section.backmatter.sources', {role: 'doc-bibliography', ariaLabelledBy: 'sources-title'}, [
          h('h1#sources-title', labels.sources),
          h('p.backmatter__intro', labels.sourcesIntro),
          h('ul.sources__list', [h(listLater)])
        ])
      ],
      items: (function* () {
        for (const id of ids) {
          yield h('li.source', {id: anchors.get(id)}, [
            h('p.source__entry', book.formatter.entryHast(id)),
            sourceFacts(book, items.get(id)),
            sourcePlaces(byKey.get(id) ?? [], options.chapterUrl, book.meta.language)
          ])
        }
      })()
    })
  }
  return pages
}

/**
 * Where a source is cited, grouped by chapter behind a count (`<details>`, which works without JavaScript): a line
 * per chapter, each note number a link to its citing place (a note shared by a run of citations once).
 */
export function sourcePlaces(
  places: CitingPlace[],
  chapterUrl: (chapter: Chapter) => string,
  language: string
): Element {
  const labels = labelsFor(language)
  if (places.length === 0) return h('p.source__places', labels.notCited)
  const groups = groupByChapter(places).map((group) =>
    group.filter((place, index) => index === 0 || group[index - 1]!.citation.number !== place.citation.number)
  )
  const count = groups.reduce((sum, group) => sum + group.length, 0)
  return h('details.source__places', [
    h('summary', labels.citedInPlaces(count)),
    h(
      'ul.source__chapters',
      groups.map((group) => {
        const {chapter, chapterNumber} = group[0]!
        const children: ElementContent[] = [
          h('a.source__chapter', {href: chapterUrl(chapter)}, `${labels.chapter(chapterNumber)}, ${chapter.title}`),
          {type: 'text', value: ': '}
        ]
        group.forEach((place, index) => {
          if (index > 0) children.push({type: 'text', value: ', '})
          children.push(
            h(
              'a',
              {href: `${chapterUrl(chapter)}#${place.citation.id}`, ariaLabel: placeLabel(place, labels)},
              String(place.citation.number)
            )
          )
        })
        return h('li', children)
      })
    )
  ])
}
