/**
 * remark-gfm-lazy changes nothing but speed: the trees with and without it
 * are compared on the story, every Markdown fixture, the CommonMark examples,
 * text with (and almost with) autolink literals and tables, and random
 * documents made of what tables are made of but `|`; and it does skip the
 * constructs a document cannot hold.
 */
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import type {Root} from 'mdast'
import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {remarkChunkedParse} from '../pipeline/plugins/remark-chunked-parse.js'
import {remarkGfmLazy} from '../pipeline/plugins/remark-gfm-lazy.js'
import {markdownFiles, root} from './helpers/fixture-book.js'

// CommonJS, without types: its examples, as Markdown.
const commonmark = createRequire(import.meta.url)('commonmark-spec') as {tests: Array<{markdown: string}>}

const base = () => unified().use(remarkParse).use(remarkChunkedParse).use(remarkFrontmatter, ['yaml']).use(remarkDirective).use(remarkGfm)
const always = base()
const lazy = base().use(remarkGfmLazy)

function expectSame(markdown: string) {
  const a = always.runSync(always.parse(markdown)) as Root
  const b = lazy.runSync(lazy.parse(markdown)) as Root
  expect(b, JSON.stringify(markdown)).toEqual(a)
}

/**
 * A processor with remark-gfm-lazy whose micromark extensions are watched:
 * each time remark-parse reads them, `read` records whether one of them has
 * the construct `name` among its `kind` constructs.
 */
function watchExtensions(kind: 'text' | 'flow', name: string) {
  const processor = base().use(remarkGfmLazy).freeze()
  const data = processor.data()
  let value = data.micromarkExtensions
  const read: boolean[] = []
  const holds = (extensions: unknown): boolean =>
    [extensions].flat(3).some((extension) => Object.values((extension as Record<string, object | undefined>)[kind] ?? {}).flat().some((construct) => (construct as {name?: string})?.name === name))
  Object.defineProperty(data, 'micromarkExtensions', {
    get() {
      read.push(holds(value))
      return value
    },
    set(next) {
      value = next
    },
    configurable: true
  })
  return {processor, read}
}

describe('remark-gfm-lazy', () => {
  it('gives the trees remark-gfm gives, on the story, the fixtures and the CommonMark examples', async () => {
    for (const file of [...(await markdownFiles(path.join(root, 'chapters'))), ...(await markdownFiles(path.join(root, 'tests/fixtures')))]) {
      expectSame(await fs.readFile(file, 'utf8'))
    }
    for (const example of commonmark.tests) expectSame(example.markdown)
  })

  it('gives the trees remark-gfm gives, with autolink literals and near misses', () => {
    const samples = [
      'Visit www.example.com, https://example.org/a?b=c and HTTP://EXAMPLE.NET. Write to someone@example.org.',
      'Escaped: someone\\@example.org, www\\.example.com, https\\://example.org, and `www.example.com` in code.',
      'References: someone&#64;example.org, www&#46;example.com, https&#x3A;//example.org &amp; more.',
      'Citations are not addresses: [@smith2020], [see @a; @b, p. 3], @key and @{a key}.',
      'Near misses: wwwexample, www .example, http:/example, mailto:, xmpp:, a @ b, @b.c, WWW.EXAMPLE.COM.',
      'mailto:someone@example.org and xmpp:someone@example.org/resource, and [a link](https://example.org).',
      '---\ntitle: "x"\n---\n\n:::note\nwww.example.com\n:::\n\n| a | b |\n| - | - |\n| www.example.com | c |',
      'a | b\n- | -\nc | d',
      'a\n:-\n\na\n-:\n\n- a\n  :-:\n\n> a\n> ---\n\n| a\n:-',
      'a \\| b\n\\| - \\| - \\|\n\na &#124; b\n- &#124; -'
    ]
    for (const sample of samples) expectSame(sample)
  })

  it('gives the trees remark-gfm gives for random documents of table parts without a pipe or an alignment colon', () => {
    const piece = fc.constantFrom('a', 'b c', '-', '--', ':', '- :', ': -', ' ', '  ', '\t', '\n', '\n\n', '> ', '* ', '1. ', '\\', '&#124;', '`', '=')
    fc.assert(
      fc.property(fc.array(piece, {maxLength: 40}), (pieces) => {
        expectSame(pieces.join(''))
      }),
      {seed: 20261123, numRuns: 1000}
    )
  })

  it('lends remark-parse the extensions without autolink literals for a document that holds none', () => {
    const {processor, read} = watchExtensions('text', 'emailAutolink')
    processor.parse('Plain prose [@smith2020], with a citation.')
    processor.parse('Mail someone@example.org.')
    expect(read).toEqual([false, true])
  })

  it('lends remark-parse the extensions without tables for a document without a pipe', () => {
    const {processor, read} = watchExtensions('flow', 'table')
    processor.parse('a\n- :\n\nPlain prose.')
    processor.parse('| a |\n| - |')
    processor.parse('a\n-:')
    expect(read).toEqual([false, true, true])
    expect(processor.parse('| a |\n| - |').children[0]?.type).toBe('table')
    expect(processor.parse('a\n-:').children[0]?.type).toBe('table')
  })
})
