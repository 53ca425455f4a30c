/**
 * The web story's Open Graph image: the book's cover composition (shared with
 * the EPUB's cover, so both books look like one) rendered at the 1200 × 630
 * size link previews use, as a content-hashed PNG.
 */

import type {Store} from '../../output/store.js'
import type {BookMeta, CoverImage, OutputFile} from '../../types.js'
import {contentHash} from '../assets.js'
import {coverAlt, renderCoverPng} from '../epub/cover.js'

/** Size of the image: what Facebook, LinkedIn, Mastodon and others crop to. */
export const ogImageSize = {width: 1200, height: 630} as const

/** The image file and what the pages say about it. */
export interface OgImage {
  file: OutputFile
  width: number
  height: number
  alt: string
  /** Media type, `image/png` unless the author's cover is a JPEG. */
  type: string
}

/** Render the Open Graph image of a book (pure: the same metadata gives the same bytes and name); the author's own cover when there is one. */
export async function ogImage(meta: BookMeta, store?: Store, cover?: CoverImage): Promise<OgImage> {
  if (cover)
    return {
      file: {path: `assets/og.${contentHash(cover.data, 8)}.${cover.extension}`, contents: cover.data},
      width: cover.width,
      height: cover.height,
      alt: coverAlt(meta),
      type: cover.mediaType
    }
  const data = await renderCoverPng(meta, ogImageSize, {store})
  return {
    file: {path: `assets/og.${contentHash(data, 8)}.png`, contents: data},
    ...ogImageSize,
    alt: coverAlt(meta),
    type: 'image/png'
  }
}
