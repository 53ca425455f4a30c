/**
 * The web target: the parsed book → a static site. One cover and contents
 * page, one page per chapter with previous/next links, static figures, media,
 * and the client bundle (Scrollama) built from `templates/web/`.
 */
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import * as esbuild from 'esbuild'
import type {ElementContent, Root as HastRoot} from 'hast'
import {h} from 'hastscript'
import rehypeStringify from 'rehype-stringify'
import {unified} from 'unified'
import {type PageAssets, page} from '../../../templates/web/page.js'
import {formatSize, labelsFor} from '../../labels/index.js'
import {hashOf, type Store} from '../../output/store.js'
import {chapterHref, slugsByFileName} from '../../plugins/remark-links.js'
import type {Book, Chapter, OutputFile} from '../../types.js'
import {type BookAssets, contentHash, distinctMedia, headingOffset} from '../assets.js'
import {chapterBody} from '../footnotes.js'
import {chapterLabels, type OutlineChapter, outline} from '../outline.js'
import {type ChapterMemory, chapterMemory, fill, slot} from '../pages.js'
import {backMatterLinks, footerNav, listLater, webBackMatter, webNotes} from './citations.js'
import {charactersOf, fontsPlaceholder, makeFonts, withFontFaces} from './fonts.js'
import {webHandlers} from './handlers.js'
import {ogImage} from './og-image.js'
import {chapterIntro, storyHeader, storyNav, storyPages} from './wayfinding.js'

const require = createRequire(import.meta.url)

/** The pages' serializer: rehype-stringify with its defaults. */
const html = unified().use(rehypeStringify)

const templates = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates/web')

/** What the web target needs besides the book. */
export interface WebOptions {
  assets: BookAssets
  /** The EPUB's file name, to offer it as a download from the cover page (its size comes with `finish`). */
  epub?: string | undefined
  /** Where the client bundle is kept between builds (see `makeClientAssets`). */
  store?: Store | undefined
  /** Where the chapters' rendered content is kept between builds (see ../pages.ts). */
  remember?: ChapterMemory | undefined
}

/** Client assets, built once per process (they depend only on templates/web/ and the packages it imports). */
let clientAssets: Promise<OutputFile[]> | undefined

/** What the client assets are built with. */
const clientBuild = {
  entryPoints: {
    story: path.join(templates, 'client.ts'),
    style: path.join(templates, 'style.css'),
    nojs: path.join(templates, 'nojs.css')
  },
  bundle: true,
  minify: true,
  format: 'iife',
  target: ['es2020'],
  write: false,
  outdir: 'assets',
  entryNames: '[name].[hash]',
  legalComments: 'none',
  logLevel: 'silent'
} satisfies esbuild.BuildOptions

/**
 * Build the client script and stylesheets with esbuild, with content-hashed
 * names, or read them from `store`: starting esbuild's service and building
 * takes some 100 ms, for the same bytes. They are kept under the files of
 * templates/web/, the project's tsconfig.json, esbuild's options and
 * version, and the version of Scrollama, the one package the client imports.
 */
export async function makeClientAssets(store?: Store): Promise<OutputFile[]> {
  const favicon = await fs.readFile(path.join(templates, 'favicon.svg'))
  const faviconFile = {
    path: `assets/favicon.${contentHash(favicon, 8)}.svg`,
    contents: new Uint8Array(favicon)
  }
  const names = (await fs.readdir(templates)).sort()
  const sources = await Promise.all(
    names.map(async (name) => [name, await fs.readFile(path.join(templates, name))] as const)
  )
  const tsconfig = await fs.readFile(path.join(templates, '../../tsconfig.json')).catch(() => '')
  const key = `client\u0000${hashOf(esbuild.version, JSON.stringify(clientBuild), require('scrollama/package.json').version, tsconfig, ...sources.flat())}`
  const kept = store?.get(key)
  if (kept) {
    const files = JSON.parse(Buffer.from(kept).toString('utf8')) as Array<[string, string]>
    return [
      ...files.map(([file, data]) => ({
        path: file,
        contents: new Uint8Array(Buffer.from(data, 'base64'))
      })),
      faviconFile
    ]
  }
  const result = await esbuild.build(clientBuild)
  const files = result.outputFiles.map((f) => ({
    path: `assets/${path.basename(f.path)}`,
    contents: f.contents
  }))
  store?.set(key, JSON.stringify(files.map((file) => [file.path, Buffer.from(file.contents).toString('base64')])))
  return [...files, faviconFile]
}

/** The web story, made but for what `finish` puts in. */
export interface WebStory {
  /**
   * The story's files, with the EPUB's size on the cover page and the faces
   * of the typeface, subset to the pages' characters on another thread since
   * `renderWeb` returned: a build makes the EPUB meanwhile.
   */
  finish(epubSize: number): Promise<OutputFile[]>
}

/** What the cover page holds in place of the EPUB's size until `finish` (ASCII, as the size is: see `formatSize`). */
const epubSizePlaceholder = 'twofold-epub-size'

/** Render the whole web story: every page, the assets, the cover and contents, the sources and disagreements. */
export async function renderWeb(book: Book, options: WebOptions): Promise<WebStory> {
  const client = await (clientAssets ??= makeClientAssets(options.store))
  const find = (prefix: string, ext: string) =>
    client.find((f) => f.path.startsWith(`assets/${prefix}.`) && f.path.endsWith(ext))?.path ?? ''
  const {meta} = book
  const labels = labelsFor(meta.language)
  const base = meta.url ? (meta.url.endsWith('/') ? meta.url : `${meta.url}/`) : undefined
  const og = await ogImage(meta, options.store, book.cover)
  const assetPaths: PageAssets = {
    css: find('style', '.css'),
    fonts: fontsPlaceholder,
    nojsCss: find('nojs', '.css'),
    js: find('story', '.js'),
    favicon: find('favicon', '.svg'),
    ogImage: {
      url: `${base ?? ''}${og.file.path}`,
      width: og.width,
      height: og.height,
      alt: og.alt,
      type: og.type
    }
  }
  const remember = options.remember ?? chapterMemory(undefined, undefined)
  const chapterUrl = (chapter: Chapter) => `${chapter.slug}.html`
  const chapterLabel = chapterLabels(book, labels)
  const slugs = slugsByFileName(book.chapters)

  const pages = storyPages(book, backMatterLinks(book))

  // `notesPage`: the chapter's content rendered on another page (the disagreements page).
  const handlersFor = (chapter: Chapter, notesPage?: string) =>
    webHandlers({
      book,
      assets: options.assets,
      headingOffset: headingOffset(chapter.tree),
      images: chapter.file.data.images ?? {},
      notesPage,
      resolveLink(url) {
        // An anchor of the chapter, from another page, points into the chapter.
        if (notesPage !== undefined && url.startsWith('#')) return `${chapterUrl(chapter)}${url}`
        return chapterHref(url, slugs, '.html')
      }
    })

  /** The chapter's text, footnotes and notes, as markup (kept in the store: see ../pages.ts). */
  function chapterContent(chapter: Chapter): string {
    const content = chapterBody(chapter.tree, handlersFor(chapter), {language: book.meta.language})
    const notes = webNotes(book, chapter)
    return html.stringify({type: 'root', children: notes ? [...content, notes] : content})
  }

  function chapterPage(chapter: Chapter): string {
    const content = remember(chapter, 'web-content', () => chapterContent(chapter))
    const body: ElementContent[] = [
      // Reading progress: decorative (the browser's own scroll position says the same), moved by the client.
      h('div.progress', {ariaHidden: 'true'}, [h('div.progress__bar')]),
      storyHeader(book, pages, chapterUrl(chapter)),
      h('main#main', [
        h('article.chapter', [
          h('header.chapter__header', [
            chapterLabel.get(chapter) ? h('p.chapter__number', chapterLabel.get(chapter)) : undefined,
            h('h1', chapter.title),
            ...chapterIntro(
              book,
              chapter.file.data.words ?? 0,
              chapter.file.data.meta?.description as string | undefined
            )
          ]),
          slot()
        ])
      ]),
      storyNav(book, pages, chapterUrl(chapter)),
      footer(book, footerNav(book))
    ]
    const description = String(chapter.file.data.meta?.description ?? meta.description)
    const tree = page({
      lang: meta.language,
      title: `${chapter.title} · ${meta.title}`,
      description,
      canonical: base ? `${base}${chapterUrl(chapter)}` : undefined,
      siteName: meta.title,
      ogType: 'article',
      assets: assetPaths,
      body
    })
    return fill(html.stringify(tree), content)
  }

  const out: OutputFile[] = [...client, og.file]
  for (const figure of options.assets.figures.values()) {
    out.push({path: `figures/${figure.fileName}`, contents: figure.data})
    if (figure.narrow)
      out.push({
        path: `figures/${figure.narrow.fileName}`,
        contents: figure.narrow.data
      })
  }
  for (const media of distinctMedia(options.assets)) out.push({path: `media/${media.fileName}`, contents: media.data})

  // Book-wide pages: where the sources disagree, and the sources.
  for (const extra of webBackMatter(book, {handlersFor, chapterUrl})) {
    const tree = page({
      lang: meta.language,
      title: `${extra.title} · ${meta.title}`,
      description: extra.description,
      canonical: base ? `${base}${extra.path}` : undefined,
      siteName: meta.title,
      ogType: 'website',
      assets: assetPaths,
      body: [
        storyHeader(book, pages, extra.path),
        h('main#main', extra.main),
        storyNav(book, pages, extra.path),
        footer(book, footerNav(book))
      ]
    })
    const text = html.stringify(tree)
    if (!extra.items) {
      out.push({path: extra.path, contents: text})
      continue
    }
    // A long list's items, each made and written out in turn, where the page has `listLater`.
    const tag = `<${listLater}></${listLater}>`
    const at = text.indexOf(tag)
    const parts = [Buffer.from(text.slice(0, at))]
    for (const item of extra.items) parts.push(Buffer.from(html.stringify({type: 'root', children: [item]})))
    parts.push(Buffer.from(text.slice(at + tag.length)))
    out.push({path: extra.path, contents: Buffer.concat(parts)})
  }

  out.push({
    path: 'index.html',
    contents: html.stringify(coverPage(book, options, assetPaths, base))
  })
  for (const chapter of book.chapters) out.push({path: chapterUrl(chapter), contents: chapterPage(chapter)})
  const fonts = withFonts(out, assetPaths.css, options.store)
  // Not left unhandled while the EPUB is made: `finish` reports it.
  fonts.catch(() => undefined)
  return {
    async finish(epubSize) {
      const files = await fonts
      const cover = files.find((file) => file.path === 'index.html')!
      cover.contents = String(cover.contents).replace(
        epubSizePlaceholder,
        formatSize(epubSize, labelsFor(meta.language))
      )
      return files
    }
  }
}

/**
 * The pages with the typeface subset to their characters in place of
 * `fontsPlaceholder`, and the stylesheet at `css` replaced by one that
 * declares the faces (see ./fonts.ts).
 */
async function withFonts(out: OutputFile[], css: string, store: Store | undefined): Promise<OutputFile[]> {
  const pages = out.filter((file) => file.path.endsWith('.html'))
  const texts = pages.map((file) =>
    typeof file.contents === 'string' ? file.contents : Buffer.from(file.contents).toString('utf8')
  )
  const fonts = await makeFonts(
    charactersOf(texts),
    store,
    texts.some((text) => /<(?:i|em|cite)[\s>]/.test(text))
  )
  const italicOn = (text: string) => /<(?:i|em|cite)[\s>]/.test(text)
  const stylesheet = out.find((file) => file.path === css)
  const joined = stylesheet && withFontFaces(stylesheet, fonts.css)
  for (const [index, file] of pages.entries()) {
    let text = joined ? texts[index]!.replace(`href="${css}"`, `href="${joined.path}"`) : texts[index]!
    fontsPlaceholder.preload.forEach((placeholder, i) => {
      const face = fonts.preload[i]
      // A page without italic does not preload the italic face; a book without italic has none.
      if (face && (i < 2 || italicOn(text))) text = text.replace(placeholder, face)
      else text = text.replace(new RegExp(`<link rel="preload" href="${placeholder}"[^>]*>`), '')
    })
    file.contents = text
  }
  return [...out.filter((file) => file !== stylesheet), ...(joined ? [joined] : []), ...fonts.files]
}

/** The contents of a book with parts, nested chapters or appendices (books read from mdBook, Quarto, Bookdown): each part's title over its chapters, each chapter with its label and the chapters nested under it. */
function outlineContents(book: Book): ElementContent {
  const labels = labelsFor(book.meta.language)
  const item = (entry: OutlineChapter): ElementContent =>
    h('li', [
      entry.label ? h('span.contents__label', entry.label) : undefined,
      h('a', {href: `${entry.chapter.slug}.html`}, entry.chapter.title),
      entry.chapter.file.data.meta?.description
        ? h('p.contents__description', String(entry.chapter.file.data.meta.description))
        : undefined,
      entry.children.length > 0 ? h('ol', entry.children.map(item)) : undefined
    ])
  return h(
    'ol.contents__list.contents__list--outline',
    outline(book, labels).flatMap((part) =>
      part.title === undefined
        ? part.chapters.map(item)
        : [h('li.contents__part', [h('h3.contents__part-title', part.title), h('ol', part.chapters.map(item))])]
    )
  )
}

function coverPage(book: Book, options: WebOptions, assets: PageAssets, base: string | undefined): HastRoot {
  const {meta} = book
  const labels = labelsFor(meta.language)
  const first = book.chapters[0]
  const body: ElementContent[] = [
    h('main#main.cover', [
      h('header.cover__header', [
        h('h1.cover__title', meta.title),
        meta.subtitle ? h('p.cover__subtitle', meta.subtitle) : undefined,
        h('p.cover__authors', meta.authors.join(', ')),
        h('p.cover__description', meta.description),
        h('p.cover__actions', [
          first ? h('a.button', {href: `${first.slug}.html`}, labels.startReading) : undefined,
          options.epub
            ? h('a.button.button--secondary', {href: options.epub, download: ''}, [
                labels.downloadEpub(epubSizePlaceholder)
              ])
            : undefined
        ])
      ]),
      h('nav.contents', {ariaLabelledBy: 'contents-title'}, [
        h('h2#contents-title', labels.contents),
        book.chapters.some((chapter) => chapter.place)
          ? outlineContents(book)
          : h(
              'ol.contents__list',
              book.chapters.map((chapter) =>
                h('li', [
                  h('a', {href: `${chapter.slug}.html`}, chapter.title),
                  chapter.file.data.meta?.description
                    ? h('p.contents__description', String(chapter.file.data.meta.description))
                    : undefined
                ])
              )
            )
      ]),
      backMatterLinks(book).length > 0
        ? h('nav.contents-back', {ariaLabel: labels.aboutSources}, [
            h(
              'ul',
              backMatterLinks(book).map((link) => h('li', [h('a', {href: link.href}, link.text)]))
            )
          ])
        : undefined
    ]),
    footer(book, footerNav(book))
  ]
  return page({
    lang: meta.language,
    title: meta.subtitle ? `${meta.title}: ${meta.subtitle}` : meta.title,
    description: meta.description,
    canonical: base ? `${base}` : undefined,
    siteName: meta.title,
    ogType: 'website',
    assets,
    body,
    bodyClass: 'page-cover'
  })
}

function footer(book: Book, navigation: ElementContent): ElementContent {
  const {meta} = book
  return h('footer.site-footer', [
    navigation,
    h('p', [meta.rights ?? `© ${meta.date.slice(0, 4)} ${meta.authors.join(', ')}`])
  ])
}
