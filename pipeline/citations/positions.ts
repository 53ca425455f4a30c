/**
 * CSL positions of a chapter's cites: whether each is the first cite of its
 * work, a later one, or one right after a cite of the same work (ibid), so
 * that a note style prints a full note first and short notes after.
 *
 * The scope of "first" is the chapter: each chapter's notes start afresh, as
 * in a book with notes at the end of each chapter, and as each chapter page of
 * the web story must, being read on its own. It also keeps a chapter's notes
 * independent of every other chapter, so that a chapter's rendered page can be
 * kept in the cache (../render/pages.ts). Notes are numbered from 1 in each
 * chapter too, so `firstNote` is a number of the chapter's own.
 *
 * The rules are citeproc-js's (its `processCitationCluster`), for a document
 * whose notes each hold one citation, numbered in order; a run of citations
 * that share a note (`numberCitations`) is one note.
 * tests/citation-positions.test.ts holds them to citeproc's own positions. The
 * cites of a note are taken in the order written: a style that sorts them
 * (rare among note styles) would have citeproc look for ibid within a note in
 * its sorted order instead. citeproc renders each note in the position it is
 * given (`Formatter.cluster`), and the formatter's memo keeps the forms apart,
 * so notes are still formatted once each, not once a place.
 */
import type {Citation, CiteItem, CitePosition} from '../types.js'
import {parseLocator} from './syntax.js'

/**
 * Set the position of every cite of one chapter's citations, in reading order (`file.data.citations`), once they
 * are numbered: citations of the same number share a note, and take the positions of its first citation.
 */
export function positionCitations(citations: Citation[]): void {
  // Per work: the number of the chapter's first note citing it, and of the last one.
  const first = new Map<string, number>()
  const last = new Map<string, number>()
  let previous: CiteItem[] | undefined
  let shared: Citation | undefined
  for (const citation of citations) {
    if (shared && shared.number === citation.number) {
      const from = shared.items
      citation.items.forEach((item, index) => {
        copyPosition(from[index] ?? from[0]!, item)
      })
      continue
    }
    shared = citation
    const note = citation.number
    citation.items.forEach((item, index) => {
      delete item.noteDistance
      delete item.firstNote
      const firstNote = first.get(item.key)
      if (firstNote === undefined) {
        item.position = 'first'
        first.set(item.key, note)
        last.set(item.key, note)
        return
      }
      // Right after a cite of the same work: the one before it in this note, or the previous note when that cites
      // this work alone.
      const before = index > 0 ? citation.items[index - 1] : previous?.length === 1 ? previous[0] : undefined
      item.position = before?.key === item.key ? ibid(locatorOf(before), locatorOf(item)) : 'subsequent'
      if (firstNote !== note) item.firstNote = firstNote
      item.noteDistance = note - last.get(item.key)!
      last.set(item.key, note)
    })
    previous = citation.items
  }
}

/** `ibid` when the locators agree (or neither has one), `ibid-with-locator` when this one differs, `subsequent` when only the one before has one. */
function ibid(before: string | undefined, current: string | undefined): CitePosition {
  if (before !== undefined && current === undefined) return 'subsequent'
  return before === current ? 'ibid' : 'ibid-with-locator'
}

/** A cite's locator with its label, as citeproc compares them. */
function locatorOf(item: CiteItem): string | undefined {
  const {locator, label} = parseLocator(item.suffix)
  return locator ? `${locator}${label ?? ''}` : undefined
}

function copyPosition(from: CiteItem, to: CiteItem): void {
  to.position = from.position
  if (from.noteDistance === undefined) delete to.noteDistance
  else to.noteDistance = from.noteDistance
  if (from.firstNote === undefined) delete to.firstNote
  else to.firstNote = from.firstNote
}
