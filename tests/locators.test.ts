/**
 * Every citation in the story points at the paragraph of its source it draws
 * on (`[@es-chavin, para. 4]`), and the locator is checked against the source
 * texts in tests/fixtures/sources/: the paragraph exists, and every numeral of
 * the words the citation closes (since the previous citation in the same
 * paragraph) appears in one of the paragraphs it cites.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Nodes, Paragraph} from 'mdast'
import {toString as mdToString} from 'mdast-util-to-string'
import {visit} from 'unist-util-visit'
import {beforeAll, describe, expect, it} from 'vitest'
import {parseBook} from '../pipeline/build.js'
import {parseLocator} from '../pipeline/citations/syntax.js'
import type {Book, Citation} from '../pipeline/types.js'
import {root} from './helpers/fixture-book.js'

/**
 * A source's paragraphs: its non-empty lines that end as a sentence ends. A line
 * without final punctuation (`The Siege`, `Recommended For You`) is a heading or
 * page furniture, not a paragraph. Numbered from 1.
 */
function paragraphs(text: string): string[] {
  return text
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => /[.!?»”")]$/.test(line))
}

/** The paragraph numbers of a locator: `4`, `1, 3`, `1–3`. */
function paragraphNumbers(locator: string): number[] {
  return locator.split(/\s*,\s*/).flatMap((part) => {
    const [from, to] = part.split(/\s*[-–]\s*/).map(Number)
    if (to === undefined) return [from!]
    return Array.from({length: to - from! + 1}, (_, i) => from! + i)
  })
}

const numerals = (text: string) => text.match(/\d+/g) ?? []

let book: Book
const sources = new Map<string, string[]>()

beforeAll(async () => {
  const parsed = await parseBook('chapters', root)
  if (!parsed.book) throw new Error('The story does not parse')
  book = parsed.book
  const dir = path.join(root, 'tests/fixtures/sources')
  for (const item of book.references)
    sources.set(item.id, paragraphs(fs.readFileSync(path.join(dir, `${item.id}.txt`), 'utf8')))
}, 60_000)

/** Each citation with the words it closes: the text since the previous citation of its paragraph. */
function citedWords(): Array<{chapter: string; citation: Citation; words: string}> {
  const found: Array<{chapter: string; citation: Citation; words: string}> = []
  for (const chapter of book.chapters) {
    const read = (paragraph: Paragraph) => {
      let words = ''
      const walk = (node: Nodes) => {
        if (node.type === 'citation') {
          found.push({chapter: chapter.slug, citation: node, words})
          words = ''
        } else if ('children' in node) for (const child of node.children) walk(child)
        else words += mdToString(node)
      }
      walk(paragraph)
    }
    visit(chapter.tree, 'paragraph', read)
    // A contested claim's accounts are kept beside its passage, not in the tree.
    for (const claim of chapter.file.data.contested ?? [])
      for (const account of claim.accounts) read({type: 'paragraph', children: account.children})
  }
  return found
}

describe('locators', () => {
  it('reads the sources as the paragraphs the locators count', () => {
    expect([...sources].map(([id, list]) => [id, list.length])).toEqual([
      ['pt-video', 5],
      ['es-chavin', 6],
      ['en-siege', 5]
    ])
  })

  it('finds every citation of the story', () => {
    const count = book.chapters.reduce((sum, chapter) => sum + (chapter.file.data.citations?.length ?? 0), 0)
    expect(citedWords()).toHaveLength(count)
  })

  it('gives every cite a paragraph of its source that exists', () => {
    const wrong: string[] = []
    for (const {chapter, citation} of citedWords()) {
      for (const item of citation.items) {
        const {label, locator} = parseLocator(item.suffix)
        const list = sources.get(item.key) ?? []
        const numbers = locator ? paragraphNumbers(locator) : []
        if (label !== 'paragraph' || numbers.length === 0 || numbers.some((n) => !(n >= 1 && n <= list.length)))
          wrong.push(`${chapter} note ${citation.number}: @${item.key}, ${item.suffix.trim() || '(no locator)'}`)
      }
    }
    expect(wrong).toEqual([])
  })

  it('finds the numerals of each cited passage in the paragraphs it cites', () => {
    const missing: string[] = []
    for (const {chapter, citation, words} of citedWords()) {
      const cited = citation.items.flatMap((item) => {
        const list = sources.get(item.key) ?? []
        return paragraphNumbers(parseLocator(item.suffix).locator ?? '').map((n) => list[n - 1] ?? '')
      })
      const known = new Set(cited.flatMap(numerals))
      for (const numeral of numerals(words))
        if (!known.has(numeral)) missing.push(`${chapter} note ${citation.number}: ${numeral} in “${words.trim()}”`)
    }
    expect(missing).toEqual([])
  })
})
