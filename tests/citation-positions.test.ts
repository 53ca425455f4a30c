/**
 * Notes in the style's own forms: a full note at a work's first cite in a
 * chapter, short notes after (CSL positions, ../pipeline/citations/positions.ts).
 *
 * - The positions given to citeproc are the ones citeproc itself computes for
 *   the same notes (its `processCitationCluster`), on the story and on a
 *   chapter made to reach every rule.
 * - The formatter keeps a first note and a later one apart, in its memo, its
 *   shapes with placeholder pages and its joined notes of several works.
 * - Built books, web page and EPUB notes document, show the full note first in
 *   each chapter and short ones after, with the default style and with a note
 *   style the author supplies; a run of citations of the same thing still
 *   shares one note.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {plugins} from '@citation-js/core'
import {afterAll, describe, expect, it} from 'vitest'
import {build, parseBook} from '../pipeline/build.js'
import {createFormatter} from '../pipeline/citations/formatter.js'
import {parseLocator} from '../pipeline/citations/syntax.js'
import type {Chapter, Citation, CiteItem, CitePosition, CslItem} from '../pipeline/types.js'
import {epubFiles} from './helpers/epub-zip.js'
import {root} from './helpers/fixture-book.js'

const scratch = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-positions-'))
afterAll(async () => {
  await fs.rm(scratch, {recursive: true, force: true})
})

const references: CslItem[] = [
  {
    id: 'alpha',
    type: 'book',
    title: 'The Alpha Book: A Long Subtitle',
    'title-short': 'The Alpha Book',
    author: [{family: 'Alpha', given: 'Ann'}],
    publisher: 'Andes Press',
    'publisher-place': 'Lima',
    issued: {'date-parts': [[2001]]}
  },
  {id: 'beta', type: 'webpage', title: 'Beta Notes', genre: 'encyclopedic article', language: 'en'},
  {
    id: 'gamma',
    type: 'article-journal',
    title: 'Gamma Rays and the Press',
    author: [{family: 'Gamma', given: 'Gil'}],
    'container-title': 'Journal of Things',
    volume: '4',
    page: '10-30',
    issued: {'date-parts': [[2010]]}
  }
]

/** Every rule: runs, ibid with and without locators, a note of several works, a work twice in a note, near and far. */
const reachEveryRule = `---
title: One
---

A run [@alpha, p. 3]. Of the same page [@alpha, p. 3].

Another page [@alpha, p. 4]. No page after a page [@alpha]. No page again [see @alpha].

Two works [@gamma; @alpha]. Alpha after two works [@alpha]. Gamma twice [@gamma, p. 12; @gamma, p. 14].

Beta [@beta]. Beta again [see @beta, para. 2]. Gamma [@gamma]. Alpha [@alpha, ch. 2]. Beta [@beta].

Far from alpha [@gamma, p. 11]. Beta [@beta]. Gamma [@gamma]. Beta [@beta]. Gamma [@gamma]. Alpha [@alpha, p. 3].
`

const secondChapter = `---
title: Two
---

Alpha again, in a new chapter [@alpha, p. 3]. Then beta [@beta]. Then alpha [@alpha, p. 3].
`

/** A book of two chapters citing the three works, in `dir`; `yaml` is added to its book.yaml. */
async function writeBook(name: string, yaml = '', files: Record<string, string> = {}): Promise<string> {
  const dir = path.join(scratch, name)
  await fs.mkdir(dir, {recursive: true})
  await fs.writeFile(
    path.join(dir, 'book.yaml'),
    `title: Positions\nauthors:\n  - Ada Example\nlanguage: en\ndescription: Notes in their positions.\ndate: 2026-01-15\nebook: positions\n${yaml}`
  )
  await fs.writeFile(path.join(dir, 'references.json'), JSON.stringify(references, null, 2))
  await fs.writeFile(path.join(dir, '01-one.md'), reachEveryRule)
  await fs.writeFile(path.join(dir, '02-two.md'), secondChapter)
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), {recursive: true})
    await fs.writeFile(path.join(dir, file), text)
  }
  return dir
}

const cslPositions: CitePosition[] = ['first', 'subsequent', 'ibid', 'ibid-with-locator']

/** A chapter's notes: the first citation of each number (a run shares its note). */
function notesOf(chapter: Chapter): Citation[] {
  const notes: Citation[] = []
  for (const citation of chapter.file.data.citations ?? [])
    if (notes.at(-1)?.number !== citation.number) notes.push(citation)
  return notes
}

/**
 * The positions citeproc-js computes itself for a chapter's notes, each note one citation at its note number:
 * `[position, near-note, first-reference-note-number]` per cite.
 */
function citeprocPositions(style: string, items: CslItem[], notes: Citation[]): unknown[][] {
  const engine = plugins.config.get('@csl')!.engine(structuredClone(items), style, 'en-US', 'text')
  const citations = notes.map((note) => ({
    citationID: `note-${note.number}`,
    citationItems: note.items.map((item) => {
      const {locator, label} = parseLocator(item.suffix)
      return locator === undefined ? {id: item.key} : {id: item.key, locator, label}
    }),
    properties: {noteIndex: note.number}
  }))
  ;(engine as unknown as {rebuildProcessorState(citations: unknown[], mode: string): unknown}).rebuildProcessorState(
    citations,
    'text'
  )
  return citations.map((citation) =>
    (citation as unknown as {sortedItems: Array<[unknown, Record<string, unknown>]>}).sortedItems.map(([, cite]) => [
      cslPositions[cite.position as number],
      cite.position !== 0 && cite['near-note'] === true,
      cite['first-reference-note-number'] || undefined
    ])
  )
}

function ourPositions(notes: Citation[]): unknown[][] {
  return notes.map((note) =>
    note.items.map((item) => [
      item.position,
      item.position !== 'first' && item.noteDistance !== undefined && item.noteDistance <= 5,
      item.firstNote
    ])
  )
}

describe('positions', () => {
  it('are the ones citeproc computes, on a chapter that reaches every rule and in each chapter of the story', async () => {
    const dir = await writeBook('conformance')
    const {book} = await parseBook(dir, scratch)
    expect(book).toBeDefined()
    const [one, two] = book!.chapters
    const notes = notesOf(one!)
    const ours = ourPositions(notes)
    expect(ours).toEqual(citeprocPositions(book!.formatter.style, references, notes))
    // What the chapter was made to reach: [position, near-note, first-reference-note-number] of each cite of each note.
    const first = ['first', false, undefined]
    expect(ours).toEqual([
      [first], // a run of two citations: one note
      [['ibid-with-locator', true, 1]],
      [['subsequent', true, 1]], // no locator after one: not ibid
      [['ibid', true, 1]],
      [first, ['subsequent', true, 1]],
      [['subsequent', true, 1]], // after a note of two works: not ibid
      [
        ['subsequent', true, 5],
        ['ibid-with-locator', true, 5] // the same work twice in a note
      ],
      [first],
      [['ibid-with-locator', true, 8]],
      [['subsequent', true, 5]],
      [['subsequent', true, 1]], // five notes after the last cite of the work: near
      [['subsequent', true, 8]],
      [['subsequent', true, 5]],
      [['subsequent', true, 8]],
      [['subsequent', true, 5]],
      [['subsequent', true, 8]],
      [['subsequent', true, 5]],
      [['subsequent', false, 1]] // seven notes after: not near
    ])
    // Each chapter starts afresh: its notes are numbered from 1, and its first cite of a work is `first` again.
    const next = notesOf(two!)
    expect(next[0]!.number).toBe(1)
    expect(ourPositions(next)).toEqual([
      [['first', false, undefined]],
      [['first', false, undefined]],
      [['subsequent', true, next[0]!.number]]
    ])
    expect(ourPositions(next)).toEqual(citeprocPositions(book!.formatter.style, references, next))

    const story = await parseBook(path.join(root, 'chapters'), root)
    expect(story.book).toBeDefined()
    for (const chapter of story.book!.chapters) {
      const chapterNotes = notesOf(chapter)
      expect(ourPositions(chapterNotes), chapter.slug).toEqual(
        citeprocPositions(story.book!.formatter.style, story.book!.references, chapterNotes)
      )
    }
  }, 120_000)
})

describe('the formatter', () => {
  const items = new Map(references.map((item) => [item.id, item]))
  const cite = (key: string, suffix: string, position?: CitePosition): CiteItem => ({
    key,
    prefix: '',
    suffix,
    suppressAuthor: false,
    ...(position ? {position} : {})
  })

  it('keeps a first note and a later one apart, in its memo and in its shapes with placeholder pages', () => {
    const formatter = createFormatter(items)
    expect(formatter.style).toBe('chicago-fullnote-bibliography')
    const full = formatter.note(cite('alpha', 'p. 12'))
    const short = formatter.note(cite('alpha', 'p. 12', 'subsequent'))
    expect(full.text).toBe('Ann Alpha, The Alpha Book: A Long Subtitle (Lima: Andes Press, 2001), 12.')
    expect(short.text).toBe('Alpha, The Alpha Book, 12.')
    expect(formatter.note(cite('alpha', 'p. 12', 'ibid-with-locator')).text).toBe('Alpha, 12.')
    // No position is a first note.
    expect(formatter.note(cite('alpha', 'p. 12', 'first'))).toBe(full)
    // A page filled into each position's own shape is what citeproc gives for that page and position.
    const runs = formatter.runs.clusters
    const fresh = createFormatter(items)
    for (const position of ['first', 'subsequent', 'ibid-with-locator'] as const) {
      expect(formatter.note(cite('alpha', 'p. 13', position)).html).toBe(
        fresh.note(cite('alpha', 'p. 13', position)).html
      )
    }
    expect(formatter.runs.clusters).toBe(runs)
  })

  it('joins a note of several works from their notes in their own positions exactly as citeproc renders it', () => {
    const positions: CitePosition[] = ['first', 'subsequent', 'ibid', 'ibid-with-locator']
    const cites = references.flatMap((item) =>
      positions.flatMap((position) => ['', 'p. 7', 'pp. 3-4'].map((suffix) => cite(item.id, suffix, position)))
    )
    const clusters: CiteItem[][] = []
    cites.forEach((a, i) => {
      for (let step = 1; step < cites.length; step += 5) {
        const b = cites[(i + step) % cites.length]!
        if (a.key !== b.key) clusters.push([a, b])
      }
    })
    const joined = createFormatter(items)
    const rendered = createFormatter(items, {joinNotes: false})
    for (const cluster of clusters) expect(joined.cluster(cluster).html).toBe(rendered.cluster(cluster).html)
    expect(clusters.length).toBeGreaterThan(150)
    expect(joined.cluster([cite('alpha', 'p. 3', 'subsequent'), cite('beta', '')]).text).toBe(
      'Alpha, The Alpha Book, 3; “Beta Notes,” encyclopedic article, n.d.'
    )
  }, 120_000)

  it('keeps one note per shape for a style that shows no position', () => {
    const apa = createFormatter(items, {style: 'apa'})
    apa.note(cite('alpha', 'p. 3'))
    const runs = apa.runs.clusters
    expect(apa.note(cite('alpha', 'p. 3', 'subsequent'))).toBe(apa.note(cite('alpha', 'p. 3')))
    expect(apa.runs.clusters).toBe(runs)
  })
})

/** A chapter's notes as text, in order, from the web page and from the EPUB's notes document. */
async function builtNotes(dir: string, name: string): Promise<{web: string[][]; epub: string[][]}> {
  const outDir = path.join(scratch, `${name}-out`)
  const result = await build({bookDir: dir, outDir, cwd: scratch})
  const errors = result.files.flatMap((file) => file.messages.filter((m) => m.fatal).map((m) => m.reason))
  expect(errors).toEqual([])
  const text = (markup: string) =>
    markup
      .replace(/<a [^>]*role="doc-backlink"[\s\S]*?<\/a>/g, '')
      .replace(/<[^>]+>/g, '')
      .replace(/&#x26;|&amp;/g, '&')
      .replace(/\s+/g, ' ')
      .trim()
  const zip = epubFiles(await fs.readFile(path.join(outDir, 'positions.epub')))
  const web: string[][] = []
  const epub: string[][] = []
  for (const slug of ['one', 'two']) {
    const page = await fs.readFile(path.join(outDir, 'web', `${slug}.html`), 'utf8')
    web.push([...page.matchAll(/<li class="note"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => text(m[1]!)))
    const notes = zip.get(`OEBPS/notes-${slug}.xhtml`)!.toString('utf8')
    epub.push([...notes.matchAll(/<li id="note-\d+"[^>]*>([\s\S]*?)<\/li>/g)].map((m) => text(m[1]!)))
  }
  return {web, epub}
}

describe('built books', () => {
  it('give each work a full note at its first cite in each chapter, short notes after, on the web and in the EPUB', async () => {
    const {web, epub} = await builtNotes(await writeBook('default'), 'default')
    expect(epub).toEqual(web)
    const [one, two] = web
    // The run of two citations of page 3 shares note 1; the style's short form stands for ibid.
    expect(one).toEqual([
      'Ann Alpha, The Alpha Book: A Long Subtitle (Lima: Andes Press, 2001), 3.',
      'Alpha, 4.',
      'Alpha, The Alpha Book.',
      'see Alpha.',
      'Gil Gamma, “Gamma Rays and the Press,” Journal of Things 4 (2010): 10–30; Alpha, The Alpha Book.',
      'Alpha, The Alpha Book.',
      'Gamma, “Gamma Rays and the Press,” 12; Gamma, 14.',
      '“Beta Notes,” encyclopedic article, n.d.',
      'see “Beta Notes,” para. 2.',
      'Gamma, “Gamma Rays and the Press.”',
      'Alpha, The Alpha Book, chap. 2.',
      '“Beta Notes.”',
      'Gamma, “Gamma Rays and the Press,” 11.',
      '“Beta Notes.”',
      'Gamma, “Gamma Rays and the Press.”',
      '“Beta Notes.”',
      'Gamma, “Gamma Rays and the Press.”',
      'Alpha, The Alpha Book, 3.'
    ])
    // The next chapter starts afresh.
    expect(two).toEqual([
      'Ann Alpha, The Alpha Book: A Long Subtitle (Lima: Andes Press, 2001), 3.',
      '“Beta Notes,” encyclopedic article, n.d.',
      'Alpha, The Alpha Book, 3.'
    ])
  }, 120_000)

  it('give a note style the author supplies its own first and later forms', async () => {
    const style = `<?xml version="1.0" encoding="utf-8"?>
<style xmlns="http://purl.org/net/xbiblio/csl" class="note" version="1.0">
  <info><title>Own notes</title><id>own-notes</id><updated>2026-01-01T00:00:00+00:00</updated></info>
  <citation>
    <layout suffix="." delimiter="; ">
      <choose>
        <if position="ibid-with-locator"><group delimiter=", "><text value="Ibid"/><text variable="locator"/></group></if>
        <else-if position="ibid"><text value="Ibid"/></else-if>
        <else-if position="subsequent">
          <group delimiter=", "><text variable="title" form="short"/><text variable="first-reference-note-number" prefix="n. "/><text variable="locator"/></group>
        </else-if>
        <else><group delimiter=", "><text value="In full"/><text variable="title"/><text variable="locator"/></group></else>
      </choose>
    </layout>
  </citation>
  <bibliography><layout><text variable="title"/></layout></bibliography>
</style>
`
    const dir = await writeBook('own', 'citationStyle: styles/own.csl\n', {'styles/own.csl': style})
    const {web, epub} = await builtNotes(dir, 'own')
    expect(epub).toEqual(web)
    const [one, two] = web
    // A note that does not name its work (`Ibid`) gets a link to the work's entry after it.
    expect(one!.slice(0, 9)).toEqual([
      'In full, The Alpha Book: A Long Subtitle, 3.',
      'Ibid, 4. (Alpha)',
      'The Alpha Book, n. 1.',
      'see Ibid. (Alpha)',
      'In full, Gamma Rays and the Press; The Alpha Book, n. 1.',
      'The Alpha Book, n. 1.',
      'Gamma Rays and the Press, n. 5, 12; Ibid, 14.',
      'In full, Beta Notes.',
      'see Ibid, 2. (Beta Notes)'
    ])
    // The second chapter's notes start afresh, from 1, and a later note names the first one by its number there.
    expect(two).toEqual([
      'In full, The Alpha Book: A Long Subtitle, 3.',
      'In full, Beta Notes.',
      'The Alpha Book, n. 1, 3.'
    ])
  }, 120_000)
})
