/**
 * What the plugins and both targets share about walking a chapter's tree.
 * Most of a chapter's nodes are phrasing content inside paragraphs, and
 * every walk with `unist-util-visit` costs the same per node whatever it
 * looks for: a walk for blocks (definitions, headings, paragraphs, scrolly
 * sections) skips what can only hold phrasing content.
 */
import type {Nodes} from 'mdast'
import {CONTINUE, SKIP} from 'unist-util-visit'

/** Nodes whose children are phrasing content only. */
const phrasingParents = new Set<string>(['paragraph', 'heading', 'tableCell'])

/** `SKIP` for a node whose children can only be phrasing content, else `CONTINUE`: return it from a visitor that looks for blocks. */
export function blocksOnly(node: Nodes): typeof SKIP | typeof CONTINUE {
  return phrasingParents.has(node.type) ? SKIP : CONTINUE
}
