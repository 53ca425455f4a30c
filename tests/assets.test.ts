/**
 * `wordCount` counts the words a reader reads: prose in every kind of
 * block and inline node, but not frontmatter, code blocks, definitions or
 * images' alt text.
 */
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import {unified} from 'unified'
import {describe, expect, it} from 'vitest'
import {wordCount} from '../pipeline/parse/processor.js'
import {charactersOf} from '../pipeline/render/web/fonts.js'

const parser = unified().use(remarkParse).use(remarkFrontmatter, ['yaml']).use(remarkGfm)

describe('wordCount', () => {
  it('counts prose and leaves out frontmatter, code, definitions and alt text', () => {
    const chapter = [
      '---',
      'title: Not counted at all',
      '---',
      '',
      '# The arrival',
      '',
      'One *two* **three** [four five][site] `six` ![alt words here](a.png) seven.',
      '',
      '```',
      'code is not read',
      '```',
      '',
      '> eight nine',
      '',
      'Ten, eleven.',
      '',
      '[site]: https://example.com "Not counted"'
    ].join('\n')
    // 2 in the heading, 9 in the paragraphs and 2 in the block quote.
    expect(wordCount(parser.parse(chapter))).toBe(13)
  })

  it('never joins the last word of one block with the first of the next', () => {
    expect(wordCount(parser.parse('one\n\ntwo\n\n# three'))).toBe(3)
  })

  it('splits at any white space, no-break and ideographic spaces too', () => {
    expect(wordCount(parser.parse('one\u00a0two\u3000three\u2009four'))).toBe(4)
    expect(wordCount(parser.parse('one\u200btwo'))).toBe(1)
  })
})

describe('charactersOf', () => {
  it('gives printable ASCII and every other character of the pages, astral ones whole, once each', () => {
    const characters = charactersOf(['<p>Perú — “Lima”</p>', new TextEncoder().encode('<p>𝄞 café é</p>')])
    expect([...characters].filter((char) => char > '~')).toEqual(['é', 'ú', '—', '“', '”', '𝄞'])
    expect(characters.startsWith(' !"#')).toBe(true)
    expect(characters).toContain('~')
  })
})
