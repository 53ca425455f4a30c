/**
 * remark plugin: Pandoc's subscript and superscript, `H~2~O` and `2^nd^`.
 * Format-neutral: `subscript` and `superscript` nodes. `~~strike~~` stays
 * strikethrough (the GFM plugin reads only double tildes), and, as in Pandoc,
 * neither may hold a space.
 */
import type {Parent, PhrasingContent, Root} from 'mdast'
import {findAndReplace} from 'mdast-util-find-and-replace'
import type {VFile} from 'vfile'

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
    findAndReplace(
      tree,
      [
        [/(?<![~\\])~([^~\s]+)~(?!~)/g, (_: string, value: string) => node('subscript', value)],
        [/(?<![\^\\])\^([^^\s[\]]+)\^/g, (_: string, value: string) => node('superscript', value)]
      ],
      {ignore: ['link', 'linkReference', 'inlineCode', 'inlineMath']}
    )
  }
}

function node(type: 'subscript' | 'superscript', value: string): Subscript | Superscript {
  return {type, children: [{type: 'text', value}]}
}
