/**
 * A step's zoom and highlight in a static figure (the EPUB's figure sequence,
 * the web page without JavaScript), computed at build time to look as the web
 * client (`templates/web/focus.ts`) shows them: the zoomed frame's viewBox,
 * with labels and place marks (`data-anchor`) kept at their size and the lines
 * of a nested map at their width, and a map's inset globe left out when a
 * zoomed label would run under it; every mark but the highlighted ones dimmed.
 */
import {Resvg} from '@resvg/resvg-js'
import type {Element} from 'xast'
import {toXml} from 'xast-util-to-xml'
import {type Box, fitBox, parseBox} from '../../templates/web/box.js'
import type {FigureFocus} from '../types.js'

/** The client's `.tf-dim` opacity. */
const dimmed = '0.25'

/**
 * A copy of `root` (the graphic, its `data-*` still on) with `focus` applied
 * as it shows in `state`. `view` is the root's viewBox as the figure shows it (a bare
 * figure's crop): a zoom of the root frame is fitted to its proportions.
 */
export function applyFocus(root: Element, state: string, focus: FigureFocus, view?: string): Element {
  const copy = structuredClone(root)
  const parents = new Map<Element, Element>()
  walk(copy, (element) => {
    for (const child of element.children) if (child.type === 'element') parents.set(child, element)
  })
  const find = (name: string) => mark(copy, name, state, parents)
  if (focus.highlight?.length) highlight(copy, focus.highlight.map(find), parents)
  if (focus.zoom) {
    zoom(copy, focus.zoom, find, parents, view)
    clearInset(copy, state, parents)
  }
  return copy
}

/**
 * Leave out a map's inset globe (`data-inset`, which stays put while the map zooms) when a label of
 * the zoomed nested map, as `state` shows it, runs under it: as the client steps it aside.
 */
function clearInset(root: Element, state: string, parents: Map<Element, Element>) {
  let inset: Element | undefined
  walk(root, (element) => {
    if (element.attributes['data-inset'] !== undefined) inset ??= element
  })
  const circle = inset?.children.find((c): c is Element => c.type === 'element' && c.name === 'circle')
  const holder = inset && parents.get(inset)
  if (!inset || !circle || !holder) return
  const [cx, cy, radius] = ['cx', 'cy', 'r'].map((key) => Number(circle.attributes[key]))
  if (cx === undefined || cy === undefined || radius === undefined) return
  const shown = (element: Element) => {
    for (let at: Element | undefined = element; at; at = parents.get(at)) {
      const states = at.attributes['data-states']
      if (states !== undefined && states !== null && !String(states).split(/\s+/).includes(state)) return false
    }
    return true
  }
  let covered = false
  walk(root, (map) => {
    if (covered || map === root || map.name !== 'svg') return
    const view = parseBox(String(map.attributes.viewBox ?? ''))
    const [x, y, width, height] = ['x', 'y', 'width', 'height'].map((key) => Number(map.attributes[key]))
    if (!view || x === undefined || y === undefined || !width || !height) return
    walk(map, (label) => {
      if (covered || label.name !== 'text' || !shown(label)) return
      const box = drawnBox(map, label, parents)
      if (!box) return
      // From the map's viewBox to the coordinates the globe is drawn in.
      const left = x + ((box[0] - view[0]) * width) / view[2]
      const top = y + ((box[1] - view[1]) * height) / view[3]
      const right = left + (box[2] * width) / view[2]
      const bottom = top + (box[3] * height) / view[3]
      covered = left < cx + radius && cx - radius < right && top < cy + radius && cy - radius < bottom
    })
  })
  if (covered) holder.children = holder.children.filter((child) => child !== inset)
}

/** Dim every mark (`data-mark` or id) that neither holds nor is held by one of the `found` marks, as `highlight` in the client. */
function highlight(root: Element, found: Array<Element | undefined>, parents: Map<Element, Element>) {
  const targets = found.filter((t): t is Element => t !== undefined)
  if (targets.length === 0) return
  const related = new Set<Element>()
  for (const target of targets) {
    walk(target, (element) => related.add(element))
    for (let up = parents.get(target); up; up = parents.get(up)) related.add(up)
  }
  walk(root, (element) => {
    if (element === root || element.name === 'title' || element.name === 'desc') return
    const named = element.attributes['data-mark'] ?? element.attributes.id
    if (named !== undefined && named !== null && !related.has(element)) element.attributes.opacity = dimmed
  })
}

/** Zoom the `<svg>` that holds mark `value` to its box, or the root to the viewBox `value`. */
function zoom(
  root: Element,
  value: string,
  find: (name: string) => Element | undefined,
  parents: Map<Element, Element>,
  view?: string
) {
  const given = parseBox(value)
  const target = given ? undefined : find(value)
  if (!given && !target) return
  let owner = root
  for (let up = target && parents.get(target); up; up = parents.get(up))
    if (up.name === 'svg') {
      owner = up
      break
    }
  const base = parseBox(String((owner === root ? view : undefined) ?? owner.attributes.viewBox ?? ''))
  if (!base) return
  const box =
    given ?? (target && (parseBox(String(target.attributes['data-box'] ?? '')) ?? drawnBox(owner, target, parents)))
  if (!box) return
  const goal = given ?? fitBox(box, base)
  const viewBox = goal.map((v) => Math.round(v * 100) / 100).join(' ')
  owner.attributes.viewBox = viewBox
  // A bare figure is cropped to this box: the zoom replaces the crop, and a state's own height.
  if (owner === root && view !== undefined) owner.attributes['data-bare-viewbox'] = viewBox
  if (owner === root) delete owner.attributes['data-state-heights']
  const k = base[2] / goal[2]
  if (k === 1) return
  const scale = Math.round((1 / k) * 10000) / 10000
  walk(owner, (element) => {
    const anchor = element.attributes['data-anchor']
    if (anchor === undefined || anchor === null) return
    const [ax = 0, ay = 0] = String(anchor).split(' ').map(Number)
    const own = element.attributes.transform
    element.attributes.transform = `translate(${ax} ${ay}) scale(${scale}) translate(${-ax} ${-ay})${own ? ` ${own}` : ''}`
  })
  // The page's CSS keeps a nested map's lines at their width (`vector-effect`); SVG 1.1 has no such attribute.
  const inNested = (element: Element) => {
    for (let up = parents.get(element); up && up !== root; up = parents.get(up)) if (up.name === 'svg') return true
    return false
  }
  const thin = (element: Element, inherited: number) => {
    const own = Number(element.attributes['stroke-width'] ?? Number.NaN)
    const width = Number.isFinite(own) ? own : inherited
    if (element.name === 'path' && inNested(element))
      element.attributes['stroke-width'] = String(Math.round((width / k) * 10000) / 10000)
    for (const child of element.children) if (child.type === 'element') thin(child, width)
  }
  thin(owner, 1)
}

/** A mark's drawn box in its frame's coordinates, when it gives none (`data-box`): resvg draws it alone. */
function drawnBox(owner: Element, target: Element, parents: Map<Element, Element>): Box | undefined {
  let alone: Element = target
  for (let up = parents.get(target); up && up !== owner; up = parents.get(up)) alone = {...up, children: [alone]}
  const svg: Element = {
    type: 'element',
    name: 'svg',
    attributes: {xmlns: 'http://www.w3.org/2000/svg', viewBox: owner.attributes.viewBox},
    children: [alone]
  }
  const box = new Resvg(toXml(svg)).getBBox()
  return box && box.width > 0 && box.height > 0 ? [box.x, box.y, box.width, box.height] : undefined
}

/**
 * The mark named `name`, as the client finds it: by `data-mark` (of a mark drawn once per layout,
 * the drawing `state` shows), else by id.
 */
function mark(root: Element, name: string, state: string, parents: Map<Element, Element>): Element | undefined {
  const shown = (element: Element) => {
    for (let at: Element | undefined = element; at; at = parents.get(at)) {
      const states = at.attributes['data-states']
      if (states !== undefined && states !== null && !String(states).split(/\s+/).includes(state)) return false
    }
    return true
  }
  const marks: Element[] = []
  let byId: Element | undefined
  walk(root, (element) => {
    if (element.attributes['data-mark'] === name) marks.push(element)
    if (!byId && element.attributes.id === name) byId = element
  })
  return marks.find(shown) ?? marks[0] ?? byId
}

function walk(element: Element, visit: (element: Element) => void) {
  visit(element)
  for (const child of element.children) if (child.type === 'element') walk(child, visit)
}
