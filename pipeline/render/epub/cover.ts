/**
 * The book's cover, composed as an SVG from `book.yaml` (title, subtitle,
 * authors, publisher) and rasterised to PNG with resvg. E-readers (Kindle
 * above all) want a raster cover; the web target can reuse it for its Open
 * Graph image at another size.
 *
 * The type is Literata (SIL Open Font License), read from the
 * `@expo-google-fonts/literata` package rather than from the system, so the
 * same book gives the same pixels on every machine. Lines are measured with
 * resvg itself, so wrapping matches what is drawn.
 */
import {createRequire} from 'node:module'
import {promisify} from 'node:util'
import zlib from 'node:zlib'
import {Resvg, type ResvgRenderOptions, renderAsync} from '@resvg/resvg-js'
import {labelsFor} from '../../labels/index.js'
import type {Store} from '../../output/store.js'
import type {BookMeta} from '../../types.js'

const require = createRequire(import.meta.url)

/** The cover's typefaces: one Literata file per role. */
const faces = {
  title: {file: '700Bold/Literata_700Bold.ttf', weight: 700, style: 'normal'},
  subtitle: {
    file: '400Regular_Italic/Literata_400Regular_Italic.ttf',
    weight: 400,
    style: 'italic'
  },
  authors: {
    file: '600SemiBold/Literata_600SemiBold.ttf',
    weight: 600,
    style: 'normal'
  },
  imprint: {
    file: '400Regular/Literata_400Regular.ttf',
    weight: 400,
    style: 'normal'
  }
} as const

type Face = (typeof faces)[keyof typeof faces]

/** Paths of the font files the cover is set in (resvg's `font.fontFiles`). */
export const coverFontFiles: string[] = Object.values(faces).map((face) =>
  require.resolve(`@expo-google-fonts/literata/${face.file}`)
)
const fontOptions: ResvgRenderOptions['font'] = {
  loadSystemFonts: false,
  fontFiles: coverFontFiles,
  defaultFontFamily: 'Literata',
  serifFamily: 'Literata'
}

/** Colours: the project's ink and accent on paper. */
const palette = {
  panel: '#1d2327',
  paper: '#f4efe6',
  title: '#fbf8f2',
  subtitle: '#d8cfc2',
  accent: '#c4372c',
  ink: '#1d2327',
  muted: '#5d5650'
}

/** Default cover size: 1600 × 2560 px, the 1 : 1.6 ratio e-book stores ask for. */
export const coverSize = {width: 1600, height: 2560} as const

/** One line of text placed on the cover. */
interface Line {
  text: string
  x: number
  y: number
  size: number
  face: Face
  fill: string
  letterSpacing?: number
}

function escapeXml(text: string): string {
  return text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
}

function textElement(line: Line): string {
  const spacing = line.letterSpacing ? ` letter-spacing="${round(line.letterSpacing)}"` : ''
  return `<text x="${round(line.x)}" y="${round(line.y)}" font-family="Literata" font-size="${round(line.size)}" font-weight="${line.face.weight}" font-style="${line.face.style}" fill="${line.fill}"${spacing}>${escapeXml(line.text)}</text>`
}

function round(n: number): string {
  return String(Math.round(n * 100) / 100)
}

const widths = new Map<string, number>()

/** Width of `text` as resvg draws it (ink from x = 0 to the right edge). */
function measure(text: string, size: number, face: Face, letterSpacing = 0): number {
  const key = `${face.file}\u0000${size}\u0000${letterSpacing}\u0000${text}`
  const known = widths.get(key)
  if (known !== undefined) return known
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">${textElement({text, x: 0, y: size, size, face, fill: '#000', letterSpacing})}</svg>`
  const box = new Resvg(svg, {font: fontOptions}).getBBox()
  const width = box ? box.x + box.width : 0
  widths.set(key, width)
  return width
}

/** Greedy line breaking at spaces; a word wider than the measure stays on its own line. */
function wrap(
  text: string,
  maxWidth: number,
  size: number,
  face: Face,
  letterSpacing = 0
): {lines: string[]; widest: number} {
  const words = text.split(/\s+/).filter(Boolean)
  const lines: string[] = []
  let current = ''
  for (const word of words) {
    const candidate = current ? `${current} ${word}` : word
    if (current && measure(candidate, size, face, letterSpacing) > maxWidth) {
      lines.push(current)
      current = word
    } else current = candidate
  }
  if (current) lines.push(current)
  return {
    lines,
    widest: Math.max(0, ...lines.map((line) => measure(line, size, face, letterSpacing)))
  }
}

/** Compose the cover SVG for `meta` at `size` (pixels). */
export function coverSvg(meta: BookMeta, size: {width: number; height: number} = coverSize): string {
  const {width: W, height: H} = size
  const margin = Math.round(Math.min(W, H) * 0.08)
  const measureWidth = W - 2 * margin
  const upper = (text: string) => text.toLocaleUpperCase(meta.language)
  const authors = meta.authors.map(upper)

  // Largest title size at which everything fits: at most six title lines (three on a landscape image), no word wider than the measure,
  // and the title panel plus the authors and imprint within the height.
  let titleSize = Math.min(W * 0.125, H * 0.16)
  for (;;) {
    const layout = compose(titleSize)
    if (layout || titleSize < 8) return render(layout ?? compose(titleSize, true)!)
    titleSize *= 0.95
  }

  function compose(titleSize: number, force = false) {
    const titleLead = titleSize * 1.12
    const subtitleSize = Math.max(titleSize * 0.4, Math.min(W, H) * 0.028)
    const subtitleLead = subtitleSize * 1.35
    const authorsSize = Math.max(titleSize * 0.33, Math.min(W, H) * 0.026)
    const authorsSpacing = authorsSize * 0.12
    const imprintSize = authorsSize * 0.8
    const rule = {height: Math.max(3, titleSize * 0.07), width: titleSize * 1.6}

    const title = wrap(meta.title, measureWidth, titleSize, faces.title)
    const subtitle = meta.subtitle
      ? wrap(meta.subtitle, measureWidth, subtitleSize, faces.subtitle)
      : {lines: [], widest: 0}
    // All authors on one line when they fit; else one author a line, wrapped if need be.
    const together = wrap(authors.join(' · '), measureWidth, authorsSize, faces.authors, authorsSpacing)
    const byline =
      together.lines.length <= 1
        ? together
        : authors
            .map((name) => wrap(name, measureWidth, authorsSize, faces.authors, authorsSpacing))
            .reduce((all, one) => ({
              lines: [...all.lines, ...one.lines],
              widest: Math.max(all.widest, one.widest)
            }))
    const fits =
      title.lines.length <= (H >= W ? 6 : 3) &&
      title.widest <= measureWidth &&
      subtitle.widest <= measureWidth &&
      byline.widest <= measureWidth

    const lines: Line[] = []
    let y = margin + rule.height + titleSize * 1.25
    for (const text of title.lines) {
      lines.push({
        text,
        x: margin,
        y,
        size: titleSize,
        face: faces.title,
        fill: palette.title
      })
      y += titleLead
    }
    y += subtitleSize * 0.6 - titleLead + titleSize * 0.3
    for (const text of subtitle.lines) {
      y += subtitleLead
      lines.push({
        text,
        x: margin,
        y,
        size: subtitleSize,
        face: faces.subtitle,
        fill: palette.subtitle
      })
    }
    const panel = Math.max(H * 0.66, y + margin * 0.9)

    const bottom: Line[] = []
    let by = H - margin
    if (meta.publisher) {
      bottom.push({
        text: meta.publisher,
        x: margin,
        y: by,
        size: imprintSize,
        face: faces.imprint,
        fill: palette.muted
      })
      by -= imprintSize * 2.6
    }
    for (const text of [...byline.lines].reverse()) {
      bottom.push({
        text,
        x: margin,
        y: by,
        size: authorsSize,
        face: faces.authors,
        fill: palette.ink,
        letterSpacing: authorsSpacing
      })
      by -= authorsSize * 1.4
    }
    const authorsTop = by + authorsSize * 1.4 - authorsSize
    if (!force && (!fits || authorsTop < panel + margin * 0.6)) return undefined
    return {lines: [...lines, ...bottom.reverse()], panel, rule}
  }

  function render(layout: NonNullable<ReturnType<typeof compose>>): string {
    const {panel, rule} = layout
    return [
      `<svg xmlns="http://www.w3.org/2000/svg" width="${W}" height="${H}" viewBox="0 0 ${W} ${H}">`,
      `<title>${escapeXml(meta.title)}</title>`,
      `<rect width="${W}" height="${H}" fill="${palette.paper}"/>`,
      `<rect width="${W}" height="${round(panel)}" fill="${palette.panel}"/>`,
      `<rect x="${margin}" y="${margin}" width="${round(rule.width)}" height="${round(rule.height)}" fill="${palette.accent}"/>`,
      `<rect y="${round(panel)}" width="${W}" height="${round(Math.max(4, H * 0.006))}" fill="${palette.accent}"/>`,
      ...layout.lines.map(textElement),
      '</svg>'
    ].join('\n')
  }
}

/**
 * Render the cover as a PNG of `size` pixels (default 1600 × 2560). Pure:
 * the same metadata and size always give the same bytes. resvg draws on
 * libuv's thread pool, so the main thread goes on (`warmCovers` starts both
 * covers while the chapters are parsed). With a `store`, a cover drawn once
 * is kept there and read back by later builds (drawing one takes a few
 * hundred milliseconds).
 */
export function renderCoverPng(
  meta: BookMeta,
  size: {width: number; height: number} = coverSize,
  options: {store?: Store | undefined} = {}
): Promise<Uint8Array> {
  const svg = coverSvg(meta, size)
  // Once per process (and store) for the same cover: `warmCovers` starts it, the targets ask for it while it is drawn.
  const key = options.store ?? pngs
  let drawn = memos.get(key)
  if (!drawn) memos.set(key, (drawn = new Map()))
  let png = drawn.get(svg)
  if (!png) {
    const draw = async () => {
      const rendered = await renderAsync(svg, renderOptions)
      return encodePng(rendered.pixels, rendered.width, rendered.height)
    }
    png = options.store ? options.store.getOrMake(`cover\u0000${drawing}\u0000${svg}`, draw) : draw()
    // A few sizes of one cover; an edited title makes another.
    if (drawn.size >= 8) drawn.clear()
    drawn.set(svg, png)
    // A failed render is not kept: the next build tries again (and reports it).
    const failed = drawn
    png.catch(() => failed.delete(svg))
  }
  return png
}

const renderOptions: ResvgRenderOptions = {
  font: fontOptions,
  fitTo: {mode: 'original'},
  shapeRendering: 2,
  textRendering: 1
}

/** What draws an SVG besides the code (whose version is in every key of the store): resvg's and the fonts' versions. */
const drawing = JSON.stringify([
  require('@resvg/resvg-js/package.json').version,
  require('@expo-google-fonts/literata/package.json').version
])

/**
 * A PNG of RGBA pixels, compressed by zlib on the thread pool (resvg's own
 * `asPng` compresses on the calling thread: a tenth of a second for a cover).
 * Every row is unfiltered; the cover's large flat areas compress well anyway.
 */
async function encodePng(pixels: Buffer, width: number, height: number): Promise<Uint8Array> {
  const stride = width * 4
  const raw = Buffer.alloc((stride + 1) * height)
  for (let y = 0; y < height; y++) pixels.copy(raw, y * (stride + 1) + 1, y * stride, (y + 1) * stride)
  // resvg's pixels are premultiplied by alpha; PNG's are not (a cover is opaque, but a design need not be).
  for (let y = 0; y < height; y++) {
    for (let i = y * (stride + 1) + 1, end = i + stride; i < end; i += 4) {
      const alpha = raw[i + 3]!
      if (alpha === 255 || alpha === 0) continue
      for (let c = 0; c < 3; c++) raw[i + c] = Math.min(255, Math.round((raw[i + c]! * 255) / alpha))
    }
  }
  const header = Buffer.alloc(13)
  header.writeUInt32BE(width, 0)
  header.writeUInt32BE(height, 4)
  header.set([8, 6, 0, 0, 0], 8) // 8 bits per channel, RGBA, deflate, adaptive filtering, no interlace
  const data = await deflate(raw, {level: 9})
  const signature = Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])
  const png = Buffer.concat([signature, chunk('IHDR', header), chunk('IDAT', data), chunk('IEND', Buffer.alloc(0))])
  return new Uint8Array(png.buffer, png.byteOffset, png.byteLength)
}

function chunk(type: string, data: Buffer): Buffer {
  const out = Buffer.alloc(12 + data.length)
  out.writeUInt32BE(data.length, 0)
  out.write(type, 4, 'latin1')
  data.copy(out, 8)
  out.writeUInt32BE(zlib.crc32(out.subarray(4, 8 + data.length)), 8 + data.length)
  return out
}

/** Start drawing the EPUB cover and the web story's Open Graph image of a book (or reading them from `store`), to be picked up by `renderCoverPng`. */
export function warmCovers(meta: BookMeta, sizes: Array<{width: number; height: number}>, store?: Store): void {
  for (const size of sizes) {
    try {
      renderCoverPng(meta, size, {store}).catch(() => undefined)
    } catch {
      // Metadata the layout cannot use throws again where the cover is made, and is reported there.
    }
  }
}

/** Covers drawn or being drawn, by their SVG, for each store (and for none: `pngs`). */
const memos = new WeakMap<object, Map<string, Promise<Uint8Array>>>()
const pngs = {}
const deflate = promisify(zlib.deflate)

/** The cover's text alternative: what it says, in reading order, one sentence a line of text. */
export function coverAlt(meta: BookMeta): string {
  const sentence = (text: string) => (/[.!?…]$/.test(text.trim()) ? text.trim() : `${text.trim()}.`)
  const names = new Intl.ListFormat(meta.language, {
    type: 'conjunction'
  }).format(meta.authors)
  const {cover, by} = labelsFor(meta.language).coverAlt
  return [
    cover,
    sentence(meta.title),
    meta.subtitle ? sentence(meta.subtitle) : '',
    names ? sentence(by(names)) : '',
    meta.publisher ? sentence(meta.publisher) : ''
  ]
    .filter(Boolean)
    .join(' ')
}
