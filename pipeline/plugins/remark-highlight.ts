/**
 * remark plugin: fenced code highlighted at build time with lowlight
 * (highlight.js's grammars, its `common` set of 37 languages), as `hljs-*`
 * class names the stylesheets colour in light and dark. No script runs in
 * either book. The highlighted hast goes on the code node's
 * `data.hChildren`, so both targets render it as they render any node, and
 * a chapter read back from the cache is not highlighted again. lowlight is
 * loaded by the first chapter with code in a language, not by every build.
 */
import type {ElementContent} from 'hast'
import type {Code, Root} from 'mdast'
import type {VFile} from 'vfile'
import {blocksOnly, visit} from '../tree.js'

type Lowlight = ReturnType<typeof import('lowlight').createLowlight>
let lowlight: Promise<Lowlight> | undefined

/** Highlight each fenced code block whose language lowlight has. */
export function remarkHighlight() {
  return async (tree: Root, file: VFile) => {
    const text = String(file.value)
    if (!text.includes('```') && !text.includes('~~~')) return
    const blocks: Code[] = []
    visit(tree, (node) => {
      if (node.type === 'code' && node.lang) blocks.push(node)
      return blocksOnly(node)
    })
    if (blocks.length === 0) return
    lowlight ??= import('lowlight').then(({common, createLowlight}) => createLowlight(common))
    const highlighter = await lowlight
    for (const node of blocks) {
      const language = node.lang?.split(/\s/)[0]?.toLowerCase()
      if (!language || !highlighter.registered(language)) continue
      // The text as the targets render it: the block's lines, each ending in a line break.
      const value = node.value ? `${node.value}\n` : ''
      node.data = {
        ...node.data,
        hChildren: highlighter.highlight(language, value).children as ElementContent[]
      }
    }
  }
}
