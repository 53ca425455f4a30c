/**
 * A chapter's title: the frontmatter's `title`, else a `# Title` heading that
 * opens the chapter, as Markdown books written for Quarto, Bookdown, pandoc
 * or mdBook have it. The heading becomes the page's and the document's
 * `<h1>` (once, not twice) and the contents' entry; the chapter's own
 * headings still start at `<h2>`.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {type BuildResult, build} from '../pipeline/build.js'
import {epubFiles} from './helpers/epub-zip.js'
import {root} from './helpers/fixture-book.js'

const basic = path.join(root, 'tests/fixtures/books/basic')
let dir: string
let result: BuildResult
let web: (name: string) => Promise<string>
let epub: Map<string, Buffer>

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-title-'))
  const book = path.join(dir, 'book')
  await fs.mkdir(book)
  for (const name of ['book.yaml', 'references.json']) await fs.copyFile(path.join(basic, name), path.join(book, name))
  await fs.cp(path.join(basic, 'figures'), path.join(book, 'figures'), {
    recursive: true
  })
  // No frontmatter: the opening heading is the title.
  await fs.writeFile(
    path.join(book, '01-arrival.md'),
    '# The *Arrival* of the Guests\n\nThey came at eight [@alpha].\n\n## At the gate\n\nThe guards counted them.\n'
  )
  // Frontmatter without a title (a description only): the heading right after it is the title.
  await fs.writeFile(
    path.join(book, '02-night.md'),
    '---\ndescription: What the night was like.\n---\n\n# The Night\n\nIt was long [@beta].\n'
  )
  // Author notes (HTML comments, shown in neither book) before the opening heading.
  await fs.writeFile(
    path.join(book, '04-evening.md'),
    '<!-- TODO: check the time against the Spanish source. -->\n\n# The Evening\n\nIt ended [@beta].\n'
  )
  // A title in the frontmatter: an opening `#` heading stays a heading of the chapter.
  await fs.writeFile(
    path.join(book, '03-morning.md'),
    '---\ntitle: The Morning\n---\n\n# Dawn\n\nIt came late [@alpha].\n'
  )
  result = await build({
    bookDir: book,
    outDir: path.join(dir, 'out'),
    modified: new Date(Date.UTC(2026, 0, 1))
  })
  web = (name) => fs.readFile(path.join(dir, 'out', 'web', name), 'utf8')
  epub = epubFiles(await fs.readFile(result.outputs!.epub.path))
})
afterAll(async () => {
  await fs.rm(dir, {recursive: true, force: true})
})

const h1s = (html: string) => [...html.matchAll(/<h1[^>]*>(.*?)<\/h1>/g)].map((match) => match[1])

describe('a chapter titled by its opening heading', () => {
  it('builds without messages, each chapter under its title', () => {
    expect(result.files.flatMap((file) => file.messages.map(String))).toEqual([])
    expect(result.ok).toBe(true)
    expect(result.book!.chapters.map((chapter) => chapter.title)).toEqual([
      'The Arrival of the Guests',
      'The Night',
      'The Morning',
      'The Evening'
    ])
    expect(result.book!.chapters[1]!.file.data.meta?.description).toBe('What the night was like.')
  })

  it('shows the title once, as the h1 of the page and of the EPUB document', async () => {
    const page = await web('arrival.html')
    expect(h1s(page)).toEqual(['The Arrival of the Guests'])
    expect(page).toContain('<h2 id="at-the-gate">At the gate</h2>')
    expect(page).toContain('<title>The Arrival of the Guests ·')
    const xhtml = epub.get('OEBPS/arrival.xhtml')!.toString('utf8')
    expect(h1s(xhtml)).toEqual(['The Arrival of the Guests'])
    expect(h1s(await web('night.html'))).toEqual(['The Night'])
    expect(h1s(await web('evening.html'))).toEqual(['The Evening'])
  })

  it('keeps an opening heading as a heading when the frontmatter has the title', async () => {
    const page = await web('morning.html')
    expect(h1s(page)).toEqual(['The Morning'])
    expect(page).toContain('<h2 id="dawn">Dawn</h2>')
  })

  it('lists the titles in the contents of both books', async () => {
    const index = await web('index.html')
    for (const title of ['The Arrival of the Guests', 'The Night', 'The Morning']) expect(index).toContain(title)
    const nav = epub.get('OEBPS/toc.xhtml')!.toString('utf8')
    expect(nav).toContain('>The Arrival of the Guests</a>')
    expect(nav).toContain('>The Night</a>')
  })
})
