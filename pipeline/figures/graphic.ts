/**
 * Graphics with named states, from SVG: parse the state convention, validate it
 * with positioned messages, and render one state as a standalone SVG.
 *
 * Convention: the root `<svg>` declares its states in order as
 * `<desc data-state="id">description</desc>` children; an element with
 * `data-states="a b"` is visible only in those states; all else always shows.
 */
import type {Element, ElementContent, Root, RootContent} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {toXml} from 'xast-util-to-xml'
import type {VFile} from 'vfile'
import type {Graphic, GraphicState} from '../types.js'
import {error} from '../messages.js'

const source = 'twofold-graphics'
const stateId = /^[A-Za-z][\w-]*$/

/**
 * Build a graphic from SVG text. Problems go on `file` (the SVG file, or the
 * data file it was generated from); returns undefined when the graphic is unusable.
 */
export function graphicFromSvg(name: string, svg: string, file: VFile, path: string): Graphic | undefined {
  let tree: Root
  try {
    tree = fromXml(svg)
  } catch (cause) {
    const place = (cause as {place?: {line: number; column: number}}).place
    const detail = String((cause as {cause?: {message?: string}}).cause?.message ?? (cause as Error).message).split('\n')[0].replace(/ \(line \d+, column \d+\)$/, '')
    error(file, `Unexpected invalid SVG: ${detail}`, place && {line: place.line, column: place.column}, 'invalid-svg', source)
    return undefined
  }
  const root = tree.children.find((node): node is Element => node.type === 'element')
  if (!root || root.name !== 'svg') {
    error(file, `Unexpected root element \`${root ? root.name : 'none'}\`, expected \`<svg>\``, root, 'invalid-svg', source)
    return undefined
  }
  if (!root.attributes.viewBox) {
    error(file, 'Missing `viewBox` on `<svg>`, expected one so the graphic can scale to any screen', root, 'svg-without-viewbox', source)
  }

  const states: GraphicState[] = []
  let title = name
  for (const child of root.children) {
    if (child.type !== 'element') continue
    if (child.name === 'title') title = textOf(child).trim() || name
    if (child.name !== 'desc' || child.attributes['data-state'] === undefined) continue
    const id = String(child.attributes['data-state'])
    const description = textOf(child).replace(/\s+/g, ' ').trim()
    if (!stateId.test(id)) {
      error(file, `Unexpected state id \`${id}\`, expected a letter followed by letters, digits, \`-\` or \`_\``, child, 'invalid-state-id', source)
    } else if (states.some((s) => s.id === id)) {
      error(file, `Unexpected second declaration of state \`${id}\`, expected each state once`, child, 'duplicate-state', source)
    } else if (description === '') {
      error(file, `Missing description for state \`${id}\`, expected text inside \`<desc data-state="${id}">\` (it is the alt text)`, child, 'state-without-description', source)
    } else {
      states.push({id, description})
    }
  }
  if (states.length === 0 && !file.messages.some((m) => m.fatal)) {
    error(file, 'Missing states in graphic, expected at least one `<desc data-state="id">description</desc>` child of `<svg>`', root, 'graphic-without-states', source)
  }

  const known = new Set(states.map((s) => s.id))
  walk(root, (element) => {
    const list = element.attributes['data-states']
    if (list === undefined || list === null) return
    for (const token of String(list).split(/\s+/).filter(Boolean)) {
      if (!known.has(token)) {
        error(file, `Unexpected unknown state \`${token}\` in \`data-states\`, expected one of ${[...known].map((s) => `\`${s}\``).join(', ')}`, element, 'unknown-state', source)
      }
    }
  })
  if (file.messages.some((m) => m.fatal)) return undefined

  const cache = new Map<string, string>()
  return {
    name,
    path,
    title,
    states,
    svg,
    renderState(id) {
      let out = cache.get(id)
      if (out === undefined) {
        out = toXml(stateTree(root, id, states))
        cache.set(id, out)
      }
      return out
    }
  }
}

/** A copy of `root` showing only state `id`, with state markers removed. */
function stateTree(root: Element, id: string, states: GraphicState[]): Root {
  const description = states.find((s) => s.id === id)?.description ?? ''
  const clone = (element: Element): Element => ({
    type: 'element',
    name: element.name,
    attributes: Object.fromEntries(
      Object.entries(element.attributes).filter(([key]) => key !== 'data-states' && key !== 'data-state')
    ),
    children: element.children.flatMap((child): ElementContent[] => {
      if (child.type !== 'element') return [child]
      if (child.name === 'desc' && child.attributes['data-state'] !== undefined) return []
      const list = child.attributes['data-states']
      if (list !== undefined && list !== null && !String(list).split(/\s+/).includes(id)) return []
      return [clone(child)]
    })
  })
  const svg = clone(root)
  svg.attributes.xmlns ??= 'http://www.w3.org/2000/svg'
  const titleIndex = svg.children.findIndex((c) => c.type === 'element' && c.name === 'title')
  const desc: Element = {type: 'element', name: 'desc', attributes: {}, children: [{type: 'text', value: description}]}
  svg.children.splice(titleIndex + 1, 0, desc)
  return {type: 'root', children: [{type: 'instruction', name: 'xml', value: 'version="1.0" encoding="UTF-8"'}, svg]}
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
