/**
 * The web target: the parsed book → a static site. One cover and contents
 * page, one page per chapter with previous/next links, static figures, media,
 * and the client bundle (Scrollama) built from `templates/web/`.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import * as esbuild from 'esbuild'
import type {ElementContent, Root as HastRoot} from 'hast'
import {h} from 'hastscript'
import rehypeStringify from 'rehype-stringify'
import {unified} from 'unified'
import {toHast} from 'mdast-util-to-hast'
import {chapterHref, slugsByFileName} from '../../plugins/remark-links.js'
import {page, type PageAssets} from '../../../templates/web/page.js'
import {contentHash, distinctMedia, headingOffset, type BookAssets} from '../assets.js'
import {tightenNoteSpace} from '../../citations/places.js'
import {bookContext, placeContext, type ChapterCache} from '../../output/chapter-cache.js'
import type {Book, Chapter, OutputFile} from '../../types.js'
import {backMatterLinks, disagreementsPage, footerNav, listLater, sourcesPage, webBackMatter, webNotes} from './citations.js'
import {webHandlers} from './handlers.js'
import {ogImage} from './og-image.js'
import {formatSize, labelsFor} from '../../labels.js'
import {writeKept} from '../../output/kept.js'

/** The pages' serializer: rehype-stringify with its defaults. */
const html = unified().use(rehypeStringify)

const templates = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../templates/web')

/** What the web target needs besides the book. */
export interface WebOptions {
  assets: BookAssets
  /** The EPUB, to offer as a download from the cover page. */
  epub?: {fileName: string; size: number} | undefined
  /** Chapter pages kept from earlier builds (a session's): only chapters that changed are rendered again. */
  cache?: ChapterCache | undefined
  /**
   * The book-wide pages (where the sources disagree, sources) to use as they
   * are instead of rendering them: the last build's, for a preview (see
   * `build`'s `onPreview`), which the build's final write then replaces.
   */
  backMatter?: OutputFile[] | undefined
}

/** Paths of the book-wide pages, the ones `backMatter` stands in for. */
export const backMatterPaths: ReadonlySet<string> = new Set([disagreementsPage, sourcesPage])

/** Client assets, built once per process (they depend only on templates/web/ and the packages it imports). */
let clientAssets: Promise<OutputFile[]> | undefined

/** Where the client assets are kept between processes (see `makeClientAssets`). */
const clientCacheDir = path.resolve(templates, '../../node_modules/.cache/twofold/client')

/** The client script and stylesheets, built once per process (see `makeClientAssets`). */
export function buildClientAssets(): Promise<OutputFile[]> {
  clientAssets ??= makeClientAssets(clientCacheDir)
  return clientAssets
}

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
  logLevel: 'silent',
  metafile: true
} satisfies esbuild.BuildOptions

/** The client assets as kept: how they were built, what they were built from (see `clientInputs`), the files. */
interface KeptClient {
  recipe: string
  inputs: Array<[string, string]>
  files: Array<[string, string]>
}

/** esbuild's loader for a file it reads, by extension (the ones a client bundle has; others esbuild reads itself). */
const loaders: Record<string, esbuild.Loader> = {'.ts': 'ts', '.mts': 'ts', '.cts': 'ts', '.tsx': 'tsx', '.js': 'js', '.mjs': 'js', '.cjs': 'js', '.jsx': 'jsx', '.css': 'css', '.json': 'json'}

/** Files that change how esbuild resolves and compiles the files in a folder. */
const configFiles = ['package.json', 'tsconfig.json', 'jsconfig.json']

const digest = (data: Uint8Array | string) => contentHash(data, 64)
const missing = 'missing'

/**
 * What a client build depends on besides esbuild and its options, each with
 * the hash of its contents: every file esbuild read (as it read it), the
 * names in each of their folders (a new `popover.js` beside `popover.ts`
 * would be resolved instead), and the `package.json` and `tsconfig.json` of
 * their folders and every folder above (fields that change resolution and
 * compilation).
 */
async function clientInputs(read: Map<string, string>): Promise<Array<[string, string]>> {
  const entries = new Map<string, string>()
  for (const [file, hash] of read) entries.set(`file:${file}`, hash)
  const folders = new Set([...read.keys()].map((file) => path.dirname(file)))
  for (const folder of folders) entries.set(`names:${folder}`, await inputHash(`names:${folder}`))
  const above = new Set<string>()
  for (let folder of folders) {
    for (;;) {
      above.add(folder)
      const parent = path.dirname(folder)
      if (parent === folder) break
      folder = parent
    }
  }
  for (const folder of above) {
    for (const name of configFiles) {
      const key = `file:${path.join(folder, name)}`
      entries.set(key, await inputHash(key))
    }
  }
  return [...entries]
}

/** The hash of an entry of `clientInputs` now: `names:<folder>`, the names in a folder; `file:<file>`, a file's contents. */
async function inputHash(key: string): Promise<string> {
  if (key.startsWith('names:')) return digest(JSON.stringify((await fs.readdir(key.slice(6)).catch(() => [])).sort()))
  return fs.readFile(key.slice(5)).then(digest, () => missing)
}

/** Whether an entry of `clientInputs` still has the same hash. */
async function sameInput([key, hash]: [string, string]): Promise<boolean> {
  return (await inputHash(key)) === hash
}

/**
 * Build the client script and stylesheets with esbuild, with content-hashed
 * names, or read them from `cacheDir` when esbuild, the options and
 * everything the last build depended on (see `clientInputs`) are the same:
 * starting esbuild's service and building took some 100 ms of every build,
 * for the same bytes. esbuild is handed the files as they were hashed, so an
 * edit during a build cannot be kept as built. A kept build that cannot be
 * read or written is only a miss.
 */
export async function makeClientAssets(cacheDir: string): Promise<OutputFile[]> {
  const favicon = await fs.readFile(path.join(templates, 'favicon.svg'))
  const faviconFile = {path: `assets/favicon.${contentHash(favicon, 8)}.svg`, contents: new Uint8Array(favicon)}
  const recipe = JSON.stringify([esbuild.version, clientBuild])
  const keptPath = path.join(cacheDir, 'client.json')
  try {
    const kept = JSON.parse(await fs.readFile(keptPath, 'utf8')) as KeptClient
    if (kept.recipe === recipe && kept.inputs.length > 0 && (await Promise.all(kept.inputs.map(sameInput))).every(Boolean)) {
      return [...kept.files.map(([file, data]) => ({path: file, contents: new Uint8Array(Buffer.from(data, 'base64'))})), faviconFile]
    }
  } catch {
    // Not kept, or not readable: built below.
  }
  const read = new Map<string, string>()
  const recorder: esbuild.Plugin = {
    name: 'twofold-inputs',
    setup(build) {
      build.onLoad({filter: /.*/, namespace: 'file'}, async (args) => {
        const loader = loaders[path.extname(args.path)]
        if (!loader) return undefined
        const contents = await fs.readFile(args.path)
        read.set(args.path, digest(contents))
        return {contents, loader}
      })
    }
  }
  const result = await esbuild.build({...clientBuild, plugins: [recorder]})
  const files = result.outputFiles.map((f) => ({path: `assets/${path.basename(f.path)}`, contents: f.contents}))
  try {
    // A file esbuild read itself (another kind than those in `loaders`) is not known as it was read: not kept.
    if (Object.keys(result.metafile.inputs).some((input) => !read.has(path.resolve(input)))) return [...files, faviconFile]
    const kept: KeptClient = {recipe, inputs: await clientInputs(read), files: files.map((file) => [file.path, Buffer.from(file.contents).toString('base64')])}
    await fs.mkdir(cacheDir, {recursive: true})
    await writeKept(keptPath, JSON.stringify(kept))
  } catch {
    // A read-only install builds them each time.
  }
  return [...files, faviconFile]
}

/** Render the whole web story. */
export async function renderWeb(book: Book, options: WebOptions): Promise<OutputFile[]> {
  const renderer = await webRenderer(book, options)
  const pages = [...book.chapters.keys()].map((index) => renderer.chapter(index))
  return [...renderer.finish(options.epub), ...pages.map((page) => ({path: page.path, contents: page.contents}))]
}

/** A chapter's page, and where in it the footer's navigation is (see `webRenderer`). */
export interface ChapterPage {
  path: string
  contents: Buffer
  footer: {at: number; html: Buffer}
}

/** Options of `webRenderer`. */
export interface WebRendererOptions extends Omit<WebOptions, 'epub'> {
  /**
   * The slug of every chapter of the book by its file name (`03-the-party.md`), for links to chapters not in
   * `book.chapters` yet. Default: from `book.chapters`.
   */
  slugs?: ReadonlyMap<string, string> | undefined
}

/**
 * The web story a page at a time, for a build that renders each chapter as
 * soon as it can: `chapter(index)` renders the page of `book.chapters[index]`
 * (the chapters before and after it must be in `book.chapters`, the chapters
 * it cites before it numbered, its figures in `options.assets`). Its footer
 * links to the book-wide pages the chapters so far call for; once
 * `book.chapters` is complete, `footerNav()` says what the footer must be,
 * and a page whose footer differs is patched where `footer.at` says.
 * `finish` makes everything else (the assets, the cover and contents, the
 * sources and disagreements).
 */
export async function webRenderer(book: Book, options: WebRendererOptions) {
  const client = await buildClientAssets()
  const find = (prefix: string, ext: string) => client.find((f) => f.path.startsWith(`assets/${prefix}.`) && f.path.endsWith(ext))?.path ?? ''
  const {meta} = book
  const labels = labelsFor(meta.language)
  const base = meta.url ? (meta.url.endsWith('/') ? meta.url : `${meta.url}/`) : undefined
  const og = await ogImage(meta)
  const assetPaths: PageAssets = {
    css: find('style', '.css'),
    nojsCss: find('nojs', '.css'),
    js: find('story', '.js'),
    favicon: find('favicon', '.svg'),
    ogImage: {url: `${base ?? ''}${og.file.path}`, width: og.width, height: og.height, alt: og.alt}
  }
  const chapterUrl = (chapter: Chapter) => `${chapter.slug}.html`
  const slugs = options.slugs ?? slugsByFileName(book.chapters)

  const header = (): ElementContent =>
    h('header.site-header', [h('a.skip-link', {href: '#main'}, labels.skipToStory), h('a.site-title', {href: 'index.html'}, meta.title)])

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

  // What every chapter page depends on besides its own tree and place (see ../chapter-cache.ts): add anything new a page shows.
  let context: string | undefined
  const contextOf = () =>
    (context ??= bookContext(book, [assetPaths, [...options.assets.figures.values()].map((f) => [f.graphic, f.state, f.fileName, f.narrow?.fileName]), [...options.assets.media].map(([file, m]) => [file, m.fileName])]))
  function chapterPage(index: number, chapter: Chapter): string {
    const handlers = handlersFor(chapter)
    // A root gives a root.
    const content = toHast(chapter.tree, {handlers}) as HastRoot
    tightenNoteSpace(content)
    const previous = book.chapters[index - 1]
    const next = book.chapters[index + 1]
    const nav = h('nav.chapter-nav', {ariaLabel: labels.chaptersNav}, [
      previous ? h('a.chapter-nav__prev', {href: chapterUrl(previous), rel: 'prev'}, [h('span.chapter-nav__label', labels.previous), h('span', previous.title)]) : h('a.chapter-nav__prev', {href: 'index.html'}, [h('span.chapter-nav__label', labels.contents), h('span', meta.title)]),
      next ? h('a.chapter-nav__next', {href: chapterUrl(next), rel: 'next'}, [h('span.chapter-nav__label', labels.next), h('span', next.title)]) : h('a.chapter-nav__next', {href: 'index.html'}, [h('span.chapter-nav__label', labels.contents), h('span', meta.title)])
    ])
    const body: ElementContent[] = [
      // Reading progress: decorative (the browser's own scroll position says the same), moved by the client.
      h('div.progress', {ariaHidden: 'true'}, [h('div.progress__bar')]),
      header(),
      h('main#main', [
        h('article.chapter', [
          h('header.chapter__header', [h('p.chapter__number', labels.chapter(index + 1)), h('h1', chapter.title)]),
          ...(content.children as ElementContent[]),
          webNotes(book, chapter)
        ])
      ]),
      nav,
      footer(book, h(footerLater))
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
    return html.stringify(tree)
  }

  /** The footer's navigation as the chapters so far call for it. */
  const footerNavNow = () => Buffer.from(html.stringify({type: 'root', children: [footerNav(book)]}))

  return {
    /** Render the page of `book.chapters[index]` (see `webRenderer`). */
    chapter(index: number): ChapterPage {
      const chapter = book.chapters[index]!
      const renderPage = () => chapterPage(index, chapter)
      const text = Buffer.from(options.cache ? options.cache.render(chapter, `${contextOf()}\u0000${placeContext(book, index)}`, renderPage) : renderPage())
      // The chapter's own HTML comes before the footer: the last one is ours.
      const at = text.lastIndexOf(footerLaterTag)
      const navigation = footerNavNow()
      return {path: chapterUrl(chapter), contents: Buffer.concat([text.subarray(0, at), navigation, text.subarray(at + footerLaterTag.length)]), footer: {at, html: navigation}}
    },

    /** The footer's navigation every page must have, once `book.chapters` is complete. */
    footerNav: footerNavNow,

    /** Every file of the web story but the chapters' pages, once every chapter is rendered; `epub`: the EPUB the cover page offers. */
    finish(epub?: WebOptions['epub']): OutputFile[] {
      const out: OutputFile[] = [...client, og.file]
      for (const figure of options.assets.figures.values()) {
        out.push({path: `figures/${figure.fileName}`, contents: figure.data})
        if (figure.narrow) out.push({path: `figures/${figure.narrow.fileName}`, contents: figure.narrow.data})
      }
      for (const media of distinctMedia(options.assets)) out.push({path: `media/${media.fileName}`, contents: media.data})

      // Book-wide pages: where the sources disagree, and the sources.
      if (options.backMatter) out.push(...options.backMatter)
      for (const extra of options.backMatter ? [] : webBackMatter(book, {handlersFor, chapterUrl})) {
        const tree = page({
          lang: meta.language,
          title: `${extra.title} · ${meta.title}`,
          description: extra.description,
          canonical: base ? `${base}${extra.path}` : undefined,
          siteName: meta.title,
          ogType: 'website',
          assets: assetPaths,
          body: [header(), h('main#main', extra.main), footer(book, footerNav(book))]
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

      out.push({path: 'index.html', contents: html.stringify(coverPage(book, {...options, epub}, assetPaths, base))})
      return out
    }
  }
}

/** A chapter page's footer navigation is rendered as this element, then put in (see `webRenderer`): the last one in the page. */
const footerLater = 'twofold-footer-nav'
const footerLaterTag = `<${footerLater}></${footerLater}>`

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
            ? h('a.button.button--secondary', {href: options.epub.fileName, download: ''}, [labels.downloadEpub(formatSize(options.epub.size, labels))])
            : undefined
        ])
      ]),
      h('nav.contents', {ariaLabelledBy: 'contents-title'}, [
        h('h2#contents-title', labels.contents),
        h(
          'ol.contents__list',
          book.chapters.map((chapter) =>
            h('li', [
              h('a', {href: `${chapter.slug}.html`}, chapter.title),
              chapter.file.data.meta?.description ? h('p.contents__description', String(chapter.file.data.meta.description)) : undefined
            ])
          )
        )
      ]),
      backMatterLinks(book).length > 0
        ? h('nav.contents-back', {ariaLabel: labels.aboutSources}, [h('ul', backMatterLinks(book).map((link) => h('li', [h('a', {href: link.href}, link.text)])))])
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
  return h('footer.site-footer', [navigation, h('p', [meta.rights ?? `© ${meta.date.slice(0, 4)} ${meta.authors.join(', ')}`])])
}

