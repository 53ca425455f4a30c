/**
 * Reading books in other tools' layouts (mdBook, Quarto, Bookdown) and bibliographies besides CSL-JSON:
 * what is read, the defaults taken, and bad input as a positioned message in the file that holds it.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {readVFile} from '../pipeline/book/files.js'
import {detectFormat, loadBook} from '../pipeline/book/load.js'
import {parseBook} from '../pipeline/build.js'
import {loadBibliography} from '../pipeline/citations/bibliography.js'
import {chapterHref, slugsByFileName} from '../pipeline/plugins/remark-links.js'

const fixtures = path.resolve(import.meta.dirname, 'fixtures/formats')
let tmp: string
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-book-formats-'))
})
afterAll(async () => {
  await fs.rm(tmp, {recursive: true, force: true})
})

/** Write a book of `files` (path → text) into a fresh folder; its path. */
async function book(name: string, files: Record<string, string>): Promise<string> {
  const dir = path.join(tmp, name)
  for (const [file, text] of Object.entries(files)) {
    await fs.mkdir(path.dirname(path.join(dir, file)), {recursive: true})
    await fs.writeFile(path.join(dir, file), text)
  }
  return dir
}

/** Every message of a parse as `file:line:column severity rule`. */
async function messages(dir: string): Promise<string[]> {
  const {files} = await parseBook(dir, tmp)
  return files.flatMap((file) =>
    file.messages.map(
      (m) =>
        `${file.path}:${m.line ?? 0}:${m.column ?? 0} ${m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info'} ${m.ruleId}`
    )
  )
}

describe('book formats', () => {
  it('tells the layouts apart by their files, book.yaml first', () => {
    expect(detectFormat(['book.yaml', 'book.toml', '_quarto.yml'])).toBe('twofold')
    expect(detectFormat(['book.toml', 'src'])).toBe('mdbook')
    expect(detectFormat(['_quarto.yml', 'index.qmd'])).toBe('quarto')
    expect(detectFormat(['index.Rmd'])).toBe('bookdown')
    expect(detectFormat(['01-a.md'])).toBe('twofold')
  })

  it('reports a SUMMARY.md entry whose file is missing at its link in SUMMARY.md', async () => {
    const dir = await book('md-missing', {
      'book.toml': '[book]\ntitle = "T"\nauthors = ["A"]\n',
      'src/SUMMARY.md': '# Summary\n\n- [One](one.md)\n- [Two](two/gone.md)\n',
      'src/one.md': '# One\n\nText.\n'
    })
    expect(await messages(dir)).toContain('md-missing/src/SUMMARY.md:4:3 error missing-chapter-file')
  })

  it('reports a _quarto.yml chapter that is not there at its entry', async () => {
    const dir = await book('qmd-missing', {
      '_quarto.yml':
        'project:\n  type: book\nbook:\n  title: T\n  author: A\n  chapters:\n    - index.qmd\n    - part: P\n      chapters:\n        - nowhere.qmd\n',
      'index.qmd': '# Preface\n\nText.\n'
    })
    expect(await messages(dir)).toContain('qmd-missing/_quarto.yml:10:11 error missing-chapter-file')
  })

  it('reports an rmd_files entry that is not there at its entry in _bookdown.yml', async () => {
    const dir = await book('rmd-missing', {
      '_bookdown.yml': 'rmd_files: ["index.Rmd", "02-gone.Rmd"]\n',
      'index.Rmd': '---\ntitle: T\nauthor: A\n---\n\n# Hello\n\nText.\n'
    })
    expect(await messages(dir)).toContain('rmd-missing/_bookdown.yml:1:26 error missing-chapter-file')
  })

  it('reports a Bookdown book without chapters on _bookdown.yml', async () => {
    const dir = await book('rmd-none', {'_bookdown.yml': 'book_filename: empty\n'})
    expect(await messages(dir)).toContain('rmd-none/_bookdown.yml:0:0 error no-chapters')
  })

  it('reports a .bib syntax error at its line and column in the .bib', async () => {
    const dir = await book('bib-bad', {
      '_quarto.yml': 'book:\n  title: T\n  author: A\n  chapters: [index.qmd]\nbibliography: refs.bib\n',
      'index.qmd': '# Preface\n\nText.\n',
      'refs.bib': '@book{a, title = {A}, year = 2000}\n\n@book{b, title = {B}, year = 2001\n@misc{c, title = {C}}\n'
    })
    const found = await messages(dir)
    expect(found.filter((m) => m.includes('error'))).toEqual(['bib-bad/refs.bib:4:1 error invalid-references'])
  })

  it('reports a named bibliography that is missing at its field', async () => {
    const dir = await book('bib-missing', {
      '_quarto.yml': 'book:\n  title: T\n  author: A\n  chapters: [index.qmd]\nbibliography: nowhere.bib\n',
      'index.qmd': '# Preface\n\nText.\n'
    })
    expect(await messages(dir)).toContain('bib-missing/_quarto.yml:5:15 error missing-bibliography')
  })

  it('reads BibTeX and BibLaTeX into CSL types, @misc with a web address as a web page', async () => {
    const dir = await book('bib-types', {
      'refs.bib': [
        '@misc{page, title = {A page}, url = {https://example.org}, year = 2020}',
        '@misc{thing, title = {A thing}, howpublished = {By hand}, year = 2020}',
        '@online{online, title = {Online}, url = {https://example.org/o}, date = {2021-02-03}}',
        '@article{art, title = {Art}, journaltitle = {J}, date = 2019}',
        '@thesis{th, title = {Th}, institution = {U}, type = {phdthesis}, year = 2018}',
        '@book{page2, title = {Dup}, year = 2000}',
        '@book{page2, title = {Dup again}, year = 2001}'
      ].join('\n\n')
    })
    const bib = await readVFile(path.join(dir, 'refs.bib'), tmp)
    const {items, file: read} = await loadBibliography(path.join(dir, 'refs.bib'), bib)
    expect(Object.fromEntries([...items].map(([id, item]) => [id, item.type]))).toEqual({
      page: 'webpage',
      thing: 'document',
      online: 'webpage',
      art: 'article-journal',
      th: 'thesis',
      page2: 'book'
    })
    expect(read.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual(['13:1 duplicate-reference-key'])
    // Each entry's place, for messages about it (an entry never cited).
    expect(read.data.referencePositions?.get('art')?.start.line).toBe(7)
  })

  it('reads CSL-YAML, as a list or under `references:`, with positioned errors', async () => {
    const dir = await book('csl-yaml', {
      'refs.yaml':
        'references:\n  - id: a\n    type: book\n    title: A\n    issued: 2019\n  - id: b\n    title: No type\n  - id: a\n    type: book\n',
      'list.yml': '- id: c\n  type: webpage\n  title: C\n  issued: 2020-03-04\n'
    })
    const yamlFile = await readVFile(path.join(dir, 'refs.yaml'), tmp)
    const {items, file} = await loadBibliography(path.join(dir, 'refs.yaml'), yamlFile)
    expect([...items.keys()]).toEqual(['a'])
    expect(items.get('a')?.issued).toEqual({'date-parts': [[2019]]})
    expect(file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)).toEqual([
      '6:5 invalid-reference',
      '8:5 duplicate-reference-key'
    ])
    const listFile = await readVFile(path.join(dir, 'list.yml'), tmp)
    const list = await loadBibliography(path.join(dir, 'list.yml'), listFile)
    expect(list.items.get('c')?.issued).toEqual({'date-parts': [[2020, 3, 4]]})
  })

  it('makes slugs from file names, URL-safe and unique, never one the books use', async () => {
    const dir = await book('slugs', {
      'book.toml': '[book]\ntitle = "Slugs"\nauthors = ["A"]\nlanguage = "en"\n',
      'src/SUMMARY.md':
        '- [A](a/intro.md)\n- [B](b/intro.md)\n- [C](01-The%20Café%20Party!.md)\n- [D](index.md)\n- [E](sources.md)\n',
      'src/a/intro.md': '# A\n\nText.\n',
      'src/b/intro.md': '# B\n\nText.\n',
      'src/01-The Café Party!.md': '# C\n\nText.\n',
      'src/index.md': '# D\n\nText.\n',
      'src/sources.md': '# E\n\nText.\n'
    })
    const loaded = await loadBook(dir, tmp)
    expect(loaded.chapters.map((chapter) => chapter.slug)).toEqual([
      'intro',
      'intro-2',
      'the-cafe-party',
      'index-chapter',
      'sources-chapter'
    ])
  })

  it('fills in what a format lacks with defaults, in one info line that --strict lets pass', async () => {
    const dir = await book('defaults', {
      'book.toml': '[book]\ntitle = "Bare Book"\n',
      'src/SUMMARY.md': '- [One](one.md)\n',
      'src/one.md': '## A section\n\nText.\n'
    })
    const previous = process.env.SOURCE_DATE_EPOCH
    process.env.SOURCE_DATE_EPOCH = '1700000000'
    try {
      const parsed = await parseBook(dir, tmp)
      const meta = parsed.book?.meta
      expect(meta).toMatchObject({
        title: 'Bare Book',
        authors: [],
        language: 'en',
        description: '',
        date: '2023-11-14',
        ebook: 'bare-book'
      })
      const infos = parsed.files.flatMap((file) => file.messages.filter((m) => m.ruleId === 'format-defaults'))
      expect(infos).toHaveLength(1)
      expect(infos[0]?.fatal).toBeUndefined()
      expect(infos[0]?.reason).toContain('no authors, language `en`, an empty description, date 2023-11-14')
      // The title comes from SUMMARY.md, since the file opens with `##`.
      expect(parsed.book?.chapters[0]?.title).toBe('One')
    } finally {
      if (previous === undefined) delete process.env.SOURCE_DATE_EPOCH
      else process.env.SOURCE_DATE_EPOCH = previous
    }
  })

  it('lets README.md, SUMMARY.md and LICENSE sit in a plain book folder', async () => {
    const dir = await book('plain-extras', {
      'book.yaml': 'title: T\nauthors: [A]\nlanguage: en\ndescription: D\ndate: 2024-01-01\nebook: t\n',
      '01-one.md': '# One\n\nText.\n',
      'README.md': '# Read me\n',
      'SUMMARY.md': '- [One](01-one.md)\n',
      'LICENSE.md': 'MIT\n',
      // An mdBook file beside book.yaml is not read: book.yaml wins.
      'book.toml': '[book]\ntitle = "Other"\n'
    })
    expect(await messages(dir)).toEqual([])
    expect((await loadBook(dir, tmp)).meta?.title).toBe('T')
  })

  it('follows a link to a chapter’s page (`x.html`, a folder’s `index.html`) to the chapter, as mdBook books link', async () => {
    // The Rust book and mdBook's guide link chapters by the pages mdBook makes of them.
    const dir = await book('html-links', {
      'book.toml': '[book]\ntitle = "T"\nauthors = ["A"]\n',
      'src/SUMMARY.md': '- [Intro](intro.md)\n- [Guide](guide/README.md)\n    - [Steps](guide/steps.md)\n',
      'src/intro.md':
        '# Intro\n\nSee [the steps](guide/steps.html#first), [the guide](guide/index.html) and [nothing](gone.html).\n',
      'src/guide/README.md': '# Guide\n\nBack to [the intro](../intro.html).\n',
      'src/guide/steps.md': '# Steps\n\n## First\n\nText.\n'
    })
    const found = await messages(dir)
    expect(found.filter((line) => line.includes('missing-'))).toEqual([
      'html-links/src/intro.md:3:76 warning missing-link-target'
    ])
    const {book: parsed} = await parseBook(dir, tmp)
    const urls = parsed?.chapters.flatMap((chapter) => (chapter.file.data.links ?? []).map((link) => link.node.url))
    expect(urls).toEqual(['steps.md#first', 'readme.md', 'gone.html', 'intro.md'])
  })

  it('warns at an executable cell and shows it as code in its language', async () => {
    const dir = await book('cells', {
      '_quarto.yml': 'book:\n  title: T\n  author: A\n  date: 2024-01-01\n  chapters: [one.qmd]\n',
      'one.qmd': '# One\n\nText.\n\n```{r setup, echo=FALSE}\nx <- 1\n```\n'
    })
    const parsed = await parseBook(dir, tmp)
    const code = parsed.book?.chapters[0]?.tree.children.find((node) => node.type === 'code')
    expect(code).toMatchObject({lang: 'r', meta: null, value: 'x <- 1'})
    expect(await messages(dir)).toContain('cells/one.qmd:5:1 warning executable-chunk')
  })

  it('takes a Bookdown part-only file as no chapter, and a marker after content as the next chapter’s', async () => {
    const dir = await book('markers', {
      'index.Rmd':
        '---\ntitle: Markers\nauthor: A\ndate: 2024-01-01\n---\n\n# Hello\n\nText.\n\n# (PART\\*) Later {-}\n',
      '01-a.Rmd': '# A\n\nText.\n',
      '02-part.Rmd': '# (PART) Second {-}\n',
      '03-b.Rmd': '# B\n\nText.\n',
      '04-c.Rmd': '# (APPENDIX) Appendix {-}\n\n# C\n\nText.\n',
      // As in bookdown-demo: the references' heading, for HTML output only, made by R.
      '05-references.Rmd': "`r if (knitr::is_html_output()) '\n# References {-}\n'`\n"
    })
    const loaded = await loadBook(dir, tmp)
    expect(loaded.chapters.map((chapter) => [chapter.slug, chapter.number, chapter.place])).toEqual([
      ['index-chapter', 1, {}],
      ['a', 2, {part: 'Later', appendix: undefined}],
      ['b', 3, {part: 'Second', appendix: undefined}],
      ['c', 4, {part: 'Appendix', appendix: true}]
    ])
    const parsed = await parseBook(dir, tmp)
    expect(parsed.book?.chapters.map((chapter) => chapter.title)).toEqual(['Hello', 'A', 'B', 'C'])
    expect(JSON.stringify(parsed.book?.chapters[0]?.tree)).not.toContain('PART')
    expect((await messages(dir)).filter((line) => !line.endsWith('format-defaults'))).toEqual([
      'markers/05-references.Rmd:0:0 warning executable-chunk'
    ])
  })

  it('points a cross-reference to another .qmd chapter at that chapter’s page in both books', async () => {
    // r4ds: `@sec-layers` in data-visualize.qmd led to `layers.qmd#sec-layers`, a page neither book has; and
    // `# Layers {#sec-layers}` is the chapter's title, which the pages show without the author's id.
    const dir = await book('qmd-crossref', {
      '_quarto.yml': 'book:\n  title: T\n  author: A\n  chapters: [index.qmd, 02-layers.qmd]\n',
      'index.qmd': '# Start\n\nSee @sec-layers and @sec-grammar.\n',
      '02-layers.qmd': '# Layers {#sec-layers}\n\n## Grammar {#sec-grammar}\n\nText.\n'
    })
    const {book: parsed} = await parseBook(dir, tmp)
    const chapters = parsed?.chapters ?? []
    const references = chapters[0]?.file.data.crossReferences ?? []
    expect(references.map((reference) => reference.text)).toEqual(['Layers', 'Grammar'])
    const slugs = slugsByFileName(chapters)
    expect(references.map((reference) => chapterHref(reference.url ?? '', slugs, '.xhtml'))).toEqual([
      'layers.xhtml',
      'layers.xhtml#sec-grammar'
    ])
  })

  it('reads an image path that starts with `/` from the book’s folder, as Quarto does, and no further out', async () => {
    // quarto-tdg's websites.qmd: `![Default](/images/website-listing-default.png)`.
    const dir = await book('root-images', {
      '_quarto.yml': 'book:\n  title: T\n  author: A\n  chapters: [index.qmd, parts/one.qmd]\n',
      'index.qmd': '# Start\n\nText.\n',
      'parts/one.qmd': '# One\n\n![A cover](/images/cover.png)\n\n![Out](/../outside.png)\n'
    })
    await fs.mkdir(path.join(dir, 'images'))
    await fs.copyFile(path.join(fixtures, 'mdbook/src/cover.png'), path.join(dir, 'images/cover.png'))
    expect((await messages(dir)).filter((line) => !line.endsWith('format-defaults'))).toEqual([
      'root-images/parts/one.qmd:5:1 error image-outside-book'
    ])
    const {files} = await parseBook(dir, tmp)
    const one = files.find((file) => file.path.endsWith('one.qmd'))
    expect(one?.data.images).toEqual({'/images/cover.png': path.join(dir, 'images/cover.png')})
  })

  it('takes the id of a raw `<a id>` as an anchor links may name, in the chapter and from another', async () => {
    // The Rust book keeps its old anchors alive with `<a id="old-name"></a>` above renamed headings.
    const dir = await book('html-anchors', {
      'book.toml': '[book]\ntitle = "T"\nauthors = ["A"]\n',
      'src/SUMMARY.md': '- [One](one.md)\n- [Two](two.md)\n',
      'src/one.md': '# One\n\n<a id="old-name"></a>\n\n## New Name\n\nSee [above](#old-name).\n',
      'src/two.md': '# Two\n\nSee [one](one.md#old-name), not [this](one.md#gone).\n'
    })
    expect((await messages(dir)).filter((line) => line.includes('missing-'))).toEqual([
      'html-anchors/src/two.md:3:33 warning missing-anchor'
    ])
  })

  it('reads index.Rmd’s YAML when its `---` lines end in spaces, as Pandoc does', async () => {
    // bookdown-demo's index.Rmd opens with `--- `.
    const dir = await book('fence-spaces', {
      'index.Rmd':
        '--- \ntitle: "Spaced Fence"\nauthor: "Ann Lee"\nbibliography: [refs.yaml]\n---  \n\n# Hello\n\nAs @k said.\n',
      'refs.yaml': '- id: k\n  type: book\n  title: K\n',
      '01-a.Rmd': '--- \ntitle: A\n--- \n\nText.\n'
    })
    const loaded = await loadBook(dir, tmp)
    expect(loaded.meta).toMatchObject({title: 'Spaced Fence', authors: ['Ann Lee']})
    expect(await messages(dir)).not.toContainEqual(expect.stringContaining('unknown-cite-key'))
  })
  it('reads the author’s cover, and reports one missing, not an image, or small at its field', async () => {
    const yaml = (cover: string) =>
      `title: T\nauthors: [A]\nlanguage: en\ndescription: D\ndate: 2024-01-01\nebook: t\ncover: ${cover}\n`
    const chapter = '# One\n\nText.\n'
    const good = await book('cover-good', {'book.yaml': yaml('art/cover.png'), '01-one.md': chapter})
    await fs.mkdir(path.join(good, 'art'))
    await fs.copyFile(path.join(fixtures, 'mdbook/src/cover.png'), path.join(good, 'art/cover.png'))
    const loaded = await loadBook(good, tmp)
    expect(loaded.cover).toMatchObject({mediaType: 'image/png', extension: 'png', width: 640, height: 1024})
    expect(await messages(good)).toEqual([])

    const missing = await book('cover-missing', {'book.yaml': yaml('nowhere.png'), '01-one.md': chapter})
    expect(await messages(missing)).toContain('cover-missing/book.yaml:7:8 error missing-cover')
    const text = await book('cover-text', {'book.yaml': yaml('notes.txt'), '01-one.md': chapter, 'notes.txt': 'no'})
    expect(await messages(text)).toContain('cover-text/book.yaml:7:8 error invalid-cover')
    const small = await book('cover-small', {
      '_quarto.yml':
        'book:\n  title: T\n  author: A\n  date: 2024-01-01\n  cover-image: small.png\n  chapters: [one.qmd]\n',
      'one.qmd': chapter
    })
    await fs.copyFile(path.join(fixtures, 'covers/small.png'), path.join(small, 'small.png'))
    expect(await messages(small)).toContain('cover-small/_quarto.yml:5:16 warning small-cover')
  })
})
