/**
 * remark-chunked-parse gives the very tree a whole parse gives (node for
 * node, positions included), here with pieces cut as small as it allows:
 * on the CommonMark spec itself, on every spec example (alone and with
 * definitions around it), and on random chapters.
 */
import {createRequire} from 'node:module'
import fc from 'fast-check'
import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {findCuts, remarkChunkedParse} from '../pipeline/plugins/remark-chunked-parse.js'
import {chapter} from './fixtures/fuzz/arbitraries.js'

const spec = createRequire(import.meta.url)('commonmark-spec') as {text: string; tests: Array<{markdown: string; number: number}>}

const whole = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkDirective).use(remarkGfm)
const pieces = (chunkSize: number) =>
  unified().use(remarkParse).use(remarkChunkedParse, {threshold: 0, chunkSize}).use(remarkFrontmatter, ['yaml']).use(remarkDirective).use(remarkGfm)
const smallest = pieces(1)

const same = (document: string, processor = smallest) => expect(processor.parse(new VFile(document))).toEqual(whole.parse(new VFile(document)))

describe('remark-chunked-parse', () => {
  it('parses the CommonMark spec (about 200 KB) as a whole parse does, cut in as many pieces as it allows', () => {
    expect(findCuts(spec.text, 1).length).toBeGreaterThan(300)
    same(spec.text)
  })

  it('parses every spec example as a whole parse does, between paragraphs and definitions', () => {
    for (const example of spec.tests) {
      const markdown = example.markdown.replace(/→/g, '\t')
      same(`Before [x], [y][] and [^1].\n\n${markdown}\n\nText.\n\n[x]: /first\n\nMore.\n\n[^1]: A note.\n\nEnd.\n`)
    }
  })

  it('parses random chapters as a whole parse does', async () => {
    fc.assert(
      fc.property(fc.array(chapter, {minLength: 1, maxLength: 4}), (chapters) => {
        // Several chapters in a row, the later frontmatter as thematic breaks and prose.
        same(chapters.join('\n\n'))
      }),
      {seed: 20_261_124, numRuns: 120}
    )
  })

  it('leaves short documents to the plain parse', () => {
    const processor = unified().use(remarkParse).use(remarkChunkedParse)
    const text = 'Short.\n\nText.\n'
    expect(processor.parse(text)).toEqual(unified().use(remarkParse).parse(text))
  })
})
