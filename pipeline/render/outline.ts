/**
 * The book's structure as both targets show it: parts, chapters nested under the chapter before them
 * (mdBook's nested sections), each chapter's label (`Chapter 3`, `Chapter 3.1`, `Appendix A`, or none for
 * an unnumbered chapter), and a chapter's own sections (its top headings) for the EPUB's navigation.
 */
import type {Heading} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {Labels} from '../labels/index.js'
import {blocksOnly, visit} from '../tree.js'
import type {Book, Chapter} from '../types.js'

/** A chapter in the outline, with the chapters nested under it. */
export interface OutlineChapter {
  chapter: Chapter
  /** `Chapter 3`, `Appendix A`; undefined for an unnumbered chapter. */
  label: string | undefined
  children: OutlineChapter[]
}

/** A run of chapters in one part (or in none). */
export interface OutlinePart {
  /** The part's title; undefined for chapters in no part. */
  title: string | undefined
  /** 1-based among the parts with a title, for the EPUB's part documents. */
  number: number
  appendix: boolean
  chapters: OutlineChapter[]
}

/** The book's parts and chapters, in reading order. */
export function outline(book: Book, labels: Labels): OutlinePart[] {
  const parts: OutlinePart[] = []
  const labelOf = chapterLabels(book, labels)
  let titled = 0
  // The chapter last seen at each depth, to nest the deeper ones under.
  let stack: OutlineChapter[] = []
  for (const chapter of book.chapters) {
    const place = chapter.place ?? {}
    const title = place.part ?? (place.appendix ? labels.appendices : undefined)
    const appendix = place.appendix === true
    let part = parts.at(-1)
    if (!part || part.title !== title || part.appendix !== appendix) {
      part = {title, number: title === undefined ? 0 : ++titled, appendix, chapters: []}
      parts.push(part)
      stack = []
    }
    const entry: OutlineChapter = {chapter, label: labelOf.get(chapter), children: []}
    const depth = Math.min(place.depth ?? 0, stack.length)
    stack = stack.slice(0, depth)
    const parent = stack.at(-1)
    if (parent) parent.children.push(entry)
    else part.chapters.push(entry)
    stack.push(entry)
  }
  return parts
}

/**
 * Each chapter's label: numbered chapters `Chapter 1`, `Chapter 2`, nested ones `Chapter 2.1`; appendices
 * lettered `Appendix A`, `Appendix B`; unnumbered chapters (mdBook's prefix and suffix chapters, `{-}` titles) none.
 */
export function chapterLabels(book: Book, labels: Labels): Map<Chapter, string | undefined> {
  const result = new Map<Chapter, string | undefined>()
  const counters: number[] = []
  let letters = 0
  for (const chapter of book.chapters) {
    const place = chapter.place ?? {}
    // mdBook's prefix and suffix chapters, and a chapter titled `# Title {-}` or `{.unnumbered}`.
    if (place.unnumbered || chapter.file.data.meta?.unnumbered) {
      result.set(chapter, undefined)
    } else if (place.appendix) {
      result.set(chapter, labels.appendix(letter(letters++)))
    } else {
      const depth = place.depth ?? 0
      counters.length = depth + 1
      counters[depth] = (counters[depth] ?? 0) + 1
      for (let i = 0; i < depth; i++) counters[i] ??= 1
      result.set(chapter, labels.chapter(depth === 0 ? counters[0]! : counters.join('.')))
    }
  }
  return result
}

/** `A`…`Z`, then `AA`, `AB`… */
function letter(index: number): string {
  return index < 26 ? String.fromCharCode(65 + index) : letter(Math.floor(index / 26) - 1) + letter(index % 26)
}

/** A chapter's sections: its top headings (those the pages show as `<h2>`), with their ids. */
export function chapterSections(chapter: Chapter): Array<{id: string; title: string}> {
  const headings: Heading[] = []
  let top = 7
  visit(chapter.tree, (node) => {
    if (node.type === 'heading') {
      if (node.depth < top) {
        top = node.depth
        headings.length = 0
      }
      if (node.depth === top) headings.push(node)
    }
    return blocksOnly(node)
  })
  return headings.flatMap((heading) => {
    const id = heading.data?.hProperties?.id
    // A citation's or a footnote's marker is no part of the section's name.
    const title = toString(
      heading.children.filter((child) => child.type !== 'citation' && child.type !== 'footnoteReference')
    )
      .replace(/\s+/g, ' ')
      .trim()
    return typeof id === 'string' && title ? [{id, title}] : []
  })
}
