/**
 * `wordCount` counts what joining each top-level node's text with
 * mdast-util-to-string and splitting it at white space counts, on the
 * CommonMark spec's examples, the story's chapters and text full of every
 * kind of white space.
 */
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {wordCount} from '../pipeline/render/assets.js'
import {root} from './helpers/fixture-book.js'

const spec = createRequire(import.meta.url)('commonmark-spec') as {tests: Array<{markdown: string; number: number}>}
const parser = unified().use(remarkParse).use(remarkGfm)

/** The count as joined and split. */
function joined(tree: Root): number {
  let count = 0
  for (const node of tree.children) {
    if (node.type === 'yaml' || node.type === 'code' || node.type === 'definition') continue
    count += toString(node, {includeImageAlt: false}).split(/\s+/).filter(Boolean).length
  }
  return count
}

describe('wordCount', () => {
  it('counts as joining and splitting the text does, on every CommonMark example', () => {
    let total = 0
    for (const example of spec.tests) {
      const tree = parser.parse(example.markdown.replace(/→/g, '\t'))
      expect(wordCount(tree), `example ${example.number}`).toBe(joined(tree))
      total += joined(tree)
    }
    expect(total).toBeGreaterThan(1000)
  })

  it('counts as joining and splitting the text does, on the story', async () => {
    const dir = path.join(root, 'chapters')
    for (const name of (await fs.readdir(dir)).filter((file) => file.endsWith('.md'))) {
      const tree = parser.parse(await fs.readFile(path.join(dir, name), 'utf8'))
      expect(wordCount(tree), name).toBe(joined(tree))
      expect(wordCount(tree)).toBeGreaterThan(100)
    }
  })

  it('counts nodes without text as mdast-util-to-string joins them', () => {
    const tree = {type: 'root', children: [{type: 'paragraph', children: [{type: 'text', value: null}, {type: 'text', value: 'a'}, {type: 'inlineCode', value: undefined}, {type: 'text', value: 'b c'}]}]} as unknown as Root
    expect(wordCount(tree)).toBe(joined(tree))
    expect(wordCount(tree)).toBe(2)
  })

  it('splits at every white space `\\s` knows, and only there, across emphasis and links', () => {
    const spaces = ' \t\u000b\f\u00a0\u1680\u2000\u2005\u200a\u2028\u2029\u202f\u205f\u3000\ufeff'
    const others = 'a\u200b\u180e\u0085b'
    for (const space of [...spaces, ...others]) {
      const tree = parser.parse(`one${space}two *three*four [five](x)${space}six ![alt words](y.png) seven`)
      expect(wordCount(tree), `U+${space.charCodeAt(0).toString(16)}`).toBe(joined(tree))
    }
  })
})
