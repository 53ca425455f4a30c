/**
 * SVG building blocks shared by the generators: the colour palette (class
 * names plus light-mode presentation attributes), text measuring and
 * wrapping, state visibility, and the frame (title, states, credit) every
 * graphic sits in. Trees are built with xastscript and serialized once.
 */
import type {Element} from 'xast'
import {toXml} from 'xast-util-to-xml'
import {x} from 'xastscript'
import type {GraphicState, GraphicVariant} from '../../types.js'
import literataWidths from './literata-widths.json' with {type: 'json'}
import type {Path, SpecReader} from './reader.js'

/** Light-mode defaults of the palette; the page's CSS restyles `.tf-*` for dark mode. */
export const palette = {
  bg: '#ffffff',
  ink: '#1a1a1a',
  muted: '#595959',
  grid: '#c8c8c8',
  accent: '#b3261e',
  accent2: '#0b5cad',
  highlight: '#e8a317'
} as const

/** A palette colour name. */
export type Colour = keyof typeof palette
/** Colour names the data files may use for marks. */
export const colourNames = Object.keys(palette) as Colour[]

/**
 * Read a mark colour at `path`: a palette name, with or without `tf-`
 * (`accent`, `tf-accent2`); `fallback` when absent. The background and grid
 * colours are not mark colours.
 */
export function readColour(reader: SpecReader, path: Path, fallback: Colour): Colour | undefined {
  const value = reader.get(path)
  if (value === undefined || value === null) return fallback
  const name = typeof value === 'string' ? value.replace(/^tf-/, '') : ''
  const marks = colourNames.filter((c) => c !== 'bg' && c !== 'grid')
  if (!(marks as string[]).includes(name)) {
    return reader.fail(
      path,
      `Unexpected colour ${JSON.stringify(value)}, expected one of ${marks.map((c) => `\`${c}\``).join(', ')}`
    )
  }
  return name as Colour
}

/** An artboard a graphic is drawn for: `wide` (desktop, print, EPUB) or `narrow` (phones). */
export type Variant = GraphicVariant

/** The measures of one artboard, in viewBox units. */
export interface Layout {
  variant: Variant
  /** Width of the viewBox; the height follows from the content. */
  width: number
  /** Outer margin. */
  margin: number
  /** Font sizes: title, key figures, labels, small print (axis ticks, notes, credit). */
  size: {
    readonly title: number
    readonly key: number
    readonly label: number
    readonly small: number
  }
  /** Distance between baselines of wrapped label lines. */
  lineHeight: number
}

/**
 * The two artboards. `wide` is 640 units for columns of 560 px and more
 * (sharp at 1440 px); no text below 14 units. `narrow` is 360 units, drawn
 * for a full-bleed phone column of 320–400 px, so its smallest text (15
 * units) renders at 13 px or more; generators re-flow their layout for it
 * (fewer ticks and columns, stacked labels) and keep it about as tall as it
 * is wide, so it fits a sticky figure of half a phone screen.
 */
export const layouts: Readonly<Record<Variant, Layout>> = {
  wide: {
    variant: 'wide',
    width: 640,
    margin: 20,
    size: {title: 22, key: 18, label: 16, small: 14},
    lineHeight: 20
  },
  narrow: {
    variant: 'narrow',
    width: 360,
    margin: 14,
    size: {title: 19, key: 17, label: 16, small: 15},
    lineHeight: 19
  }
}

/** The variants every generated graphic comes in, in this order. */
export const variants: readonly Variant[] = ['wide', 'narrow']

/** What a generator draws below the title: elements at y ≥ 0, and their height. */
export interface Body {
  children: Element[]
  /** The tallest state's height. */
  height: number
  /** A state's own height where it is shorter than `height` (by state id): its credit moves up, and its frame ends there. */
  heights?: Record<string, number>
}

/** Fill with a palette colour: class for dark mode, attribute for light mode. */
export function fill(colour: Colour): {class: string; fill: string} {
  return {class: `tf-${colour}`, fill: palette[colour]}
}

/**
 * Stroke with a palette colour. Each element carries one palette class, for
 * the one paint (fill or stroke) it has; stroked shapes have `fill="none"`.
 */
export function stroke(
  colour: Colour,
  strokeWidth = 1
): {class: string; fill: string; stroke: string; 'stroke-width': number} {
  return {
    class: `tf-${colour}`,
    fill: 'none',
    stroke: palette[colour],
    'stroke-width': strokeWidth
  }
}

/** Round to one decimal, for small, stable output. */
export function r(value: number): number {
  return Math.round(value * 10) / 10
}

/**
 * `data-states` for elements visible in `states` of `all`: nothing when they
 * show in every state. Callers skip elements whose `states` is empty.
 */
export function visibleIn(states: readonly string[], all: readonly string[]): {'data-states'?: string} {
  return all.every((id) => states.includes(id))
    ? {}
    : {'data-states': all.filter((id) => states.includes(id)).join(' ')}
}

/** A mark's name from its label, for `highlight` and `zoom` in steps: `MRTA members` → `mrta-members`. */
export function markName(label: string): string {
  const name = label
    .normalize('NFD')
    .replace(/[\u0300-\u036f]/g, '')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
  return /^[a-z]/.test(name) ? name : `m-${name}`
}

/** Wrap `children` in a `<g>` visible in `states`; null when in none. */
export function group(
  states: readonly string[],
  all: readonly string[],
  children: Element[],
  attributes: Record<string, string | number> = {}
): Element | null {
  const shown = all.filter((id) => states.includes(id))
  if (shown.length === 0 || children.length === 0) return null
  return x('g', {...visibleIn(shown, all), ...attributes}, children)
}

/**
 * The labels' typeface: the web story's text face, then the serifs a reader
 * without it most likely has (the same stack as `--font-text` in
 * templates/web/reading.css). The EPUB embeds no font, so its figures are set
 * in the e-reader's or the system's serif.
 */
export const fontFamily = 'Literata, Charter, Bitstream Charter, Sitka Text, Cambria, Georgia, serif'

/** Literata's advance widths in em, per face: read from its font files by scripts/literata-widths.ts. */
const advances = {regular: new Map<string, number>(), bold: new Map<string, number>()}
for (const face of ['regular', 'bold'] as const) {
  for (const [width, chars] of Object.entries(literataWidths.faces[face])) {
    for (const char of chars) advances[face].set(char, Number(width) / literataWidths.unitsPerEm)
  }
}

/**
 * The least width of a figure, in em. Literata's figures are proportional
 * (a 1 is 0.41 em, a 0 0.58 em); the serifs a reader has instead mostly set
 * every figure alike, and wider (Times 0.5 em, DejaVu Serif 0.7 em): dates
 * and counts, the labels with most figures, would run into their neighbours.
 */
const figureWidth = 0.65

/**
 * Width of `value` set at `fontSize` in Literata (regular or bold), from the
 * font's advance widths (kerning, which only narrows, left out), figures
 * counted at least `figureWidth`. A character Literata lacks counts as an em.
 */
export function measure(value: string, fontSize: number, bold = false): number {
  const table = bold ? advances.bold : advances.regular
  let em = 0
  for (const char of value) {
    const width = table.get(char) ?? 1
    em += char >= '0' && char <= '9' ? Math.max(width, figureWidth) : width
  }
  return em * fontSize
}

/**
 * Break `value` into lines of at most `maxWidth` (a too-long word gets its own
 * line). With `balance`, lines are made as even as the same number of lines
 * allows, so a wrapped label does not end in one short word.
 */
export function wrap(value: string, maxWidth: number, fontSize: number, bold = false, balance = false): string[] {
  const lines = greedyWrap(value, maxWidth, fontSize, bold)
  if (!balance || lines.length < 2) return lines
  let low = 0
  let high = maxWidth
  let best = lines
  while (high - low > 2) {
    const middle = (low + high) / 2
    const attempt = greedyWrap(value, middle, fontSize, bold)
    if (
      attempt.length === lines.length &&
      attempt.every((line) => measure(line, fontSize, bold) * slack <= middle || !line.includes(' '))
    ) {
      best = attempt
      high = middle
    } else {
      low = middle
    }
  }
  return best
}

/**
 * Room for a face wider than Literata: text placed against an edge or wrapped
 * to a width is measured times this. On the web the labels are in Literata
 * once the font is in; the EPUB embeds no font, so there they are in the
 * reader's serif. Measured on the story's labels (median), Charter sets them
 * about 5 % narrower than Literata, Times about 12 % narrower, DejaVu Serif
 * (Linux's usual serif) about 10 % wider, and wider still where figures are
 * (see `figureWidth`). A line broken early costs little; one that runs off the
 * artboard is cut.
 */
export const slack = 1.08

function greedyWrap(value: string, maxWidth: number, fontSize: number, bold: boolean): string[] {
  const lines: string[] = []
  let line = ''
  // Breaks at ordinary white space only: a no-break space keeps words together (see `glueDates`).
  for (const word of value.split(/[ \t\r\n]+/).filter(Boolean)) {
    const next = line ? `${line} ${word}` : word
    if (line && measure(next, fontSize, bold) * slack > maxWidth) {
      lines.push(line)
      line = word
    } else {
      line = next
    }
  }
  if (line) lines.push(line)
  return lines
}

/** `value` with the spaces inside dates such as `17 Dec 1996` made no-break, so wrapping never splits a date. */
export function glueDates(value: string): string {
  return value
    .replace(/\b(\d{1,2}) ([A-Z][a-z]{2,8}) (\d{4})\b/g, '$1\u00a0$2\u00a0$3')
    .replace(/\b([A-Z][a-z]{2,8}) (\d{4})\b/g, '$1\u00a0$2')
}

/** Options of a text element. */
export interface TextOptions {
  x: number
  y: number
  /** Font size in viewBox units (see `Layout.size`). */
  fontSize: number
  bold?: boolean
  italic?: boolean
  colour?: Colour
  anchor?: 'start' | 'middle' | 'end'
  /** Distance between baselines of several lines (default 1.25 × font size). */
  lineHeight?: number
}

/** A `<text>`; several lines become `<tspan>`s, the first baseline at `y`. */
export function text(value: string | string[], options: TextOptions): Element {
  const {fontSize} = options
  const lines = typeof value === 'string' ? [value] : value
  const lineHeight = options.lineHeight ?? fontSize * 1.25
  return x(
    'text',
    {
      x: r(options.x),
      y: r(options.y),
      ...fill(options.colour ?? 'ink'),
      'font-size': fontSize,
      'font-weight': options.bold ? 700 : undefined,
      'font-style': options.italic ? 'italic' : undefined,
      'text-anchor': options.anchor && options.anchor !== 'start' ? options.anchor : undefined
    },
    lines.length === 1
      ? lines[0]
      : lines.map((line, index) => x('tspan', {x: r(options.x), dy: index === 0 ? undefined : r(lineHeight)}, line))
  )
}

/** A path of axis-aligned squares (compact: one element for many units). */
export function squares(cells: ReadonlyArray<{x: number; y: number}>, side: number): string {
  const s = r(side)
  return cells.map((cell) => `M${r(cell.x)} ${r(cell.y)}h${s}v${s}h${-s}z`).join('')
}

/** A graphic's data as a table: two column heads, and per row its label, value and source. */
export interface Table {
  columns: [string, string]
  rows: Array<{label: string; value: string; source?: string | undefined}>
}

/** Everything the frame needs besides the body. */
export interface FrameOptions {
  title: string
  states: readonly GraphicState[]
  credit?: string | undefined
  table?: Table | undefined
}

/**
 * Assemble the graphic: root `<svg>` with viewBox and font, `<title>`, one
 * `<desc data-state>` per state in order, background, visible title, the body
 * below it, and the credit line at the bottom, all measured for `layout`.
 */
export function frame(options: FrameOptions, body: Body, layout: Layout): string {
  const {width, margin, size} = layout
  const titleLines = wrap(options.title, width - 2 * margin, size.title, true)
  const titleLineHeight = size.title * 1.2
  const top = margin + titleLines.length * titleLineHeight + 8
  const all = options.states.map((state) => state.id)
  const creditLines = options.credit ? wrap(options.credit, width - 2 * margin, size.small) : []
  const creditLineHeight = Math.round(size.small * 1.25)
  // The frame's bottom when the body is `bodyHeight` tall.
  const bottomOf = (bodyHeight: number) =>
    Math.ceil(
      top +
        bodyHeight +
        (creditLines.length > 0 ? 14 + size.small + (creditLines.length - 1) * creditLineHeight : 0) +
        margin
    )
  const height = bottomOf(body.height)
  // A state shorter than the tallest ends where its body does: the credit follows it (one drawing per height,
  // moved from one to the next by the client), and `data-state-heights` tells the page and the static figures.
  const stateHeights = new Map(all.map((id) => [id, Math.min(body.heights?.[id] ?? body.height, body.height)]))
  const distinct = [...new Set(stateHeights.values())]
  const credit: Element[] = []
  for (const bodyHeight of creditLines.length > 0 ? distinct : []) {
    const line = text(creditLines, {
      x: margin,
      y: top + bodyHeight + 14 + size.small,
      fontSize: size.small,
      colour: 'muted',
      lineHeight: creditLineHeight
    })
    line.attributes['data-frame'] = 'credit'
    if (distinct.length === 1) credit.push(line)
    else {
      const shown = all.filter((id) => stateHeights.get(id) === bodyHeight)
      const drawing = group(shown, all, [line], {'data-key': 'credit'})
      if (drawing) credit.push(drawing)
    }
  }
  // In a figure sequence the title and credit show once, as text: each figure is the body alone.
  const bare = `0 ${r(top - margin / 2)} ${width} ${Math.ceil(body.height + margin)}`
  const title = text(titleLines, {
    x: margin,
    y: margin + size.title * 0.9,
    fontSize: size.title,
    bold: true,
    lineHeight: titleLineHeight
  })
  title.attributes['data-frame'] = 'title'
  const svg = x(
    'svg',
    {
      xmlns: 'http://www.w3.org/2000/svg',
      viewBox: `0 0 ${width} ${height}`,
      role: 'img',
      'font-family': fontFamily,
      'data-bare-viewbox': bare,
      'data-state-heights':
        distinct.length > 1
          ? all.map((id) => `${id}:${bottomOf(stateHeights.get(id) ?? body.height)}`).join(' ')
          : undefined
    },
    x('title', options.title),
    options.states.map((state) => x('desc', {'data-state': state.id, 'data-label': state.label}, state.description)),
    title,
    x('g', {transform: `translate(0 ${r(top)})`}, body.children),
    credit,
    // The data behind the graphic, for its data table (read by graphic.ts, never drawn).
    options.table
      ? x(
          'g',
          {'data-table': options.table.columns.join('|')},
          options.table.rows.map((row) =>
            x('g', {'data-label': row.label, 'data-value': row.value, 'data-source': row.source})
          )
        )
      : []
  )
  return toXml(svg, {closeEmptyElements: true})
}
