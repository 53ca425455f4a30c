/**
 * Rendered chapters kept between the builds of one process (`twofold dev`, a
 * benchmark), so that a rebuild after an edit to one chapter renders that
 * chapter again and reuses the others' pages and documents.
 *
 * A rendering is reused while its key is the same: the identity of the
 * chapter's tree (a session gives an unchanged chapter the same tree; a
 * reparsed one is a new object), which of its links lead nowhere (book-wide
 * link checks mark them on the tree), and a context string the target makes
 * of everything else the rendering reads (the chapter's place and
 * neighbours, the book's metadata and chapter list, assets, styles: see
 * `bookContext`). A target that makes a chapter depend on something new must
 * add it to the context.
 *
 * Citation numbers are book-wide: one more citation in chapter 3 renumbers
 * every later chapter. So a chapter is rendered with placeholder numbers
 * (`7300000001`, `7300000002`, … in place of its first, second, … citation
 * number, and in its citation ids) and the real numbers are put in each time
 * the rendering is used; an edit that only renumbers a chapter costs a string
 * replacement, not a rendering. (A rendering in which those digits occur
 * otherwise is kept with its real numbers instead.)
 */
import path from 'node:path'
import type {Root} from 'mdast'
import type {Book, Chapter} from '../types.js'

interface Entry {
  key: string
  /** The rendering, with placeholders for citation numbers when `numbered` is false. */
  text: string
  /** The real numbers are in `text` (and in `key`). */
  numbered: boolean
  /** The last numbers put in, and the text with them: the same numbers again cost no replacement. */
  filled?: {numbers: string; text: string}
}

const base = 7_300_000_000
const placeholder = /(?<!\d)73000(\d{5})(?!\d)/g

const ids = new WeakMap<object, number>()
let nextId = 1

/** A number for an object, the same for the same object during the process. */
export function identity(value: object): number {
  let id = ids.get(value)
  if (id === undefined) ids.set(value, (id = nextId++))
  return id
}

/** Renderings of the chapters of one target (one cache per target and process). */
export class ChapterCache {
  private entries = new Map<string, Entry>()
  private fresh = new Map<string, Entry>()
  /** Renderings reused and made since the last `commit`. */
  stats = {reused: 0, rendered: 0}
  /** The same, for the build before the last `commit`. */
  last = {reused: 0, rendered: 0}

  /**
   * The rendering of `chapter`: the kept one if its key is the same, else
   * `render()` with placeholder citation numbers. `context` is everything
   * else the rendering depends on.
   */
  render(chapter: Chapter, context: string, render: () => string): string {
    const file = path.resolve(chapter.file.cwd, chapter.file.path)
    const citations = chapter.file.data.citations ?? []
    const numbers = citations.map((citation) => citation.number)
    const links = (chapter.file.data.links ?? []).map((record) => (record.node.data?.dangling ? 1 : 0)).join('')
    const key = `${identity(chapter.tree as Root)}\u0000${links}\u0000${context}`
    const kept = this.entries.get(file) ?? this.fresh.get(file)
    let entry: Entry
    if (kept && (kept.numbered ? kept.key === `${key}\u0000${numbers.join(',')}` : kept.key === key)) {
      entry = kept
      this.stats.reused++
    } else {
      entry = withPlaceholders(citations, () => render(), key, numbers)
      this.stats.rendered++
    }
    this.fresh.set(file, entry)
    if (entry.numbered) return entry.text
    const wanted = numbers.join(',')
    if (entry.filled?.numbers !== wanted) entry.filled = {numbers: wanted, text: entry.text.replace(placeholder, (_, index: string) => String(numbers[Number(index) - 1]))}
    return entry.filled.text
  }

  /** End of a build: keep what this build rendered or reused, forget the rest. */
  commit(): void {
    this.entries = this.fresh
    this.fresh = new Map()
    this.last = this.stats
    this.stats = {reused: 0, rendered: 0}
  }
}

/** Render with the chapter's citations numbered `7300000001`, … (and their ids to match), then put the real numbers back on the tree. */
function withPlaceholders(citations: NonNullable<Chapter['file']['data']['citations']>, render: () => string, key: string, numbers: number[]): Entry {
  const saved = citations.map((citation) => ({number: citation.number, id: citation.id}))
  citations.forEach((citation, index) => {
    const stand = base + index + 1
    citation.number = stand
    citation.id = citation.id.split(String(saved[index]!.number)).join(String(stand))
  })
  let text: string
  try {
    text = render()
  } finally {
    citations.forEach((citation, index) => {
      citation.number = saved[index]!.number
      citation.id = saved[index]!.id
    })
  }
  const clash = [...text.matchAll(placeholder)].some((match) => {
    const index = Number(match[1])
    return index < 1 || index > citations.length
  })
  if (!clash) return {key, text, numbered: false}
  // Those digits are in the text itself: render with the real numbers, reused only while they stay the same.
  return {key: `${key}\u0000${numbers.join(',')}`, text: render(), numbered: true}
}

/**
 * What every chapter's rendering depends on besides its own tree: the book's
 * metadata, the chapter list (names, titles, descriptions), the contested
 * claims' anchors, the formatter (so the bibliography and style) and
 * `extra` (the target's own: asset names, …).
 */
export function bookContext(book: Book, extra: unknown): string {
  const chapters = book.chapters.map((chapter) => [chapter.slug, chapter.title, chapter.file.data.meta?.description ?? '', path.basename(chapter.file.path)])
  const claims = book.chapters.map((chapter) => (chapter.file.data.contested ?? []).map((claim) => [claim.id, claim.topic]))
  return JSON.stringify([book.meta, chapters, claims, identity(book.formatter), [...book.graphics.keys()], extra])
}

/** A chapter's place in the book: its number and its neighbours, as pages and documents show them. */
export function placeContext(book: Book, index: number): string {
  const neighbour = (chapter: Chapter | undefined) => (chapter ? [chapter.slug, chapter.title] : null)
  return JSON.stringify([index, neighbour(book.chapters[index - 1]), neighbour(book.chapters[index + 1])])
}
