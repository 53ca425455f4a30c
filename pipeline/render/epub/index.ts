/**
 * The EPUB target: the parsed book → an EPUB 3 packed by epub-gen-memory with
 * the project's own templates (`templates/epub/`). Chapter bodies are
 * rendered here as XHTML and handed to the chapter template directly, so the
 * packer's HTML sanitizer never strips attributes; images are added by
 * content hash and every zip entry carries the same fixed date, so the same
 * sources give a byte-identical book.
 *
 * Reading order (the spine): cover, title page, contents (the nav), chapters,
 * then the back matter (notes, sources). The nav's landmarks follow it.
 */

import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {EPub as EPubClass} from 'epub-gen-memory'
import type {ElementContent, Root as HastRoot} from 'hast'
import {h} from 'hastscript'
import rehypeStringify from 'rehype-stringify'
import {unified} from 'unified'
import {CONTINUE, SKIP} from 'unist-util-visit'
import {bookDate, type Labels, labelsFor, primaryLanguage} from '../../labels/index.js'
import type {Store} from '../../output/store.js'
import {chapterHref, slugsByFileName} from '../../plugins/remark-links.js'
import {visit} from '../../tree.js'
import type {Book, BookMeta, Chapter} from '../../types.js'
import {type BookAssets, contentHash, distinctMedia, headingOffset} from '../assets.js'
import {chapterBody} from '../footnotes.js'
import {chapterLabels, chapterSections, type OutlineChapter, type OutlinePart, outline} from '../outline.js'
import {type ChapterMemory, chapterMemory, fill, slot} from '../pages.js'
import {coverAlt, renderCoverPng} from './cover.js'
import type {Doc} from './doc.js'
import {epubHandlers} from './handlers.js'
import {epubBackMatter, notesFileOf} from './notes.js'
import {packZip, type ZipSource, type ZipStore} from './zip.js'

const templates = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates/epub')
/** What the EPUB target needs besides the book. */
export interface EpubOptions {
  assets: BookAssets
  /** Modification time of the book (from SOURCE_DATE_EPOCH or the sources). */
  modified: Date
  /** Where the cover and the compressed entries are kept between builds (see ./zip.ts). */
  store?: Store | undefined
  /** Where the chapters' rendered content is kept between builds (see ../pages.ts). */
  remember?: ChapterMemory | undefined
}

/** An image or other file of the EPUB besides the content documents. */
interface Asset {
  id: string
  href: string
  mediaType: string
  properties?: string
  data: string | Uint8Array
}

/** Landmark types (EPUB Structural Semantics) a back-matter document may stand for. */
const backmatterLandmarks = new Set([
  'endnotes',
  'rearnotes',
  'footnotes',
  'bibliography',
  'glossary',
  'index',
  'appendix',
  'afterword',
  'acknowledgments',
  'colophon',
  'backmatter'
])

let templateCache: Promise<Record<string, string>> | undefined

function loadTemplates(): Promise<Record<string, string>> {
  templateCache ??= (async () => {
    const names = ['content.opf.ejs', 'toc.xhtml.ejs', 'toc.ncx.ejs', 'chapter.xhtml.ejs', 'style.css']
    const entries = await Promise.all(
      names.map(async (name) => [name, await fs.readFile(path.join(templates, name), 'utf8')] as const)
    )
    return Object.fromEntries(entries)
  })()
  return templateCache
}

/** A name-based UUID (version 5, RFC 9562) in the URL namespace. */
export function uuidV5(name: string): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex')
  const hash = createHash('sha1')
    .update(Buffer.concat([namespace, Buffer.from(name, 'utf8')]))
    .digest()
  hash[6] = (hash[6] & 0x0f) | 0x50
  hash[8] = (hash[8] & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** The content documents' serializer (see `xhtml`). */
const serializer = unified().use(rehypeStringify, {
  closeSelfClosing: true,
  characterReferences: {useNamedReferences: false}
})

/**
 * hast as the XHTML of an EPUB content document: rehype-stringify with void
 * elements closed (`<br />`) and numeric character references (XML knows no
 * named ones but its five). What it writes as HTML but XML forbids is then
 * mended, as no option of rehype-stringify does it: `]]>` in text (raw HTML
 * shown as text can hold it), attributes without a value (a task list's
 * `<input checked disabled>`, always collapsed) and a raw `<` in an attribute
 * value (an alt or a title `a < b`), which HTML allows. Start tags are
 * `<name attr="…">` with `"` encoded in values, so a bare word inside one is
 * an attribute name and a value ends at the next `"`.
 */
function xhtml(tree: HastRoot): string {
  return serializer
    .stringify(tree)
    .replaceAll(']]>', ']]&#x3E;')
    .replace(/<[a-zA-Z][^\s/>]*(?:\s+[^\s"'=/>]+(?:="[^"]*")?)+\s*\/?>/g, (tag) =>
      tag.replace(
        /(\s+)([^\s"'=/>]+)(?:="([^"]*)")?/g,
        (_, space: string, name: string, value: string | undefined) =>
          `${space}${name}="${(value ?? name).replaceAll('<', '&#x3C;')}"`
      )
    )
}

/**
 * Where EPUB 3's XHTML differs from HTML: a GFM table cell's `align` is not allowed (epubcheck RSC-005), so it is said
 * with `text-align`; MathML is in its own namespace, which HTML's serializer leaves unsaid.
 */
function asXhtml(tree: HastRoot): HastRoot {
  visit(tree, 'element', (node) => {
    if (node.tagName === 'math') {
      node.properties.xmlns = 'http://www.w3.org/1998/Math/MathML'
      return SKIP
    }
    const align = node.properties.align
    if ((node.tagName === 'td' || node.tagName === 'th') && typeof align === 'string') {
      delete node.properties.align
      node.properties.style = `text-align: ${align}`
    }
    return CONTINUE
  })
  return tree
}

/** File name of a chapter in the EPUB. */
export function chapterFileName(chapter: Chapter): string {
  return `${chapter.slug}.xhtml`
}

/** Render the book as an EPUB 3 file. */
export async function renderEpub(book: Book, options: EpubOptions): Promise<Uint8Array> {
  const tpl = await loadTemplates()
  const {meta} = book
  const labels = labelsFor(meta.language)
  const slugs = slugsByFileName(book.chapters)
  const render = (nodes: ElementContent[]) => xhtml(asXhtml({type: 'root', children: nodes}))
  const remember = options.remember ?? chapterMemory(undefined, undefined)

  // The author's own cover, else one drawn from the title (./cover.ts).
  const cover = book.cover?.data ?? (await renderCoverPng(meta, undefined, {store: options.store}))
  const coverImage: Asset = {
    id: 'cover-image',
    href: `images/cover-${contentHash(cover)}.${book.cover?.extension ?? 'png'}`,
    mediaType: book.cover?.mediaType ?? 'image/png',
    properties: 'cover-image',
    data: cover
  }
  const front: Doc[] = [
    {
      id: 'cover',
      title: labels.cover,
      filename: 'cover.xhtml',
      content: '',
      bodyType: 'frontmatter',
      beforeToc: true,
      excludeFromToc: true,
      landmark: {type: 'cover', title: labels.cover},
      body: render([
        h('section.cover', {'epub:type': 'cover'}, [
          h('img', {
            src: coverImage.href,
            alt: coverAlt(meta),
            role: 'doc-cover'
          })
        ])
      ])
    },
    {
      id: 'title-page',
      title: labels.titlePage,
      filename: 'title.xhtml',
      content: '',
      bodyType: 'frontmatter',
      beforeToc: true,
      excludeFromToc: true,
      landmark: {type: 'titlepage', title: labels.titlePage},
      body: render([titlePage(meta, labels)])
    }
  ]

  // `elsewhere`: a chapter's content rendered in another document (the notes, the disagreements).
  const handlersFor = (chapter: Chapter, elsewhere?: {notesFile: string; citeIds: boolean}) =>
    epubHandlers({
      assets: options.assets,
      headingOffset: headingOffset(chapter.tree),
      images: chapter.file.data.images ?? {},
      book,
      ...(elsewhere ?? {notesFile: notesFileOf(chapter), citeIds: true}),
      resolveLink(url) {
        // An anchor of the chapter, from another document, points into the chapter.
        if (elsewhere && url.startsWith('#')) return `${chapterFileName(chapter)}${url}`
        return chapterHref(url, slugs, '.xhtml')
      }
    })

  /** Each chapter's document, its body as UTF-8 (half the memory of a string for most text). */
  const chapters: Array<{doc: Doc; bytes: Buffer}> = []

  const docs: Doc[] = [...front]
  const parts = outline(book, labels)
  const labelOf = chapterLabels(book, labels)
  // Each titled part opens with a document of its own, the part's title page.
  const partStarts = new Map(
    parts.filter((part) => part.title !== undefined).map((part) => [part.chapters[0]!.chapter, part])
  )
  for (const chapter of book.chapters) {
    const part = partStarts.get(chapter)
    if (part) docs.push(partDoc(part, render))
    const label = labelOf.get(chapter)
    const appendix = chapter.place?.appendix === true
    const content = remember(chapter, 'epub-content', () =>
      render(chapterBody(chapter.tree, handlersFor(chapter), {epub: true, language: meta.language}))
    )
    const body = fill(
      render([
        h(
          'section',
          {
            'epub:type': appendix ? 'appendix' : 'chapter',
            role: appendix ? 'doc-appendix' : 'doc-chapter',
            ariaLabelledBy: `title-${chapter.slug}`
          },
          [
            label ? h('p.chapter-number', label) : undefined,
            h('h1', {id: `title-${chapter.slug}`}, chapter.title),
            slot()
          ]
        )
      ]),
      content
    )
    const doc: Doc = {
      id: `chapter-${chapter.slug}`,
      title: chapter.title,
      filename: chapterFileName(chapter),
      content: '',
      bodyType: 'bodymatter',
      beforeToc: false,
      excludeFromToc: false,
      // MathML in a document is declared in the package (epubcheck OPF-014).
      properties: body.includes('<math') ? 'mathml' : undefined,
      body: bodyLater
    }
    docs.push(doc)
    chapters.push({doc, bytes: Buffer.from(body)})
  }

  // Back matter: where the sources disagree, notes, sources (see ./notes.ts).
  const back = epubBackMatter(book, {
    render,
    remember,
    handlersFor,
    chapterFile: chapterFileName
  })
  docs.push(...back)
  const toc = [
    ...front.filter((doc) => !doc.excludeFromToc).map((doc) => navItem(doc.filename, doc.title)),
    ...outlineNav(parts),
    ...back.filter((doc) => !doc.excludeFromToc).map((doc) => navItem(doc.filename, doc.title))
  ]

  const assets: Asset[] = [coverImage]
  for (const {book: figure} of options.assets.figures.values()) {
    assets.push({
      id: `img-${figure.fileName.replace(/\.[^.]+$/, '')}`,
      href: `images/${figure.fileName}`,
      mediaType: 'image/svg+xml',
      data: figure.data
    })
  }
  for (const media of distinctMedia(options.assets)) {
    assets.push({
      id: `img-${media.fileName.replace(/\.[^.]+$/, '')}`,
      href: `images/${media.fileName}`,
      mediaType: media.mediaType,
      data: media.data
    })
  }

  const modifiedText = options.modified.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const EPub = EPubClass as unknown as new (options: object, content: object[]) => EPubInstance
  const epub = new EPub(
    {
      title: meta.title,
      author: meta.authors,
      publisher: meta.publisher ?? '',
      description: meta.description,
      lang: meta.language,
      tocTitle: labels.contents,
      landmarksTitle: labels.landmarks,
      date: meta.date,
      css: tpl['style.css'],
      contentOPF: tpl['content.opf.ejs'],
      tocXHTML: tpl['toc.xhtml.ejs'],
      tocNCX: tpl['toc.ncx.ejs'],
      chapterXHTML: tpl['chapter.xhtml.ejs'],
      prependChapterTitles: false,
      verbose: false,
      // Keys the project's templates read:
      bookId: `urn:uuid:${uuidV5(`${meta.title}\u0000${meta.edition}`)}`,
      subtitle: meta.subtitle ?? '',
      authors: meta.authors,
      pubDate: meta.date,
      rights: meta.rights ?? '',
      modified: modifiedText,
      assets,
      hasImages: assets.length > 0,
      coverImage,
      accessibilitySummary: accessibilitySummary(book, options.assets),
      // The summary is written in English: said so when the book is in another language.
      accessibilitySummaryLang: primaryLanguage(meta.language) === 'en' ? '' : 'en',
      certifiedBy: meta.publisher ?? meta.authors[0] ?? meta.title,
      landmarks: landmarks(docs, labels),
      // The contents as a tree: parts, chapters, the chapters nested under them and their sections.
      toc,
      tocDepth: navDepth(toc)
    },
    // The packer sanitises `content` (and would name an empty alt "image-placeholder"): hand it nothing to sanitise.
    docs.map((doc) => ({...doc, content: ''}))
  )
  await epub.render()
  for (const asset of assets) epub.zip.file(`OEBPS/${asset.href}`, asset.data)
  // A chapter's entry is the packer's, from the chapter template, with the chapter's kept body in place of `bodyLater`.
  const bodies = new Map(chapters.map(({doc, bytes}) => [`OEBPS/${doc.filename}`, bytes]))
  chapters.length = 0
  // The packer's entries, in its order (`mimetype` first), zipped with zlib: every entry carries the one fixed date, written
  // from its UTC fields, so the archive is the same whatever the build machine's time zone (see ./zip.ts).
  // Each entry's bytes are made when it is compressed, a few at a time (see ./zip.ts): a long book's text is never all in memory twice.
  const entries: ZipSource[] = Object.values(epub.zip.files).map((entry) => ({
    name: entry.name,
    dir: entry.dir,
    stored: entry.options.compression === 'STORE',
    data: async () => {
      const data = entry.dir ? new Uint8Array(0) : await entry.async('uint8array')
      const body = bodies.get(entry.name)
      if (!body) return data
      bodies.delete(entry.name)
      const templated = Buffer.from(data.buffer, data.byteOffset, data.byteLength)
      // The last one: the chapter's title, before its body, is the template's only other text of ours.
      const at = templated.lastIndexOf(bodyLater)
      return Buffer.concat([templated.subarray(0, at), body, templated.subarray(at + bodyLater.length)])
    }
  }))
  const {store} = options
  const zip: ZipStore | undefined = store && {
    get: (key) => store.get(`zip\u0000${key}`),
    set: (key, value) => store.set(`zip\u0000${key}`, value)
  }
  return packZip(entries, options.modified, zip)
}

/** An entry of the contents (nav and NCX), with the entries under it. */
interface NavItem {
  href: string
  title: string
  children: NavItem[]
}

function navItem(href: string, title: string, children: NavItem[] = []): NavItem {
  return {href, title, children}
}

/** The contents of the book's parts: a part's entry holds its chapters; a chapter's its sections, then the chapters nested under it. */
function outlineNav(parts: OutlinePart[]): NavItem[] {
  const chapterItem = (entry: OutlineChapter): NavItem =>
    navItem(
      chapterFileName(entry.chapter),
      entry.chapter.place?.appendix && entry.label ? `${entry.label}: ${entry.chapter.title}` : entry.chapter.title,
      [
        ...chapterSections(entry.chapter).map((section) =>
          navItem(`${chapterFileName(entry.chapter)}#${section.id}`, section.title)
        ),
        ...entry.children.map(chapterItem)
      ]
    )
  return parts.flatMap((part) =>
    part.title === undefined
      ? part.chapters.map(chapterItem)
      : [navItem(partFileName(part), part.title, part.chapters.map(chapterItem))]
  )
}

/** How deep the contents go (the NCX's `dtb:depth`). */
function navDepth(items: NavItem[]): number {
  return items.reduce((depth, item) => Math.max(depth, 1 + navDepth(item.children)), 0)
}

function partFileName(part: OutlinePart): string {
  return `part-${part.number}.xhtml`
}

/** A part's title page. */
function partDoc(part: OutlinePart, render: (nodes: ElementContent[]) => string): Doc {
  const id = `part-${part.number}-title`
  return {
    id: `part-${part.number}`,
    title: part.title ?? '',
    filename: partFileName(part),
    content: '',
    bodyType: 'bodymatter',
    beforeToc: false,
    excludeFromToc: false,
    body: render([
      h('section.part', {'epub:type': 'part', role: 'doc-part', ariaLabelledBy: id}, [h('h1', {id}, part.title)])
    ])
  }
}

/** What a chapter document's body is to the packer: its entry then gets the kept body in its place. */
const bodyLater = '<twofold-chapter-body/>'

/** The title page: title, subtitle, authors, then the imprint (publisher, edition, date, rights). */
function titlePage(meta: BookMeta, labels: Labels) {
  const names = new Intl.ListFormat(meta.language, {
    type: 'conjunction'
  }).format(meta.authors)
  const published = bookDate(meta.date, meta.language)
  return h('section.title-page', {'epub:type': 'titlepage', ariaLabelledBy: 'book-title'}, [
    h('h1#book-title.book-title', meta.title),
    meta.subtitle ? h('p.subtitle', {role: 'doc-subtitle'}, meta.subtitle) : undefined,
    h('p.authors', names),
    h('div.imprint', [
      meta.publisher ? h('p.publisher', meta.publisher) : undefined,
      h('p.published', [
        meta.edition === '1' ? '' : labels.edition(meta.edition),
        h('time', {dateTime: meta.date}, published)
      ]),
      meta.rights ? h('p.rights', meta.rights) : undefined
    ])
  ])
}

/** The nav's landmarks, in spine order: cover, title page, contents, start of the text, back matter. */
function landmarks(docs: Doc[], labels: Labels): Array<{type: string; href: string; title: string}> {
  const marks: Array<{type: string; href: string; title: string}> = []
  const mark = (doc: Doc) => {
    if (doc.landmark) return doc.landmark
    if (doc.bodyType === 'bodymatter')
      return marks.some((m) => m.type === 'bodymatter') ? undefined : {type: 'bodymatter', title: labels.startOfContent}
    if (doc.bodyType !== 'backmatter') return undefined
    const type = /epub:type="([^"\s]+)/.exec(doc.body)?.[1] ?? 'backmatter'
    return backmatterLandmarks.has(type) ? {type, title: doc.title} : undefined
  }
  for (const doc of docs.filter((d) => d.beforeToc)) {
    const m = mark(doc)
    if (m) marks.push({...m, href: doc.filename})
  }
  marks.push({type: 'toc', href: 'toc.xhtml#toc', title: labels.contents})
  for (const doc of docs.filter((d) => !d.beforeToc)) {
    const m = mark(doc)
    if (m && !marks.some((other) => other.type === m.type)) marks.push({...m, href: doc.filename})
  }
  return marks
}

/** A summary of the book's accessibility, from what the book actually contains. */
function accessibilitySummary(book: Book, assets: BookAssets): string {
  const figures = assets.figures.size
  const images = distinctMedia(assets).length
  const citations = book.chapters.reduce((n, c) => n + (c.file.data.citations?.length ?? 0), 0)
  const contested = book.chapters.reduce((n, c) => n + (c.file.data.contested?.length ?? 0), 0)
  const parts = [
    'This publication meets WCAG 2.2 Level AA. It has a table of contents, landmarks, and headings in reading order; text follows the reader’s font, size and colour settings.',
    figures + images > 0
      ? `Every image has a text description: ${[figures > 0 ? `${figures} ${figures === 1 ? 'figure' : 'figures'}, each showing one state of a graphic described in the text beside it` : '', images > 0 ? `${images} ${images === 1 ? 'image' : 'images'} with alternative text` : ''].filter(Boolean).join(', and ')}, so the book can be read in full without seeing them.`
      : 'Apart from the cover, which has a text description, the book is text only.',
    citations > 0 ? 'Citations are numbered links to endnotes, each with a link back to the text.' : '',
    contested > 0
      ? 'Where sources disagree, the passage links to a note with each source’s account, and a back-matter section gathers every disagreement.'
      : '',
    'No flashing, motion or sound.'
  ]
  return parts.filter(Boolean).join(' ')
}

interface EPubInstance {
  render(): Promise<unknown>
  zip: {
    file(name: string, data: string | Uint8Array): unknown
    files: Record<
      string,
      {
        name: string
        dir: boolean
        options: {compression?: string | null}
        async(type: 'uint8array'): Promise<Uint8Array>
      }
    >
  }
}
