/**
 * The EPUB target: the parsed book → an EPUB 3 packed by epub-gen-memory with
 * the project's own templates (`templates/epub/`). Chapter bodies are
 * rendered here as XHTML and handed to the chapter template directly, so the
 * packer's HTML sanitizer never strips attributes; images are added by
 * content hash and every zip entry carries the same fixed date, so the same
 * sources give a byte-identical book.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {EPub as EPubClass} from 'epub-gen-memory'
import type {ElementContent, Root as HastRoot} from 'hast'
import {h} from 'hastscript'
import {toHast} from 'mdast-util-to-hast'
import rehypeStringify from 'rehype-stringify'
import {unified} from 'unified'
import {headingOffset, type BookAssets} from '../assets.js'
import type {Book, Chapter} from '../types.js'
import {epubHandlers} from './handlers.js'

const templates = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../templates/epub')
const xhtml = unified().use(rehypeStringify, {
  closeSelfClosing: true,
  collapseEmptyAttributes: false,
  characterReferences: {useNamedReferences: false},
  tightSelfClosing: false,
  allowDangerousHtml: false
})

/** What the EPUB target needs besides the book. */
export interface EpubOptions {
  assets: BookAssets
  /** Modification time of the book (from SOURCE_DATE_EPOCH or the sources). */
  modified: Date
}

/** One content document handed to the packer. */
interface Doc {
  id: string
  title: string
  filename: string
  content: string
  body: string
  bodyType: string
  beforeToc: boolean
  excludeFromToc: boolean
  properties?: string
}

let templateCache: Promise<Record<string, string>> | undefined

function loadTemplates(): Promise<Record<string, string>> {
  templateCache ??= (async () => {
    const names = ['content.opf.ejs', 'toc.xhtml.ejs', 'toc.ncx.ejs', 'chapter.xhtml.ejs', 'style.css']
    const entries = await Promise.all(names.map(async (name) => [name, await fs.readFile(path.join(templates, name), 'utf8')] as const))
    return Object.fromEntries(entries)
  })()
  return templateCache
}

/** A name-based UUID (version 5, RFC 9562) in the URL namespace. */
export function uuidV5(name: string): string {
  const namespace = Buffer.from('6ba7b8119dad11d180b400c04fd430c8', 'hex')
  const hash = createHash('sha1').update(Buffer.concat([namespace, Buffer.from(name, 'utf8')])).digest()
  hash[6] = (hash[6] & 0x0f) | 0x50
  hash[8] = (hash[8] & 0x3f) | 0x80
  const hex = hash.subarray(0, 16).toString('hex')
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`
}

/** File name of a chapter in the EPUB. */
export function chapterFileName(chapter: Chapter): string {
  return `${chapter.slug}.xhtml`
}

/** Render the book as an EPUB 3 file. */
export async function renderEpub(book: Book, options: EpubOptions): Promise<Uint8Array> {
  const tpl = await loadTemplates()
  const {meta} = book
  const bySourceName = new Map(book.chapters.map((c) => [path.basename(c.file.path), c]))
  const notesFile = 'notes.xhtml'
  const docs: Doc[] = []
  const render = (nodes: ElementContent[]) => xhtml.stringify({type: 'root', children: nodes} as HastRoot)

  docs.push({
    id: 'title-page',
    title: 'Title page',
    filename: 'title.xhtml',
    content: '',
    bodyType: 'frontmatter',
    beforeToc: true,
    excludeFromToc: true,
    body: render([
      h('section.title-page', {'epub:type': 'titlepage'}, [
        h('h1', meta.title),
        meta.subtitle ? h('p.subtitle', meta.subtitle) : undefined,
        h('p.authors', meta.authors.join(', ')),
        meta.publisher ? h('p.publisher', meta.publisher) : undefined
      ])
    ])
  })

  for (const [index, chapter] of book.chapters.entries()) {
    const handlers = epubHandlers({
      assets: options.assets,
      headingOffset: headingOffset(chapter.tree),
      images: chapter.file.data.images ?? {},
      notesFile,
      resolveLink(url) {
        const match = /^(?:\.\/)?([^/#?]+\.md)(#.*)?$/.exec(url)
        const target = match ? bySourceName.get(match[1]) : undefined
        return target ? `${chapterFileName(target)}${match?.[2] ?? ''}` : undefined
      }
    })
    const content = toHast(chapter.tree, {handlers}) as HastRoot
    docs.push({
      id: `chapter-${chapter.slug}`,
      title: chapter.title,
      filename: chapterFileName(chapter),
      content: '',
      bodyType: 'bodymatter',
      beforeToc: false,
      excludeFromToc: false,
      body: render([
        h('section', {'epub:type': 'chapter', role: 'doc-chapter', ariaLabelledBy: `title-${chapter.slug}`}, [
          h('p.chapter-number', `Chapter ${index + 1}`),
          h('h1', {id: `title-${chapter.slug}`}, chapter.title),
          ...(content.children as ElementContent[])
        ])
      ])
    })
  }

  const citations = book.chapters.flatMap((chapter) => (chapter.file.data.citations ?? []).map((citation) => ({chapter, citation})))
  if (citations.length > 0) {
    const titles = new Map(book.references.map((item) => [item.id, String(item.title ?? item.id)]))
    docs.push({
      id: 'notes',
      title: 'Notes',
      filename: notesFile,
      content: '',
      bodyType: 'backmatter',
      beforeToc: false,
      excludeFromToc: false,
      body: render([
        h('section.notes', {'epub:type': 'endnotes', role: 'doc-endnotes', ariaLabelledBy: 'notes-title'}, [
          h('h1#notes-title', 'Notes'),
          h(
            'ol',
            citations.map(({chapter, citation}) =>
              h('li', {id: `note-${citation.number}`, 'epub:type': 'endnote', value: undefined}, [
                h('p', [
                  citation.items.map((item) => [item.prefix ? `${item.prefix} ` : '', titles.get(item.key) ?? item.key, item.suffix ? `, ${item.suffix}` : ''].join('')).join('; '),
                  '. ',
                  h('a', {href: `${chapterFileName(chapter)}#${citation.id}`, role: 'doc-backlink'}, `Back to note ${citation.number}`)
                ])
              ])
            )
          )
        ])
      ])
    })
  }

  const assets: Array<{id: string; href: string; mediaType: string; properties?: string; data: string | Uint8Array}> = []
  for (const figure of options.assets.figures.values()) {
    assets.push({id: `img-${figure.fileName.replace(/\.[^.]+$/, '')}`, href: `images/${figure.fileName}`, mediaType: 'image/svg+xml', data: figure.data})
  }
  for (const media of options.assets.media.values()) {
    assets.push({id: `img-${media.fileName.replace(/\.[^.]+$/, '')}`, href: `images/${media.fileName}`, mediaType: media.mediaType, data: media.data})
  }

  const firstChapter = docs.find((d) => d.bodyType === 'bodymatter')
  const modified = options.modified.toISOString().replace(/\.\d{3}Z$/, 'Z')
  const EPub = EPubClass as unknown as new (options: object, content: object[]) => EPubInstance
  const epub = new EPub(
    {
      title: meta.title,
      author: meta.authors,
      publisher: meta.publisher ?? '',
      description: meta.description,
      lang: meta.language,
      tocTitle: 'Contents',
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
      modified,
      assets,
      hasImages: assets.length > 0,
      coverImage: undefined,
      accessibilitySummary:
        'This publication has a table of contents, structured headings in reading order, and a text description for every figure. Graphics are described in text, so the whole book can be read without seeing them.',
      certifiedBy: meta.publisher ?? meta.authors[0],
      landmarks: [
        {type: 'toc', href: 'toc.xhtml#toc', title: 'Contents'},
        ...(firstChapter ? [{type: 'bodymatter', href: firstChapter.filename, title: 'Start of content'}] : [])
      ]
    },
    docs
  )
  await epub.render()
  for (const asset of assets) epub.zip.file(`OEBPS/${asset.href}`, asset.data)
  // Fixed dates for every entry. JSZip writes DOS times in local time, so shift by the zone offset.
  const date = new Date(options.modified.getTime() + options.modified.getTimezoneOffset() * 60_000)
  for (const entry of Object.values(epub.zip.files)) entry.date = date
  return epub.generateAsync({type: 'uint8array', mimeType: 'application/epub+zip', compression: 'DEFLATE', compressionOptions: {level: 9}})
}

interface EPubInstance {
  render(): Promise<unknown>
  zip: {
    file(name: string, data: string | Uint8Array): unknown
    files: Record<string, {date: Date}>
  }
  generateAsync(options: object): Promise<Uint8Array>
}
