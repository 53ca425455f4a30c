/**
 * remark plugin: Pandoc's subscript and superscript, `H~2~O` and `2^nd^`.
 * Format-neutral: `subscript` and `superscript` nodes. `~~strike~~` stays
 * strikethrough (the GFM plugin reads only double tildes), and, as in Pandoc,
 * neither may hold a space. An escaped `\~` or `\^` is a literal character.
 */
import type {Parent, PhrasingContent, Root} from 'mdast'
import {findAndReplace} from 'mdast-util-find-and-replace'
import type {VFile} from 'vfile'
import {mapSource} from '../citations/source-map.js'
import {visit} from '../tree.js'

/** `H~2~O`: a subscript. */
export interface Subscript extends Parent {
  type: 'subscript'
  children: PhrasingContent[]
}

/** `2^nd^`: a superscript. */
export interface Superscript extends Parent {
  type: 'superscript'
  children: PhrasingContent[]
}

declare module 'mdast' {
  interface PhrasingContentMap {
    subscript: Subscript
    superscript: Superscript
  }
  interface RootContentMap {
    subscript: Subscript
    superscript: Superscript
  }
}

/** Turn `~x~` and `^x^` into `subscript` and `superscript` nodes. */
export function remarkSubSuper() {
  return (tree: Root, file: VFile) => {
    const text = String(file.value)
    const tilde = text.includes('~')
    const caret = text.includes('^')
    if (!tilde && !caret) return
    const escaped = /\\[~^]/.test(text) && !text.includes(tildeMark) && !text.includes(caretMark)
    if (escaped) markEscapes(tree, text)
    findAndReplace(
      tree,
      [
        [/(?<!~)~([^~\s]+)~(?!~)/g, (_: string, value: string) => node('subscript', value)],
        [/(?<!\^)\^([^^\s[\]]+)\^/g, (_: string, value: string) => node('superscript', value)]
      ],
      {ignore: ['link', 'linkReference', 'inlineCode', 'inlineMath']}
    )
    if (escaped) unmarkEscapes(tree)
  }
}

// Stand-ins for escaped `~` and `^` while the patterns run (noncharacters, which no book may hold).
const tildeMark = '\uFDD0'
const caretMark = '\uFDD1'

/** Put stand-ins for the `~` and `^` written escaped (the parse drops the backslash; the source keeps it). */
function markEscapes(tree: Root, text: string): void {
  visit(tree, 'text', (node) => {
    if (!/[~^]/.test(node.value)) return
    const map = mapSource(node, text)
    if (!map) return
    node.value = node.value.replace(/[~^]/g, (char, at: number) =>
      map.escaped(at) ? (char === '~' ? tildeMark : caretMark) : char
    )
  })
}

/** Give the stand-ins back their characters, in whatever text nodes they are now. */
function unmarkEscapes(tree: Root): void {
  visit(tree, 'text', (node) => {
    if (/[\uFDD0\uFDD1]/.test(node.value)) node.value = node.value.replaceAll(tildeMark, '~').replaceAll(caretMark, '^')
  })
}

function node(type: 'subscript' | 'superscript', value: string): Subscript | Superscript {
  return {type, children: [{type: 'text', value}]}
}
