/**
 * `toHast` of mdast-util-to-hast for a chapter, with the same result and
 * without its walk. `toHast` starts by walking the whole tree with
 * `unist-util-visit` to find link and footnote definitions; that walk (a
 * renamed function and a copied ancestor list at every node) cost more than
 * the conversion itself. Here the definitions are found with our own walk
 * (./visit.ts) and put on the state (`definitionById`, `footnoteById`, part
 * of the documented `State`) from the root handler, which `toHast` is given
 * an empty root to call.
 */
import type {ElementContent, Root as HastRoot} from 'hast'
import {h} from 'hastscript'
import type {Image, Root} from 'mdast'
import {defaultHandlers, toHast, type Handler, type Options, type State} from 'mdast-util-to-hast'
import {isRemoteUrl, remoteImageHref} from '../plugins/remark-local-images.js'
import {visit} from 'unist-util-visit'

/** `toHast(tree, options)` for a root (see the module comment). */
export function rootToHast(tree: Root, options: Options = {}): HastRoot {
  const rootHandler: Handler = options.handlers?.root ?? (defaultHandlers.root as Handler)
  const stand: Root = {type: 'root', children: []}
  return toHast(stand, {
    ...options,
    handlers: {
      ...options.handlers,
      root(state, node, parent) {
        // A root inside the tree (a plugin's) is a root like any other.
        if (node !== stand) return rootHandler(state, node, parent)
        visit(tree, (child) => {
          // The first definition of an identifier wins, as in CommonMark (and as `toHast` does).
          if (child.type === 'definition') {
            const id = String(child.identifier).toUpperCase()
            if (!state.definitionById.has(id)) state.definitionById.set(id, child)
          } else if (child.type === 'footnoteDefinition') {
            const id = String(child.identifier).toUpperCase()
            if (!state.footnoteById.has(id)) state.footnoteById.set(id, child)
          }
        })
        return rootHandler(state, tree, undefined)
      }
    }
  }) as HastRoot
}

/**
 * A remote image as both targets show it (remark-local-images warned about it): a link to it with its alt text, or
 * the alt text alone when it is not a web address or is inside a link; `undefined` for an image of the book.
 */
export function remoteImage(state: State, node: Image): ElementContent | undefined {
  if (!isRemoteUrl(node.url)) return undefined
  const href = remoteImageHref(node.url)
  const text: ElementContent = {type: 'text', value: node.alt || node.url}
  // Inside a link, the link is the link (`[![build](…/badge.svg)](…/ci)`): no link within it.
  if (!href || node.data?.inLink) return text
  const link = h('a', {href}, [text])
  state.patch(node, link)
  return link
}
