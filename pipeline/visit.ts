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
