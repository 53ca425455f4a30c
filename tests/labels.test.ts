/**
 * The books' own words (navigation, notes, sources, disagreements, the EPUB's
 * landmarks and cover text) follow book.yaml's `language`: a Spanish book is
 * Spanish around its text in both books, with no English label left, and
 * still valid for epubcheck. English stays as it was (the other tests hold
 * its exact words); a language without labels gets English with a warning
 * (the catalogue's `untranslated-language`).
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {formatSize, hasLabels, labelledLanguages, labelsFor} from '../pipeline/labels/index.js'
import {epubFiles} from './helpers/epub-zip.js'
import {epubcheck} from './helpers/epubcheck.js'
import {root} from './helpers/fixture-book.js'

const basic = path.join(root, 'tests/fixtures/books/basic')
const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-labels-'))
afterAll(async () => {
  await fs.rm(work, {recursive: true, force: true})
})

/** Build the basic book (scrolly section, citations, contested claim, image) in `language`: every page's HTML and every EPUB document's XHTML, as text. */
async function buildIn(language: string): Promise<{web: string; epub: string; epubPath: string}> {
  const book = path.join(work, language, 'book')
  await fs.cp(basic, book, {recursive: true})
  const yaml = await fs.readFile(path.join(book, 'book.yaml'), 'utf8')
  await fs.writeFile(
    path.join(book, 'book.yaml'),
    yaml.replace(/^language: .*$/m, `language: ${language}`).replace(/^edition: .*$/m, 'edition: "2"')
  )
  const out = path.join(work, language, 'out')
  const result = await build({
    bookDir: book,
    outDir: out,
    modified: new Date(Date.UTC(2026, 0, 1))
  })
  expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([])
  expect(result.ok).toBe(true)
  const pages = (await fs.readdir(path.join(out, 'web'))).filter((name) => name.endsWith('.html')).sort()
  const web = (await Promise.all(pages.map((name) => fs.readFile(path.join(out, 'web', name), 'utf8')))).join('\n')
  const files = epubFiles(await fs.readFile(result.outputs!.epub.path))
  const epub = [...files]
    .filter(([name]) => name.endsWith('.xhtml'))
    .map(([, data]) => data.toString('utf8'))
    .join('\n')
  return {web, epub, epubPath: result.outputs!.epub.path}
}

/** The English words the basic book shows around its text, as they appear in the markup. */
const english = [
  'Skip to the story',
  '>Chapter 1<',
  '>Previous<',
  '>Next<',
  '>Contents<',
  'aria-label="Chapters"',
  'Start reading',
  'Download the EPUB',
  'Step 1 of',
  'aria-label="Note 1"',
  'Sources disagree',
  '>Notes<',
  'Back to citation',
  'Where the sources disagree',
  'Cited in',
  'What it says',
  'Chapter 1 of ',
  ' min read<',
  '>Language<',
  'aria-label="ch. 1, note',
  'Read the passage in chapter',
  'Notes to chapter',
  '>Landmarks<',
  '>Title page<',
  'Edition 2'
]

describe('the same book in English', () => {
  it('shows every English label the Spanish book must not', async () => {
    const books = await buildIn('en')
    for (const label of english) expect(`${books.web}\n${books.epub}`, label).toContain(label)
  }, 120_000)
})

describe('a book in Spanish', () => {
  let books: Awaited<ReturnType<typeof buildIn>>
  beforeAll(async () => {
    books = await buildIn('es')
  }, 120_000)

  it('has no English label left in either book', () => {
    for (const label of english) {
      expect(books.web, label).not.toContain(label)
      expect(books.epub, label).not.toContain(label)
    }
  })

  it('says it in Spanish in both books', () => {
    for (const label of [
      'Saltar a la historia',
      '>Capítulo 1<',
      '>Siguiente<',
      '>Índice<',
      'Empezar a leer',
      'Descargar el EPUB',
      'Paso 1 de',
      'aria-label="Nota 1"',
      'Las fuentes discrepan',
      '>Notas<',
      'Citada en 4 notas',
      'Qué dice',
      'Capítulo 1 de 2',
      ' min de lectura<',
      '>Idioma<',
      'Donde las fuentes discrepan'
    ]) {
      expect(books.web, label).toContain(label)
    }
    for (const label of [
      '>Capítulo 1<',
      'Notas al capítulo 1',
      'Las fuentes discrepan: ',
      '>Fuentes<',
      'aria-label="cap. 1, nota',
      'Citada en cap. 1',
      'Qué dice',
      '>Puntos de referencia<',
      '>Portada<',
      'Edición 2, ',
      'alt="Cubierta:'
    ]) {
      expect(books.epub, label).toContain(label)
    }
  })

  it('declares the accessibility summary, which stays in English, as English', async () => {
    const opf = epubFiles(await fs.readFile(books.epubPath))
      .get('OEBPS/content.opf')!
      .toString('utf8')
    expect(opf).toMatch(/<meta property="schema:accessibilitySummary" xml:lang="en">This publication/)
  })

  it('passes epubcheck', async () => {
    expect((await epubcheck(books.epubPath)).filter((message) => message.severity !== 'USAGE')).toEqual([])
  }, 120_000)
})

describe('labels', () => {
  it('has every label in every language, and only English in English', () => {
    for (const language of labelledLanguages) {
      const labels = labelsFor(language)
      expect(Object.keys(labels).sort(), language).toEqual(Object.keys(labelsFor('en')).sort())
      if (language !== 'en')
        for (const key of ['skipToStory', 'startReading', 'sourcesDisagree', 'sourcesIntro', 'notCited'] as const)
          expect(labels[key], `${language} ${key}`).not.toBe(labelsFor('en')[key])
    }
  })

  it('finds a language by its primary subtag, English for any other', () => {
    expect(labelsFor('pt-BR')).toBe(labelsFor('pt'))
    expect(labelsFor('ES')).toBe(labelsFor('es'))
    expect(hasLabels('de-AT')).toBe(true)
    expect(hasLabels('ja')).toBe(false)
    expect(labelsFor('ja')).toBe(labelsFor('en'))
  })

  it('writes sizes with the language’s decimal separator', () => {
    expect(formatSize(1_500_000, labelsFor('en'))).toBe('1.4 MB')
    expect(formatSize(1_500_000, labelsFor('fr'))).toBe('1,4 MB')
    expect(formatSize(900, labelsFor('de'))).toBe('1 KB')
  })
})
