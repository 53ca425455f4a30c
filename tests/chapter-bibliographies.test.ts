/**
 * A chapter's own bibliography (`bibliography: refs.bib` in its front
 * matter, as Quarto books write one): read relative to the chapter with the
 * book's checks, its entries cited and formatted by the book's one
 * formatter in both books, and a key two bibliographies define differently
 * reported at the later entry.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import type {VFile} from 'vfile'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build, parseBook} from '../pipeline/build.js'
import {epubFiles} from './helpers/epub-zip.js'

let tmp: string
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-chapter-bibliographies-'))
})
afterAll(async () => {
  await fs.rm(tmp, {recursive: true, force: true})
})

const knuth = (title: string) =>
  `@article{knuth1984,\n  title = {${title}},\n  author = {Knuth, Donald E.},\n  journal = {The Computer Journal},\n  year = {1984}\n}\n`
const wickham =
  '@book{wickham2023,\n  title = {R for Data Science},\n  author = {Wickham, Hadley},\n  year = {2023}\n}\n'

/** A Quarto book of `files` (path → text) besides its _quarto.yml (`top`: its top-level lines); its path. */
async function book(name: string, files: Record<string, string>, top = ''): Promise<string> {
  const dir = path.join(tmp, name)
  const all = {
    '_quarto.yml': `book:\n  title: T\n  author: A\n  date: 2026-01-01\n  chapters: [index.qmd, part/cites.qmd]\n${top}`,
    'index.qmd': '# Preface\n\nText.\n',
    ...files
  }
  for (const [file, text] of Object.entries(all)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), {recursive: true})
    await fs.writeFile(path.join(dir, file), text)
  }
  return dir
}

/** Every warning and error of `files` as `file:line:column severity rule` (the defaults' info line aside). */
const problems = (files: VFile[]) =>
  files.flatMap((file) =>
    file.messages
      .filter((m) => m.fatal != null)
      .map((m) => `${file.path}:${m.line}:${m.column} ${m.fatal ? 'error' : 'warning'} ${m.ruleId}`)
  )

/** The problems of a parse of the book in `dir`. */
async function messages(dir: string): Promise<string[]> {
  return problems((await parseBook(dir, tmp)).files)
}

const cites = '---\ntitle: Cites\nbibliography: refs/own.bib\n---\n\nLiterate programming [@knuth1984; @wickham2023].\n'

describe("a chapter's own bibliography", () => {
  it('is read relative to the chapter, and its entries are cited in both books', async () => {
    const dir = await book('own', {
      'part/cites.qmd': cites,
      'part/refs/own.bib': knuth('Literate Programming') + wickham
    })
    const result = await build({bookDir: dir, outDir: path.join(tmp, 'own-out'), cwd: tmp})
    expect(problems(result.files)).toEqual([])
    expect(result.ok).toBe(true)
    const page = await fs.readFile(path.join(tmp, 'own-out/web/cites.html'), 'utf8')
    expect(page).toContain('Literate Programming')
    expect(page).toContain('R for Data Science')
    const epub = epubFiles(await fs.readFile(result.outputs!.epub.path))
    const notes = [...epub].filter(([name]) => name.endsWith('.xhtml')).map(([, data]) => data.toString('utf8'))
    expect(notes.join('\n')).toContain('Literate Programming')
  })

  it('is an error at its path in the front matter when it is not there', async () => {
    const dir = await book('missing', {'part/cites.qmd': cites})
    expect(await messages(dir)).toContain('missing/part/cites.qmd:3:15 error missing-bibliography')
  })

  it('has its errors at their line and column in it, as the book’s has', async () => {
    const dir = await book('bad', {
      'part/cites.qmd': cites,
      'part/refs/own.bib': `${wickham}\n@book{b, title = {B}, year = 2001\n@misc{c, title = {C}}\n`
    })
    expect((await messages(dir)).filter((m) => m.includes('.bib'))).toEqual([
      'bad/part/refs/own.bib:8:1 error invalid-references'
    ])
  })

  it('may repeat an entry of the book’s; a key defined differently is a warning at the later entry', async () => {
    const same = await book(
      'same',
      {
        'part/cites.qmd': cites,
        'part/refs/own.bib': knuth('Literate Programming') + wickham,
        'book.bib': knuth('Literate Programming')
      },
      'bibliography: book.bib\n'
    )
    expect(await messages(same)).toEqual([])
    const dir = await book(
      'conflict',
      {
        'part/cites.qmd': cites,
        'part/refs/own.bib': wickham + knuth('Another Title'),
        'book.bib': knuth('Literate Programming')
      },
      'bibliography: book.bib\n'
    )
    expect(await messages(dir)).toEqual(['conflict/part/refs/own.bib:6:1 warning conflicting-reference-key'])
    // The book's entry, read first, is the one cited.
    const result = await build({bookDir: dir, outDir: path.join(tmp, 'conflict-out'), cwd: tmp})
    const page = await fs.readFile(path.join(tmp, 'conflict-out/web/cites.html'), 'utf8')
    expect(page).toContain('Literate Programming')
    expect(page).not.toContain('Another Title')
    expect(result.ok).toBe(true)
  })
})
