/**
 * Inline a graphic's SVG into a web page as hast: ids are prefixed so several
 * graphics can share a page, and the initial state is applied at build time so
 * the page is right before any script runs.
 */
import type {ElementContent, Element as HastElement} from 'hast'
import {s} from 'hastscript'
import type {Element as XastElement} from 'xast'
import {svgElement} from '../../figures/graphic.js'
import type {Graphic, GraphicVariant} from '../../types.js'

/**
 * The graphic as an inline `<svg>`, showing `state`, with its ids prefixed by
 * `prefix`. With `variant`, that variant's SVG (the wide one when there is no
 * narrow one), marked with the class `tf-wide` or `tf-narrow` for the page's
 * media queries.
 */
export function inlineSvg(graphic: Graphic, state: string, prefix: string, variant?: GraphicVariant): HastElement {
  const root = svgElement(variant === 'narrow' && graphic.svgNarrow !== undefined ? graphic.svgNarrow : graphic.svg)
  const ids = new Set<string>()
  collectIds(root, ids)
  const description = graphic.states.find((x) => x.id === state)?.description ?? ''

  const convert = (element: XastElement): HastElement => {
    const properties: Record<string, string> = {}
    for (const [key, raw] of Object.entries(element.attributes)) {
      if (raw === undefined || raw === null || key === 'xmlns' || key.startsWith('xmlns:')) continue
      let value = String(raw)
      if (key === 'id') value = `${prefix}-${value}`
      else value = value.replace(/url\(#([^)]+)\)/g, (all, id: string) => (ids.has(id) ? `url(#${prefix}-${id})` : all))
      if ((key === 'href' || key === 'xlink:href') && value.startsWith('#') && ids.has(value.slice(1)))
        value = `#${prefix}-${value.slice(1)}`
      properties[key] = value
    }
    const list = element.attributes['data-states']
    if (list !== undefined && list !== null && !String(list).split(/\s+/).includes(state)) {
      properties.class = `${properties.class ?? ''} tf-off`.trim()
    }
    const children: ElementContent[] = []
    for (const child of element.children) {
      if (child.type === 'element') {
        if (child.name === 'desc' && child.attributes['data-state'] !== undefined) continue
        if (child.attributes['data-table'] !== undefined) continue
        children.push(convert(child))
      } else if (child.type === 'text' || child.type === 'cdata') {
        if (child.value.trim() !== '' || element.name === 'text' || element.name === 'tspan')
          children.push({type: 'text', value: child.value})
      }
    }
    return s(element.name, properties, children)
  }

  const svg = convert(root)
  // Accessible name from the title, description from the current state; the client updates the latter.
  svg.children = svg.children.filter((c) => !(c.type === 'element' && c.tagName === 'title'))
  svg.children.unshift(
    s('title', {id: `${prefix}-title`}, graphic.title),
    s('desc', {id: `${prefix}-desc`, class: 'tf-state-desc'}, description)
  )
  svg.properties.role = 'img'
  // The client finds a step's marks by `data-mark`, or by id under this prefix.
  svg.properties.dataPrefix = prefix
  svg.properties.ariaLabelledBy = [`${prefix}-title`]
  svg.properties.ariaDescribedBy = [`${prefix}-desc`]
  svg.properties.focusable = 'false'
  if (variant)
    svg.properties.className = [
      ...(Array.isArray(svg.properties.className) ? svg.properties.className : []),
      `tf-${variant}`
    ]
  delete svg.properties.width
  delete svg.properties.height
  return svg
}

/** Width and height of a graphic from its viewBox (to reserve space and avoid layout shift). */
export function svgSize(svg: string): {width: number; height: number} {
  const match = /viewBox\s*=\s*["']\s*[-\d.]+[\s,]+[-\d.]+[\s,]+([\d.]+)[\s,]+([\d.]+)/.exec(svg)
  return match
    ? {
        width: Math.round(Number(match[1])),
        height: Math.round(Number(match[2]))
      }
    : {width: 640, height: 400}
}

function collectIds(element: XastElement, ids: Set<string>) {
  if (element.attributes.id) ids.add(String(element.attributes.id))
  for (const child of element.children) if (child.type === 'element') collectIds(child, ids)
}
