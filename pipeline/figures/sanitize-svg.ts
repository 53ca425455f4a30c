/**
 * Sanitize an SVG (a hand-made graphic, its narrow variant, an SVG image) so
 * that only a static drawing reaches a reader: an allow-list of SVG elements
 * and attributes, references only inside the SVG itself (`#id`) or to an
 * embedded raster image (`data:image/png;base64,…`), and no CSS.
 *
 * Everything else is removed: scripts, event handlers, `<foreignObject>`,
 * animation (it can set an `href`), `<style>` and `style=""` (the web story's
 * Content-Security-Policy forbids inline styles, and CSS can fetch through
 * `url()` and `@import`), links and images to other places. Each removal that
 * changes what the SVG does or shows is a positioned `unsafe-svg` warning.
 * What drawing programs leave behind and no reader needs (a DOCTYPE, comments,
 * `<metadata>`, `version`, editors' own namespaces) is dropped silently.
 *
 * A library such as hast-util-sanitize would need the same allow-list written
 * out for SVG, works on hast rather than the XML tree the graphics are read
 * into, and does not say what it removed; so the list lives here.
 */
import type {Element, ElementContent, Root} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {toXml} from 'xast-util-to-xml'
import {forbiddenIn, forbiddenReason, hasForbidden, stripForbidden} from '../plugins/remark-xml-chars.js'

const svgNs = 'http://www.w3.org/2000/svg'
const xlinkNs = 'http://www.w3.org/1999/xlink'

const filterPrimitives = [
  'feBlend',
  'feColorMatrix',
  'feComponentTransfer',
  'feComposite',
  'feConvolveMatrix',
  'feDiffuseLighting',
  'feDisplacementMap',
  'feDistantLight',
  'feDropShadow',
  'feFlood',
  'feFuncA',
  'feFuncB',
  'feFuncG',
  'feFuncR',
  'feGaussianBlur',
  'feImage',
  'feMerge',
  'feMergeNode',
  'feMorphology',
  'feOffset',
  'fePointLight',
  'feSpecularLighting',
  'feSpotLight',
  'feTile',
  'feTurbulence'
]

/** SVG elements of a static drawing. */
const elements = new Set([
  'svg',
  'a',
  'g',
  'defs',
  'symbol',
  'use',
  'title',
  'desc',
  'switch',
  'path',
  'rect',
  'circle',
  'ellipse',
  'line',
  'polyline',
  'polygon',
  'text',
  'tspan',
  'textPath',
  'image',
  'linearGradient',
  'radialGradient',
  'stop',
  'pattern',
  'clipPath',
  'mask',
  'marker',
  'filter',
  ...filterPrimitives
])

/** Elements drawing programs leave that no reader needs: dropped without a word. */
const leftovers = new Set(['metadata'])

/** Attributes of a static drawing (besides `data-*` and `aria-*`, and `href`, checked on its own). */
const attributes = new Set(
  [
    // Core, structure and accessibility.
    'id class lang xml:lang role tabindex focusable viewBox preserveAspectRatio x y width height transform',
    'requiredExtensions systemLanguage',
    // Geometry.
    'cx cy r rx ry x1 y1 x2 y2 d points pathLength',
    // Presentation.
    'fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit',
    'stroke-dasharray stroke-dashoffset stroke-opacity opacity color display visibility overflow',
    'vector-effect shape-rendering text-rendering image-rendering color-interpolation',
    'color-interpolation-filters paint-order clip-path clip-rule mask filter',
    'marker-start marker-mid marker-end',
    // Text.
    'dx dy rotate textLength lengthAdjust text-anchor dominant-baseline alignment-baseline baseline-shift',
    'font-family font-size font-size-adjust font-stretch font-style font-variant font-weight',
    'letter-spacing word-spacing text-decoration writing-mode direction unicode-bidi startOffset method spacing side',
    // Gradients, patterns, clips, masks, markers, symbols.
    'gradientUnits gradientTransform spreadMethod fx fy fr offset stop-color stop-opacity',
    'patternUnits patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits',
    'markerWidth markerHeight markerUnits refX refY orient',
    // Filters.
    'filterUnits primitiveUnits in in2 result stdDeviation mode operator k1 k2 k3 k4 values type',
    'tableValues slope intercept amplitude exponent flood-color flood-opacity lighting-color',
    'surfaceScale diffuseConstant specularConstant specularExponent kernelMatrix order divisor bias',
    'targetX targetY edgeMode kernelUnitLength preserveAlpha radius scale xChannelSelector',
    'yChannelSelector baseFrequency numOctaves seed stitchTiles azimuth elevation pointsAtX pointsAtY',
    'pointsAtZ limitingConeAngle z crossorigin'
  ]
    .join(' ')
    .split(' ')
)

/** Attributes drawing programs leave (SVG 1.1 and editors): dropped without a word. */
const leftoverAttributes = new Set(['version', 'baseProfile', 'enable-background', 'xml:space', 'contentScriptType'])

/** Elements whose `href` may name an embedded raster image as well as `#id`. */
const imageElements = new Set(['image', 'feImage'])

const rasterData = /^data:image\/(?:png|jpeg|gif|webp);base64,[A-Za-z0-9+/=\s]*$/i

/** A place in the SVG's text, for a message. */
export type SvgPlace = Element | undefined

/** Reports one thing removed (`reason` says what and why), at the element it was on: `unsafe-svg`, or `forbidden-character` for a character HTML forbids. */
export type SvgReporter = (reason: string, place: SvgPlace, ruleId?: 'unsafe-svg' | 'forbidden-character') => void

/** A sanitized SVG: its root element, and whether anything was removed or changed (when not, the source may be kept as written). */
export interface SanitizedSvg {
  root: Element
  changed: boolean
}

/**
 * Sanitize the SVG `tree` in place (see the module's comment) and return its
 * root `<svg>` element, or undefined when there is none. `report` is told of
 * each thing removed that changes what the SVG does or shows.
 */
export function sanitizeSvg(tree: Root, report: SvgReporter = () => {}): SanitizedSvg | undefined {
  // A DOCTYPE (with its external DTD), comments and processing instructions go: only the root element is kept.
  const root = tree.children.find((node): node is Element => node.type === 'element')
  let changed = tree.children.some(
    (node) =>
      node !== root &&
      !(node.type === 'text' && node.value.trim() === '') &&
      !(node.type === 'instruction' && node.name === 'xml')
  )
  tree.children = root ? [root] : []
  if (root?.name !== 'svg') return undefined
  const stack: Element[] = [root]
  while (stack.length > 0) {
    const element = stack.pop()!
    if (cleanAttributes(element, element === root, report)) changed = true
    if (element.name === 'a') {
      changed = true
      // A graphic is a picture: its links are not followed (and epubcheck wants a name for each), so a link is a group.
      element.name = 'g'
      delete element.attributes.href
      delete element.attributes['xlink:href']
    }
    const kept: ElementContent[] = []
    for (const child of element.children) {
      if (child.type === 'text' || child.type === 'cdata') {
        const value = cleanText(child.value, element, report)
        if (child.type === 'cdata' || value !== child.value) changed = true
        kept.push({type: 'text', value})
        continue
      }
      if (child.type === 'element' && elements.has(child.name)) {
        kept.push(child)
        stack.push(child)
        continue
      }
      changed = true
      if (child.type !== 'element') continue
      if (!leftovers.has(child.name) && !child.name.includes(':')) {
        report(`Unexpected \`<${child.name}>\` in SVG, expected only drawing elements (it is removed)`, child)
      } else if (child.name.includes(':') && hasContent(child)) {
        report(
          `Unexpected \`<${child.name}>\` from another namespace in SVG, expected SVG elements (it is removed)`,
          child
        )
      }
    }
    element.children = kept
  }
  if (root.attributes.xmlns !== svgNs || (usesXlink(root) && root.attributes['xmlns:xlink'] !== xlinkNs)) {
    changed = true
    root.attributes.xmlns = svgNs
    if (usesXlink(root)) root.attributes['xmlns:xlink'] = xlinkNs
  }
  return {root, changed}
}

/** Whether an element from another namespace (an editor's, XHTML's) holds anything: an editor's empty settings element is dropped silently. */
function hasContent(element: Element): boolean {
  return element.children.length > 0 && !element.name.startsWith('sodipodi:') && !element.name.startsWith('inkscape:')
}

/** Remove the attributes of `element` a static drawing has no use for; whether any was removed or changed. */
function cleanAttributes(element: Element, isRoot: boolean, report: SvgReporter): boolean {
  let changed = false
  for (const [name, raw] of Object.entries(element.attributes)) {
    const value = raw === null || raw === undefined ? '' : String(raw)
    let reason: string | undefined
    if (hasForbidden(value)) {
      element.attributes[name] = cleanText(value, element, report)
      changed = true
    }
    if (name === 'xmlns' || name.startsWith('xmlns:')) {
      // SVG's and XLink's namespaces are declared on the root only; no other namespace is needed.
      if (isRoot && ((name === 'xmlns' && value === svgNs) || (name === 'xmlns:xlink' && value === xlinkNs))) continue
      reason = undefined
    } else if (/^on/i.test(name)) {
      reason = `Unexpected event handler \`${name}\` in SVG, expected no script (it is removed)`
    } else if (name === 'style') {
      reason =
        'Unexpected `style` attribute in SVG, expected presentation attributes such as `fill="…"` (the page’s Content-Security-Policy forbids inline styles; it is removed)'
    } else if (name === 'href' || name === 'xlink:href') {
      if (allowedHref(element.name, value)) continue
      reason = `Unexpected \`${name}="${shorten(value)}"\` on \`<${element.name}>\` in SVG, expected a reference inside the SVG (\`#id\`) or an embedded PNG, JPEG, GIF or WebP image (it is removed)`
    } else if (name.startsWith('data-') || name.startsWith('aria-') || attributes.has(name)) {
      if (!/url\s*\(/i.test(value) || onlyLocalUrls(value)) continue
      reason = `Unexpected \`${name}="${shorten(value)}"\` on \`<${element.name}>\` in SVG, expected \`url(#id)\`, a reference inside the SVG (it is removed)`
    } else if (leftoverAttributes.has(name) || name.includes(':')) {
      // SVG 1.1's and editors' attributes (`inkscape:label`, `sodipodi:nodetypes`) change nothing a reader sees.
      reason = undefined
    } else {
      reason = `Unexpected attribute \`${name}\` on \`<${element.name}>\` in SVG, expected SVG presentation attributes (it is removed)`
    }
    delete element.attributes[name]
    changed = true
    if (reason) report(reason, element)
  }
  return changed
}

/** `value` without the characters HTML forbids (XML's parser refused the others), each reported. */
function cleanText(value: string, element: Element, report: SvgReporter): string {
  if (!hasForbidden(value)) return value
  const found = forbiddenIn(value)
  for (const {code} of found)
    report(forbiddenReason(code, `\`<${element.name}>\` in SVG`), element, 'forbidden-character')
  return found.length > 0 ? stripForbidden(value) : value
}

function allowedHref(element: string, value: string): boolean {
  const trimmed = value.trim()
  if (/^#[^\s#]+$/.test(trimmed)) return true
  return imageElements.has(element) && rasterData.test(trimmed)
}

function onlyLocalUrls(value: string): boolean {
  for (const match of value.matchAll(/url\s*\(\s*(['"]?)([^)'"]*)\1\s*\)/gi)) {
    if (!match[2].trim().startsWith('#')) return false
  }
  // A `url(` left unmatched (an unclosed or odd one) is not trusted.
  return value.match(/url\s*\(/gi)?.length === [...value.matchAll(/url\s*\(\s*(['"]?)([^)'"]*)\1\s*\)/gi)].length
}

function usesXlink(root: Element): boolean {
  const stack: Element[] = [root]
  while (stack.length > 0) {
    const element = stack.pop()!
    if ('xlink:href' in element.attributes) return true
    for (const child of element.children) if (child.type === 'element') stack.push(child)
  }
  return false
}

function shorten(value: string): string {
  return value.length > 40 ? `${value.slice(0, 40)}…` : value
}

/** An SVG document's text, sanitized (silently: the parse reported what goes), as a standalone file; throws when it is not well-formed SVG. */
export function sanitizeSvgText(text: string): string {
  const tree = fromXml(text)
  const sanitized = sanitizeSvg(tree)
  if (!sanitized) throw new Error('Unexpected SVG without an `<svg>` root')
  return sanitized.changed
    ? `<?xml version="1.0" encoding="UTF-8"?>\n${toXml(tree, {closeEmptyElements: true})}\n`
    : text
}
