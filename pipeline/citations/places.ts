/**
 * Format-neutral facts about where a book cites what, for the targets' notes,
 * sources and disagreements: every citing place of every reference, the
 * contested claims with book-wide unique anchors, the label an in-text
 * citation shows, and a plain-text excerpt of a passage. Both targets read
 * these; neither knows about the other.
 */
import type {ElementContent, Nodes as HastNodes} from 'hast'
import {h} from 'hastscript'
import type {Nodes} from 'mdast'
import type {Labels} from '../labels/index.js'
import {visit} from '../tree.js'
import type {Book, Chapter, Citation, ContestedClaim, CslItem} from '../types.js'

/** One place that cites a reference: a numbered citation in a chapter. */
export interface CitingPlace {
  chapter: Chapter
  /** 1-based position of the chapter in the book. */
  chapterNumber: number
  citation: Citation
  /** The contested claim whose list of accounts holds this citation, if any (not its passage). */
  account: ContestedClaim | undefined
}

/** A contested claim of the book, with its chapter and an anchor unique in the whole book. */
export interface BookClaim {
  chapter: Chapter
  chapterNumber: number
  claim: ContestedClaim
  /** The claim's id, or `<slug>-<id>` when another chapter already uses that id. */
  anchor: string
}

/** Every citation of the book in reading order, with its chapter and whether it is in a contested claim's accounts. */
export function citingPlaces(book: Book): CitingPlace[] {
  const places: CitingPlace[] = []
  for (const [index, chapter] of book.chapters.entries()) {
    const inAccounts = new Map<Citation, ContestedClaim>()
    for (const claim of chapter.file.data.contested ?? []) {
      for (const account of claim.accounts) {
        visit(account, 'citation', (node) => {
          inAccounts.set(node, claim)
        })
      }
    }
    for (const citation of chapter.file.data.citations ?? []) {
      places.push({
        chapter,
        chapterNumber: index + 1,
        citation,
        account: inAccounts.get(citation)
      })
    }
  }
  return places
}

/** The citing places of each reference id, in reading order; a citation that cites a key twice counts once. */
export function placesByKey(places: CitingPlace[]): Map<string, CitingPlace[]> {
  const byKey = new Map<string, CitingPlace[]>()
  for (const place of places) {
    for (const key of new Set(place.citation.items.map((item) => item.key))) {
      let list = byKey.get(key)
      if (!list) byKey.set(key, (list = []))
      list.push(place)
    }
  }
  return byKey
}

/** Places grouped by chapter, in reading order: for “ch. 3, notes 27, 28”. */
export function groupByChapter(places: CitingPlace[]): CitingPlace[][] {
  const groups: CitingPlace[][] = []
  for (const place of places) {
    const last = groups[groups.length - 1]
    if (last && last[0]!.chapter === place.chapter) last.push(place)
    else groups.push([place])
  }
  return groups
}

/** The label of a citing place, as links to it are read: `ch. 3, note 27` (in the book's language). */
export function placeLabel(place: CitingPlace, labels: Labels): string {
  return labels.place(place.chapterNumber, place.citation.number)
}

/**
 * What a bibliography entry says of where it is cited, for both targets' sources: “Cited in ch. 1, notes 1, 3;
 * ch. 2, note 7.” (in the book's language), each number a link to `href(place)`; or that it is not cited.
 */
export function citedIn(places: CitingPlace[], href: (place: CitingPlace) => string, labels: Labels): ElementContent[] {
  if (places.length === 0) return [{type: 'text', value: labels.notCited}]
  const children: ElementContent[] = [{type: 'text', value: labels.citedIn}]
  groupByChapter(places).forEach((all, index) => {
    // A run of citations that share a note is one note.
    const group = all.filter((place, i) => i === 0 || all[i - 1]!.citation.number !== place.citation.number)
    if (index > 0) children.push({type: 'text', value: '; '})
    children.push({
      type: 'text',
      value: labels.chapterNotes(group[0]!.chapterNumber, group.length)
    })
    group.forEach((place, i) => {
      if (i > 0) children.push({type: 'text', value: ', '})
      children.push(h('a', {href: href(place), ariaLabel: placeLabel(place, labels)}, String(place.citation.number)))
    })
  })
  children.push({type: 'text', value: '.'})
  return children
}

const claimsOf = new WeakMap<Book['chapters'], {claims: BookClaim[]; used: Set<string>; length: number}>()

/**
 * Every contested claim of the book in reading order, with an anchor unique across the book (worked out once per
 * book: every page asks). A build that renders each chapter once it is parsed adds chapters to `book.chapters` as it
 * goes: the claims of the chapters added since the last call are added then, and an anchor never changes.
 */
export function bookClaims(book: Book): BookClaim[] {
  let found = claimsOf.get(book.chapters)
  if (!found) claimsOf.set(book.chapters, (found = {claims: [], used: new Set(), length: 0}))
  for (; found.length < book.chapters.length; found.length++) {
    const chapter = book.chapters[found.length]!
    for (const claim of chapter.file.data.contested ?? []) {
      let anchor = found.used.has(claim.id) ? `${chapter.slug}-${claim.id}` : claim.id
      for (let n = 2; found.used.has(anchor); n++) anchor = `${chapter.slug}-${claim.id}-${n}`
      found.used.add(anchor)
      found.claims.push({
        chapter,
        chapterNumber: found.length + 1,
        claim,
        anchor
      })
    }
  }
  return found.claims
}

/** Anchors for bibliography entries, unique and valid as ids: `source-<key as a slug>`. */
export function sourceAnchors(ids: Iterable<string>): Map<string, string> {
  const anchors = new Map<string, string>()
  const used = new Set<string>()
  for (const id of ids) {
    const base = `source-${
      id
        .toLowerCase()
        .replace(/[^a-z0-9_-]+/g, '-')
        .replace(/^-+|-+$/g, '') || 'entry'
    }`
    let anchor = base
    for (let n = 2; used.has(anchor); n++) anchor = `${base}-${n}`
    used.add(anchor)
    anchors.set(id, anchor)
  }
  return anchors
}

/**
 * What an in-text citation (`@key`) shows before its note number: the
 * authors' family names (`Alpha`, `Alpha and Beta`, `Alpha et al.`), else the
 * editors', else the short title or the title, else the key. `language` joins
 * two names the book's way (`Alpha y Beta`).
 */
export function inTextLabel(item: CslItem | undefined, key: string, language: string): string {
  if (!item) return key
  for (const role of ['author', 'editor', 'director', 'composer', 'container-author']) {
    const names = nameList(item[role])
    if (names.length === 0) continue
    if (names.length > 2) return `${names[0]} et al.`
    return names.length === 2 ? listFormat(language).format(names) : names[0]!
  }
  const short = item['title-short'] ?? item.shortTitle ?? item.title
  return typeof short === 'string' && short.trim() ? short.trim() : key
}

function nameList(value: unknown): string[] {
  if (!Array.isArray(value)) return []
  return value
    .map((name: unknown) => {
      if (!name || typeof name !== 'object') return ''
      const {family, literal, given} = name as Record<string, unknown>
      const particle = (name as Record<string, unknown>)['non-dropping-particle']
      if (typeof family === 'string' && family.trim())
        return [typeof particle === 'string' ? particle : '', family].join(' ').trim()
      if (typeof literal === 'string') return literal.trim()
      return typeof given === 'string' ? given.trim() : ''
    })
    .filter((name) => name !== '')
}

const listFormats = new Map<string, Intl.ListFormat>()
function listFormat(language: string): Intl.ListFormat {
  let format = listFormats.get(language)
  if (!format) {
    try {
      format = new Intl.ListFormat(language, {type: 'conjunction'})
    } catch {
      format = new Intl.ListFormat('en', {type: 'conjunction'})
    }
    listFormats.set(language, format)
  }
  return format
}

/**
 * A plain-text excerpt of a passage (citations left out), at most `limit`
 * characters, cut at a word with `…`.
 */
export function passageExcerpt(nodes: Nodes[], limit = 280): string {
  const parts: string[] = []
  const walk = (node: Nodes) => {
    if (node.type === 'citation') return
    if (node.type === 'text' || node.type === 'inlineCode') parts.push(node.value)
    else if (node.type === 'break') parts.push(' ')
    else if ('children' in node) {
      for (const child of node.children) walk(child)
      if (node.type === 'paragraph' || node.type === 'heading' || node.type === 'listItem') parts.push(' ')
    }
  }
  for (const node of nodes) walk(node)
  const text = parts
    .join('')
    .replace(/\s+/g, ' ')
    // A citation left out leaves a space before the punctuation that followed it.
    .replace(/ +([.,;:!?)\]’”])/g, '$1')
    .trim()
  if (text.length <= limit) return text
  const cut = text.slice(0, limit - 1)
  const space = cut.lastIndexOf(' ')
  return `${(space > limit / 2 ? cut.slice(0, space) : cut).replace(/[\s,;:.]+$/, '')}…`
}

/**
 * Put a note number against the word before it, as notes are printed
 * (`sentence¹`, not `sentence ¹`): drop the white space before every element
 * with the class `cite` that is not an in-text citation (`cite--in-text`).
 * Changes the hast tree in place.
 */
export function tightenNoteSpace(tree: HastNodes): void {
  visit(tree, 'element', (node) => {
    node.children.forEach((child, index) => {
      const previous = node.children[index - 1]
      if (previous?.type !== 'text' || child.type !== 'element') return
      const classes = child.properties.className
      if (Array.isArray(classes) && classes.includes('cite') && !classes.includes('cite--in-text'))
        previous.value = previous.value.replace(/\s+$/, '')
    })
  })
}
