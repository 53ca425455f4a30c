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
  /** Absolute URL of the Open Graph image, when known. */
  ogImage?: string | undefined
  siteName: string
  /** `website` for the cover, `article` for chapters. */
  ogType: 'website' | 'article'
  assets: {css: string; nojsCss: string; js: string; favicon: string}
  body: ElementContent[]
  /** Extra class on `<body>`. */
  bodyClass?: string
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
    h('meta', {name: 'viewport', content: 'width=device-width, initial-scale=1'}),
    h('meta', {httpEquiv: 'Content-Security-Policy', content: contentSecurityPolicy}),
    h('title', options.title),
    meta('description', options.description),
    meta('color-scheme', 'light dark'),
    h('link', {rel: 'stylesheet', href: options.assets.css}),
    h('noscript', [h('link', {rel: 'stylesheet', href: options.assets.nojsCss})]),
    h('script', {src: options.assets.js, defer: true}),
    h('link', {rel: 'icon', href: options.assets.favicon, type: 'image/svg+xml'}),
    property('og:title', options.title),
    property('og:description', options.description),
    property('og:type', options.ogType),
    property('og:site_name', options.siteName)
  ]
  if (options.canonical) {
    head.push(h('link', {rel: 'canonical', href: options.canonical}), property('og:url', options.canonical))
  }
  if (options.ogImage) {
    head.push(property('og:image', options.ogImage), meta('twitter:card', 'summary_large_image'))
  }
  return {
    type: 'root',
    children: [
      {type: 'doctype'},
      h('html', {lang: options.lang}, [h('head', head), h('body', {className: options.bodyClass ? [options.bodyClass] : undefined}, options.body)])
    ]
  }
}
