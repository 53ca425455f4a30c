/**
 * remark-gfm-lazy-autolinks changes nothing but speed: the trees with and
 * without it are compared on the story, every Markdown fixture, the
 * CommonMark examples and text with (and almost with) autolink literals; and
 * it does skip the autolink literals where a document cannot hold one.
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
import {describe, expect, it} from 'vitest'
import {remarkChunkedParse} from '../pipeline/plugins/remark-chunked-parse.js'
import {remarkGfmLazyAutolinks} from '../pipeline/plugins/remark-gfm-lazy-autolinks.js'
import {root} from './helpers/fixture-book.js'

// CommonJS, without types: its examples, as Markdown.
const commonmark = createRequire(import.meta.url)('commonmark-spec') as {tests: Array<{markdown: string}>}

const base = () => unified().use(remarkParse).use(remarkChunkedParse).use(remarkFrontmatter, ['yaml']).use(remarkDirective).use(remarkGfm)
const always = base()
const lazy = base().use(remarkGfmLazyAutolinks)

function expectSame(markdown: string) {
  const a = always.runSync(always.parse(markdown)) as Root
  const b = lazy.runSync(lazy.parse(markdown)) as Root
  expect(b, JSON.stringify(markdown)).toEqual(a)
}

async function markdownFiles(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await fs.readdir(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await markdownFiles(full)))
    else if (entry.name.endsWith('.md')) found.push(full)
  }
  return found.sort()
}

describe('remark-gfm-lazy-autolinks', () => {
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
      '---\ntitle: "x"\n---\n\n:::note\nwww.example.com\n:::\n\n| a | b |\n| - | - |\n| www.example.com | c |'
    ]
    for (const sample of samples) expectSame(sample)
  })

  it('lends remark-parse the extensions without autolink literals for a document that holds none', () => {
    const processor = base().use(remarkGfmLazyAutolinks).freeze()
    const data = processor.data()
    let value = data.micromarkExtensions
    const read: boolean[] = []
    const hasAutolinks = (extensions: unknown): boolean =>
      [extensions].flat(3).some((extension) => Object.values((extension as {text?: object}).text ?? {}).flat().some((construct) => (construct as {name?: string})?.name === 'emailAutolink'))
    Object.defineProperty(data, 'micromarkExtensions', {
      get() {
        read.push(hasAutolinks(value))
        return value
      },
      set(next) {
        value = next
      },
      configurable: true
    })
    processor.parse('Plain prose [@smith2020], with a citation.')
    processor.parse('Mail someone@example.org.')
    expect(read).toEqual([false, true])
  })
})
