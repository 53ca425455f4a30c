/**
 * remark plugin: Pandoc's inline notes, `text^[the note]`. Format-neutral.
 * Each becomes a GFM `footnoteReference` and a `footnoteDefinition` (labels
 * `inline-1`, `inline-2`… in reading order) at the end of the chapter, so the
 * targets render both kinds of notes alike. A note may hold any inline
 * Markdown, brackets included when they are balanced.
 */
import type {FootnoteDefinition, FootnoteReference, PhrasingContent, Root} from 'mdast'
import type {VFile} from 'vfile'
import {visit} from '../tree.js'

/** Turn `^[…]` into footnote references and definitions. */
export function remarkInlineNotes() {
  return (tree: Root, file: VFile) => {
    if (!String(file.value).includes('^[')) return
    const definitions: FootnoteDefinition[] = []
    visit(tree, (node) => {
      if (!('children' in node) || node.type === 'link' || node.type === 'linkReference') return
      const children = node.children as PhrasingContent[]
      for (let index = 0; index < children.length; index++) {
        const start = children[index]
        if (start.type !== 'text') continue
        const at = start.value.indexOf('^[')
        if (at === -1) continue
        // Find the `]` that closes it, in this text node or a later sibling text node.
        let depth = 0
        let end: {index: number; offset: number} | undefined
        for (let next = index; next < children.length && !end; next++) {
          const child = children[next]
          if (child.type !== 'text') continue
          for (let offset = next === index ? at + 2 : 0; offset < child.value.length; offset++) {
            const character = child.value[offset]
            if (character === '[') depth++
            else if (character === ']' && depth-- === 0) {
              end = {index: next, offset}
              break
            }
          }
        }
        if (!end) continue
        const last = children[end.index] as {value: string}
        const content: PhrasingContent[] =
          end.index === index
            ? [{type: 'text', value: start.value.slice(at + 2, end.offset)}]
            : [
                {type: 'text', value: start.value.slice(at + 2)},
                ...children.slice(index + 1, end.index),
                {type: 'text', value: last.value.slice(0, end.offset)}
              ]
        const identifier = `inline-${definitions.length + 1}`
        const reference: FootnoteReference = {type: 'footnoteReference', identifier, label: identifier}
        const rest: PhrasingContent = {type: 'text', value: last.value.slice(end.offset + 1)}
        const before: PhrasingContent = {type: 'text', value: start.value.slice(0, at), position: start.position}
        children.splice(index, end.index - index + 1, before, reference, rest)
        definitions.push({
          type: 'footnoteDefinition',
          identifier,
          label: identifier,
          children: [{type: 'paragraph', children: content.filter((child) => child.type !== 'text' || child.value)}]
        })
        index += 1
      }
    })
    tree.children.push(...definitions)
  }
}
