/** Our `visit` walks as `unist-util-visit` does: the same calls, in the same order, with the same effects. */
import type {Root} from 'mdast'
import {findAndReplace as libraryFindAndReplace} from 'mdast-util-find-and-replace'
import {fromMarkdown} from 'mdast-util-from-markdown'
import type {Node, Parent} from 'unist'
import {SKIP as librarySkip, visit as libraryVisit} from 'unist-util-visit'
import {describe, expect, it} from 'vitest'
import {EXIT, SKIP, findAndReplace, visit} from '../pipeline/parse/visit.js'

const markdown = `# Title *one*

A paragraph with *emphasis*, **strong**, \`code\` and a [link](https://example.com "t").

- item one
- item *two*
  - nested [ref][x]

> quote with text
>
> and more

[x]: https://example.com
`

type Walk = (...rest: unknown[]) => void

/** Run the same visitor through both walkers, each over a fresh tree: the logs of calls and the final trees must match. */
function both(setup: (walk: Walk, log: string[]) => void) {
  const run = (walker: unknown) => {
    const tree = fromMarkdown(markdown)
    const log: string[] = []
    setup((...rest) => (walker as (tree: Root, ...rest: unknown[]) => void)(tree, ...rest), log)
    return {log, tree}
  }
  return {ours: run(visit), theirs: run(libraryVisit)}
}

const describeNode = (node: Node, index: number | undefined, parent: Parent | undefined) => `${node.type}@${index ?? '-'}<${parent?.type ?? '-'}`

describe('visit', () => {
  it('visits every node in preorder with index and parent', () => {
    const {ours, theirs} = both((walk, log) => walk((node: Node, index: number | undefined, parent: Parent | undefined) => void log.push(describeNode(node, index, parent))))
    expect(ours.log.length).toBeGreaterThan(20)
    expect(ours.log).toEqual(theirs.log)
  })

  it('filters by type name and by test function', () => {
    const byName = both((walk, log) => walk('text', (node: Node, index: number | undefined, parent: Parent | undefined) => void log.push(describeNode(node, index, parent))))
    expect(byName.ours.log.length).toBeGreaterThan(5)
    expect(byName.ours.log).toEqual(byName.theirs.log)
    const byTest = both((walk, log) =>
      walk((node: Node) => node.type === 'emphasis' || node.type === 'link', (node: Node, index: number | undefined, parent: Parent | undefined) => void log.push(describeNode(node, index, parent)))
    )
    expect(byTest.ours.log).toEqual(byTest.theirs.log)
    const byObject = both((walk, log) => walk({type: 'listItem'}, (node: Node, index: number | undefined) => void log.push(`${node.type}@${index}`)))
    expect(byObject.ours.log).toEqual(['listItem@0', 'listItem@1', 'listItem@0'])
    expect(byObject.ours.log).toEqual(byObject.theirs.log)
  })

  it('skips children on SKIP and stops on EXIT', () => {
    const skip = both((walk, log) =>
      walk((node: Node) => {
        log.push(node.type)
        return node.type === 'list' || node.type === 'emphasis' ? SKIP : undefined
      })
    )
    expect(skip.ours.log).not.toContain('listItem')
    expect(skip.ours.log).toEqual(skip.theirs.log)
    const exit = both((walk, log) =>
      walk((node: Node) => {
        log.push(node.type)
        return node.type === 'inlineCode' ? EXIT : undefined
      })
    )
    expect(exit.ours.log[exit.ours.log.length - 1]).toBe('inlineCode')
    expect(exit.ours.log).toEqual(exit.theirs.log)
  })

  it('goes on from a returned index after the visitor changes the children', () => {
    // Replace each emphasis by its children, and go on at the first of them; remove inline code, going on at the same index.
    const {ours, theirs} = both((walk, log) =>
      walk((node: Node, index: number | undefined, parent: Parent | undefined) => {
        log.push(node.type)
        if (!parent || index === undefined) return
        if (node.type === 'emphasis') {
          parent.children.splice(index, 1, ...(node as Parent).children)
          return [librarySkip, index]
        }
        if (node.type === 'inlineCode') {
          parent.children.splice(index, 1)
          return index
        }
      })
    )
    expect(ours.log).toContain('emphasis')
    expect(ours.log).toEqual(theirs.log)
    expect(ours.tree).toEqual(theirs.tree)
    expect(JSON.stringify(ours.tree)).not.toContain('"type":"emphasis"')
  })

  it('finds and replaces as mdast-util-find-and-replace does', () => {
    const cases: Array<[string, (tree: Root, find: typeof findAndReplace) => void]> = [
      ['words to nodes', (tree, find) => find(tree, [/\b(item|text)\b/g, (word: string) => ({type: 'emphasis', children: [{type: 'text', value: word.toUpperCase()}]})])],
      ['strings, empty strings and arrays', (tree, find) => find(tree, [[/o/g, '0'], [/e/g, ''], [/q(u)/g, (_: string, u: string) => [{type: 'text', value: 'Q'}, {type: 'inlineCode', value: u}]]])],
      ['refusals, which search again from the next character', (tree, find) => find(tree, [/\w+/g, (word: string) => (word.length % 2 === 0 ? false : `<${word}>`)])],
      ['the stack of parents', (tree, find) => find(tree, [/and|more/g, (word: string, match: {stack: Array<{type: string}>}) => `${word}[${match.stack.map((node) => node.type).join('>')}]`])],
      ['ignored subtrees and a string pattern', (tree, find) => find(tree, ['e', 'E'], {ignore: ['link', 'listItem']})],
      ['a pattern that is not global', (tree, find) => find(tree, [/t/, 'T'])]
    ]
    for (const [name, run] of cases) {
      const ours = fromMarkdown(markdown)
      const theirs = fromMarkdown(markdown)
      run(ours, findAndReplace)
      run(theirs, libraryFindAndReplace as unknown as typeof findAndReplace)
      expect(ours, name).toEqual(theirs)
      expect(ours, name).not.toEqual(fromMarkdown(markdown))
    }
  })
})
