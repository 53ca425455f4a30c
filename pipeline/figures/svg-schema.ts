/**
 * What the EPUB's SVG schema (epubcheck's SVG 1.1, with the ARIA attributes
 * of HTML) accepts of the drawing elements `sanitize-svg.ts` lets through:
 * which attributes each element may carry, which it must carry, the values
 * an attribute may take where the schema names them, and which elements may
 * hold which. An SVG outside these rules draws in a browser but makes the
 * EPUB invalid, so the sanitizer removes what breaks them, with a warning.
 *
 * The tables were found by building a book with every element carrying every
 * allowed attribute, each element bare and in odd places, and reading
 * epubcheck's report (`epubcheck/schema/30/mod/svg11/*.rnc` in its jar);
 * scripts/svg-schema-probe.ts checks the attribute table against epubcheck.
 */

const shapes = 'path rect circle ellipse line polyline polygon'
const primitives =
  'feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDisplacementMap feDropShadow feFlood feGaussianBlur feImage feMerge feMorphology feOffset feTile feTurbulence feDiffuseLighting feSpecularLighting'
const lights = 'feDistantLight fePointLight feSpotLight'
const funcs = 'feFuncR feFuncG feFuncB feFuncA'
/** Elements that take the presentation attributes a group passes on. */
const inheriting = 'svg g defs symbol use switch pattern mask marker filter a feDropShadow feImage'
const painted = `${inheriting} ${shapes} text clipPath tspan textPath`
const texts = `${inheriting} text clipPath tspan textPath`

/** Attributes (first) and the elements that may carry them (second); those below, `data-*` and the ARIA attributes go on every element. */
const attributeRows: Array<[string, string]> = [
  [
    'class',
    `${painted} image linearGradient radialGradient stop title desc feDropShadow feFlood feImage feDiffuseLighting feSpecularLighting`
  ],
  ['role', `svg g symbol use ${shapes} text image a tspan`],
  ['viewBox', 'svg symbol pattern marker'],
  ['preserveAspectRatio', 'svg symbol image pattern marker feImage'],
  ['x y', `svg use rect text image pattern mask filter tspan ${primitives} fePointLight feSpotLight`],
  ['width height', `svg symbol use rect image pattern mask filter ${primitives}`],
  ['transform', `g defs use switch ${shapes} text image clipPath a`],
  [
    'requiredExtensions systemLanguage',
    `svg g defs use switch ${shapes} text image pattern clipPath mask a tspan textPath`
  ],
  ['cx cy', 'circle ellipse radialGradient'],
  ['r', 'circle radialGradient'],
  ['fx fy', 'radialGradient'],
  ['rx ry', 'rect ellipse'],
  ['x1 y1 x2 y2', 'line linearGradient'],
  ['d pathLength', 'path'],
  ['points', 'polyline polygon'],
  [
    'fill fill-rule stroke stroke-width stroke-linecap stroke-linejoin stroke-miterlimit stroke-dasharray stroke-dashoffset',
    painted
  ],
  [
    'fill-opacity stroke-opacity opacity display visibility shape-rendering text-rendering image-rendering clip-path clip-rule mask filter',
    `${painted} image`
  ],
  [
    'color color-interpolation',
    `${painted} image linearGradient radialGradient stop feFlood feDiffuseLighting feSpecularLighting`
  ],
  ['overflow', `${inheriting} image`],
  ['color-interpolation-filters', `${inheriting} ${primitives}`],
  ['marker-start marker-mid marker-end', `${inheriting} path line polyline polygon`],
  ['dx dy', 'text tspan feDropShadow feOffset'],
  ['rotate', 'text tspan'],
  ['textLength lengthAdjust', 'text tspan textPath'],
  [
    'text-anchor dominant-baseline alignment-baseline baseline-shift font-family font-size font-size-adjust font-stretch font-style font-variant font-weight letter-spacing word-spacing text-decoration direction unicode-bidi',
    texts
  ],
  ['writing-mode', `${inheriting} text clipPath`],
  ['startOffset method spacing', 'textPath'],
  ['gradientUnits gradientTransform spreadMethod', 'linearGradient radialGradient'],
  ['offset', `stop ${funcs}`],
  ['type tableValues slope intercept amplitude exponent', funcs],
  ['stop-color stop-opacity', `${inheriting} linearGradient radialGradient stop`],
  ['patternUnits patternContentUnits patternTransform', 'pattern'],
  ['clipPathUnits', 'clipPath'],
  ['maskUnits maskContentUnits', 'mask'],
  ['markerWidth markerHeight markerUnits refX refY orient', 'marker'],
  ['filterUnits primitiveUnits', 'filter'],
  [
    'in',
    'feBlend feColorMatrix feComponentTransfer feComposite feConvolveMatrix feDisplacementMap feDropShadow feFlood feGaussianBlur feMorphology feOffset feTile feDiffuseLighting feSpecularLighting feMergeNode'
  ],
  ['in2', 'feBlend feComposite feDisplacementMap'],
  ['result', primitives],
  ['stdDeviation', 'feDropShadow feGaussianBlur'],
  ['mode', 'feBlend'],
  ['operator', 'feComposite feMorphology'],
  ['k1 k2 k3 k4', 'feComposite'],
  ['type', 'feColorMatrix feTurbulence'],
  ['values', 'feColorMatrix'],
  ['flood-color flood-opacity', `${inheriting} feFlood`],
  ['lighting-color', `${inheriting} feDiffuseLighting feSpecularLighting`],
  ['surfaceScale kernelUnitLength', 'feDiffuseLighting feSpecularLighting'],
  ['diffuseConstant', 'feDiffuseLighting'],
  ['specularConstant', 'feSpecularLighting'],
  ['specularExponent', 'feSpecularLighting feSpotLight'],
  ['kernelMatrix order divisor bias targetX targetY edgeMode kernelUnitLength preserveAlpha', 'feConvolveMatrix'],
  ['radius', 'feMorphology'],
  ['scale xChannelSelector yChannelSelector', 'feDisplacementMap'],
  ['baseFrequency numOctaves seed stitchTiles', 'feTurbulence'],
  ['azimuth elevation', 'feDistantLight'],
  ['pointsAtX pointsAtY pointsAtZ limitingConeAngle', 'feSpotLight'],
  ['z', 'fePointLight feSpotLight'],
  ['href xlink:href', 'use image linearGradient radialGradient pattern filter a textPath feImage']
]

const everywhere = new Set(['id', 'lang', 'xml:lang', 'tabindex', 'focusable'])

/** ARIA attributes of a drawing (the schema knows others, for widgets a static drawing is not). */
const ariaAttributes = new Set([
  'aria-label',
  'aria-labelledby',
  'aria-describedby',
  'aria-details',
  'aria-hidden',
  'aria-roledescription'
])

const attributesOf = new Map<string, Set<string>>()
for (const [names, elements] of attributeRows) {
  for (const element of elements.split(' ')) {
    const set = attributesOf.get(element) ?? new Set<string>()
    for (const name of names.split(' ')) set.add(name)
    attributesOf.set(element, set)
  }
}

/** Whether `element` may carry the attribute `name`. */
export function attributeAllowed(element: string, name: string): boolean {
  if (everywhere.has(name) || name.startsWith('data-') || ariaAttributes.has(name)) return true
  return attributesOf.get(element)?.has(name) ?? false
}

/** Attributes each element must carry: without one, it is removed. */
export const requiredAttributes: Record<string, string[]> = {
  path: ['d'],
  rect: ['width', 'height'],
  circle: ['r'],
  ellipse: ['rx', 'ry'],
  polyline: ['points'],
  polygon: ['points'],
  image: ['width', 'height'],
  stop: ['offset'],
  feBlend: ['in2'],
  feComposite: ['in2'],
  feDisplacementMap: ['in2'],
  feConvolveMatrix: ['kernelMatrix', 'order'],
  feFuncR: ['type'],
  feFuncG: ['type'],
  feFuncB: ['type'],
  feFuncA: ['type']
}

const units = ['userSpaceOnUse', 'objectBoundingBox']
const inherit = 'inherit'
const baselines = 'auto ideographic alphabetic hanging mathematical central middle text-after-edge text-before-edge'
/** Values an attribute may take, where the schema names them (by `element.attribute` where elements differ). */
const valueLists: Record<string, string[]> = {
  'fill-rule': ['nonzero', 'evenodd', inherit],
  'clip-rule': ['nonzero', 'evenodd', inherit],
  'stroke-linecap': ['butt', 'round', 'square', inherit],
  'stroke-linejoin': ['miter', 'round', 'bevel', inherit],
  display:
    `inline block list-item run-in compact marker table inline-table table-row-group table-header-group table-footer-group table-row table-column-group table-column table-cell table-caption none ${inherit}`.split(
      ' '
    ),
  visibility: ['visible', 'hidden', 'collapse', inherit],
  overflow: ['visible', 'hidden', 'scroll', 'auto', inherit],
  'shape-rendering': ['auto', 'optimizeSpeed', 'crispEdges', 'geometricPrecision', inherit],
  'text-rendering': ['auto', 'optimizeSpeed', 'optimizeLegibility', 'geometricPrecision', inherit],
  'image-rendering': ['auto', 'optimizeSpeed', 'optimizeQuality', inherit],
  'color-interpolation': ['auto', 'sRGB', 'linearRGB', inherit],
  'color-interpolation-filters': ['auto', 'sRGB', 'linearRGB', inherit],
  'text-anchor': ['start', 'middle', 'end', inherit],
  'dominant-baseline': `${baselines} use-script no-change reset-size ${inherit}`.split(' '),
  'alignment-baseline': `${baselines} baseline before-edge after-edge ${inherit}`.split(' '),
  'font-stretch':
    `normal wider narrower ultra-condensed extra-condensed condensed semi-condensed semi-expanded expanded extra-expanded ultra-expanded ${inherit}`.split(
      ' '
    ),
  'font-style': ['normal', 'italic', 'oblique', inherit],
  'font-variant': ['normal', 'small-caps', inherit],
  'font-weight': `normal bold bolder lighter 100 200 300 400 500 600 700 800 900 ${inherit}`.split(' '),
  'writing-mode': ['lr-tb', 'rl-tb', 'tb-rl', 'lr', 'rl', 'tb', inherit],
  direction: ['ltr', 'rtl', inherit],
  'unicode-bidi': ['normal', 'embed', 'bidi-override', inherit],
  lengthAdjust: ['spacing', 'spacingAndGlyphs'],
  method: ['align', 'stretch'],
  spacing: ['auto', 'exact'],
  gradientUnits: units,
  patternUnits: units,
  patternContentUnits: units,
  clipPathUnits: units,
  maskUnits: units,
  maskContentUnits: units,
  filterUnits: units,
  primitiveUnits: units,
  markerUnits: ['strokeWidth', 'userSpaceOnUse'],
  spreadMethod: ['pad', 'reflect', 'repeat'],
  edgeMode: ['duplicate', 'wrap', 'none'],
  stitchTiles: ['stitch', 'noStitch'],
  xChannelSelector: ['R', 'G', 'B', 'A'],
  yChannelSelector: ['R', 'G', 'B', 'A'],
  mode: 'normal multiply screen overlay darken lighten color-dodge color-burn hard-light soft-light difference exclusion hue saturation color luminosity'.split(
    ' '
  ),
  'feComposite.operator': ['over', 'in', 'out', 'atop', 'xor', 'lighter', 'arithmetic'],
  'feMorphology.operator': ['erode', 'dilate'],
  'feColorMatrix.type': ['matrix', 'saturate', 'hueRotate', 'luminanceToAlpha'],
  'feTurbulence.type': ['fractalNoise', 'turbulence'],
  type: ['identity', 'table', 'discrete', 'linear', 'gamma'],
  focusable: ['true', 'false'],
  preserveAlpha: ['true', 'false'],
  'aria-hidden': ['true', 'false'],
  // Roles of a picture and its parts; a widget's role would promise a reader what a static drawing cannot do.
  role: ['img', 'graphics-document', 'graphics-object', 'graphics-symbol', 'group', 'figure', 'presentation', 'none']
}

/** Values some attributes must match. */
const valuePatterns: Record<string, RegExp> = {
  // An XML name without a colon (xsd:ID).
  id: /^[\p{L}_][\p{L}\p{N}\p{M}_.\-\u00B7\u203F\u2040]*$/u,
  lang: /^(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)?$/,
  'xml:lang': /^(?:[A-Za-z]{1,8}(?:-[A-Za-z0-9]{1,8})*)?$/,
  preserveAspectRatio:
    /^\s*(?:defer\s+)?(?:none|xMinYMin|xMidYMin|xMaxYMin|xMinYMid|xMidYMid|xMaxYMid|xMinYMax|xMidYMax|xMaxYMax)(?:\s+(?:meet|slice))?\s*$/,
  tabindex: /^\s*[-+]?\d+\s*$/
}

/** The values `name` may take on `element`, as the message says them, when `value` is not one; undefined when it is. */
export function expectedValue(element: string, name: string, value: string): string | undefined {
  const list = valueLists[`${element}.${name}`] ?? valueLists[name]
  if (list) return list.includes(value) ? undefined : list.map((one) => `\`${one}\``).join(', ')
  const pattern = valuePatterns[name]
  if (pattern && !pattern.test(value))
    return name === 'id'
      ? 'an XML name (a letter or `_`, then letters, digits, `-`, `_`, `.`)'
      : `a value matching ${pattern}`
  return undefined
}

const descriptive = 'title desc'
const graphics = `g svg defs symbol use switch image text a ${shapes}`
const resources = 'linearGradient radialGradient pattern clipPath mask marker filter'
const container = `${descriptive} ${graphics} ${resources}`
const inText = `${descriptive} tspan a`

/** The elements each element may hold (none when not listed). */
const childRows: Record<string, string> = {
  svg: container,
  g: container,
  defs: container,
  symbol: container,
  a: container,
  marker: container,
  mask: container,
  pattern: container,
  switch: `${descriptive} svg g use text image a ${shapes}`,
  clipPath: `${descriptive} use text ${shapes}`,
  text: `${inText} textPath`,
  tspan: inText,
  textPath: inText,
  linearGradient: `${descriptive} stop`,
  radialGradient: `${descriptive} stop`,
  filter: `${descriptive} ${primitives}`,
  feComponentTransfer: funcs,
  feMerge: 'feMergeNode',
  feDiffuseLighting: lights,
  feSpecularLighting: lights,
  feDropShadow: descriptive,
  use: descriptive,
  image: descriptive,
  ...Object.fromEntries(shapes.split(' ').map((shape) => [shape, descriptive]))
}
const childrenOf = new Map(Object.entries(childRows).map(([parent, names]) => [parent, new Set(names.split(' '))]))

/** Whether `parent` may hold `child`. */
export function childAllowed(parent: string, child: string): boolean {
  return childrenOf.get(parent)?.has(child) ?? false
}

/** Elements that may hold text (in text, the links become `<tspan>`). */
export const textHolders = new Set(['text', 'tspan', 'textPath', 'title', 'desc'])

/** Elements whose children come in the schema's order, each at most once: the place of `child` in that order, or undefined. */
export function sequencePlace(parent: string, child: string): number | undefined {
  if (parent === 'feComponentTransfer') return funcs.split(' ').indexOf(child)
  // A lighting primitive holds exactly one light source.
  if (parent === 'feDiffuseLighting' || parent === 'feSpecularLighting') return 0
  return undefined
}

/** Elements that must hold one of these elements: without one, they are removed. */
export const requiredChildren: Record<string, Set<string>> = {
  feDiffuseLighting: new Set(lights.split(' ')),
  feSpecularLighting: new Set(lights.split(' '))
}
