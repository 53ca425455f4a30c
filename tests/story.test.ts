/**
 * The story keeps faith with its sources: every paragraph of prose carries a
 * citation, the sources' disagreements are marked, and no sentence of the
 * English source is copied.
 */
import fs from 'node:fs'
import path from 'node:path'
import type {Paragraph} from 'mdast'
import {visitParents} from 'unist-util-visit-parents'
import {beforeAll, describe, expect, it} from 'vitest'
import {parseBook} from '../pipeline/build.js'
import type {Book} from '../pipeline/types.js'
import {root} from './helpers/fixture-book.js'

let book: Book
let messages: string[]

beforeAll(async () => {
  const parsed = await parseBook('chapters', root)
  messages = parsed.files.flatMap((f) =>
    f.messages.map((m) => `${f.path}:${m.line}:${m.column} ${m.ruleId} ${m.reason}`)
  )
  if (!parsed.book) throw new Error(`The story does not parse:\n${messages.join('\n')}`)
  book = parsed.book
})

describe('the story', () => {
  it('builds without errors or warnings', () => {
    expect(messages).toEqual([])
  })

  it('has 6 to 8 chapters', () => {
    expect(book.chapters.length).toBeGreaterThanOrEqual(6)
    expect(book.chapters.length).toBeLessThanOrEqual(8)
  })

  it('cites something in every paragraph of prose', () => {
    const uncited: string[] = []
    for (const chapter of book.chapters) {
      visitParents(chapter.tree, 'paragraph', (node: Paragraph) => {
        let cited = false
        visitParents(node, 'citation', () => {
          cited = true
        })
        if (!cited) uncited.push(`${chapter.file.path}:${node.position?.start.line}`)
      })
    }
    expect(uncited).toEqual([])
  })

  it('shows every source’s figure for the number of people at the party', () => {
    const claims = book.chapters.flatMap((c) => c.file.data.contested ?? [])
    const party = claims.find((c) => c.id === 'party-size')
    expect(party).toBeDefined()
    const keys = new Set(
      party!.accounts.flatMap((a) => {
        const found: string[] = []
        visitParents(a, 'citation', (c) => {
          found.push(...c.items.map((i) => i.key))
        })
        return found
      })
    )
    expect([...keys].sort()).toEqual(['en-siege', 'es-chavin', 'pt-video'])
  })

  it('uses every graphic of the book, in scrolly sections', () => {
    const used = new Set(book.chapters.flatMap((c) => c.file.data.graphicsUsed ?? []))
    expect([...used].sort()).toEqual(['mrta-timeline', 'peru-locator', 'raid-toll', 'siege-days', 'who-was-inside'])
  })

  it('copies no run of 8 words from the English source', () => {
    const sourcePath = path.join(root, 'tests/fixtures/sources/en-siege.txt')
    const words = (text: string) => text.toLowerCase().match(/[a-z0-9']+/g) ?? []
    const source = words(fs.readFileSync(sourcePath, 'utf8'))
    const grams = new Set(source.slice(0, -7).map((_, i) => source.slice(i, i + 8).join(' ')))
    const copied: string[] = []
    for (const chapter of book.chapters) {
      const w = words(String(chapter.file.value))
      for (let i = 0; i + 8 <= w.length; i++) {
        const gram = w.slice(i, i + 8).join(' ')
        if (grams.has(gram)) copied.push(`${chapter.file.path}: ${gram}`)
      }
    }
    expect(copied).toEqual([])
  })
})
