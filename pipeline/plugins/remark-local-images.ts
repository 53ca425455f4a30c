/**
 * remark plugin: resolve images against the book directory, check that they
 * exist, and record them on `file.data.images` for the targets to copy.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Definition, Image, Root} from 'mdast'
import type {Node} from 'unist'
import type {VFile} from 'vfile'
import {fromXml} from 'xast-util-from-xml'
import {sanitizeSvg} from '../figures/sanitize-svg.js'
import {error, warn} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'
import {chapterFolder} from './remark-links.js'

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
      // The first definition of a label wins (CommonMark), as in remark-links.
      if (node.type === 'definition' && !definitions.has(node.identifier)) definitions.set(node.identifier, node)
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
      // `/images/x.png` is from the book's folder, as Quarto reads a project's paths (`//host/x.png` is remote).
      const absolute = /^\/(?!\/)/.test(relative)
        ? path.join(bookDir, relative)
        : path.resolve(chapterFolder(file, bookDir), relative)
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
      if (!fs.existsSync(absolute)) {
        error(
          file,
          `Missing image \`${url}\`, expected a file at \`${path.relative(file.cwd, absolute)}\` (paths resolve from the book directory)`,
          node,
          'missing-image',
          source
        )
        return
      }
      const problem = imageFileProblem(absolute, bookDir)
      if (problem) {
        error(file, `Unexpected image \`${url}\`: ${problem.reason}`, node, problem.ruleId, source)
        return
      }
      if (path.extname(absolute).toLowerCase() === '.svg') checkSvgImage(file, node, url, absolute)
      images[url] = absolute
    })
    file.data.images = images
  }
}

/** The first bytes of each raster format (SVG is text, checked by parsing it). */
const signatures: Record<string, (head: Uint8Array) => boolean> = {
  '.png': (head) => startsWith(head, [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
  '.jpg': (head) => startsWith(head, [0xff, 0xd8, 0xff]),
  '.jpeg': (head) => startsWith(head, [0xff, 0xd8, 0xff]),
  '.gif': (head) =>
    startsWith(head, [0x47, 0x49, 0x46, 0x38]) && (head[4] === 0x37 || head[4] === 0x39) && head[5] === 0x61,
  '.webp': (head) =>
    startsWith(head, [0x52, 0x49, 0x46, 0x46]) && startsWith(head.subarray(8), [0x57, 0x45, 0x42, 0x50])
}

function startsWith(head: Uint8Array, bytes: number[]): boolean {
  return bytes.every((byte, index) => head[index] === byte)
}

/**
 * Why the image file at `absolute` may not be published, or undefined when it may: it must be a regular file whose
 * real path (symbolic links resolved) is inside the book directory, and a raster image must start with its format's
 * signature (a `.png` that is not a PNG is refused, whatever it is).
 */
export function imageFileProblem(absolute: string, bookDir: string): {reason: string; ruleId: string} | undefined {
  let real: string
  let inside: string
  try {
    real = fs.realpathSync(absolute)
    inside = fs.realpathSync(bookDir)
  } catch {
    return {reason: 'it cannot be read, expected an image file', ruleId: 'missing-image'}
  }
  if (!real.startsWith(inside + path.sep))
    return {
      reason: `it is a link to \`${real}\`, outside the book directory, expected a file inside the book`,
      ruleId: 'image-outside-book'
    }
  if (!fs.statSync(real).isFile())
    return {reason: 'it is not a regular file, expected an image file', ruleId: 'missing-image'}
  const check = signatures[path.extname(absolute).toLowerCase()]
  if (!check) return undefined
  const head = new Uint8Array(16)
  const fd = fs.openSync(real, 'r')
  try {
    fs.readSync(fd, head, 0, head.length, 0)
  } finally {
    fs.closeSync(fd)
  }
  if (check(head)) return undefined
  const format = path.extname(absolute).slice(1).toUpperCase().replace('JPG', 'JPEG')
  return {
    reason: `its bytes are not a ${format} image, expected a file in the format its extension names`,
    ruleId: 'image-format'
  }
}

/** An SVG image must be well-formed SVG; what its sanitizing removes (see ../figures/sanitize-svg.ts) is a warning each, at the image. */
function checkSvgImage(file: VFile, node: Node, url: string, absolute: string): void {
  try {
    const tree = fromXml(fs.readFileSync(absolute, 'utf8'))
    const root = sanitizeSvg(tree, (reason, place, ruleId = 'unsafe-svg') => {
      const at = place?.position ? ` (line ${place.position.start.line}, column ${place.position.start.column})` : ''
      warn(file, `${reason.replace(/ in SVG,/, ` in the SVG image \`${url}\`${at},`)}`, node, ruleId, source)
    })
    if (root) return
  } catch {
    // Not well-formed XML: reported below.
  }
  error(
    file,
    `Unexpected SVG image \`${url}\` that is not a well-formed \`<svg>\` document, expected SVG`,
    node,
    'invalid-svg',
    source
  )
}
