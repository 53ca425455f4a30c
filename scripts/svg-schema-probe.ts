/**
 * `node --import tsx scripts/svg-schema-probe.ts`: check the tables of
 * pipeline/figures/svg-schema.ts against epubcheck itself, as when epubcheck
 * is upgraded. Each drawing element gets each attribute (one SVG file per
 * element and attribute, the element in a place it may stand, with what it
 * requires), all packed as they are written, unsanitized, into one small
 * EPUB; epubcheck says which files it refuses, and the script prints every
 * file where it disagrees with `attributeAllowed`. Exits 1 on any.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import JSZip from 'jszip'
import {attributeAllowed, requiredAttributes} from '../pipeline/figures/svg-schema.js'
import {epubcheck} from '../tests/helpers/epubcheck.js'

const attributes =
  `id class lang xml:lang role tabindex focusable viewBox preserveAspectRatio x y width height transform requiredExtensions systemLanguage cx cy r rx ry x1 y1 x2 y2 d points pathLength fill fill-opacity fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset stroke-opacity opacity color display visibility overflow vector-effect shape-rendering text-rendering image-rendering color-interpolation color-interpolation-filters paint-order clip-path clip-rule mask filter marker-start marker-mid marker-end dx dy rotate textLength lengthAdjust text-anchor dominant-baseline alignment-baseline baseline-shift font-family font-size font-size-adjust font-stretch font-style font-variant font-weight letter-spacing word-spacing text-decoration writing-mode direction unicode-bidi startOffset method spacing side gradientUnits gradientTransform spreadMethod fx fy fr offset stop-color stop-opacity patternUnits patternContentUnits patternTransform clipPathUnits maskUnits maskContentUnits markerWidth markerHeight markerUnits refX refY orient filterUnits primitiveUnits in in2 result stdDeviation mode operator k1 k2 k3 k4 values type tableValues slope intercept amplitude exponent flood-color flood-opacity lighting-color surfaceScale diffuseConstant specularConstant specularExponent kernelMatrix order divisor bias targetX targetY edgeMode kernelUnitLength preserveAlpha radius scale xChannelSelector yChannelSelector baseFrequency numOctaves seed stitchTiles azimuth elevation pointsAtX pointsAtY pointsAtZ limitingConeAngle z crossorigin data-x aria-label aria-hidden href xlink:href`.split(
    ' '
  )

/** A value each attribute accepts where it is allowed (the default is `1`). */
const values: Record<string, string> = {
  id: 'i',
  lang: 'en',
  'xml:lang': 'en',
  role: 'img',
  tabindex: '0',
  focusable: 'false',
  viewBox: '0 0 1 1',
  preserveAspectRatio: 'none',
  transform: 'scale(1)',
  requiredExtensions: 'http://www.idpf.org/2007/ops',
  systemLanguage: 'en',
  d: 'M0 0',
  points: '0 0',
  'fill-rule': 'evenodd',
  'clip-rule': 'evenodd',
  'stroke-linecap': 'round',
  'stroke-linejoin': 'round',
  display: 'inline',
  visibility: 'visible',
  overflow: 'visible',
  'vector-effect': 'none',
  'shape-rendering': 'auto',
  'text-rendering': 'auto',
  'image-rendering': 'auto',
  'color-interpolation': 'auto',
  'color-interpolation-filters': 'auto',
  lengthAdjust: 'spacing',
  'text-anchor': 'middle',
  'dominant-baseline': 'auto',
  'alignment-baseline': 'auto',
  'font-stretch': 'normal',
  'font-style': 'normal',
  'font-variant': 'normal',
  'font-weight': 'bold',
  'writing-mode': 'lr-tb',
  direction: 'ltr',
  'unicode-bidi': 'normal',
  method: 'align',
  spacing: 'auto',
  gradientUnits: 'userSpaceOnUse',
  spreadMethod: 'pad',
  patternUnits: 'userSpaceOnUse',
  patternContentUnits: 'userSpaceOnUse',
  clipPathUnits: 'userSpaceOnUse',
  maskUnits: 'userSpaceOnUse',
  maskContentUnits: 'userSpaceOnUse',
  markerUnits: 'strokeWidth',
  filterUnits: 'userSpaceOnUse',
  primitiveUnits: 'userSpaceOnUse',
  in: 'SourceGraphic',
  in2: 'SourceGraphic',
  mode: 'normal',
  operator: 'over',
  edgeMode: 'none',
  preserveAlpha: 'false',
  xChannelSelector: 'R',
  yChannelSelector: 'R',
  stitchTiles: 'stitch',
  'aria-hidden': 'true',
  href: '#t',
  'xlink:href': '#t'
}
const valueOf = (element: string, name: string) =>
  name === 'type'
    ? element === 'feColorMatrix'
      ? 'matrix'
      : element === 'feTurbulence'
        ? 'turbulence'
        : 'identity'
    : name === 'operator' && element === 'feMorphology'
      ? 'erode'
      : (values[name] ?? '1')

const primitives =
  'feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDisplacementMap feDropShadow feFlood feGaussianBlur feImage feMerge feMorphology feOffset feTile feTurbulence'.split(
    ' '
  )
/** Each element, with the given attributes, in a place it may stand. */
const places: Record<string, (attributes: string) => string> = {}
for (const name of 'g defs symbol use switch path rect circle ellipse line polyline polygon image linearGradient radialGradient pattern clipPath mask marker filter svg'.split(
  ' '
))
  places[name] = (a) => `<${name} ${a}/>`
places.text = (a) => `<text ${a}>t</text>`
places.title = (a) => `<title ${a}>t</title>`
places.desc = (a) => `<desc ${a}>t</desc>`
places.a = (a) => `<a ${a}><rect width="1" height="1"/></a>`
places.tspan = (a) => `<text><tspan ${a}>t</tspan></text>`
places.textPath = (a) => `<text><textPath ${a}>t</textPath></text>`
places.stop = (a) => `<linearGradient><stop ${a}/></linearGradient>`
for (const name of primitives) places[name] = (a) => `<filter><${name} ${a}/></filter>`
for (const name of ['feDiffuseLighting', 'feSpecularLighting'])
  places[name] = (a) => `<filter><${name} ${a}><feDistantLight/></${name}></filter>`
for (const name of ['feFuncR', 'feFuncG', 'feFuncB', 'feFuncA'])
  places[name] = (a) => `<filter><feComponentTransfer><${name} ${a}/></feComponentTransfer></filter>`
places.feMergeNode = (a) => `<filter><feMerge><feMergeNode ${a}/></feMerge></filter>`
for (const name of ['feDistantLight', 'fePointLight', 'feSpotLight'])
  places[name] = (a) => `<filter><feDiffuseLighting><${name} ${a}/></feDiffuseLighting></filter>`

const cases: Array<{element: string; attribute: string; svg: string}> = []
for (const [element, place] of Object.entries(places)) {
  const required = requiredAttributes[element] ?? []
  for (const attribute of attributes) {
    if (required.includes(attribute) || (element === 'svg' && attribute === 'xlink:href')) continue
    // A link's reference is a check of links, not of the schema, and the sanitizer removes it anyway.
    if (element === 'a' && (attribute === 'href' || attribute === 'xlink:href')) continue
    const written = [...required, attribute].map((name) => `${name}="${valueOf(element, name)}"`).join(' ')
    cases.push({
      element,
      attribute,
      svg: `<svg xmlns="http://www.w3.org/2000/svg" xmlns:xlink="http://www.w3.org/1999/xlink" viewBox="0 0 10 10">\n<rect id="t" width="1" height="1"/>${place(written)}\n</svg>\n`
    })
  }
}

const zip = new JSZip()
zip.file('mimetype', 'application/epub+zip', {compression: 'STORE'})
zip.file(
  'META-INF/container.xml',
  '<?xml version="1.0"?>\n<container version="1.0" xmlns="urn:oasis:names:tc:opendocument:xmlns:container"><rootfiles><rootfile full-path="OEBPS/content.opf" media-type="application/oebps-package+xml"/></rootfiles></container>\n'
)
const xhtml = (body: string) =>
  `<?xml version="1.0" encoding="UTF-8"?>\n<html xmlns="http://www.w3.org/1999/xhtml" xmlns:epub="http://www.idpf.org/2007/ops" lang="en" xml:lang="en"><head><title>Probe</title></head><body>${body}</body></html>\n`
zip.file('OEBPS/nav.xhtml', xhtml('<nav epub:type="toc"><ol><li><a href="page.xhtml">Probe</a></li></ol></nav>'))
zip.file('OEBPS/page.xhtml', xhtml(cases.map((_, at) => `<img src="c${at}.svg" alt="case ${at}"/>`).join('\n')))
for (const [at, {svg}] of cases.entries()) zip.file(`OEBPS/c${at}.svg`, svg)
zip.file(
  'OEBPS/content.opf',
  `<?xml version="1.0" encoding="UTF-8"?>\n<package xmlns="http://www.idpf.org/2007/opf" version="3.0" unique-identifier="id"><metadata xmlns:dc="http://purl.org/dc/elements/1.1/"><dc:identifier id="id">urn:uuid:00000000-0000-4000-8000-000000000000</dc:identifier><dc:title>Probe</dc:title><dc:language>en</dc:language><meta property="dcterms:modified">2026-01-01T00:00:00Z</meta></metadata><manifest><item id="nav" href="nav.xhtml" media-type="application/xhtml+xml" properties="nav"/><item id="page" href="page.xhtml" media-type="application/xhtml+xml"/>${cases.map((_, at) => `<item id="c${at}" href="c${at}.svg" media-type="image/svg+xml"/>`).join('')}</manifest><spine><itemref idref="page"/></spine></package>\n`
)
const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'svg-schema-probe-'))
const epub = path.join(dir, 'probe.epub')
await fs.writeFile(epub, await zip.generateAsync({type: 'uint8array', compression: 'DEFLATE'}))
process.stdout.write(`svg-schema-probe: ${cases.length} element and attribute pairs through epubcheck\n`)
const refused = new Map<number, string>()
for (const message of await epubcheck(epub)) {
  if (message.severity !== 'ERROR' && message.severity !== 'FATAL') continue
  for (const {path: where} of message.locations) {
    const found = /c(\d+)\.svg$/.exec(where)
    if (found) refused.set(Number(found[1]), message.message)
    else process.stdout.write(`  ${message.ID} ${where}: ${message.message}\n`)
  }
}
await fs.rm(dir, {recursive: true, force: true})
let disagree = 0
for (const [at, {element, attribute}] of cases.entries()) {
  const allowed = attributeAllowed(element, attribute)
  if (allowed === !refused.has(at)) continue
  disagree++
  process.stdout.write(
    `  ${attribute} on <${element}>: the table ${allowed ? 'allows' : 'refuses'} it, epubcheck ${allowed ? `refuses it: ${refused.get(at)}` : 'accepts it'}\n`
  )
}
process.stdout.write(`${refused.size} refused by epubcheck; ${disagree} disagreements with svg-schema.ts\n`)
process.exitCode = disagree > 0 ? 1 : 0
