/**
 * A long, much-cited book's EPUB, as e-readers get it: no content document
 * past the size older reading systems open (the sources, which link back to
 * every citing place, go on in further documents), every bibliography entry
 * once and in the style's order across those documents, “Sources” in the
 * contents and the landmarks leading to the first, and epubcheck clean.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type BuildResult, build} from '../../pipeline/build.js'
import {sourceAnchors} from '../../pipeline/citations/places.js'
import {documentBudget, sourcesParts} from '../../pipeline/render/epub/notes.js'
import {writeSyntheticBook} from '../../scripts/synth-book.js'
import {type Epub, elements, openEpub, text} from '../helpers/epub-package.js'
import {epubcheck} from '../helpers/epubcheck.js'

/** What Adobe's RMSDK once refused to open past: the size a content document must stay under. */
const readerLimit = 300 * 1024

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-long-book-'))
afterAll(async () => {
  await fs.rm(work, {recursive: true, force: true})
})

describe('a book of 60 chapters citing 2,400 times', () => {
  let result: BuildResult
  let epub: Epub

  beforeAll(async () => {
    const book = await writeSyntheticBook({
      chapters: 60,
      out: path.join(work, 'book'),
      seed: 3
    })
    result = await build({
      bookDir: book,
      outDir: path.join(work, 'out'),
      modified: new Date(Date.UTC(2026, 0, 1))
    })
    expect(result.ok).toBe(true)
    epub = await openEpub(result.outputs!.epub.path)
  }, 120_000)

  it('keeps every content document under 300 KB, the sources in several', () => {
    for (const item of epub.spine) expect(epub.files.get(item.path)!.byteLength, item.href).toBeLessThan(readerLimit)
    const parts = epub.spine.filter((item) => /^sources(-\d+)?\.xhtml$/.test(item.href))
    expect(parts.map((item) => item.href)).toEqual([
      'sources.xhtml',
      ...parts.slice(1).map((_, index) => `sources-${index + 2}.xhtml`)
    ])
    expect(parts.length).toBeGreaterThan(1)
    // One run in reading order: nothing comes between the parts.
    const at = epub.spine.indexOf(parts[0]!)
    expect(epub.spine.slice(at, at + parts.length)).toEqual(parts)
  })

  it('lists every entry once, in the style’s order, each part with its heading', () => {
    const book = result.book!
    const anchors = sourceAnchors(book.formatter.order(book.references.map((item) => item.id)))
    const parts = epub.spine
      .filter((item) => /^sources(-\d+)?\.xhtml$/.test(item.href))
      .map((item) => epub.documents.get(item.path)!)
    const listed = parts.flatMap((document) =>
      elements(document, 'li')
        .filter((li) => li.attributes['epub:type'] === 'biblioentry')
        .map((li) => li.attributes.id)
    )
    expect(listed).toEqual([...anchors.values()])
    parts.forEach((document, index) => {
      const headings = elements(document, 'h1')
      expect(headings).toHaveLength(1)
      expect(text(headings[0]!)).toBe(index === 0 ? 'Sources' : `Sources, continued (${index + 1} of ${parts.length})`)
      expect(elements(document, 'section')[0]!.attributes['aria-labelledby']).toBe(headings[0]!.attributes.id)
    })
  })

  it('leads to the first part from the contents and the landmarks', () => {
    const nav = epub.documents.get(epub.nav.path)!
    const links = (type: string) =>
      elements(elements(nav, 'nav').find((element) => element.attributes['epub:type'] === type)!, 'a')
    const toc = links('toc').map((a) => String(a.attributes.href))
    expect(toc.filter((href) => href.startsWith('sources'))).toEqual(['sources.xhtml'])
    expect(links('landmarks').find((a) => a.attributes['epub:type'] === 'bibliography')?.attributes.href).toBe(
      'sources.xhtml'
    )
  })

  it('passes epubcheck', async () => {
    const messages = await epubcheck(result.outputs!.epub.path)
    expect(messages.filter((message) => message.severity !== 'USAGE')).toEqual([])
  }, 120_000)
})

describe('sourcesParts', () => {
  it('fills each part up to the budget, ends parts at entries, and never leaves one empty', () => {
    const weights: Record<string, number> = {a: 40, b: 50, c: 20, d: 150, e: 10}
    expect(sourcesParts(Object.keys(weights), (id) => weights[id]!, 100)).toEqual([['a', 'b'], ['c'], ['d'], ['e']])
    expect(sourcesParts(['a'], () => 10 * documentBudget, documentBudget)).toEqual([['a']])
  })
})
