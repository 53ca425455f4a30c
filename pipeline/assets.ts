/**
 * Assets both targets need, computed once per build: the static image of
 * every graphic state in use (wide, and narrow for phones when the graphic
 * has that variant), and the local images chapters use, each named by a hash
 * of its content (stable across builds, new when it changes).
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Root} from 'mdast'
import {visit} from 'unist-util-visit'
import type {Book} from './types.js'
import {svgSize} from './web/svg.js'

/** A short content hash for file names. */
export function contentHash(data: string | Uint8Array, length = 10): string {
  return createHash('sha256').update(data).digest('hex').slice(0, length)
}

/** One variant of a static figure: a standalone SVG file and its size (viewBox units, for `width`/`height`). */
export interface StaticFigureFile {
  /** File name, e.g. `mrta-timeline-founding-narrow-1a2b3c4d5e.svg`. */
  fileName: string
  data: string
  width: number
  height: number
}

/**
 * One state of a graphic, as a standalone SVG file: the wide variant (the
 * fields of the figure itself, which the EPUB and print use) and, when the
 * graphic has one, the narrow variant for phones.
 */
export interface StaticFigure extends StaticFigureFile {
  graphic: string
  state: string
  alt: string
  /** The narrow (phone) variant; absent when the wide graphic serves both. */
  narrow?: StaticFigureFile | undefined
}

/** A local image a chapter uses. */
export interface MediaFile {
  fileName: string
  data: Uint8Array
  mediaType: string
}

/** Every asset of the book, keyed for lookup by the renderers. */
export interface BookAssets {
  /** Key: `graphic#state`. */
  figures: Map<string, StaticFigure>
  /** Key: absolute path. */
  media: Map<string, MediaFile>
}

const mediaTypes: Record<string, string> = {
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.gif': 'image/gif',
  '.svg': 'image/svg+xml',
  '.webp': 'image/webp'
}

/** Collect the static figures and media of the book. */
export async function collectAssets(book: Book): Promise<BookAssets> {
  const figures = new Map<string, StaticFigure>()
  for (const chapter of book.chapters) {
    visit(chapter.tree, 'scrollySection', (section) => {
      const graphic = book.graphics.get(section.graphic)
      if (!graphic) return
      for (const step of section.children) {
        const key = `${graphic.name}#${step.state}`
        if (figures.has(key)) continue
        const data = graphic.renderState(step.state)
        const alt = graphic.states.find((s) => s.id === step.state)?.description ?? ''
        const wide = staticFile(data, `${graphic.name}-${step.state}`)
        const narrow = graphic.svgNarrow === undefined ? undefined : staticFile(graphic.renderState(step.state, 'narrow'), `${graphic.name}-${step.state}-narrow`)
        figures.set(key, {graphic: graphic.name, state: step.state, alt, ...wide, narrow})
      }
    })
  }
  const media = new Map<string, MediaFile>()
  for (const chapter of book.chapters) {
    for (const absolute of Object.values(chapter.file.data.images ?? {})) {
      if (media.has(absolute)) continue
      const data = new Uint8Array(await fs.readFile(absolute))
      const ext = path.extname(absolute).toLowerCase()
      const base = path.basename(absolute, path.extname(absolute)).replace(/[^A-Za-z0-9_-]+/g, '-').slice(0, 40) || 'image'
      media.set(absolute, {fileName: `${base}-${contentHash(data)}${ext === '.jpeg' ? '.jpg' : ext}`, data, mediaType: mediaTypes[ext] ?? 'application/octet-stream'})
    }
  }
  return {figures, media}
}

/** A standalone SVG as a file named `<base>-<hash>.svg`, with its size. */
function staticFile(data: string, base: string): StaticFigureFile {
  return {fileName: `${base}-${contentHash(data)}.svg`, data, ...svgSize(data)}
}

/** How much to shift a chapter's headings so its shallowest heading becomes `<h2>` (the chapter title is the `<h1>`). */
export function headingOffset(tree: Root): number {
  // Asked for every page and document that renders the chapter (and each of its claims), in both targets: walk once.
  let offset = headingOffsets.get(tree)
  if (offset === undefined) {
    let min = 7
    visit(tree, 'heading', (node) => {
      min = Math.min(min, node.depth)
    })
    offset = min === 7 ? 0 : 2 - min
    headingOffsets.set(tree, offset)
  }
  return offset
}

// Heading depths never change after the parse.
const headingOffsets = new WeakMap<Root, number>()
