/**
 * mdast → hast handlers both targets share: headings shifted to sit under
 * the chapter title, the book's own images, remote images, and links that
 * resolve to the other chapters of the same target. What differs between the
 * web page and the EPUB document comes in as options.
 */
import type {ElementContent, Properties} from 'hast'
import {h} from 'hastscript'
import type {Heading, Image, Link} from 'mdast'
import type {Handler, State} from 'mdast-util-to-hast'
import type {CrossReference} from '../plugins/remark-cross-references.js'
import {isRemoteUrl, remoteImageHref} from '../plugins/remark-local-images.js'
import type {BookAssets} from './assets.js'

/** What the shared handlers need to know about the chapter and the target. */
export interface BookHandlersOptions {
  assets: BookAssets
  /** Local images of the chapter: url as written → absolute path. */
  images: Record<string, string>
  /** Folder of the book's images in the output (`media` on the web, `images` in the EPUB). */
  mediaFolder: string
  /** Added to every heading's depth (see `headingOffset` of ./assets.ts); headings stay within h2–h6. */
  headingOffset: number
  /** Resolve a chapter-relative link (`02-x.md#y`) to the target's URL; `undefined` to leave it alone. */
  resolveLink: (url: string) => string | undefined
  /** Whether links and images keep their Markdown title as a `title` attribute. Default `false`. */
  titles?: boolean | undefined
  /** Properties added to every image of the book after `src`, `alt` and `title` (the web's lazy loading). Default none. */
  imageProperties?: Properties | undefined
}

/** The heading, image and link handlers of a chapter, for either target. */
export function bookHandlers(options: BookHandlersOptions): {
  heading: Handler
  image: Handler
  link: Handler
  crossReference: Handler
} {
  const {assets, images, mediaFolder, headingOffset, resolveLink} = options
  const title = (node: Image | Link) => (options.titles ? (node.title ?? undefined) : undefined)

  const heading: Handler = (state: State, node: Heading) => {
    const result = h(`h${Math.min(6, Math.max(2, node.depth + headingOffset))}`, state.all(node))
    state.patch(node, result)
    // The heading's id (from remark-links), the same in both targets.
    return state.applyData(node, result)
  }

  const image: Handler = (state: State, node: Image) => {
    const absolute = images[node.url]
    const media = absolute ? assets.media.get(absolute) : undefined
    const remote = media ? undefined : remoteImage(state, node)
    if (remote) return remote
    const src = media ? `${mediaFolder}/${media.fileName}` : node.url
    const result = h('img', {
      src,
      alt: node.alt ?? '',
      title: title(node),
      ...options.imageProperties
    })
    state.patch(node, result)
    return state.applyData(node, result)
  }

  const link: Handler = (state: State, node: Link) => {
    // A link that leads nowhere (remark-links warned about it) is its text.
    if (node.data?.dangling) return state.all(node)
    const result = h('a', {href: resolveLink(node.url) ?? node.url, title: title(node)}, state.all(node))
    state.patch(node, result)
    return state.applyData(node, result)
  }

  // A cross-reference (remark-cross-references): its number or title, linked; its text as written when unresolved.
  const crossReference: Handler = (state: State, node: CrossReference) => {
    if (!node.url || !node.text) return state.all(node)
    const result = h('a.xref', {href: resolveLink(node.url) ?? node.url}, node.text)
    state.patch(node, result)
    return result
  }

  return {heading, image, link, crossReference}
}

/**
 * A remote image as both targets show it (remark-local-images warned about it): a link to it with its alt text, or
 * the alt text alone when it is not a web address or is inside a link; `undefined` for an image of the book.
 */
function remoteImage(state: State, node: Image): ElementContent | undefined {
  if (!isRemoteUrl(node.url)) return undefined
  const href = remoteImageHref(node.url)
  const text: ElementContent = {type: 'text', value: node.alt || node.url}
  // Inside a link, the link is the link (`[![build](…/badge.svg)](…/ci)`): no link within it.
  if (!href || node.data?.inLink) return text
  const link = h('a', {href}, [text])
  state.patch(node, link)
  return link
}
