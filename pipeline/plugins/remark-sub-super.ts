/**
 * remark plugin: Pandoc's subscript and superscript, `H~2~O` and `2^nd^`.
 * Format-neutral: `subscript` and `superscript` nodes. `~~strike~~` stays
 * strikethrough (the GFM plugin reads only double tildes), and, as in Pandoc,
 * neither may hold a space unless it is escaped (`H~a\ b~O`, a no-break
 * space), though they may hold emphasis, code or a link (`2^*nd*^`). An
 * escaped `\~` or `\^` is a literal character.
 */
import type {Parent, PhrasingContent, Root} from 'mdast'
import {findAndReplace} from 'mdast-util-find-and-replace'
import {SKIP} from 'unist-util-visit'
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
        [/(?<!~)~((?:[^~\s]|(?<=\\) )+)~(?!~)/g, (_: string, value: string) => node('subscript', value)],
        [/(?<!\^)\^((?:[^^\s[\]]|(?<=\\) )+)\^/g, (_: string, value: string) => node('superscript', value)]
      ],
      {ignore: ['link', 'linkReference', 'inlineCode', 'inlineMath']}
    )
    // `2^*nd*^`: the marks are in two text nodes, around other inline nodes.
    visit(tree, (parent) => {
      if (parent.type === 'link' || parent.type === 'linkReference') return SKIP
      if (!('children' in parent) || !parent.children.some((child) => child.type === 'text')) return undefined
      if (tilde) acrossNodes(parent as Parent, '~', 'subscript')
      if (caret) acrossNodes(parent as Parent, '^', 'superscript')
      return undefined
    })
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
  return {type, children: [{type: 'text', value: value.replaceAll('\\ ', '\u00a0')}]}
}

// White space a sub- or superscript may not hold: any but an escaped space.
const bareSpace = /(?<!\\)\s/

/**
 * Sub- or superscripts whose marks are in two text nodes of one parent, with
 * other inline nodes between (`a^*b*^`): the text after the opening mark and
 * before the closing one holds no bare space, and neither mark is doubled.
 */
function acrossNodes(parent: Parent, mark: '~' | '^', type: 'subscript' | 'superscript'): void {
  const children = parent.children as PhrasingContent[]
  for (let index = 0; index < children.length - 2; index++) {
    const open = children[index]
    if (open.type !== 'text') continue
    const at = open.value.lastIndexOf(mark)
    const tail = open.value.slice(at + 1)
    if (at < 0 || open.value[at - 1] === mark || bareSpace.test(tail)) continue
    for (let end = index + 1; end < children.length; end++) {
      const close = children[end]
      if (close.type === 'break') break
      if (close.type !== 'text') continue
      const to = close.value.indexOf(mark)
      const head = to < 0 ? close.value : close.value.slice(0, to)
      if (bareSpace.test(head) || close.value[to + 1] === mark) break
      if (to < 0) continue
      const inner: PhrasingContent[] = [
        ...(tail ? [node(type, tail).children[0]] : []),
        ...children.slice(index + 1, end),
        ...(head ? [node(type, head).children[0]] : [])
      ]
      open.value = open.value.slice(0, at)
      close.value = close.value.slice(to + 1)
      children.splice(index + 1, end - index - 1, {type, children: inner} as PhrasingContent)
      break
    }
  }
  parent.children = children.filter((child) => child.type !== 'text' || child.value !== '') as never
}
