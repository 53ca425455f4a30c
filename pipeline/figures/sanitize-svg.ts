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
 * What the EPUB's SVG schema refuses (./svg-schema.ts: an element without an
 * attribute it requires or in the wrong place, an attribute the element does
 * not take, a value outside the schema's list) is removed with a warning too,
 * so that any SVG leaves a valid EPUB.
 *
 * A library such as hast-util-sanitize would need the same allow-list written
 * out for SVG, works on hast rather than the XML tree the graphics are read
 * into, and does not say what it removed; so the list lives here.
 */
import type {Element, ElementContent, Root} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {toXml} from 'xast-util-to-xml'
import {forbiddenIn, forbiddenReason, hasForbidden, stripForbidden} from '../plugins/remark-xml-chars.js'
import {
  attributeAllowed,
  childAllowed,
  expectedValue,
  requiredAttributes,
  requiredChildren,
  sequencePlace,
  textHolders
} from './svg-schema.js'

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
  const ids = new Set<string>()
  if (cleanAttributes(root, true, report, ids)) changed = true
  const stack: Element[] = [root]
  while (stack.length > 0) {
    const element = stack.pop()!
    const kept: ElementContent[] = []
    for (const child of element.children) {
      if (child.type === 'text' || child.type === 'cdata') {
        if (!textHolders.has(element.name) && child.value.trim() !== '') {
          changed = true
          report(
            `Unexpected text \`${shorten(child.value.trim())}\` in \`<${element.name}>\` in SVG, expected text only in \`<text>\`, \`<title>\` or \`<desc>\` (it is removed)`,
            element
          )
          continue
        }
        const value = cleanText(child.value, element, report)
        if (child.type === 'cdata' || value !== child.value) changed = true
        kept.push({type: 'text', value})
        continue
      }
      if (child.type === 'element' && elements.has(child.name)) {
        const outcome = keepElement(child, element, report, ids)
        if (outcome !== 'kept') changed = true
        if (outcome === 'removed') continue
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
    if (inSchemaOrder(kept, element, report)) changed = true
    element.children = kept
  }
  if (root.attributes.xmlns !== svgNs || (usesXlink(root) && root.attributes['xmlns:xlink'] !== xlinkNs)) {
    changed = true
    root.attributes.xmlns = svgNs
    if (usesXlink(root)) root.attributes['xmlns:xlink'] = xlinkNs
  }
  return {root, changed}
}

/**
 * Whether `child`, an SVG drawing element inside `parent`, is kept: its
 * attributes cleaned, a link made a group (or, in text, a `<tspan>`), and the
 * element removed, with a warning, where the EPUB's SVG schema does not allow
 * it (see ./svg-schema.ts): `kept` as it was, `changed`, or `removed`.
 */
function keepElement(
  child: Element,
  parent: Element,
  report: SvgReporter,
  ids: Set<string>
): 'kept' | 'changed' | 'removed' {
  // A graphic is a picture: its links are not followed (and epubcheck wants a name for each), so a link is a group,
  // or in text a `<tspan>`.
  const becomes = child.name !== 'a' ? child.name : textHolders.has(parent.name) ? 'tspan' : 'g'
  if (!childAllowed(parent.name, becomes)) {
    report(
      `Unexpected \`<${child.name}>\` inside \`<${parent.name}>\` in SVG, expected it where SVG 1.1 allows it (it is removed)`,
      child
    )
    return 'removed'
  }
  const changed = cleanAttributes(child, false, report, ids, becomes) || becomes !== child.name
  if (child.name === 'a') {
    child.name = becomes
    delete child.attributes.href
    delete child.attributes['xlink:href']
  }
  const missing = (requiredAttributes[child.name] ?? []).filter((name) => !(name in child.attributes))
  if (missing.length > 0) {
    report(
      `Unexpected \`<${child.name}>\` without ${missing.map((name) => `\`${name}\``).join(' or ')} in SVG, expected ${missing.map((name) => `\`${name}\``).join(' and ')}, which SVG 1.1 requires (the element is removed)`,
      child
    )
    return 'removed'
  }
  const needs = requiredChildren[child.name]
  if (needs && !child.children.some((node) => node.type === 'element' && needs.has(node.name))) {
    report(
      `Unexpected \`<${child.name}>\` without a light source in SVG, expected one of ${[...needs].map((name) => `\`<${name}>\``).join(', ')} inside it (the element is removed)`,
      child
    )
    return 'removed'
  }
  return changed ? 'changed' : 'kept'
}

/**
 * Put the children of `parent` in the order the schema wants: `<title>` and
 * `<desc>` first, and where the schema names a sequence (the functions of
 * `<feComponentTransfer>`, the light of a lighting primitive), its order, each
 * at most once (a second is removed, with a warning). Whether anything moved
 * or went.
 */
function inSchemaOrder(children: ElementContent[], parent: Element, report: SvgReporter): boolean {
  if (textHolders.has(parent.name)) return false
  const rank = (node: Element) =>
    node.name === 'title' || node.name === 'desc' ? 0 : 1 + (sequencePlace(parent.name, node.name) ?? 0)
  let nodes = children.filter((node): node is Element => node.type === 'element')
  let changed = false
  if (nodes.some((node, index) => index > 0 && rank(node) < rank(nodes[index - 1]!))) {
    // Only elements are left: the white space between them means nothing where text is not allowed.
    nodes = nodes
      .map((node, index) => ({node, index}))
      .sort((a, b) => rank(a.node) - rank(b.node) || a.index - b.index)
      .map(({node}) => node)
    children.splice(0, children.length, ...nodes)
    changed = true
  }
  const seen = new Set<number>()
  for (const node of nodes) {
    const place = sequencePlace(parent.name, node.name)
    if (place === undefined) continue
    if (seen.has(place)) {
      children.splice(children.indexOf(node), 1)
      changed = true
      report(
        `Unexpected second \`<${node.name}>\` inside \`<${parent.name}>\` in SVG, expected one (it is removed)`,
        node
      )
    }
    seen.add(place)
  }
  return changed
}

/** Whether an element from another namespace (an editor's, XHTML's) holds anything: an editor's empty settings element is dropped silently. */
function hasContent(element: Element): boolean {
  return element.children.length > 0 && !element.name.startsWith('sodipodi:') && !element.name.startsWith('inkscape:')
}

/** Remove the attributes of `element` a static drawing has no use for, and those the EPUB's SVG schema refuses on the element it is `as`; whether any was removed or changed. */
function cleanAttributes(
  element: Element,
  isRoot: boolean,
  report: SvgReporter,
  ids: Set<string>,
  as = element.name
): boolean {
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
      if (!allowedHref(element.name, value))
        reason = `Unexpected \`${name}="${shorten(value)}"\` on \`<${element.name}>\` in SVG, expected a reference inside the SVG (\`#id\`) or an embedded PNG, JPEG, GIF or WebP image (it is removed)`
      else if (element.name === 'a' || attributeAllowed(as, name)) continue
      else reason = notAllowed(name, element.name)
    } else if (attributeAllowed(as, name)) {
      if (/url\s*\(/i.test(value) && !onlyLocalUrls(value)) {
        reason = `Unexpected \`${name}="${shorten(value)}"\` on \`<${element.name}>\` in SVG, expected \`url(#id)\`, a reference inside the SVG (it is removed)`
      } else {
        const expected = expectedValue(as, name, value)
        if (expected === undefined && !(name === 'id' && ids.has(value))) {
          if (name === 'id') ids.add(value)
          continue
        }
        reason = `Unexpected \`${name}="${shorten(value)}"\` on \`<${element.name}>\` in SVG, expected ${expected ?? 'an `id` used once'} (it is removed)`
      }
    } else if (leftoverAttributes.has(name) || name.includes(':')) {
      // SVG 1.1's and editors' attributes (`inkscape:label`, `sodipodi:nodetypes`) change nothing a reader sees.
      reason = undefined
    } else {
      reason = notAllowed(name, element.name)
    }
    delete element.attributes[name]
    changed = true
    if (reason) report(reason, element)
  }
  return changed
}

function notAllowed(name: string, element: string): string {
  return `Unexpected attribute \`${name}\` on \`<${element}>\` in SVG, expected an attribute SVG 1.1 allows there (it is removed)`
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
  if (/^#(?:[^\s#%]|%[0-9A-Fa-f]{2})+$/.test(trimmed)) return true
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
