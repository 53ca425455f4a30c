/**
 * remark-smart-punctuation gives exactly what remark-smartypants gives: the
 * trees after each plugin are compared on the story, every Markdown fixture,
 * the CommonMark examples, a synthetic chapter, every character of the
 * plugin's tables beside each quote, and random text. The fast path must
 * also be the one taken on ordinary prose.
 */
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import fc from 'fast-check'
import type {Root} from 'mdast'
import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkSmartypants from 'remark-smartypants'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {quoteAt, remarkSmartPunctuation} from '../pipeline/plugins/remark-smart-punctuation.js'
import {markdownFiles, root} from './helpers/fixture-book.js'

// CommonJS, without types: its examples, as Markdown.
const commonmark = createRequire(import.meta.url)('commonmark-spec') as {
  tests: Array<{markdown: string}>
}

const base = () => unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkDirective).use(remarkGfm)
const reference = base().use(remarkSmartypants)
const fast = base().use(remarkSmartPunctuation)

function both(markdown: string): [Root, Root] {
  const a = reference.runSync(reference.parse(markdown)) as Root
  const b = fast.runSync(fast.parse(markdown)) as Root
  return [a, b]
}

function expectSame(markdown: string) {
  const [a, b] = both(markdown)
  expect(b, JSON.stringify(markdown)).toEqual(a)
}

// Characters to put around quotes: the plugin's tables, its edges, and a few it does not know.
const around = [
  ...' \t\n\u00A0\u2003',
  ...'aZ09ßéÿĀſƀɏΑωЖяԯ\u0301\u02C6',
  ...'!"#$%&\'()*+,-./:;<=>?@[\\]^_`{|}~',
  ...'¡§©«®°±´¶·¸»¿×÷',
  ...'\u2010\u2011\u2013\u2014\u2018\u2019\u201C\u201D\u2026\u2030\u203D\u2044',
  ...'\u0530\u05D0\u0627\u4E2D\u3000\u2070\uFF01😀'
]

describe('remark-smart-punctuation', () => {
  it('matches remark-smartypants on the story and every Markdown fixture', async () => {
    const files = [
      ...(await markdownFiles(path.join(root, 'chapters'))),
      ...(await markdownFiles(path.join(root, 'tests/fixtures')))
    ]
    expect(files.length).toBeGreaterThan(10)
    for (const file of files) expectSame(await fs.readFile(file, 'utf8'))
  })

  it('matches remark-smartypants on the CommonMark examples', () => {
    for (const example of commonmark.tests) expectSame(example.markdown)
  })

  it('matches remark-smartypants on dialogue, dashes and ellipses', () => {
    const prose = [
      "\"Hello,\" she said. \"It's the '80s -- and rock'n'roll... isn't it?\"",
      'He wrote: \'Yes.\' Then ("quietly") he left -- for good --- or not.',
      '"*Emphasis* inside," and `code`" after code, and "[a link](x.md)" too.',
      '# A "heading" with \'quotes\'\n\n| "a" | \'b\' |\n| --- | --- |\n| x"y | "z" |',
      "Spaced . . . ellipsis and unspaced.... ones, ``backticks'' and ''doubled'' quotes.",
      '\'s Gravenhage. \'s morgens. The \'90s-era "word"\'s end; ..."word" and "..." and "\'nested\'"',
      'Em—"dash" and en–"dash" and “curly" and (\'paren\') and [\'bracket\'] and {"brace"}.',
      'A line\n"starting" a line, and a quote at the end"\n\n"And a new paragraph."'
    ]
    for (const text of prose) expectSame(text)
  })

  it('matches remark-smartypants with every known character around quotes', () => {
    const sure: string[] = []
    const unsure: string[] = []
    for (const quote of ['"', "'"]) {
      for (const before of around) {
        for (const after of around) {
          for (const line of [
            `x${before}${quote}${after}y`,
            `${before}${quote}${after}ab`,
            `12${before}${quote}${after}. w`,
            `x${before}${quote}${after}y z${before}${quote}${after}`
          ]) {
            const text = ` ${line.replace(/\n/g, ' ')}`
            const decided = [...text.matchAll(/["']/g)].every((match) => quoteAt(text, match.index) !== 'unsure')
            ;(decided ? sure : unsure).push(text.slice(1))
          }
        }
      }
    }
    // Lines whose quotes the plugin decides, as paragraphs of a few large documents (one undecided quote would hand a
    // whole document to retext); the others go to retext anyway, a sample of them checks that.
    expect(sure.length).toBeGreaterThan(8000)
    for (let index = 0; index < sure.length; index += 2000) expectSame(sure.slice(index, index + 2000).join('\n\n'))
    for (let index = 0; index < unsure.length; index += 401) expectSame(unsure[index]!)
  })

  it('matches remark-smartypants on random text', () => {
    const alphabet = fc.constantFrom(...around, ...'"\'"\'..--``  ', 'ab', "'s", '80s', '\n\n', '*', '`a`', '[x](y)')
    fc.assert(
      fc.property(fc.array(alphabet, {maxLength: 40}), (parts) => {
        const [a, b] = both(parts.join(''))
        expect(b).toEqual(a)
      }),
      {numRuns: 1500}
    )
  })

  it('decides ordinary quotes itself', () => {
    const text = ' "Yes," she said. "It\'s (\'quiet\')--there." He\'d left'
    const decisions = [...text.matchAll(/["']/g)].map((match) => quoteAt(text, match.index))
    expect(decisions).toEqual(['open', 'close', 'open', 'close', 'open', 'close', 'close', 'close'])
  })
})
