/**
 * remark plugin: no character that XML or HTML forbids reaches either book.
 *
 * remark-content-checks warns about every character XML forbids in the
 * chapter's text (C0 controls but tab, line feed and carriage return; lone
 * surrogates; U+FFFE and U+FFFF) and removes it from text and code. HTML
 * also forbids DEL, the C1 controls (U+0080 to U+009F) and the other
 * noncharacters (U+FDD0 to U+FDEF, U+1FFFE …): this plugin warns about those
 * (`forbidden-character`, at their place). All of them can also hide in
 * frontmatter values, directive attributes (a claim's topic, a step's id),
 * link and image URLs, titles and alt text: this plugin removes them from
 * every string of every node, from the data the targets read
 * (`data.hProperties`) and from the validated frontmatter.
 *
 * Run it after the other shared plugins.
 */
import type {Nodes, Root} from 'mdast'
import type {VFile} from 'vfile'
import {pointAt, warn} from '../messages.js'

/** Characters XML 1.0 forbids, as remark-content-checks defines them. */
export const forbiddenCharacters =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Characters XML allows but HTML forbids: DEL, C1 controls, noncharacters (U+FFFE and U+FFFF are in `forbiddenCharacters`). */
export const htmlControlCharacters = /[\u007F-\u009F\uFDD0-\uFDEF]|(?![\uFFFE\uFFFF])\p{Noncharacter_Code_Point}/gu

const source = 'remark-xml-chars'

/** Remove XML-forbidden characters from every string in the tree and in `file.data.meta`. */
export function remarkXmlChars() {
  return (tree: Root, file: VFile) => {
    for (const match of String(file.value).matchAll(htmlControlCharacters)) {
      const code = match[0].codePointAt(0) ?? 0
      warn(
        file,
        `Unexpected control character U+${code.toString(16).toUpperCase().padStart(4, '0')} that HTML forbids, expected printable text (it is removed)`,
        pointAt(file, match.index ?? 0),
        'forbidden-character',
        source
      )
    }
    const stack: Nodes[] = [tree]
    while (stack.length > 0) {
      const node = stack.pop()!
      clean(node as unknown as Record<string, unknown>, new Set(['type', 'position', 'children']))
      if ('children' in node) stack.push(...(node.children as Nodes[]))
      // Custom nodes keep more nodes outside `children` (a claim's accounts).
      for (const value of Object.values(node)) {
        if (Array.isArray(value) && value !== (node as {children?: unknown}).children) {
          for (const item of value) if (isNode(item)) stack.push(item)
        }
      }
    }
    if (file.data.meta) clean(file.data.meta as Record<string, unknown>, new Set())
  }
}

function isNode(value: unknown): value is Nodes {
  return typeof value === 'object' && value !== null && typeof (value as {type?: unknown}).type === 'string'
}

/** Clean the string properties of `object` (and plain objects and arrays of strings below it), skipping `skip` keys. */
function clean(object: Record<string, unknown>, skip: Set<string>): void {
  for (const [key, value] of Object.entries(object)) {
    if (skip.has(key)) continue
    if (typeof value === 'string') {
      if (hasForbidden(value)) object[key] = stripForbidden(value)
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (typeof item === 'string' && hasForbidden(item)) value[index] = stripForbidden(item)
        else if (isPlainObject(item)) clean(item, new Set())
      })
    } else if (isPlainObject(value)) {
      clean(value, new Set())
    }
  }
}

/** Whether `value` holds a character XML or HTML forbids. */
export function hasForbidden(value: string): boolean {
  forbiddenCharacters.lastIndex = 0
  htmlControlCharacters.lastIndex = 0
  const found = forbiddenCharacters.test(value) || htmlControlCharacters.test(value)
  forbiddenCharacters.lastIndex = 0
  htmlControlCharacters.lastIndex = 0
  return found
}

/** `value` without the characters XML or HTML forbids. */
export function stripForbidden(value: string): string {
  return value.replace(forbiddenCharacters, '').replace(htmlControlCharacters, '')
}

/** Each character of `value` that XML or HTML forbids: its index and code point, in order. */
export function forbiddenIn(value: string): Array<{index: number; code: number}> {
  const found = [...value.matchAll(forbiddenCharacters), ...value.matchAll(htmlControlCharacters)].map((match) => ({
    index: match.index ?? 0,
    code: match[0].codePointAt(0) ?? 0
  }))
  return found.sort((a, b) => a.index - b.index)
}

/** The message for a forbidden character with code point `code` (it is removed). */
export function forbiddenReason(code: number, where = 'text'): string {
  return `Unexpected control character U+${code.toString(16).toUpperCase().padStart(4, '0')} in ${where}, expected printable text (it is removed)`
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  // Nodes are walked on their own; only plain data objects (attributes, data, hProperties) here.
  return (prototype === Object.prototype || prototype === null) && !isNode(value)
}
