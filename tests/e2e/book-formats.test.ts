/**
 * Books in other tools' layouts, built as they are: an mdBook book with parts and nested sections, a Quarto
 * book with parts, appendices and a .bib, a Bookdown book with a PART and an APPENDIX marker. Each builds,
 * passes epubcheck and DAISY Ace, and keeps its order, nesting and links in both books.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../../pipeline/build.js'
import {browserForFile} from '../helpers/browser.js'
import {ace} from '../helpers/epub-ace.js'
import {epubFiles} from '../helpers/epub-zip.js'
import {epubcheck} from '../helpers/epubcheck.js'
import {root} from '../helpers/fixture-book.js'
import {serve} from '../helpers/serve.js'
import {axe} from '../helpers/story.js'

const formats = ['mdbook', 'quarto', 'bookdown'] as const
type Format = (typeof formats)[number]
const browser = browserForFile()
let tmp: string
const built = {} as Record<Format, {epub: string; web: string; files: Map<string, Buffer>; messages: string[]}>

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-formats-'))
  for (const format of formats) {
    const outDir = path.join(tmp, format)
    const result = await build({
      bookDir: path.join(root, 'tests/fixtures/formats', format),
      outDir,
      cwd: root,
      modified: new Date('2024-01-01T00:00:00Z')
    })
    const messages = result.files.flatMap((file) =>
      file.messages.map(
        (m) =>
          `${file.path}:${m.line ?? 0}:${m.column ?? 0} ${m.fatal === true ? 'error' : m.fatal === false ? 'warning' : 'info'} ${m.ruleId}`
      )
    )
    expect(result.ok, messages.join('\n')).toBe(true)
    const epub = result.outputs?.epub.path ?? ''
    built[format] = {epub, web: path.join(outDir, 'web'), files: epubFiles(await fs.readFile(epub)), messages}
  }
}, 300_000)

afterAll(async () => {
  if (tmp) await fs.rm(tmp, {recursive: true, force: true})
})

const text = (format: Format, name: string) => built[format].files.get(`OEBPS/${name}`)?.toString('utf8') ?? ''
const web = (format: Format, name: string) => fs.readFile(path.join(built[format].web, name), 'utf8')
/** The nav's entries as `depth title → href`, in order. */
function navOutline(xhtml: string): string[] {
  const toc = /<nav epub:type="toc"[\s\S]*?<\/nav>/.exec(xhtml)?.[0] ?? ''
  const entries: string[] = []
  let depth = 0
  for (const token of toc.matchAll(/<ol[^>]*>|<\/ol>|<a href="([^"]+)">([^<]*)<\/a>/g)) {
    if (token[0].startsWith('<ol')) depth++
    else if (token[0] === '</ol>') depth--
    else entries.push(`${depth} ${token[2]} → ${token[1]}`)
  }
  return entries
}

describe('books in other layouts', () => {
  for (const format of formats) {
    it(`passes epubcheck with 0 errors and 0 warnings: ${format}`, async () => {
      const messages = await epubcheck(built[format].epub)
      const problems = messages.filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')
      expect(problems.map((m) => `${m.severity} ${m.ID} ${m.message} ${JSON.stringify(m.locations[0] ?? {})}`)).toEqual(
        []
      )
    })
  }

  it('gives an mdBook book its parts, prefix and suffix chapters, nested sections and titles from SUMMARY.md', async () => {
    expect(navOutline(text('mdbook', 'toc.xhtml'))).toEqual([
      '1 Preface → preface.xhtml',
      '1 The Coast → part-1.xhtml',
      '2 Arrival → arrival.xhtml',
      '3 The first sight → arrival.xhtml#the-first-sight',
      '3 The house → arrival.xhtml#the-house',
      '3 The Lamp → lamp.xhtml',
      '4 The lens → lamp.xhtml#the-lens',
      '2 Storms → storms.xhtml',
      '3 The great gale → storms.xhtml#the-great-gale',
      '1 The Island → part-2.xhtml',
      '2 Supplies → supplies.xhtml',
      '3 The boat → supplies.xhtml#the-boat',
      '1 Afterword → afterword.xhtml'
    ])
    // The NCX nests the same way, in reading order.
    const ncx = text('mdbook', 'toc.ncx')
    expect(ncx).toContain('<meta name="dtb:depth" content="4"/>')
    expect(ncx).toMatch(/<content src="lamp.xhtml"\/>\s*<navPoint[^>]*>\s*<navLabel><text>The lens<\/text>/)
    const orders = [...ncx.matchAll(/playOrder="(\d+)"/g)].map((m) => Number(m[1]))
    expect(orders).toEqual(orders.map((_, i) => i + 1))
    // The draft chapter has no page, and says so once, at its line in SUMMARY.md.
    expect([...built.mdbook.files.keys()].some((name) => /letters/i.test(name))).toBe(false)
    expect(built.mdbook.messages).toContain('tests/fixtures/formats/mdbook/src/SUMMARY.md:16:3 info draft-chapter')
    // A file that opens with `##` takes its title from SUMMARY.md; prefix and suffix chapters have no number.
    expect(text('mdbook', 'arrival.xhtml')).toContain(
      '<p class="chapter-number">Chapter 1</p><h1 id="title-arrival">Arrival</h1>'
    )
    expect(text('mdbook', 'lamp.xhtml')).toContain('<p class="chapter-number">Chapter 1.1</p>')
    expect(text('mdbook', 'preface.xhtml')).not.toContain('chapter-number')
    expect(text('mdbook', 'part-1.xhtml')).toContain('epub:type="part"')
    // Links across folders reach the chapter and its anchor in both books.
    expect(text('mdbook', 'supplies.xhtml')).toContain('<a href="lamp.xhtml#the-lens">the lamp</a>')
    expect(text('mdbook', 'arrival.xhtml')).toContain('<a href="lamp.xhtml#the-lens">the next section</a>')
    expect(await web('mdbook', 'supplies.html')).toContain('<a href="lamp.html#the-lens">the lamp</a>')
    // The web contents: parts over their chapters, the nested chapter inside its parent.
    const contents = await web('mdbook', 'index.html')
    expect(contents).toMatch(
      /<h3 class="contents__part-title">The Coast<\/h3><ol><li><span class="contents__label">Chapter 1<\/span><a href="arrival.html">Arrival<\/a><ol><li><span class="contents__label">Chapter 1.1<\/span><a href="lamp.html">The Lamp<\/a>/
    )
    // The cover named in book.toml is the EPUB's cover and the web story's Open Graph image, as it is.
    const cover = await fs.readFile(path.join(root, 'tests/fixtures/formats/mdbook/src/cover.png'))
    const epubCover = [...built.mdbook.files].find(([name]) => /^OEBPS\/images\/cover-.*\.png$/.test(name))
    expect(epubCover?.[1].equals(cover)).toBe(true)
    expect(contents).toContain('<meta property="og:image:width" content="640">')
    const og = /<meta property="og:image" content="([^"]+)">/.exec(contents)?.[1] ?? ''
    expect((await fs.readFile(path.join(built.mdbook.web, og))).equals(cover)).toBe(true)
    // README.md, LICENSE and SUMMARY.md are not chapters.
    expect(built.mdbook.messages.filter((m) => / (error|warning) /.test(m))).toEqual([])
  })

  it('gives a Quarto book its parts, lettered appendices and .bib citations; index.qmd is the first chapter', async () => {
    expect(navOutline(text('quarto', 'toc.xhtml'))).toEqual([
      '1 Preface → index-chapter.xhtml',
      '1 The Sea → part-1.xhtml',
      '2 Tides → tides.xhtml',
      '3 Spring tides → tides.xhtml#spring-tides',
      '2 Currents → currents.xhtml',
      '3 Rip currents → currents.xhtml#rip-currents',
      '1 The Land → part-2.xhtml',
      '2 Harbours → harbours.xhtml',
      '3 Breakwaters → harbours.xhtml#breakwaters',
      '1 Appendices → part-3.xhtml',
      '2 Appendix A: Tide Data → data.xhtml',
      '2 Appendix B: Glossary → glossary.xhtml',
      '1 Notes to chapter 1: Preface → notes-index-chapter.xhtml',
      '1 Notes to chapter 2: Tides → notes-tides.xhtml',
      '1 Notes to chapter 3: Currents → notes-currents.xhtml',
      '1 Sources → sources.xhtml'
    ])
    expect(text('quarto', 'data.xhtml')).toContain('<p class="chapter-number">Appendix A</p>')
    expect(text('quarto', 'data.xhtml')).toContain('epub:type="appendix"')
    expect(await web('quarto', 'glossary.html')).toContain('<p class="chapter__number">Appendix B</p>')
    expect(text('quarto', 'harbours.xhtml')).toContain('<p class="chapter-number">Chapter 4</p>')
    // The .bib entries are formatted, @misc with a URL as a web page.
    const sources = text('quarto', 'sources.xhtml')
    expect(sources).toContain('Doe, Jane. <i>The Book of Tides</i>. Lisbon: Harbour Press, 2020.')
    expect(sources).toContain('“What Is a Rip Current?,” 2023. https://oceanservice.noaa.gov/facts/ripcurrent.html')
    // The executable cell is shown as code, with a warning at its place.
    expect(built.quarto.messages).toContain('tests/fixtures/formats/quarto/currents.qmd:5:1 warning executable-chunk')
    expect(text('quarto', 'currents.xhtml')).toMatch(/<code[^>]*language-python[^>]*>[\s\S]*print[\s\S]*the tide table/)
    expect(text('quarto', 'tides.xhtml')).toContain('<a href="harbours.xhtml#breakwaters">the harbours</a>')
  })

  it('makes parts of a Bookdown book’s (PART) and (APPENDIX) markers, and reads index.Rmd’s YAML and CSL-YAML', async () => {
    expect(navOutline(text('bookdown', 'toc.xhtml'))).toEqual([
      '1 Welcome → index-chapter.xhtml',
      '1 Introduction → intro.xhtml',
      '1 Boats → part-1.xhtml',
      '2 Sails → sails.xhtml',
      '2 Oars → oars.xhtml',
      '1 Appendix → part-2.xhtml',
      '2 Appendix A: Knots → appendix.xhtml',
      '1 Notes to chapter 1: Welcome → notes-index-chapter.xhtml',
      '1 Sources → sources.xhtml'
    ])
    expect(path.basename(built.bookdown.epub)).toBe('harbour-notes.epub')
    const opf = text('bookdown', 'content.opf')
    expect(opf).toContain('<dc:title id="title">Harbour Notes</dc:title>')
    expect(opf).toContain('>Sam Lee</dc:creator>')
    expect(opf).toContain('<dc:date>2024-02-02</dc:date>')
    // The markers are not headings of the chapters.
    expect(text('bookdown', 'appendix.xhtml')).not.toContain('(APPENDIX)')
    expect(text('bookdown', 'appendix.xhtml')).toContain('<h1 id="title-appendix">Knots</h1>')
    expect(text('bookdown', 'sources.xhtml')).toContain('<i>Notes from the Harbour</i>')
    expect(text('bookdown', 'sails.xhtml')).toContain('<a href="oars.xhtml">oars</a>')
  })

  it('has no axe violations on the contents and chapter pages of each web story, and headings in order', async () => {
    const page = await browser().newPage()
    for (const format of formats) {
      const server = await serve(built[format].web)
      try {
        for (const file of (await fs.readdir(built[format].web)).filter((name) => name.endsWith('.html'))) {
          await page.goto(`${server.url}${file}`)
          expect(await axe(page), `${format} ${file}`).toEqual([])
          const levels = await page.evaluate(() =>
            Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map((h) => Number(h.tagName[1]))
          )
          for (const [index, level] of levels.entries())
            if (index > 0)
              expect(level, `${format} ${file}: h${level} after h${levels[index - 1]}`).toBeLessThanOrEqual(
                levels[index - 1]! + 1
              )
        }
      } finally {
        await server.close()
      }
    }
    await page.close()
  }, 300_000)

  for (const format of formats) {
    it(`reports 0 Ace violations: ${format}`, async () => {
      const {violations} = await ace(built[format].epub, path.join(root, 'test-results', 'ace', `format-${format}`))
      expect(violations.map((v) => `${v.impact} ${v.rule} in ${v.document}: ${v.description}`)).toEqual([])
    }, 300_000)
  }
})
