/**
 * Rendered chapters kept between builds. Most of a rebuild's time went into
 * turning every chapter's tree into markup again (`mdast-util-to-hast`, then
 * `rehype-stringify`), though an edit changes one chapter (notes are numbered
 * from 1 in each chapter). So each target keeps the markup of a
 * chapter's content (its text and its notes: the bulk of a page, and the
 * EPUB's notes document of the chapter) in the store, under a key that names
 * what that markup is made from:
 *
 * - the book as a whole: its settings, bibliography, style and graphics (the
 *   `base` that build.ts gives), the outline of its chapters (their files,
 *   slugs and numbers, which links resolve to) and the names of the files its
 *   figures and images are published under;
 * - the chapter itself, as the book-wide passes left it: its tree and its
 *   `file.data`, with the note numbers, cross-references and anything else
 *   those passes decided;
 * - the ids of the contested claims of the chapters before it, which decide
 *   the anchors of its own (`bookClaims`).
 *
 * A pass that decides something about a chapter from other chapters writes it
 * on that chapter's tree or `file.data`, so that the key covers it; a target
 * never reads another chapter's tree while it renders one. The page around
 * the content (header, navigation, footer), which reads the whole book, is
 * made at every build: it is small.
 */
import {createHash} from 'node:crypto'
import type {Element} from 'hast'
import {hashOf, type Store} from '../output/store.js'
import type {Book, Chapter} from '../types.js'
import type {BookAssets} from './assets.js'

/**
 * One key per chapter of `book` for the content its targets render (see
 * above); `base` names the book's settings, bibliography, style and graphics.
 */
export function pageKeys(book: Book, assets: BookAssets, base: string): Map<Chapter, string> {
  const outline = book.chapters.map((chapter) => [chapter.file.path, chapter.slug, chapter.number])
  const published = [
    [...assets.figures].map(([key, figure]) => [key, figure.fileName, figure.narrow?.fileName ?? '']),
    [...assets.media].map(([file, media]) => [file, media.fileName])
  ]
  const whole = hashOf(base, JSON.stringify(outline), JSON.stringify(published))
  const keys = new Map<Chapter, string>()
  let before = ''
  for (const chapter of book.chapters) {
    keys.set(chapter, treeHash(chapter.tree, [whole, before, canonical(chapter.file.data)]))
    const claims = chapter.file.data.contested?.map((claim) => claim.id) ?? []
    if (claims.length > 0) before = hashOf(before, JSON.stringify(claims))
  }
  return keys
}

/**
 * A hash of `parts` and of a tree, which is plain JSON by definition: fed child by child, so that no chapter-sized
 * string is made (a string of a few hundred KB is a large object to V8, each in pages of its own that are mapped and
 * unmapped again). JSON holds no raw line break, so one between the children keeps them apart.
 */
function treeHash(tree: Chapter['tree'], parts: string[]): string {
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part).update('\u0000')
  hash.update(JSON.stringify({...tree, children: tree.children.length}))
  for (const child of tree.children) hash.update('\n').update(JSON.stringify(child))
  return hash.digest('hex')
}

/**
 * A value as text that two equal values share (JSON, with maps and sets as
 * lists). Not `v8.serialize`: a chapter read back from the cache is equal to
 * the one parsed, but v8 writes some of its numbers and shared objects
 * otherwise.
 */
function canonical(value: unknown): string {
  return JSON.stringify(value, (_, item: unknown) =>
    item instanceof Map || item instanceof Set ? [item.constructor.name, ...item] : item
  )
}

/** Markup made from one chapter (`what` says which), read from the store when it was kept under the chapter's key. */
export type ChapterMemory = (chapter: Chapter, what: string, make: () => string) => string

/** A `ChapterMemory` of `store` under `keys` (see `pageKeys`); without them, every markup is made afresh. */
export function chapterMemory(store: Store | undefined, keys: Map<Chapter, string> | undefined): ChapterMemory {
  return (chapter, what, make) => {
    const key = keys?.get(chapter)
    if (!store || key === undefined) return make()
    const kept = store.get(`${what}\u0000${key}`)
    if (kept) return Buffer.from(kept).toString('utf8')
    const made = make()
    store.set(`${what}\u0000${key}`, made)
    return made
  }
}

/** Where a page's content goes: the page is serialized around it, then `fill` puts the content in. */
const slotName = 'twofold-slot'

/** The element that marks where `fill` puts the content. */
export function slot(): Element {
  return {type: 'element', tagName: slotName, properties: {}, children: []}
}

/** `page` (serialized with one `slot()` in it) with `content` in place of the slot. */
export function fill(page: string, content: string): string {
  const tag = `<${slotName}></${slotName}>`
  const at = page.indexOf(tag)
  if (at === -1) throw new Error('A page without its slot')
  return page.slice(0, at) + content + page.slice(at + tag.length)
}
