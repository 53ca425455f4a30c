/**
 * remark plugin: no character that XML forbids reaches either book.
 *
 * remark-content-checks warns about every such character in the chapter's
 * text (C0 controls but tab, line feed and carriage return; lone
 * surrogates; U+FFFE and U+FFFF) and removes it from text and code. They can
 * also hide in frontmatter values, directive attributes (a claim's topic,
 * a step's id), link and image URLs, titles and alt text: this plugin
 * removes them from every string of every node, from the data the targets
 * read (`data.hProperties`) and from the validated frontmatter. It reports
 * nothing itself (the warning is already there, at the character's place).
 *
 * Run it after the other shared plugins.
 */
import type {Nodes, Root} from 'mdast'
import type {VFile} from 'vfile'

/** Characters XML 1.0 forbids, as remark-content-checks defines them. */
export const forbiddenCharacters = /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/** Remove XML-forbidden characters from every string in the tree and in `file.data.meta`. */
export function remarkXmlChars() {
  return function (tree: Root, file: VFile) {
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
      if (hasForbidden(value)) object[key] = value.replace(forbiddenCharacters, '')
    } else if (Array.isArray(value)) {
      value.forEach((item, index) => {
        if (typeof item === 'string' && hasForbidden(item)) value[index] = item.replace(forbiddenCharacters, '')
        else if (isPlainObject(item)) clean(item, new Set())
      })
    } else if (isPlainObject(value)) {
      clean(value, new Set())
    }
  }
}

function hasForbidden(value: string): boolean {
  forbiddenCharacters.lastIndex = 0
  const found = forbiddenCharacters.test(value)
  forbiddenCharacters.lastIndex = 0
  return found
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false
  const prototype = Object.getPrototypeOf(value)
  // Nodes are walked on their own; only plain data objects (attributes, data, hProperties) here.
  return (prototype === Object.prototype || prototype === null) && !isNode(value)
}
