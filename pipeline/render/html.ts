/**
 * hast to HTML (or XHTML) as rehype-stringify writes it, byte for byte, in
 * about a fifth of the time, for the chapters' pages and documents: they are
 * most of what a build writes, and rehype-stringify (hast-util-to-html) took
 * a quarter of a rebuild's time (measured: 100 chapters from the build cache,
 * 234 ms of 1.1 s). hast-util-to-html looks up each attribute's schema
 * information and builds a character-reference encoder's options for every
 * attribute and text; here both are done once per attribute name and per
 * set of settings.
 *
 * Only the settings the targets use are done here (quoted attributes,
 * hexadecimal or named character references without omitted semicolons, no
 * omitted tags); with any other, the serializer is rehype-stringify itself.
 * tests/html.test.ts holds it to rehype-stringify on every page of several
 * books and on the CommonMark spec's examples.
 */
import {stringify as commas} from 'comma-separated-tokens'
import type {Element, Nodes, Parents, Properties, RootContent} from 'hast'
import type {Options} from 'hast-util-to-html'
import {htmlVoidElements} from 'html-void-elements'
import {find, html, svg, type Schema} from 'property-information'
import rehypeStringify from 'rehype-stringify'
import {stringify as spaces} from 'space-separated-tokens'
import {stringifyEntities} from 'stringify-entities'
import {unified} from 'unified'

/** Turns a tree into its HTML; `by` says which code does. */
export type Serializer = ((tree: Nodes) => string) & {by: 'twofold' | 'rehype-stringify'}

/** Settings this serializer does itself (others go to rehype-stringify), with the values it does. */
const handled: Record<string, (value: unknown) => boolean> = {
  closeSelfClosing: () => true,
  closeEmptyElements: () => true,
  tightSelfClosing: () => true,
  collapseEmptyAttributes: () => true,
  allowDangerousHtml: () => true,
  voids: () => true,
  space: () => true,
  quote: (value) => value === '"',
  characterReferences: (value) => {
    const references = (value ?? {}) as NonNullable<Options['characterReferences']>
    return !references.omitOptionalSemicolons
  }
}

/** SVG elements whose content is HTML (see hast-util-to-html). */
const htmlIntegrationPoints = new Set(['desc', 'foreignObject', 'title'])

/** Comment text that must be encoded (see hast-util-to-html). */
const commentBreakers = /^>|^->|<!--|-->|--!>|<!-$/g

/** What an attribute name serializes as, and how its value is read. */
interface AttributeForm {
  name: string
  boolean: boolean
  overloadedBoolean: boolean
  commaSeparated: boolean
  attribute: string
}

/**
 * A serializer with rehype-stringify's `settings` (hast-util-to-html's
 * options): fast for the settings in `handled`, rehype-stringify for others.
 */
export function htmlSerializer(settings: Options = {}): Serializer {
  const reference = unified().use(rehypeStringify, settings)
  // A setting that is falsy is off, as hast-util-to-html reads it.
  const fast = Object.entries(settings).every(([key, value]) => !value || handled[key]?.(value) === true)
  // `TWOFOLD_HTML=rehype-stringify`: rehype-stringify writes every page (to compare, or to rule this out).
  if (!fast || process.env.TWOFOLD_HTML === 'rehype-stringify') {
    return Object.assign((tree: Nodes) => reference.stringify(tree as Parameters<typeof reference.stringify>[0]), {by: 'rehype-stringify' as const})
  }

  // Read as hast-util-to-html reads them: any truthy value is on.
  const references = settings.characterReferences || {}
  const voids = new Set(settings.voids || htmlVoidElements)
  const closeSelfClosing = Boolean(settings.closeSelfClosing)
  const closeEmptyElements = Boolean(settings.closeEmptyElements)
  const tightSelfClosing = Boolean(settings.tightSelfClosing)
  const collapseEmptyAttributes = Boolean(settings.collapseEmptyAttributes)
  const allowDangerousHtml = Boolean(settings.allowDangerousHtml)

  /** An encoder of the characters of `subset`, each as hast-util-to-html encodes it with these settings. */
  const encoder = (subset: string, attribute: boolean) => {
    const pattern = new RegExp(`[${subset.replace(/[\\\]^-]/g, '\\$&')}]`, 'g')
    const forms = new Map<string, string>()
    for (const character of subset) forms.set(character, stringifyEntities(character, {...references, subset: [character], attribute}))
    const replace = (character: string) => forms.get(character)!
    return (value: string) => value.replace(pattern, replace)
  }
  // The characters hast-util-to-html encodes, without parse errors and dangerous characters (its `constants`).
  const encodeText = encoder('<&', false)
  const encodeName = encoder('\0\t\n\f\r "&\'/<=>`', false)
  const encodeValue = encoder('\0"&\'`', true)
  const encodeComment = encoder('<>', false)

  const forms = new Map<Schema, Map<string, AttributeForm>>([
    [html, new Map()],
    [svg, new Map()]
  ])
  const formOf = (schema: Schema, key: string): AttributeForm => {
    const known = forms.get(schema)!
    let form = known.get(key)
    if (!form) {
      const info = find(schema, key)
      form = {
        name: encodeName(info.attribute),
        boolean: info.boolean,
        overloadedBoolean: info.overloadedBoolean,
        commaSeparated: info.commaSeparated,
        attribute: info.attribute
      }
      known.set(key, form)
    }
    return form
  }

  const attribute = (schema: Schema, key: string, given: Properties[string]): string => {
    const form = formOf(schema, key)
    let value: unknown = given
    if (form.overloadedBoolean && (value === form.attribute || value === '')) value = true
    else if ((form.boolean || form.overloadedBoolean) && (typeof value !== 'string' || value === form.attribute || value === '')) value = Boolean(value)
    if (value === null || value === undefined || value === false || (typeof value === 'number' && Number.isNaN(value))) return ''
    if (value === true) return form.name
    const text = Array.isArray(value) ? (form.commaSeparated ? commas : spaces)(value as Array<string | number>, {padLeft: true}) : String(value)
    if (collapseEmptyAttributes && !text) return form.name
    return `${form.name}="${encodeValue(text)}"`
  }

  const attributes = (schema: Schema, properties: Properties | undefined): string => {
    let result = ''
    if (!properties) return result
    for (const key in properties) {
      const value = properties[key]
      if (value === null || value === undefined) continue
      const text = attribute(schema, key, value)
      if (text) result = result ? `${result} ${text}` : text
    }
    return result
  }

  const text = (value: string, parent: Parents | undefined) =>
    parent && parent.type === 'element' && (parent.tagName === 'script' || parent.tagName === 'style') ? value : encodeText(value)

  const element = (node: Element, schema: Schema): string => {
    const tag = node.tagName
    let selfClosing = schema.space === 'svg' ? closeEmptyElements : voids.has(tag.toLowerCase())
    const own = schema.space === 'html' && tag === 'svg' ? svg : schema
    const props = attributes(own, node.properties)
    const inner = own.space === 'svg' && htmlIntegrationPoints.has(tag) ? html : own
    const content = children(schema.space === 'html' && tag === 'template' ? node.content : node, inner)
    if (content) selfClosing = false
    let out = props ? `<${tag} ${props}` : `<${tag}`
    if (selfClosing && (schema.space === 'svg' || closeSelfClosing)) {
      const last = props.charAt(props.length - 1)
      out += !tightSelfClosing || last === '/' || (last && last !== '"' && last !== "'") ? ' /' : '/'
    }
    out += `>${content}`
    return selfClosing ? out : `${out}</${tag}>`
  }

  const one = (node: Nodes, parent: Parents | undefined, schema: Schema): string => {
    switch (node.type) {
      case 'element':
        return element(node, schema)
      case 'text':
        return text(node.value, parent)
      case 'root':
        return children(node, schema)
      case 'comment':
        return `<!--${node.value.replace(commentBreakers, encodeComment)}-->`
      case 'doctype':
        return '<!doctype html>'
      case 'raw':
        return allowDangerousHtml ? node.value : text(node.value, parent)
      default:
        // What hast-util-to-html says of a node it does not know.
        return reference.stringify(node as Parameters<typeof reference.stringify>[0])
    }
  }

  const children = (parent: Parents | undefined, schema: Schema): string => {
    let out = ''
    // A template without content, a node without children: nothing inside.
    if (!parent?.children) return out
    for (const child of parent.children as RootContent[]) out += one(child, parent, schema)
    return out
  }

  return Object.assign((tree: Nodes) => one(tree, undefined, settings.space === 'svg' ? svg : html), {by: 'twofold' as const})
}
