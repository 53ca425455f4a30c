/**
 * `visit` with the API and types of `unist-util-visit`, walked without its
 * per-node cost. The library makes a closure, copies the ancestor list and
 * renames a function (`Object.defineProperty`, for debugger names) at every
 * node; over the trees of a 100-chapter book that was a fifth of the build.
 * Here one recursive function walks in preorder with the same results: test
 * (type name, or anything `unist-util-is` takes), `(node, index, parent)`,
 * `SKIP`, `EXIT`, `CONTINUE`, a returned index or `[action, index]` to move
 * on from, and children read afresh after each visit (a visitor may change
 * them). Reverse walks and `{enter, exit}` visitors go to the library.
 */
import type {Node, Parent} from 'unist'
import {convert} from 'unist-util-is'
import {findAndReplace as slowFindAndReplace} from 'mdast-util-find-and-replace'
import {CONTINUE, EXIT, SKIP, visit as slowVisit} from 'unist-util-visit'

export {CONTINUE, EXIT, SKIP}

type Check = (node: Node, index: number | undefined, parent: Parent | undefined) => boolean
type Callback = (node: Node, index: number | undefined, parent: Parent | undefined) => unknown

const exited = Symbol('exit')

function fastVisit(tree: Node, ...rest: unknown[]): void {
  let test: unknown
  let visitor: unknown
  let reverse: unknown
  if (typeof rest[1] === 'function' || (rest[1] && typeof rest[1] === 'object')) [test, visitor, reverse] = rest
  else [visitor, reverse] = rest
  if (reverse || typeof visitor !== 'function') {
    ;(slowVisit as (...args: unknown[]) => void)(tree, ...rest)
    return
  }
  const callback = visitor as Callback
  const is: Check | undefined =
    test === null || test === undefined ? undefined : typeof test === 'string' ? (node) => node.type === test : (convert(test as Parameters<typeof convert>[0]) as Check)

  one(tree, undefined, undefined)

  /** Visit `node`; returns `exited`, the index to go on from in the parent, or `undefined` (the next sibling). */
  function one(node: Node, index: number | undefined, parent: Parent | undefined): number | typeof exited | undefined {
    let action: unknown
    let next: number | undefined
    if (!is || is(node, index, parent)) {
      const result = callback(node, index, parent)
      if (Array.isArray(result)) {
        action = result[0]
        if (typeof result[1] === 'number') next = result[1]
      } else if (typeof result === 'number') {
        action = CONTINUE
        next = result
      } else {
        action = result
      }
      if (action === EXIT) return exited
    }
    if (action !== SKIP && 'children' in node && Array.isArray(node.children)) {
      const self = node as Parent
      let offset = 0
      while (offset > -1 && offset < self.children.length) {
        const after = one(self.children[offset]!, offset, self)
        if (after === exited) return exited
        offset = typeof after === 'number' ? after : offset + 1
      }
    }
    return next
  }
}

/** Walk `tree` in preorder, calling the visitor for each node that passes the test (see `unist-util-visit`). */
export const visit = fastVisit as unknown as typeof slowVisit

/**
 * `findAndReplace` of `mdast-util-find-and-replace`, walked with the loop
 * above: the same replacements, made the same way (see its documentation),
 * without the library's walk, which costs more than the search itself.
 */
export const findAndReplace = fastFindAndReplace as unknown as typeof slowFindAndReplace

type Replace = (...args: unknown[]) => unknown

function fastFindAndReplace(tree: Node, list: unknown, options?: {ignore?: unknown}): void {
  const ignored = convert((options?.ignore ?? []) as Parameters<typeof convert>[0]) as Check
  const pairs = toPairs(list)
  // The root is tested as any node (and a text node is never ignored), as the library does.
  if (tree.type !== 'text' && ignored(tree, undefined, undefined)) return
  for (const [find, replace] of pairs) walk(tree, [], find, replace)

  function walk(node: Node, parents: Parent[], find: RegExp, replace: Replace): void {
    if (!('children' in node) || !Array.isArray(node.children)) return
    const parent = node as Parent
    parents.push(parent)
    let index = 0
    while (index < parent.children.length) {
      const child = parent.children[index]!
      if (child.type === 'text') {
        index = handle(child as Node & {value: string}, parents, index, find, replace)
        continue
      }
      if (!ignored(child, index, parent)) walk(child, parents, find, replace)
      index++
    }
    parents.pop()
  }

  /** Replace the matches in one text node; returns the index after what replaced it. */
  function handle(node: Node & {value: string}, parents: Parent[], index: number, find: RegExp, replace: Replace): number {
    const parent = parents[parents.length - 1]!
    let start = 0
    let change = false
    let nodes: Node[] = []
    const add = (child: Node) => {
      const previous = nodes[nodes.length - 1] as (Node & {value?: string}) | undefined
      if (previous && previous.type === 'text' && child.type === 'text') previous.value += (child as Node & {value: string}).value
      else nodes.push(child)
    }
    find.lastIndex = 0
    let match = find.exec(node.value)
    while (match) {
      const position = match.index
      let value = replace(...match, {index: match.index, input: match.input, stack: [...parents, node]}) as Node | Node[] | string | false | null | undefined
      if (typeof value === 'string') value = value.length > 0 ? ({type: 'text', value} as Node) : undefined
      if (value === false) {
        // Not a match after all: search again from the next character.
        find.lastIndex = position + 1
      } else {
        if (start !== position) add({type: 'text', value: node.value.slice(start, position)} as Node)
        if (Array.isArray(value)) for (const child of value) add(child)
        else if (value) add(value)
        start = position + match[0].length
        change = true
      }
      if (!find.global) break
      match = find.exec(node.value)
    }
    if (change) {
      if (start < node.value.length) add({type: 'text', value: node.value.slice(start)} as Node)
      parent.children.splice(index, 1, ...nodes)
    } else {
      nodes = [node]
    }
    return index + nodes.length
  }
}

function toPairs(list: unknown): Array<[RegExp, Replace]> {
  if (!Array.isArray(list)) throw new TypeError('Expected find and replace tuple or list of tuples')
  const tuples = (!list[0] || Array.isArray(list[0]) ? list : [list]) as Array<[RegExp | string, unknown]>
  return tuples.map(([find, replace]) => [
    typeof find === 'string' ? new RegExp(find.replace(/[|\\{}()[\]^$+*?.]/g, '\\$&').replace(/-/g, '\\x2d'), 'g') : find,
    typeof replace === 'function' ? (replace as Replace) : () => replace
  ])
}
