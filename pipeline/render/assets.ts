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
import {sanitizeSvgText} from '../figures/sanitize-svg.js'
import {blocksOnly, visit} from '../tree.js'
import type {Book, FigureFocus, ScrollyStep} from '../types.js'
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
  /** The figure of a book's sequence: the narrow artboard (or the only one) without title and credit. */
  book: StaticFigureFile
}

/** A local image a chapter uses. */
export interface MediaFile {
  fileName: string
  data: Uint8Array
  mediaType: string
}

/** Every asset of the book, keyed for lookup by the renderers. */
export interface BookAssets {
  /** Key: `graphic#state`, then the step's focus (`figureKey`). */
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

/** Collect the static figures and media of the book, in reading order. */
export async function collectAssets(book: Book): Promise<BookAssets> {
  const assets: BookAssets = {figures: new Map(), media: new Map()}
  const {figures, media} = assets
  for (const chapter of book.chapters) {
    for (const section of scrollySteps(chapter.tree)) {
      const graphic = book.graphics.get(section.graphic)
      if (!graphic) continue
      for (const step of section.steps) {
        const key = figureKey(graphic.name, step)
        if (figures.has(key)) continue
        const {state} = step
        const focus = stepFocus(step)
        const base = `${graphic.name}-${state}${focus.zoom || focus.highlight ? '-focus' : ''}`
        const alt = graphic.states.find((s) => s.id === state)?.description ?? ''
        const wide = staticFile(graphic.renderState(state, 'wide', {focus}), base)
        const narrow =
          graphic.svgNarrow === undefined
            ? undefined
            : staticFile(graphic.renderState(state, 'narrow', {focus}), `${base}-narrow`)
        const book = staticFile(
          graphic.renderState(state, graphic.svgNarrow === undefined ? 'wide' : 'narrow', {bare: true, focus}),
          `${base}-book`
        )
        figures.set(key, {graphic: graphic.name, state, alt, ...wide, narrow, book})
      }
    }
    for (const absolute of Object.values(chapter.file.data.images ?? {})) {
      if (media.has(absolute)) continue
      // Read and hashed again only when the file changed (rebuilds of `dev` ask for every image each time).
      const stat = await fs.stat(absolute)
      const stamp = `${stat.size}:${stat.mtimeMs}:${stat.ino}`
      const known = mediaFiles.get(absolute)
      if (known?.stamp === stamp) {
        media.set(absolute, known.file)
        continue
      }
      const ext = path.extname(absolute).toLowerCase()
      // The parse checked the file (./plugins/remark-local-images.ts); an SVG is published sanitized, never as written.
      const read = await fs.readFile(absolute)
      const data =
        ext === '.svg' ? new TextEncoder().encode(sanitizeSvgText(read.toString('utf8'))) : new Uint8Array(read)
      const base =
        path
          .basename(absolute, path.extname(absolute))
          .replace(/[^A-Za-z0-9_-]+/g, '-')
          .slice(0, 40) || 'image'
      const file = {
        fileName: `${base}-${contentHash(data)}${ext === '.jpeg' ? '.jpg' : ext}`,
        data,
        mediaType: mediaTypes[ext] ?? 'application/octet-stream'
      }
      mediaFiles.set(absolute, {stamp, file})
      media.set(absolute, file)
    }
  }
  return assets
}

/** Each media file once: two image paths with the same name and bytes are one file (`photo-<hash>.png`) in both books. */
export function distinctMedia(assets: BookAssets): MediaFile[] {
  return [...new Map([...assets.media.values()].map((media) => [media.fileName, media])).values()]
}

/** The graphic and steps of each scrolly section of a tree, in order. */
function scrollySteps(tree: Root): Array<{graphic: string; steps: ScrollyStep[]}> {
  const found: Array<{graphic: string; steps: ScrollyStep[]}> = []
  visit(tree, (node) => {
    if (node.type === 'scrollySection') found.push({graphic: node.graphic, steps: node.children})
    return blocksOnly(node)
  })
  return found
}

/**
 * What a step's static figure shows besides its state: its `zoom`, and the
 * marks its `highlight` and its `:hl` spans light (as the client lights them
 * while the step is active).
 */
export function stepFocus(step: ScrollyStep): FigureFocus {
  const marks = [...(step.highlight ?? [])]
  visit(step, (node) => {
    const target = node.type === 'textDirective' && node.name === 'hl' ? node.data?.hProperties?.dataTarget : undefined
    if (typeof target === 'string' && !marks.includes(target)) marks.push(target)
  })
  return {...(step.zoom ? {zoom: step.zoom} : {}), ...(marks.length ? {highlight: marks} : {})}
}

/** The key of a step's static figure in `BookAssets.figures`: its graphic, state and focus. */
export function figureKey(graphic: string, step: ScrollyStep): string {
  const {zoom, highlight} = stepFocus(step)
  return zoom || highlight
    ? `${graphic}#${step.state}#${zoom ?? ''}#${highlight?.join(' ') ?? ''}`
    : `${graphic}#${step.state}`
}

const mediaFiles = new Map<string, {stamp: string; file: MediaFile}>()

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
    visit(tree, (node) => {
      if (node.type === 'heading') min = Math.min(min, node.depth)
      return blocksOnly(node)
    })
    offset = min === 7 ? 0 : 2 - min
    headingOffsets.set(tree, offset)
  }
  return offset
}

// Heading depths never change after the parse.
const headingOffsets = new WeakMap<Root, number>()
