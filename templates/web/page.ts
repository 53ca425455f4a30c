/**
 * The page template of the web story, as hast: head with metadata, the
 * Content-Security-Policy (no inline script or style anywhere), the hashed
 * stylesheet and script, and the body the target hands in.
 */
import type {ElementContent, Root} from 'hast'
import {h} from 'hastscript'

/** Everything one page needs. */
export interface PageOptions {
  lang: string
  /** Full page title. */
  title: string
  description: string
  /** Absolute URL of this page, when the book has a `url`. */
  canonical?: string | undefined
  siteName: string
  /** `website` for the cover, `article` for chapters. */
  ogType: 'website' | 'article'
  assets: PageAssets
  body: ElementContent[]
  /** Extra class on `<body>`. */
  bodyClass?: string
}

/** The files every page links to. */
export interface PageAssets {
  css: string
  /** The typeface's faces every page uses, preloaded (`css` declares them). */
  fonts?: {preload: string[]} | undefined
  nojsCss: string
  js: string
  favicon: string
  /** The Open Graph image: absolute URL when the book has a `url` (else relative to the pages), size and text alternative. */
  ogImage?: {url: string; width: number; height: number; alt: string; type?: string | undefined} | undefined
}

/** The Content-Security-Policy of every page: same-origin only, no inline code. */
export const contentSecurityPolicy =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; font-src 'self'; connect-src 'self'; manifest-src 'self'; base-uri 'none'; form-action 'none'"

/** Build a whole page. */
export function page(options: PageOptions): Root {
  const meta = (name: string, content: string) => h('meta', {name, content})
  const property = (name: string, content: string) => h('meta', {property: name, content})
  const head: ElementContent[] = [
    h('meta', {charSet: 'utf-8'}),
    h('meta', {
      name: 'viewport',
      content: 'width=device-width, initial-scale=1'
    }),
    h('meta', {
      httpEquiv: 'Content-Security-Policy',
      content: contentSecurityPolicy
    }),
    h('title', options.title),
    meta('description', options.description),
    meta('color-scheme', 'light dark'),
    ...(options.assets.fonts?.preload.map((href) =>
      h('link', {rel: 'preload', href, as: 'font', type: 'font/woff2', crossOrigin: ''})
    ) ?? []),
    h('link', {rel: 'stylesheet', href: options.assets.css}),
    h('noscript', [h('link', {rel: 'stylesheet', href: options.assets.nojsCss})]),
    h('script', {src: options.assets.js, defer: true}),
    h('link', {
      rel: 'icon',
      href: options.assets.favicon,
      type: 'image/svg+xml'
    }),
    property('og:title', options.title),
    property('og:description', options.description),
    property('og:type', options.ogType),
    property('og:site_name', options.siteName),
    property('og:locale', options.lang.replace('-', '_'))
  ]
  if (options.canonical) {
    head.push(h('link', {rel: 'canonical', href: options.canonical}), property('og:url', options.canonical))
  }
  if (options.assets.ogImage) {
    const image = options.assets.ogImage
    head.push(
      property('og:image', image.url),
      property('og:image:type', image.type ?? 'image/png'),
      property('og:image:width', String(image.width)),
      property('og:image:height', String(image.height)),
      property('og:image:alt', image.alt),
      meta('twitter:card', 'summary_large_image')
    )
  }
  return {
    type: 'root',
    children: [
      {type: 'doctype'},
      h('html', {lang: options.lang}, [
        h('head', head),
        h('body', {className: options.bodyClass ? [options.bodyClass] : undefined}, options.body)
      ])
    ]
  }
}
