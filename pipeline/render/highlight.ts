/**
 * Syntax highlighting of fenced code at build time with lowlight
 * (highlight.js's grammars, its `common` set of 37 languages), as `hljs-*`
 * class names the stylesheets colour in light and dark. No script runs in
 * either book. Both targets render the same code nodes, so each is
 * highlighted once per build.
 */
import type {ElementContent} from 'hast'
import {common, createLowlight} from 'lowlight'
import type {Code} from 'mdast'

const lowlight = createLowlight(common)
const done = new WeakMap<Code, ElementContent[]>()

/** The highlighted hast of a code block (`value` is its text as rendered), or its plain text for a language lowlight lacks. */
export function highlight(node: Code, value: string): ElementContent[] {
  const language = node.lang?.split(/\s/)[0]?.toLowerCase()
  if (!language || !lowlight.registered(language)) return [{type: 'text', value}]
  let children = done.get(node)
  if (!children) {
    children = lowlight.highlight(language, value).children as ElementContent[]
    done.set(node, children)
  }
  // Each target gets its own copy: hast nodes are not shared between trees.
  return structuredClone(children)
}
