/**
 * What the plugins and both targets share about walking a chapter's tree.
 * Most of a chapter's nodes are phrasing content inside paragraphs, and
 * every walk with `unist-util-visit` costs the same per node whatever it
 * looks for: a walk for blocks (definitions, headings, paragraphs, scrolly
 * sections) skips what can only hold phrasing content.
 */
import type {Nodes as HastNodes, Parents as HastParents} from 'hast'
import type {Nodes, Parents} from 'mdast'
import {CONTINUE, EXIT, SKIP} from 'unist-util-visit'

/** Nodes whose children are phrasing content only. */
const phrasingParents = new Set<string>(['paragraph', 'heading', 'tableCell'])

/** `SKIP` for a node whose children can only be phrasing content, else `CONTINUE`: return it from a visitor that looks for blocks. */
export function blocksOnly(node: Nodes): typeof SKIP | typeof CONTINUE {
  return phrasingParents.has(node.type) ? SKIP : CONTINUE
}

/** A node of either tree: Markdown (mdast) or HTML (hast). */
type AnyNode = Nodes | HastNodes
/** A parent of either tree. */
type AnyParent = Parents | HastParents
/** What a visitor returns: as `unist-util-visit` reads it. */
type Action =
  | typeof CONTINUE
  | typeof SKIP
  | typeof EXIT
  | number
  | undefined
  | [typeof CONTINUE | typeof SKIP | typeof EXIT, number?]
type Visitor<N, P> = (node: N, index: number | undefined, parent: P | undefined) => Action

/**
 * `unist-util-visit`'s `visit`, for what Twofold's walks ask of it: every
 * node in preorder (or every node of one `type`), with its index and parent,
 * and the visitor's `SKIP`, `EXIT` and next index honoured the same way.
 * Kept because it pays: the library names every visitor it makes with
 * `Object.defineProperty` (for stack traces), which over the parse's dozen
 * walks took about a tenth of a first build of the 100-chapter bench book.
 */
export function visit<Type extends Nodes['type']>(
  tree: Nodes,
  type: Type,
  visitor: Visitor<Extract<Nodes, {type: Type}>, Parents>
): void
export function visit(tree: Nodes, visitor: Visitor<Nodes, Parents>): void
export function visit<Type extends HastNodes['type']>(
  tree: HastNodes,
  type: Type,
  visitor: Visitor<Extract<HastNodes, {type: Type}>, HastParents>
): void
export function visit(tree: HastNodes, visitor: Visitor<HastNodes, HastParents>): void
export function visit(tree: AnyNode, test: unknown, maybe?: unknown): void {
  const type = typeof test === 'string' ? test : undefined
  const visitor = (typeof test === 'string' ? maybe : test) as Visitor<AnyNode, AnyParent>
  const one = (node: AnyNode, index: number | undefined, parent: AnyParent | undefined): [unknown, number?] => {
    const action = type === undefined || node.type === type ? visitor(node, index, parent) : CONTINUE
    const result: [unknown, number?] = Array.isArray(action)
      ? action
      : typeof action === 'number'
        ? [CONTINUE, action]
        : [action]
    if (result[0] === EXIT || result[0] === SKIP || !('children' in node)) return result
    const children = node.children as AnyNode[]
    for (let at = 0; at > -1 && at < children.length; ) {
      const sub = one(children[at]!, at, node as AnyParent)
      if (sub[0] === EXIT) return sub
      at = typeof sub[1] === 'number' ? sub[1] : at + 1
    }
    return result
  }
  one(tree, undefined, undefined)
}
