/**
 * remark plugin: resolve images against the book directory, check that they
 * exist, and record them on `file.data.images` for the targets to copy.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Definition, Image, Root} from 'mdast'
import type {VFile} from 'vfile'
import {error, warn} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'

const source = 'remark-local-images'
const formats = new Set(['.png', '.jpg', '.jpeg', '.gif', '.svg', '.webp'])

/**
 * A remote image's web address, when both targets show the image as a link to it: `http:` and `https:` only (an
 * e-reader reads offline, and the web story's pages load nothing from other sites). Anything else remote is shown as
 * its alt text.
 */
export function remoteImageHref(url: string): string | undefined {
  return /^https?:\/\//i.test(url) ? url : undefined
}

/** Whether an image's URL is remote (a scheme, or `//host`), not a file of the book. */
export function isRemoteUrl(url: string): boolean {
  return /^[a-z][a-z\d+.-]*:/i.test(url) || url.startsWith('//')
}

/**
 * Check local images (paths relative to the book directory). A remote image is a warning: e-readers read offline and
 * the web story loads nothing from other sites, so both show it as a link to it (see `remoteImageHref`).
 */
export function remarkLocalImages() {
  return (tree: Root, file: VFile) => {
    const bookDir = String(file.data.bookDir ?? file.cwd)
    const images: Record<string, string> = {}
    const definitions = new Map<string, Definition>()
    // Every image is written `![…]` or, as raw HTML, `<img>`: a chapter without either has none to check.
    const value = String(file.value)
    if (!value.includes('![') && !/<img\b/i.test(value)) {
      file.data.images = images
      return
    }
    visit(tree, (node) => {
      if (node.type === 'definition') definitions.set(node.identifier, node)
      return blocksOnly(node)
    })
    visit(tree, (node) => {
      let target: Image | Definition | undefined
      if (node.type === 'image') target = node
      else if (node.type === 'imageReference') target = definitions.get(node.identifier)
      if (!target) return
      if ((node.type === 'image' || node.type === 'imageReference') && !(node.alt ?? '').trim()) {
        warn(file, 'Missing alt text on image, expected `![what the image shows](path)`', node, 'missing-alt', source)
      }
      const url = target.url
      if (isRemoteUrl(url)) {
        const shown = remoteImageHref(url) ? 'a link to it' : 'its alt text'
        warn(
          file,
          `Unexpected remote image \`${url}\`, expected a file in the book directory (e-readers read offline); it is shown as ${shown}`,
          node,
          'remote-image',
          source
        )
        return
      }
      let relative: string
      try {
        relative = decodeURI(url.replace(/[?#].*$/, ''))
      } catch {
        relative = url
      }
      const absolute = path.resolve(bookDir, relative)
      if (!absolute.startsWith(bookDir + path.sep)) {
        error(
          file,
          `Unexpected image \`${url}\` outside the book directory, expected a path such as \`figures/photo.jpg\``,
          node,
          'image-outside-book',
          source
        )
        return
      }
      if (!formats.has(path.extname(absolute).toLowerCase())) {
        error(
          file,
          `Unexpected image format \`${path.extname(absolute) || url}\`, expected PNG, JPEG, GIF, SVG or WebP`,
          node,
          'image-format',
          source
        )
        return
      }
      if (!fs.existsSync(absolute) || !fs.statSync(absolute).isFile()) {
        error(
          file,
          `Missing image \`${url}\`, expected a file at \`${path.relative(file.cwd, absolute)}\` (paths resolve from the book directory)`,
          node,
          'missing-image',
          source
        )
        return
      }
      images[url] = absolute
    })
    file.data.images = images
  }
}
