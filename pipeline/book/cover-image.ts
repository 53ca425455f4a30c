/**
 * The author's own cover (`cover:` in book.yaml, `cover-image` in _quarto.yml, book.toml or index.Rmd): a
 * PNG or JPEG that becomes the EPUB's cover and the web story's Open Graph image. A cover that is missing
 * or not a PNG or JPEG is an error at the field (`missing-cover`, `invalid-cover`); one under 600 px on its
 * short side a warning (`small-cover`), as e-readers and link previews show it blurred.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {imageSize} from 'image-size'
import type {VFile} from 'vfile'
import {error, positionAt, warn} from '../messages.js'
import type {CoverImage} from '../types.js'
import {refusal, source} from './files.js'

/** The smallest short side a cover should have, in pixels. */
export const minCoverSide = 600

const mediaTypes: Record<string, CoverImage['mediaType']> = {png: 'image/png', jpg: 'image/jpeg'}

/** Read and check the cover at `absolute`, named in `metaFile`; undefined (with a message) when it cannot be used. */
export async function readCover(absolute: string, metaFile: VFile, bookDir: string): Promise<CoverImage | undefined> {
  const place = coverFieldPosition(metaFile)
  const shown = path.relative(bookDir, absolute)
  // A cover is published: one that links out of the book is refused, as any file of the book is.
  const refused = await refusal(absolute, bookDir).catch(() => undefined)
  if (refused) {
    error(metaFile, refused, place, 'file-outside-book', source)
    return undefined
  }
  const data = await fs.readFile(absolute).catch(() => undefined)
  if (!data) {
    error(
      metaFile,
      `Missing cover image \`${shown}\`, expected a PNG or JPEG file at that path in the book folder`,
      place,
      'missing-cover',
      source
    )
    return undefined
  }
  let size: {width?: number; height?: number; type?: string} = {}
  try {
    size = imageSize(data)
  } catch {}
  const mediaType = size.type ? mediaTypes[size.type] : undefined
  if (!mediaType || !size.width || !size.height) {
    error(
      metaFile,
      `Unexpected cover \`${shown}\`${size.type ? ` (a ${size.type.toUpperCase()} image)` : ', which is not an image'}, expected a PNG or JPEG image`,
      place,
      'invalid-cover',
      source
    )
    return undefined
  }
  const short = Math.min(size.width, size.height)
  if (short < minCoverSide) {
    warn(
      metaFile,
      `Unexpected small cover \`${shown}\` (${size.width} × ${size.height} px), expected at least ${minCoverSide} px on its short side (1600 × 2560 suits e-readers)`,
      place,
      'small-cover',
      source
    )
  }
  return {
    path: absolute,
    data: new Uint8Array(data),
    mediaType,
    extension: size.type === 'png' ? 'png' : 'jpg',
    width: size.width,
    height: size.height
  }
}

/** Where the cover's value is in the file that names it (`cover:`, `cover-image:` or `cover-image =`). */
function coverFieldPosition(file: VFile) {
  const match = /^[ \t]*(?:cover|cover-image)[ \t]*[:=][ \t]*(.*?)[ \t]*$/m.exec(String(file.value ?? ''))
  if (!match) return undefined
  const start = match.index + match[0].length - match[1]!.length - (match[0].length - match[0].trimEnd().length)
  return positionAt(file, start, start + match[1]!.length)
}
