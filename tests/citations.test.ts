/**
 * Citations: every folder in tests/fixtures/citations/ is a case. Its chapter
 * files (`input.md`, then `input-2.md`, ...) are parsed in order with the
 * shared references (`tests/fixtures/citations/references.json`) or the
 * case's own `references.json`, numbered book-wide, and — with its own
 * references — checked for unused entries. `output.json` holds the citation
 * nodes, `messages.json` the exact messages; a case without one of them must
 * produce none of that kind. `UPDATE=1` rewrites both.
 *
 * Then the CSL formatter: each entry and note formatted once, Chicago and APA
 * output, style files and errors.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import type {Element, ElementContent} from 'hast'
import type {Root} from 'mdast'
import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import remarkGfm from 'remark-gfm'
import remarkParse from 'remark-parse'
import remarkSmartypants from 'remark-smartypants'
import {unified} from 'unified'
import {visit} from 'unist-util-visit'
import {VFile} from 'vfile'
import {reporter} from 'vfile-reporter'
import {describe, expect, it} from 'vitest'
import {createFormatter, loadBibliography} from '../pipeline/citations/bibliography.js'
import {closestKey, parseBracketContent, parseLocator} from '../pipeline/citations/syntax.js'
import {numberCitations, remarkCitations, unusedReferences} from '../pipeline/plugins/remark-citations.js'
import type {Citation, CiteItem, CslItem} from '../pipeline/types.js'
import {citeprocCounter} from './helpers/citeproc-count.js'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const fixtures = path.join(root, 'tests/fixtures/citations')
const cases = (await fs.readdir(fixtures, {withFileTypes: true}))
  .filter((entry) => entry.isDirectory())
  .map((entry) => entry.name)
  .sort()

interface ExpectedCitation {
  file: string
  position: string
  mode: Citation['mode']
  number: number
  id: string
  text: string
  items: CiteItem[]
}

interface ExpectedMessage {
  file: string
  ruleId: string | undefined
  line: number | null
  column: number | null
  fatal: boolean
  reason: string
}

function processorFor(items: Map<string, CslItem>) {
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter)
    .use(remarkDirective)
    .use(remarkGfm)
    .use(remarkCitations, {items})
}

/** Parse one case like a build does; returns its chapter files, trees and bibliography file. */
async function runCase(name: string) {
  const dir = path.join(fixtures, name)
  const names = await fs.readdir(dir)
  const own = names.includes('references.json')
  // Paths relative to the case folder, so messages name `input.md` and `references.json`.
  const referencesValue = await fs.readFile(path.join(own ? dir : fixtures, 'references.json'), 'utf8')
  const bibliography = await loadBibliography(
    'references.json',
    new VFile({path: 'references.json', value: referencesValue})
  )
  const processor = processorFor(bibliography.items)

  const inputs = names.filter((file) => /^input(?:-\d+)?\.md$/.test(file)).sort((a, b) => order(a) - order(b))
  const files: VFile[] = []
  const trees: Root[] = []
  for (const input of inputs) {
    const file = new VFile({
      path: input,
      value: await fs.readFile(path.join(dir, input), 'utf8')
    })
    const tree = processor.parse(file)
    await processor.run(tree, file)
    files.push(file)
    trees.push(tree)
  }
  for (const file of files) numberCitations(file)
  if (own) unusedReferences(files, bibliography.items, bibliography.file)
  return {dir, files, trees, referencesFile: bibliography.file, own}
}

function order(name: string): number {
  return Number(/-(\d+)\.md$/.exec(name)?.[1] ?? 1)
}

describe('citation fixtures', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(10)
  })

  for (const name of cases) {
    it(name, async () => {
      const {dir, files, trees, referencesFile, own} = await runCase(name)

      const citations: ExpectedCitation[] = []
      files.forEach((file, index) => {
        const inTree: Citation[] = []
        visit(trees[index]!, 'citation', (node) => {
          inTree.push(node)
        })
        // `file.data.citations` is the tree's citations, in reading order.
        expect(file.data.citations).toEqual(inTree)
        for (const node of inTree) {
          const {start, end} = node.position!
          const text = node.children.map((child) => ('value' in child ? child.value : '')).join('')
          citations.push({
            file: file.path,
            position: `${start.line}:${start.column}-${end.line}:${end.column}`,
            mode: node.mode,
            number: node.number,
            id: node.id,
            text,
            items: node.items
          })
        }
      })

      const messageFiles = own ? [...files, referencesFile] : files
      const messages: ExpectedMessage[] = messageFiles.flatMap((file) =>
        file.messages.map((m) => ({
          file: file.path,
          ruleId: m.ruleId,
          line: m.line ?? null,
          column: m.column ?? null,
          fatal: m.fatal === true,
          reason: m.reason
        }))
      )
      for (const file of messageFiles) for (const m of file.messages) expect(m.source).toBe('remark-citations')

      const outputPath = path.join(dir, 'output.json')
      const messagesPath = path.join(dir, 'messages.json')
      if (process.env.UPDATE) {
        await writeOrRemove(outputPath, citations)
        await writeOrRemove(messagesPath, messages)
      }
      expect(citations).toEqual(await readExpected(outputPath))
      expect(messages).toEqual(await readExpected(messagesPath))
    })
  }
})

async function writeOrRemove(file: string, value: unknown[]) {
  if (value.length > 0) await fs.writeFile(file, `${JSON.stringify(value, null, 2)}\n`)
  else await fs.rm(file, {force: true})
}

async function readExpected(file: string): Promise<unknown[]> {
  try {
    return JSON.parse(await fs.readFile(file, 'utf8')) as unknown[]
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'ENOENT') return []
    throw cause
  }
}

describe('remark-citations', () => {
  const items = new Map<string, CslItem>([['garcia-2001', {id: 'garcia-2001', type: 'book', title: 'The Residence'}]])

  it('keeps every character of the source in the tree', async () => {
    const value = 'Before [see @garcia-2001, p. 3] middle @garcia-2001 [p. 4] after [@nope].\n'
    const file = new VFile({path: 'a.md', value})
    const processor = processorFor(items)
    const tree = processor.parse(file)
    await processor.run(tree, file)
    const paragraph = tree.children[0]!
    expect(paragraph.type).toBe('paragraph')
    const texts: string[] = []
    visit(paragraph, 'text', (node, _index, parent) => {
      texts.push(node.value)
      // Every piece, split off or not, still has its exact place in the source.
      expect(value.slice(node.position!.start.offset, node.position!.end.offset)).toBe(node.value)
      expect(parent).toBeDefined()
    })
    expect(texts.join('')).toBe(value.trim())
  })

  it('finds exact places after smart punctuation', async () => {
    const value = '“Quoted” -- and "quoted" [@garcia-2001] -- then [@nope].\n'
    const file = new VFile({path: 'a.md', value})
    const processor = unified().use(remarkParse).use(remarkSmartypants).use(remarkCitations, {items})
    const tree = processor.parse(file)
    await processor.run(tree, file)
    const citation = file.data.citations![0]!
    expect(value.slice(citation.position!.start.offset, citation.position!.end.offset)).toBe('[@garcia-2001]')
    expect(file.messages.map((m) => [m.ruleId, m.line, m.column])).toEqual([
      ['unknown-cite-key', 1, value.indexOf('@nope') + 1]
    ])
  })

  it('does not keep state between files', async () => {
    const processor = processorFor(items)
    const a = new VFile({path: 'a.md', value: '[@garcia-2001] [@garcia-2001]'})
    const b = new VFile({path: 'b.md', value: 'No citations.'})
    await processor.run(processor.parse(a), a)
    await processor.run(processor.parse(b), b)
    expect(a.data.citations).toHaveLength(2)
    expect(b.data.citations).toEqual([])
  })

  it('prints like the house style through vfile-reporter', async () => {
    const file = new VFile({
      path: 'chapters/03-takeover.md',
      value: 'One.\n\nThe leader [@cerpa] spoke.\n'
    })
    const processor = processorFor(new Map([['cerpa-x', {id: 'cerpa-x', type: 'book'}]]))
    await processor.run(processor.parse(file), file)
    const report = reporter(file, {color: false})
    expect(report).toContain('chapters/03-takeover.md')
    expect(report).toContain('3:13')
    expect(report).toContain(
      'Unexpected unknown citation key `cerpa`, expected a key from references.json (did you mean `cerpa-x`?)'
    )
    expect(report).toContain('unknown-cite-key')
  })

  it('can leave out the claim check', async () => {
    const file = new VFile({path: 'a.md', value: 'In 1996.'})
    const processor = unified().use(remarkParse).use(remarkCitations, {items, claims: false})
    await processor.run(processor.parse(file), file)
    expect(file.messages).toEqual([])
  })

  it('rejects missing options early', () => {
    expect(() =>
      // @ts-expect-error: testing a call without the required options.
      unified().use(remarkParse).use(remarkCitations).freeze()
    ).toThrow(/options\.items/)
  })
})

describe('citation syntax', () => {
  it('parses items, prefixes, suffixes and author suppression', () => {
    expect(parseBracketContent('see -@a:b.c, pp. 3-4; also @{x y} and more')).toEqual({
      items: [
        {
          key: 'a:b.c',
          prefix: 'see',
          suffix: 'pp. 3-4',
          suppressAuthor: true,
          start: 5,
          end: 11
        },
        {
          key: 'x y',
          prefix: 'also',
          suffix: 'and more',
          suppressAuthor: false,
          start: 27,
          end: 33
        }
      ]
    })
    // Trailing punctuation is not part of a key.
    expect(parseBracketContent('@smith2020.')).toMatchObject({
      items: [{key: 'smith2020', suffix: '.'}]
    })
  })

  it('splits locators the Pandoc way', () => {
    expect(parseLocator('p. 3')).toEqual({
      label: 'page',
      locator: '3',
      suffix: ''
    })
    expect(parseLocator('pp. 33, 35-37, and nowhere else')).toEqual({
      label: 'page',
      locator: '33, 35-37',
      suffix: ', and nowhere else'
    })
    expect(parseLocator('chap. 2, for the press')).toEqual({
      label: 'chapter',
      locator: '2',
      suffix: ', for the press'
    })
    expect(parseLocator('12')).toEqual({
      label: 'page',
      locator: '12',
      suffix: ''
    })
    expect(parseLocator('§ 4')).toEqual({
      label: 'section',
      locator: '4',
      suffix: ''
    })
    expect(parseLocator('vol. ii')).toEqual({
      label: 'volume',
      locator: 'ii',
      suffix: ''
    })
    expect(parseLocator('p. {A-4 recto}')).toEqual({
      label: 'page',
      locator: 'A-4 recto',
      suffix: ''
    })
    expect(parseLocator('and elsewhere')).toEqual({suffix: ' and elsewhere'})
    expect(parseLocator('')).toEqual({suffix: ''})
  })

  it('suggests the closest key', () => {
    const keys = ['cerpa-x', 'garcia-2001', 'smith:2020.a']
    expect(closestKey('cerpa', keys)).toBe('cerpa-x')
    expect(closestKey('garica-2001', keys)).toBe('garcia-2001')
    expect(closestKey('nobody-at-all', keys)).toBeUndefined()
  })
})

describe('bibliography', () => {
  it('reads a file and records where each entry is', async () => {
    const {file, items} = await loadBibliography(path.join(fixtures, 'references.json'))
    expect([...items.keys()]).toEqual(['garcia-2001', 'cerpa-interview', 'smith:2020.a', 'lima report'])
    expect(file.messages).toEqual([])
    expect(file.data.referencePositions?.get('cerpa-interview')?.start).toMatchObject({line: 11, column: 3})
  })

  it('treats a missing file as an empty bibliography', async () => {
    const {file, items} = await loadBibliography(path.join(fixtures, 'no-such-references.json'))
    expect(items.size).toBe(0)
    expect(file.messages).toEqual([])
  })
})

describe('CSL formatter', () => {
  const items = new Map<string, CslItem>([
    [
      'garcia-2001',
      {
        id: 'garcia-2001',
        type: 'book',
        title: 'The Residence: Four Months in Lima',
        author: [{family: 'García', given: 'Ana'}],
        publisher: 'Andes Press',
        'publisher-place': 'Lima',
        issued: {'date-parts': [[2001]]}
      }
    ],
    [
      'smith-2020',
      {
        id: 'smith-2020',
        type: 'article-journal',
        title: 'Hostage Crises and the Press',
        author: [{family: 'Smith', given: 'John'}],
        'container-title': 'Journal of Media History',
        volume: '12',
        page: '33-58',
        issued: {'date-parts': [[2020]]}
      }
    ],
    [
      'es-web',
      {
        id: 'es-web',
        type: 'webpage',
        title: '[Encyclopedic article]',
        language: 'es'
      }
    ]
  ])

  const count = citeprocCounter()

  it('fills in a page number only where the style prints it as a word of its own: not as an ordinal or roman numeral', () => {
    const styles = path.join(root, 'tests/fixtures/styles')
    for (const style of ['ordinal-locator.csl', 'ordinal-terms.csl', 'roman-locator.csl']) {
      const formatter = createFormatter(items, {
        style,
        locale: 'en',
        bookDir: styles
      })
      const page = (n: number) => ({
        key: 'garcia-2001',
        prefix: '',
        suffix: `p. ${n}`,
        suppressAuthor: false
      })
      // The first note of the shape is page 4 (`4th`); each later page is what a formatter that never saw page 4 gives.
      formatter.note(page(4))
      for (const n of [1, 2, 3, 11, 12, 21, 22, 23, 101, 112]) {
        expect(formatter.note(page(n)).text, `${style}, p. ${n}`).toBe(
          createFormatter(items, {style, locale: 'en', bookDir: styles}).note(page(n)).text
        )
      }
    }
  })

  it('formats each entry once and each distinct note once', () => {
    const bibliography = count('bibliography')
    const citation = count('citation')
    const formatter = createFormatter(items, {
      style: 'chicago-note-bibliography',
      locale: 'en'
    })
    expect(bibliography.calls).toBe(0)
    for (let round = 0; round < 3; round++) {
      for (const id of items.keys()) {
        formatter.entry(id)
        formatter.entryHast(id)
      }
      formatter.order(items.keys())
    }
    expect(formatter.runs.bibliography).toBe(1)

    const cite: CiteItem = {
      key: 'garcia-2001',
      prefix: 'see',
      suffix: 'p. 3',
      suppressAuthor: false
    }
    formatter.note(cite)
    formatter.note({...cite})
    formatter.noteHast(cite)
    // A note with a page number: its shape with a placeholder page, and the note itself, which checks the shape.
    expect(formatter.runs.clusters).toBe(2)
    // Another page of the same work fills the shape in, without citeproc.
    const filled = formatter.note({...cite, suffix: 'p. 4'})
    expect(formatter.runs.clusters).toBe(2)
    expect(filled).toEqual(
      createFormatter(items, {
        style: 'chicago-note-bibliography',
        locale: 'en'
      }).note({...cite, suffix: 'p. 4'})
    )
    // A range is no plain page number: citeproc renders it.
    formatter.note({...cite, suffix: 'pp. 4-5'})
    expect(formatter.runs.clusters).toBe(3)
    formatter.note({
      key: 'smith-2020',
      prefix: '',
      suffix: '',
      suppressAuthor: false
    })
    formatter.note({
      key: 'smith-2020',
      prefix: '',
      suffix: '',
      suppressAuthor: false
    })
    expect(formatter.runs.clusters).toBe(4)
    // Neither goes through citation-js's one-off outputs (a fresh citeproc state each time): one engine does both.
    expect(citation.calls).toBe(0)
    expect(bibliography.calls).toBe(0)
  })

  it('joins a note of several works from their own notes exactly as citeproc renders it', () => {
    const more = new Map<string, CslItem>([
      ...items,
      [
        'question',
        {
          id: 'question',
          type: 'article-newspaper',
          title: 'Who Ended the Siege?',
          author: [{family: 'Ortiz', given: 'Luis', suffix: 'Jr.'}],
          'container-title': 'El Diario',
          issued: {'date-parts': [[1997, 4, 23]]}
        }
      ],
      [
        'quoted',
        {
          id: 'quoted',
          type: 'chapter',
          title: 'The “Residence” Years',
          author: [{family: 'Kim', given: 'Lee'}],
          'container-title': 'Essays on Lima',
          editor: [{family: 'Ruiz', given: 'Eva'}],
          page: '10-20',
          issued: {'date-parts': [[2010]]}
        }
      ],
      [
        'nameless',
        {
          id: 'nameless',
          type: 'report',
          title: 'Annual Report on Security',
          publisher: 'Ministry',
          issued: {'date-parts': [[1998]]}
        }
      ],
      // A short title ending in an abbreviation, whose period takes the layout's: a form of its own.
      [
        'abbreviated',
        {
          id: 'abbreviated',
          type: 'book',
          title: 'A History of the U.S.',
          author: [{family: 'Lopez', given: 'Ana'}],
          issued: {'date-parts': [[1990]]}
        }
      ]
    ])
    const cites: CiteItem[] = []
    for (const key of more.keys()) {
      for (const prefix of ['', 'see'])
        for (const suffix of ['', 'p. 7', 'pp. 3-4', 'ch. 2', 'emphasis added', '12, emphasis added.'])
          cites.push({key, prefix, suffix, suppressAuthor: false})
      cites.push({key, prefix: '', suffix: '', suppressAuthor: true})
    }
    const clusters: CiteItem[][] = []
    // Each cite first and second in a note with cites of every other work, and some notes of three works.
    cites.forEach((a, i) => {
      for (let step = 1; step < cites.length; step += 11) {
        const b = cites[(i + step) % cites.length]!
        if (a.key !== b.key) clusters.push([a, b])
      }
      const [b, c] = [cites[(i + 12) % cites.length]!, cites[(i + 25) % cites.length]!]
      if (new Set([a.key, b.key, c.key]).size === 3) clusters.push([a, b, c])
    })
    const joined = createFormatter(more, {
      style: 'chicago-note-bibliography',
      locale: 'en'
    })
    const rendered = createFormatter(more, {
      style: 'chicago-note-bibliography',
      locale: 'en',
      joinNotes: false
    })
    for (const cluster of clusters) expect(joined.cluster(cluster).html).toBe(rendered.cluster(cluster).html)
    expect(clusters.length).toBeGreaterThan(350)
    // One formatter ran citeproc for every note; the other for single works and the first note of each form (many
    // here, where every work ends its note differently; a book's notes come in far fewer forms).
    expect(rendered.runs.clusters).toBeGreaterThan(clusters.length)
    expect(joined.runs.clusters).toBeLessThan(rendered.runs.clusters * 0.75)
    // The quotation mark that took the period in `“Title.”` gives it back before the delimiter.
    expect(
      joined.cluster([
        {key: 'smith-2020', prefix: '', suffix: '', suppressAuthor: false},
        {key: 'garcia-2001', prefix: '', suffix: '', suppressAuthor: false}
      ]).text
    ).toBe('Smith, “Hostage Crises and the Press”; García, The Residence: Four Months in Lima.')
    // A style that sorts the cites of a note (APA) is never joined.
    const apa = createFormatter(more, {style: 'apa'})
    const apaRendered = createFormatter(more, {style: 'apa', joinNotes: false})
    for (const cluster of clusters.slice(0, 100))
      expect(apa.cluster(cluster).html).toBe(apaRendered.cluster(cluster).html)
    expect(apa.runs.clusters).toBe(apaRendered.runs.clusters)
  })

  it('numbers notes of a numeric style as the bibliography does', () => {
    const formatter = createFormatter(items, {style: 'vancouver'})
    const position = formatter.order(items.keys()).indexOf('smith-2020') + 1
    expect(
      formatter.note({
        key: 'smith-2020',
        prefix: '',
        suffix: '',
        suppressAuthor: false
      }).text
    ).toBe(`(${position})`)
  })

  it('formats Chicago notes and bibliography', () => {
    const formatter = createFormatter(items, {
      style: 'chicago-note',
      locale: 'en-US'
    })
    expect(formatter.style).toBe('chicago-note-bibliography')
    expect(formatter.locale).toBe('en-US')
    const entry = formatter.entry('garcia-2001')
    expect(entry.text).toContain('The Residence: Four Months in Lima')
    expect(entry.text).toBe('García, Ana. The Residence: Four Months in Lima. Lima: Andes Press, 2001.')
    expect(entry.html).toContain('<i>The Residence: Four Months in Lima</i>')
    expect(
      formatter.note({
        key: 'garcia-2001',
        prefix: 'see',
        suffix: 'pp. 33, 35-37, and elsewhere',
        suppressAuthor: false
      }).text
    ).toBe('see García, The Residence: Four Months in Lima, 33, 35–37, and elsewhere.')
    expect(
      formatter.cluster([
        {key: 'garcia-2001', prefix: '', suffix: 'p. 3', suppressAuthor: false},
        {key: 'smith-2020', prefix: '', suffix: '', suppressAuthor: false}
      ]).text
    ).toBe('García, The Residence: Four Months in Lima, 3; Smith, “Hostage Crises and the Press.”')
    expect(formatter.order(['smith-2020', 'es-web', 'garcia-2001'])).toEqual(['es-web', 'garcia-2001', 'smith-2020'])
  })

  it('formats APA', () => {
    const formatter = createFormatter(items, {style: 'apa'})
    expect(formatter.entry('smith-2020').text).toContain('Hostage Crises and the Press')
    expect(formatter.entry('smith-2020').text).toMatch(/^Smith, J\. \(2020\)\./)
    expect(
      formatter.note({
        key: 'smith-2020',
        prefix: '',
        suffix: 'p. 40',
        suppressAuthor: false
      }).text
    ).toBe('(Smith, 2020, p. 40)')
    expect(
      formatter.note({
        key: 'smith-2020',
        prefix: '',
        suffix: '',
        suppressAuthor: true
      }).text
    ).toBe('(2020)')
  })

  it('returns fresh hast without positions', () => {
    const formatter = createFormatter(items, {style: 'chicago'})
    const a = formatter.entryHast('garcia-2001')
    const b = formatter.entryHast('garcia-2001')
    expect(a).toEqual(b)
    expect(a).not.toBe(b)
    const italic = a.find((node): node is Element => node.type === 'element' && node.tagName === 'i')
    expect(italic?.children).toEqual([{type: 'text', value: 'The Residence: Four Months in Lima'}])
    const positioned = (nodes: ElementContent[]): boolean =>
      nodes.some((node) => node.position !== undefined || (node.type === 'element' && positioned(node.children)))
    expect(positioned(a)).toBe(false)
    // Mutating one copy leaves the memo alone.
    a.length = 0
    expect(formatter.entryHast('garcia-2001').length).toBeGreaterThan(0)
  })

  it('reads a style file relative to the book', () => {
    const formatter = createFormatter(items, {
      style: 'templates/csl/chicago-note-bibliography.csl',
      bookDir: root
    })
    expect(formatter.style.startsWith(`file:${path.join(root, 'templates/csl/chicago-note-bibliography.csl')}#`)).toBe(
      true
    )
    expect(formatter.entry('smith-2020').text).toContain('“Hostage Crises and the Press.”')
  })

  it('throws early for a bad style', () => {
    expect(() => createFormatter(items, {style: 'no-such-style'})).toThrow(
      /Unexpected citation style `no-such-style`, expected one of .*`apa`.*`chicago-note-bibliography`/
    )
    expect(() => createFormatter(items, {style: 'missing.csl', bookDir: root})).toThrow(
      /Cannot read citation style `missing.csl`/
    )
    expect(() => createFormatter(items, {style: './package.json', bookDir: root})).toThrow(
      /Unexpected content in citation style `\.\/package\.json`/
    )
  })

  it('falls back to the style locale for a locale citation-js does not bundle', () => {
    expect(createFormatter(items, {style: 'apa', locale: 'pt-BR'}).locale).toBeUndefined()
    expect(createFormatter(items, {style: 'apa', locale: 'es'}).locale).toBe('es-ES')
  })

  it('throws for an id not in the bibliography', () => {
    const formatter = createFormatter(items, {style: 'apa'})
    expect(() => formatter.entry('nope')).toThrow(/`nope`/)
    expect(() =>
      formatter.note({
        key: 'nope',
        prefix: '',
        suffix: '',
        suppressAuthor: false
      })
    ).toThrow(/`nope`/)
  })
})
