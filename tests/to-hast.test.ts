/** rootToHast gives what mdast-util-to-hast's toHast gives: on the CommonMark examples, GFM footnotes and definitions, and the story. */
import {createRequire} from 'node:module'
import type {Root} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {expect, it} from 'vitest'
import {parseBook} from '../pipeline/build.js'
import {rootToHast} from '../pipeline/render/to-hast.js'
import {root} from './helpers/fixture-book.js'

const commonmark = createRequire(import.meta.url)('commonmark-spec') as {tests: Array<{markdown: string}>}
const processor = unified().use(remarkParse).use(remarkGfm)

it('converts as toHast does', async () => {
  const documents = [
    ...commonmark.tests.map((example) => example.markdown),
    'Text with a note[^a], another[^b] and the first again[^a].\n\n[^a]: The note.\n[^b]: Another, with a [link][x].\n\n[x]: https://example.com "Title"\n[X]: https://example.org\n',
    '[^dup]: first\n[^dup]: second\n\nCalls [^dup] and [undefined][nothing].'
  ]
  let withDefinitions = 0
  for (const markdown of documents) {
    const tree = processor.runSync(processor.parse(markdown)) as Root
    if (tree.children.some((node) => node.type === 'definition' || node.type === 'footnoteDefinition')) withDefinitions++
    expect(rootToHast(tree), JSON.stringify(markdown)).toEqual(toHast(tree))
  }
  expect(withDefinitions).toBeGreaterThan(30)
  const story = await parseBook('chapters', root)
  for (const chapter of story.book!.chapters) expect(rootToHast(chapter.tree)).toEqual(toHast(chapter.tree))
})
