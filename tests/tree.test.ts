/**
 * The walker of pipeline/tree.ts: every node in preorder with its index and
 * parent, or the nodes of one type; SKIP, EXIT and a returned index work as
 * in unist-util-visit.
 */
import type {Root} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {EXIT, SKIP} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {blocksOnly, visit} from '../pipeline/tree.js'

const tree = (): Root => fromMarkdown('# Title\n\nSome *emphasis* and `code`.\n\n- one\n- two\n')

describe('visit', () => {
  it('visits every node in preorder, with its index and parent', () => {
    const seen: string[] = []
    visit(tree(), (node, index, parent) => {
      seen.push(`${node.type}@${index ?? '-'}<${parent?.type ?? ''}`)
    })
    expect(seen).toEqual([
      'root@-<',
      'heading@0<root',
      'text@0<heading',
      'paragraph@1<root',
      'text@0<paragraph',
      'emphasis@1<paragraph',
      'text@0<emphasis',
      'text@2<paragraph',
      'inlineCode@3<paragraph',
      'text@4<paragraph',
      'list@2<root',
      'listItem@0<list',
      'paragraph@0<listItem',
      'text@0<paragraph',
      'listItem@1<list',
      'paragraph@0<listItem',
      'text@0<paragraph'
    ])
  })

  it('visits the nodes of one type, skips a subtree on SKIP, stops on EXIT', () => {
    const texts: string[] = []
    visit(tree(), 'text', (node) => {
      texts.push(node.value)
    })
    expect(texts).toEqual(['Title', 'Some ', 'emphasis', ' and ', '.', 'one', 'two'])
    const blocks: string[] = []
    visit(tree(), (node) => {
      blocks.push(node.type)
      return blocksOnly(node)
    })
    expect(blocks).not.toContain('text')
    expect(blocks).toContain('listItem')
    const first: string[] = []
    visit(tree(), 'listItem', (node) => {
      first.push(node.type)
      return EXIT
    })
    expect(first).toEqual(['listItem'])
  })

  it('goes on at the index a visitor returns, after it replaced or inserted nodes', () => {
    const root = tree()
    const visited: string[] = []
    visit(root, (node, index, parent) => {
      if (node.type === 'text') visited.push(node.value)
      if (node.type !== 'inlineCode' || !parent || index === undefined) return
      parent.children.splice(index, 1, {type: 'text', value: 'A'}, {type: 'text', value: node.value})
      // The two new nodes are not visited: the walk goes on after them.
      return [SKIP, index + 2]
    })
    expect(visited).toEqual(['Title', 'Some ', 'emphasis', ' and ', '.', 'one', 'two'])
    const again: string[] = []
    visit(root, (node, index, parent) => {
      if (node.type === 'text') again.push(node.value)
      if (node.type === 'emphasis' && parent && index !== undefined) {
        parent.children.splice(index, 1, {type: 'text', value: 'plain'})
        // Visit the node put in its place, not the children of the one taken out.
        return [SKIP, index]
      }
      return undefined
    })
    expect(again).toEqual(['Title', 'Some ', 'plain', ' and ', 'A', 'code', '.', 'one', 'two'])
  })
})
