// subset-font ships no types: the one call Twofold makes.
declare module 'subset-font' {
  /** A subset of `font` (TrueType, OpenType, WOFF or WOFF2) with the glyphs of `text`, in `targetFormat`. */
  export default function subsetFont(
    font: Uint8Array,
    text: string,
    options?: {targetFormat?: 'sfnt' | 'truetype' | 'woff' | 'woff2'}
  ): Promise<Buffer>
}
