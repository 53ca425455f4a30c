/**
 * remark-gfm-lean gives the trees remark-gfm gives: on the story, every
 * Markdown fixture, the CommonMark examples, and text with (and almost with)
 * autolink literals, footnotes, strikethrough, tables and task lists.
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
import {remarkGfmLean} from '../pipeline/plugins/remark-gfm-lean.js'
import {markdownFiles, root} from './helpers/fixture-book.js'

// CommonJS, without types: its examples, as Markdown.
const commonmark = createRequire(import.meta.url)('commonmark-spec') as {
  tests: Array<{markdown: string}>
}

const base = () => unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkDirective)
const gfm = base().use(remarkGfm, {singleTilde: false})
const lean = base().use(remarkGfmLean)

function expectSame(markdown: string) {
  const expected = gfm.runSync(gfm.parse(markdown)) as Root
  expect(lean.runSync(lean.parse(markdown)), JSON.stringify(markdown)).toEqual(expected)
}

describe('remark-gfm-lean', () => {
  it('gives the trees remark-gfm gives, on the story, the fixtures and the CommonMark examples', async () => {
    for (const file of [
      ...(await markdownFiles(path.join(root, 'chapters'))),
      ...(await markdownFiles(path.join(root, 'tests/fixtures')))
    ]) {
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
      'A note[^1] and ~~struck~~ ~text~ www.example.com.\n\n[^1]: See https://example.org.\n\n- [ ] to do\n- [x] done',
      'A note[^a] without an address.\n\n[^a]: Plain.\n\n| a |\n| :-: |\n| ~~b~~ |\n\n* [x] done'
    ]
    for (const sample of samples) expectSame(sample)
  })
})
