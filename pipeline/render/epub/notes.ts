/**
 * Citations, endnotes, sources and disagreements in the EPUB.
 *
 * - A citation is a noteref (`epub:type="noteref"`, `role="doc-noteref"`,
 *   `id="cite-N"`) to `notes-<chapter slug>.xhtml#note-N`: the
 *   `<li epub:type="endnote">` itself, so reading systems that pop notes up
 *   (Apple Books, Kobo) find the note at the link's target. Each note links
 *   back to its citation. The notes of each chapter are a document of their
 *   own, at the back of the book: a long book's notes in one document (1 MB
 *   for 100 chapters, 10 MB for 1,000) are more than some reading systems
 *   open comfortably (Adobe's engine once stopped at 300 KB a document).
 * - A contested claim keeps its passage in the chapter, followed by a noteref
 *   (“Sources disagree: …”) to an endnote that lists every source's account
 *   with its citation.
 * - `sources.xhtml` lists every entry in the style's order with links to
 *   every place that cites it; `disagreements.xhtml` gathers every contested
 *   claim. With the notes they are the back matter, in the nav and landmarks.
 */
import type {Element, ElementContent} from 'hast'
import {h} from 'hastscript'
import type {Paragraph} from 'mdast'
import {type Handler, type Handlers, type State, toHast} from 'mdast-util-to-hast'
import {disagreementTable, notesOf, noteWithSources, referencesById, sourceFacts} from '../../citations/apparatus.js'
import {
  bookClaims,
  type CitingPlace,
  citedIn,
  citingPlaces,
  groupByChapter,
  inTextLabel,
  passageExcerpt,
  placesByKey,
  sourceAnchors,
  tightenNoteSpace
} from '../../citations/places.js'
import {labelsFor} from '../../labels/index.js'
import {hashOf} from '../../output/store.js'
import type {Book, Chapter, Citation, ContestedClaim} from '../../types.js'
import type {ChapterMemory} from '../pages.js'
import type {Doc} from './doc.js'

/** File names of the back-matter documents: the notes of each chapter, the sources, the disagreements. */
export function notesFileOf(chapter: Chapter): string {
  return `notes-${chapter.slug}.xhtml`
}
export const sourcesFile = 'sources.xhtml'

/** File name of the `index`th (0-based) part of the sources: `sources.xhtml`, `sources-2.xhtml`, … */
export function sourcesFileOf(index: number): string {
  return index === 0 ? sourcesFile : `sources-${index + 1}.xhtml`
}

/**
 * Bytes of list entries in one sources document, about (see `entryWeight`).
 * The sources link back to every citing place: a book that cites 4,000 times
 * has some 450 KB of them, 40,000 times 4.7 MB. Reading systems open large
 * documents slowly or not at all (Adobe's engine once stopped at 300 KB), so
 * the list goes on in further documents past this size, at an entry's end.
 */
export const documentBudget = 200_000
export const disagreementsFile = 'disagreements.xhtml'

const backlinkText = '↩\uFE0E'

/** Options of `epubCitation`. */
export interface EpubCitationOptions {
  book: Book
  /** Where the notes are, as the link's document part: the chapter's notes document, or `''` inside it. */
  notesFile: string
  /** Whether this rendering is the citing place and gets `id="cite-N"`. Default `true`; `false` for copies (disagreements). */
  citeIds?: boolean | undefined
}

/** The mdast `citation` handler: a noteref to the endnote; an in-text citation shows its author first. */
export function epubCitation(options: EpubCitationOptions): Handler {
  const {book} = options
  const items = referencesById(book)
  return (state: State, node: Citation) => {
    const noteref = h(
      'a',
      {
        href: `${options.notesFile}#note-${node.number}`,
        id: options.citeIds === false ? undefined : node.id,
        'epub:type': 'noteref',
        role: 'doc-noteref'
      },
      String(node.number)
    )
    let result: Element
    if (node.mode === 'in-text') {
      const key = node.items[0]?.key ?? ''
      result = h('span.cite.cite--in-text', [inTextLabel(items.get(key), key, book.meta.language), h('sup', [noteref])])
    } else {
      result = h('sup.cite', [noteref])
    }
    state.patch(node, result)
    return result
  }
}

/** The mdast `contestedClaim` handler: the passage, then a noteref to the endnote with every source's account. */
export function epubContested(options: {book: Book; notesFile: string}): Handler {
  const anchors = new Map(bookClaims(options.book).map((entry) => [entry.claim, entry.anchor]))
  const labels = labelsFor(options.book.meta.language)
  return (state: State, node: ContestedClaim) => {
    const result = h('div.contested', {id: node.id}, [
      ...state.all(node),
      h('p.contested-flag', [
        h(
          'a',
          {
            href: `${options.notesFile}#${contestedNoteId(anchors.get(node) ?? node.id)}`,
            'epub:type': 'noteref',
            role: 'doc-noteref'
          },
          labels.sourcesDisagreeOn(node.topic)
        )
      ])
    ])
    state.patch(node, result)
    return result
  }
}

function contestedNoteId(anchor: string): string {
  return `note-${anchor}`
}

/** Options of `epubBackMatter`. */
export interface EpubBackMatterOptions {
  /** Serialize hast as XHTML. */
  render: (nodes: ElementContent[]) => string
  /** A chapter's notes document as kept from an earlier build, or made (see ../pages.ts). */
  remember: ChapterMemory
  /** The EPUB handlers of a chapter's content rendered in another document. */
  handlersFor: (chapter: Chapter, citations: {notesFile: string; citeIds: boolean}) => Handlers
  /** File name of a chapter's document. */
  chapterFile: (chapter: Chapter) => string
}

/** The back matter: where the sources disagree (when the book has contested claims), notes (when it cites), sources (when it has references). */
export function epubBackMatter(book: Book, options: EpubBackMatterOptions): Doc[] {
  const docs: Doc[] = []
  const places = citingPlaces(book)
  const claims = bookClaims(book)
  const labels = labelsFor(book.meta.language)
  const doc = (id: string, title: string, filename: string, body: Element | string, landmark?: string): Doc => ({
    id,
    title,
    filename,
    content: '',
    body: typeof body === 'string' ? body : options.render([body]),
    bodyType: 'backmatter',
    beforeToc: false,
    excludeFromToc: false,
    ...(landmark ? {landmark: {type: landmark, title}} : {})
  })
  /** Where a citation is: in its chapter, or (an account of a contested claim) in the chapter's notes. */
  const placeHref = (place: CitingPlace) =>
    `${place.account ? notesFileOf(place.chapter) : options.chapterFile(place.chapter)}#${place.citation.id}`
  // The sources, split into parts (see `documentBudget`) before anything links to them: a note links to its work's
  // entry in the part that holds it.
  const byKey = placesByKey(places)
  const ids = book.formatter.order(book.references.map((item) => item.id))
  const anchors = sourceAnchors(ids)
  const parts = sourcesParts(ids, (id) => entryWeight(byKey.get(id) ?? [], placeHref), documentBudget)
  const partOf = new Map(parts.flatMap((part, index) => part.map((id) => [id, sourcesFileOf(index)] as const)))
  const toSource = (key: string) => `${partOf.get(key) ?? sourcesFile}#${anchors.get(key) ?? ''}`
  // A chapter's notes link into the part of the sources that holds each work: which part that is, the book decides.
  const notesKey = `epub-notes\u0000${hashOf(JSON.stringify([...partOf]))}`
  const accountItems = (chapter: Chapter, claim: ContestedClaim, citations: {notesFile: string; citeIds: boolean}) => {
    const handlers = options.handlersFor(chapter, citations)
    return claim.accounts.map((account) => {
      const paragraph: Paragraph = {
        type: 'paragraph',
        children: account.children
      }
      const hast = toHast(paragraph, {handlers})
      tightenNoteSpace(hast)
      return h('li', hast.type === 'element' ? hast.children : [])
    })
  }

  if (claims.length > 0) {
    docs.push(
      doc(
        'disagreements',
        labels.whereSourcesDisagree,
        disagreementsFile,
        h(
          'section.disagreements',
          {
            'epub:type': 'appendix',
            role: 'doc-appendix',
            ariaLabelledBy: 'disagreements-title'
          },
          [
            h('h1#disagreements-title', labels.whereSourcesDisagree),
            h('p.backmatter-intro', labels.disagreementsIntroEpub(claims.length)),
            ...claims.map(({chapter, chapterNumber, claim, anchor}) => {
              const excerpt = passageExcerpt(claim.children)
              return h('section.disagreement', {id: anchor}, [
                h('h2', {id: `${anchor}-topic`}, claim.topic),
                excerpt ? h('blockquote', [h('p', excerpt)]) : undefined,
                disagreementTable(
                  book,
                  claim,
                  options.handlersFor(chapter, {notesFile: notesFileOf(chapter), citeIds: false}),
                  toSource,
                  `${anchor}-topic`
                ),
                h('p.place', [
                  h(
                    'a',
                    {href: `${options.chapterFile(chapter)}#${claim.id}`},
                    labels.readPassage(chapterNumber, chapter.title)
                  )
                ])
              ])
            })
          ]
        )
      )
    )
  }

  // The notes, a document for each chapter that cites: the first is “Notes” in the contents and the landmarks.
  groupByChapter(places).forEach((group, index) => {
    const {chapter, chapterNumber} = group[0]!
    const chapterFile = options.chapterFile(chapter)
    const heading = labels.notesToChapter(chapterNumber, chapter.title)
    const chapterClaims = claims.filter((entry) => entry.chapter === chapter)
    const body = options.remember(chapter, notesKey, () =>
      options.render([
        h(
          'section.notes.chapter-notes',
          {
            'epub:type': 'endnotes',
            role: 'doc-endnotes',
            ariaLabelledBy: `notes-${chapter.slug}`
          },
          [
            h('h1', {id: `notes-${chapter.slug}`}, heading),
            h(
              'ol.notes-list',
              notesOf(group).map((shared) => {
                const place = shared[0]!
                return h(
                  'li',
                  {
                    id: `note-${place.citation.number}`,
                    'epub:type': 'endnote',
                    value: place.citation.number
                  },
                  [
                    h('p', [
                      ...noteWithSources(book, place.citation, toSource),
                      ...shared.flatMap((one, index) => {
                        // A shared note's backlinks are lettered, in their names too.
                        const letter = shared.length > 1 ? String.fromCharCode(97 + (index % 26)) : ''
                        return [
                          {type: 'text' as const, value: ' '},
                          h(
                            'a.backlink',
                            {
                              href: one.account ? `#${one.citation.id}` : `${chapterFile}#${one.citation.id}`,
                              role: 'doc-backlink',
                              ariaLabel: `${labels.backToCitation(one.citation.number)}${letter && ` ${letter}`}`
                            },
                            `${backlinkText}${letter}`
                          )
                        ]
                      })
                    ])
                  ]
                )
              })
            ),
            // Each contested claim's accounts: the endnote its “Sources disagree” noteref opens. Their citations are cited here.
            ...chapterClaims.map(({claim, anchor}) =>
              h('div.contested-note', {id: contestedNoteId(anchor), 'epub:type': 'endnote'}, [
                h('p.contested-topic', labels.sourcesDisagreeOn(claim.topic)),
                h('ul', accountItems(chapter, claim, {notesFile: '', citeIds: true})),
                h('p', [
                  h(
                    'a.backlink',
                    {
                      href: `${chapterFile}#${claim.id}`,
                      role: 'doc-backlink',
                      ariaLabel: labels.backToPassage
                    },
                    backlinkText
                  )
                ])
              ])
            )
          ]
        )
      ])
    )
    // Every chapter's notes are in the contents, under their own heading; the first is the landmark.
    const notes = doc(`notes-${chapter.slug}`, heading, notesFileOf(chapter), body)
    docs.push(index === 0 ? {...notes, landmark: {type: 'endnotes', title: labels.notes}} : notes)
  })

  if (book.references.length > 0) {
    const items = referencesById(book)
    parts.forEach((part, index) => {
      const first = index === 0
      const heading = first ? labels.sources : labels.sourcesContinued(index + 1, parts.length)
      const sources = doc(
        first ? 'sources' : `sources-${index + 1}`,
        heading,
        sourcesFileOf(index),
        h(
          'section.sources',
          {
            'epub:type': 'bibliography',
            role: 'doc-bibliography',
            ariaLabelledBy: first ? 'sources-title' : `sources-title-${index + 1}`
          },
          [
            h('h1', {id: first ? 'sources-title' : `sources-title-${index + 1}`}, heading),
            first ? h('p.backmatter-intro', labels.sourcesIntro) : undefined,
            h(
              'ul.sources-list',
              part.map((id) =>
                h('li', {id: anchors.get(id), 'epub:type': 'biblioentry'}, [
                  h('p.entry', book.formatter.entryHast(id)),
                  sourceFacts(book, items.get(id)),
                  h('p.cited-in', citedIn(byKey.get(id) ?? [], placeHref, labels))
                ])
              )
            )
          ]
        ),
        first ? 'bibliography' : undefined
      )
      // “Sources” in the contents and the landmarks leads to the first part; the others follow it in reading order.
      docs.push(first ? sources : {...sources, excludeFromToc: true})
    })
  }
  return docs
}

/** Consecutive runs of `ids` whose weights add up to at most `budget` (a run holds one entry at least). */
export function sourcesParts(ids: string[], weight: (id: string) => number, budget: number): string[][] {
  const parts: string[][] = [[]]
  let used = 0
  for (const id of ids) {
    const w = weight(id)
    if (used + w > budget && parts[parts.length - 1]!.length > 0) {
      parts.push([])
      used = 0
    }
    parts[parts.length - 1]!.push(id)
    used += w
  }
  return parts
}

/**
 * About how many bytes an entry of the sources takes as XHTML, without rendering it: the entry itself, then for each
 * citing place its link (`<a href="…" aria-label="ch. 12, note 477">477</a>, `) and, per chapter, `; ch. 12, notes `.
 */
function entryWeight(places: CitingPlace[], href: (place: CitingPlace) => string): number {
  let weight = 600
  for (const place of places) weight += href(place).length + 60
  return weight
}
