/**
 * Graphics with named states, from SVG: parse the state convention, validate it
 * with positioned messages, and render one state as a standalone SVG.
 *
 * Convention: the root `<svg>` declares its states in order as
 * `<desc data-state="id">description</desc>` children; an element with
 * `data-states="a b"` is visible only in those states; all else always shows.
 *
 * A graphic may come in a second, `narrow` variant drawn for phones (a
 * generator's narrow artboard, or a hand-made `figures/<name>.narrow.svg`): it
 * is checked the same way and must declare the same states in the same order.
 */

import type {VFile} from 'vfile'
import type {Element, ElementContent, Root, RootContent} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {toXml} from 'xast-util-to-xml'
import {error, warn} from '../messages.js'
import type {Graphic, GraphicState, GraphicTable, GraphicVariant} from '../types.js'
import {sanitizeSvg} from './sanitize-svg.js'
import {applyFocus} from './static-focus.js'

const source = 'twofold-graphics'
const stateId = /^[A-Za-z][\w-]*$/

/** The narrow variant of a graphic: its SVG text and the file its messages go on. */
export interface NarrowSource {
  svg: string
  file: VFile
}

/**
 * Build a graphic from SVG text. Problems go on `file` (the SVG file, or the
 * data file it was generated from); returns undefined when the graphic is unusable.
 *
 * `narrow`, when given, is the phone variant: it gets the same checks, with
 * its problems on its own file, and must declare the same states in the same
 * order (`narrow-variant-states`); when it is unusable, so is the graphic.
 */
export function graphicFromSvg(
  name: string,
  svg: string,
  file: VFile,
  path: string,
  narrow?: NarrowSource
): Graphic | undefined {
  const wide = parseGraphic(name, svg, file)
  // A narrow variant in its own file is checked even when the wide one failed, so both files' problems show at once.
  const small = narrow && (wide || narrow.file !== file) ? parseGraphic(name, narrow.svg, narrow.file) : undefined
  if (!wide || (narrow && (!small || !sameStates(wide, small, narrow.file, path)))) return undefined

  const roots: Record<GraphicVariant, Element> = {
    wide: wide.root,
    narrow: small ? small.root : wide.root
  }
  const {states} = wide
  const cache = new Map<string, string>()
  const marks = new Set<string>()
  for (const root of new Set(Object.values(roots)))
    walk(root, (element) => {
      for (const key of ['id', 'data-mark']) {
        const value = element.attributes[key]
        if (value !== undefined && value !== null && value !== '') marks.add(String(value))
      }
    })
  return {
    name,
    path,
    title: wide.title,
    states,
    marks,
    // The sanitized SVG (the source, when sanitizing changed nothing): the page inlines it.
    svg: wide.changed ? toXml(wide.root, {closeEmptyElements: true}) : svg,
    svgNarrow:
      small && narrow ? (small.changed ? toXml(small.root, {closeEmptyElements: true}) : narrow.svg) : undefined,
    credit: wide.credit,
    table: tableOf(wide.root),
    renderState(id, variant = 'wide', options = {}) {
      const {focus} = options
      const key = `${variant}#${id}#${options.bare ? 'bare' : ''}#${focus?.zoom ?? ''}#${focus?.highlight?.join(' ') ?? ''}`
      let out = cache.get(key)
      if (out === undefined) {
        const bare = options.bare === true
        let root = roots[variant]
        if (focus?.zoom || focus?.highlight?.length) {
          root = applyFocus(root, id, focus, bare ? stateViewBox(root, id, true) : undefined)
        }
        out = toXml(stateTree(root, id, states, bare))
        cache.set(key, out)
      }
      return out
    }
  }
}

/** One variant's SVG, parsed and checked against the convention. */
interface ParsedGraphic {
  root: Element
  title: string
  credit?: string | undefined
  states: GraphicState[]
  /** The `<desc data-state>` of each state, for positions. */
  declarations: Element[]
  /** Whether sanitizing removed or changed anything (./sanitize-svg.ts). */
  changed: boolean
}

/** Parse one SVG and check the state convention; undefined (with messages on `file`) when unusable. */
function parseGraphic(name: string, svg: string, file: VFile): ParsedGraphic | undefined {
  let tree: Root
  try {
    tree = fromXml(svg)
  } catch (cause) {
    const place = (cause as {place?: {line: number; column: number}}).place
    const detail = String((cause as {cause?: {message?: string}}).cause?.message ?? (cause as Error).message)
      .split('\n')[0]
      .replace(/ \(line \d+, column \d+\)$/, '')
    error(
      file,
      `Unexpected invalid SVG: ${detail}`,
      place && {line: place.line, column: place.column},
      'invalid-svg',
      source
    )
    return undefined
  }
  const first = tree.children.find((node): node is Element => node.type === 'element')
  const sanitized = sanitizeSvg(tree, (reason, place, ruleId = 'unsafe-svg') =>
    warn(file, reason, place, ruleId, source)
  )
  const root = sanitized?.root
  if (!sanitized || !root) {
    error(
      file,
      `Unexpected root element \`${first ? first.name : 'none'}\`, expected \`<svg>\``,
      first,
      'invalid-svg',
      source
    )
    return undefined
  }
  if (!root.attributes.viewBox) {
    error(
      file,
      'Missing `viewBox` on `<svg>`, expected one so the graphic can scale to any screen',
      root,
      'svg-without-viewbox',
      source
    )
  }

  const states: GraphicState[] = []
  const declarations: Element[] = []
  let title = name
  for (const child of root.children) {
    if (child.type !== 'element') continue
    if (child.name === 'title') title = textOf(child).trim() || name
    if (child.name !== 'desc' || child.attributes['data-state'] === undefined) continue
    const id = String(child.attributes['data-state'])
    const description = textOf(child).replace(/\s+/g, ' ').trim()
    if (!stateId.test(id)) {
      error(
        file,
        `Unexpected state id \`${id}\`, expected a letter followed by letters, digits, \`-\` or \`_\``,
        child,
        'invalid-state-id',
        source
      )
    } else if (states.some((s) => s.id === id)) {
      error(
        file,
        `Unexpected second declaration of state \`${id}\`, expected each state once`,
        child,
        'duplicate-state',
        source
      )
    } else if (description === '') {
      error(
        file,
        `Missing description for state \`${id}\`, expected text inside \`<desc data-state="${id}">\` (it is the alt text)`,
        child,
        'state-without-description',
        source
      )
    } else {
      const label = child.attributes['data-label']
      states.push({id, description, ...(label ? {label: String(label)} : {})})
      declarations.push(child)
    }
  }
  const fatal = () => file.messages.some((m) => m.fatal)
  if (states.length === 0 && !fatal()) {
    error(
      file,
      'Missing states in graphic, expected at least one `<desc data-state="id">description</desc>` child of `<svg>`',
      root,
      'graphic-without-states',
      source
    )
  }

  const known = new Set(states.map((s) => s.id))
  walk(root, (element) => {
    const list = element.attributes['data-states']
    if (list === undefined || list === null) return
    for (const token of String(list).split(/\s+/).filter(Boolean)) {
      if (!known.has(token)) {
        error(
          file,
          `Unexpected unknown state \`${token}\` in \`data-states\`, expected one of ${[...known].map((s) => `\`${s}\``).join(', ')}`,
          element,
          'unknown-state',
          source
        )
      }
    }
  })
  const credits: string[] = []
  walk(root, (element) => {
    // A wrapped credit is one <tspan> per line: a line break is a space.
    const lines = element.children.map((child) => (child.type === 'element' ? ` ${textOf(child)} ` : textOf(child)))
    if (element.attributes['data-frame'] === 'credit') credits.push(lines.join('').replace(/\s+/g, ' ').trim())
  })
  // A credit drawn once per state height (a generated graphic's) is one credit.
  const credit = [...new Set(credits)].join(' ') || undefined
  return fatal() ? undefined : {root, title, credit, states, declarations, changed: sanitized.changed}
}

/**
 * Whether the narrow variant declares the wide one's states in the same
 * order (the steps drive both); reports the first difference on `file`.
 */
function sameStates(wide: ParsedGraphic, narrow: ParsedGraphic, file: VFile, widePath: string): boolean {
  const expected = wide.states.map((s) => s.id)
  const actual = narrow.states.map((s) => s.id)
  const list = expected.map((id) => `\`${id}\``).join(', ')
  const index = expected.findIndex((id, i) => actual[i] !== id)
  if (index === -1 && actual.length === expected.length) return true
  if (index === -1) {
    error(
      file,
      `Unexpected extra state \`${actual[expected.length]}\` in the narrow variant, expected only the states of \`${widePath}\`: ${list}`,
      narrow.declarations[expected.length],
      'narrow-variant-states',
      source
    )
  } else if (index >= actual.length) {
    error(
      file,
      `Missing state \`${expected[index]}\` in the narrow variant, expected the states of \`${widePath}\` in the same order: ${list}`,
      narrow.declarations.at(-1) ?? narrow.root,
      'narrow-variant-states',
      source
    )
  } else {
    error(
      file,
      `Unexpected state \`${actual[index]}\` in the narrow variant where \`${widePath}\` has \`${expected[index]}\`, expected the same states in the same order: ${list}`,
      narrow.declarations[index],
      'narrow-variant-states',
      source
    )
  }
  return false
}

/**
 * The viewBox of state `id`'s figure: the root's (`data-bare-viewbox` when
 * `bare`), ending where the state does when `data-state-heights`
 * (`id:height …`, in viewBox units) makes it shorter than the tallest.
 */
function stateViewBox(root: Element, id: string, bare: boolean): string | undefined {
  const box = String((bare ? root.attributes['data-bare-viewbox'] : undefined) ?? root.attributes.viewBox ?? '')
  const [x, y, width, height] = box.split(/[\s,]+/).map(Number)
  const full = Number(String(root.attributes.viewBox ?? '').split(/[\s,]+/)[3])
  const own = String(root.attributes['data-state-heights'] ?? '')
    .split(/\s+/)
    .find((entry) => entry.startsWith(`${id}:`))
  const cut = own ? full - Number(own.slice(id.length + 1)) : 0
  if (!box || [x, y, width, height, cut].some((n) => n === undefined || !Number.isFinite(n))) return box || undefined
  return cut > 0 ? `${x} ${y} ${width} ${(height as number) - cut}` : box
}

/**
 * A copy of `root` showing only state `id`, with state markers removed, and
 * in colours legible on any page (see `staticColours`). `bare`: without the
 * `data-frame` elements, cropped to `data-bare-viewbox` when the root has one.
 */
function stateTree(root: Element, id: string, states: GraphicState[], bare = false): Root {
  const description = states.find((s) => s.id === id)?.description ?? ''
  const clone = (element: Element): Element => ({
    type: 'element',
    name: element.name,
    attributes: staticColours(
      // Marks' names, boxes and anchors serve the web story's client only: a static figure drops every `data-*`.
      Object.fromEntries(Object.entries(element.attributes).filter(([key]) => !key.startsWith('data-')))
    ),
    children: element.children.flatMap((child): ElementContent[] => {
      if (child.type !== 'element') return [child]
      if (child.name === 'desc' && child.attributes['data-state'] !== undefined) return []
      if (bare && child.attributes['data-frame'] !== undefined) return []
      if (child.attributes['data-table'] !== undefined) return []
      const list = child.attributes['data-states']
      if (list !== undefined && list !== null && !String(list).split(/\s+/).includes(id)) return []
      return [clone(child)]
    })
  })
  const svg = clone(root)
  svg.attributes.xmlns ??= 'http://www.w3.org/2000/svg'
  const view = stateViewBox(root, id, bare)
  if (view) svg.attributes.viewBox = view
  // Readers that honour `prefers-color-scheme` in images get the page's palettes; the rest the mid-tones.
  const style: Element = {
    type: 'element',
    name: 'style',
    attributes: {},
    children: [{type: 'text', value: schemeStyle}]
  }
  const titleIndex = svg.children.findIndex((c) => c.type === 'element' && c.name === 'title')
  const desc: Element = {
    type: 'element',
    name: 'desc',
    attributes: {},
    children: [{type: 'text', value: description}]
  }
  svg.children.splice(titleIndex + 1, 0, desc, style)
  return {
    type: 'root',
    children: [
      {
        type: 'instruction',
        name: 'xml',
        value: 'version="1.0" encoding="UTF-8"'
      },
      svg
    ]
  }
}

/**
 * Palette colours for static figures, which sit on whatever page the reader
 * chose (white, sepia, black): `mid` is drawn by default and keeps 3:1 or more
 * against all three; `dark` is the web story's dark palette, for readers that
 * honour `prefers-color-scheme: dark` inside images (`light` is the palette
 * the graphics are drawn in).
 */
export const staticPalette = {
  ink: {light: '#1a1a1a', mid: '#6b6b6b', dark: '#ececec'},
  muted: {light: '#595959', mid: '#767676', dark: '#b3b3b3'},
  grid: {light: '#c8c8c8', mid: '#a3a3a3', dark: '#4a4a4a'},
  accent: {light: '#b3261e', mid: '#d0402f', dark: '#ff8a80'},
  accent2: {light: '#0b5cad', mid: '#3d7fd1', dark: '#8cc4ff'},
  highlight: {light: '#e8a317', mid: '#e8a317', dark: '#8a5a00'},
  bg: {light: '#ffffff', mid: '#ffffff', dark: '#121212'}
} as const

// Only the dark palette: a reader in night mode may still report a light scheme, and the mid-tones read on both.
const schemeStyle = (['dark'] as const)
  .map(
    (scheme) =>
      `@media (prefers-color-scheme: ${scheme}){${Object.entries(staticPalette)
        .map(
          ([name, colours]) =>
            `.tf-${name}[fill]:not([fill="none"]){fill:${colours[scheme]}}.tf-${name}[stroke]:not([stroke="none"]){stroke:${colours[scheme]}}`
        )
        .join('')}}`
  )
  .join('')

/** A palette element's fill and stroke in mid-tones (other colours are left as drawn). */
function staticColours(attributes: Element['attributes']): Element['attributes'] {
  const name = /(?:^|\s)tf-([a-z0-9]+)(?:\s|$)/.exec(String(attributes.class ?? ''))?.[1]
  const colours = name ? staticPalette[name as keyof typeof staticPalette] : undefined
  if (!colours) return attributes
  const out = {...attributes}
  for (const paint of ['fill', 'stroke'] as const) {
    const value = String(out[paint] ?? '').toLowerCase()
    if (value === colours.light) out[paint] = colours.mid
  }
  return out
}

/** The graphic's data table, from its `data-label`/`data-value` elements; undefined when it has none. */
function tableOf(root: Element): GraphicTable | undefined {
  const rows: GraphicTable['rows'] = []
  let heads = root.attributes['data-columns']
  walk(root, (element) => {
    if (element.attributes['data-table'] !== undefined) heads = element.attributes['data-table']
    const label = element.attributes['data-label']
    const value = element.attributes['data-value']
    if (element.name === 'desc' || label === undefined || label === null || value === undefined || value === null)
      return
    const source = element.attributes['data-source']
    rows.push({label: String(label), value: String(value), ...(source ? {source: String(source)} : {})})
  })
  if (rows.length === 0) return undefined
  const [first, second] = String(heads ?? '').split('|')
  return {columns: [first || 'Item', second || 'Value'], rows}
}

/** The visible elements of a graphic, for inlining: xast root element. */
export function svgElement(svg: string): Element {
  const tree = fromXml(svg)
  const root = tree.children.find((node): node is Element => node.type === 'element')
  if (!root) throw new Error('Unexpected SVG without root element')
  return root
}

function textOf(node: Element | RootContent): string {
  if (node.type === 'text' || node.type === 'cdata') return node.value
  if (node.type === 'element') return node.children.map(textOf).join('')
  return ''
}

function walk(element: Element, visit: (element: Element) => void) {
  visit(element)
  for (const child of element.children) if (child.type === 'element') walk(child, visit)
}
