/**
 * A Bookdown book: `_bookdown.yml` (`rmd_files`, `book_filename`) and the YAML of `index.Rmd` (title,
 * subtitle, author, date, description, lang, url, cover-image, bibliography, csl). Without `rmd_files`,
 * the `.Rmd` files of the folder in name order, `index.Rmd` first, as Bookdown takes them. A
 * `# (PART) Name {-}` heading starts a part and `# (APPENDIX) Name {-}` the appendices: they are not
 * chapters (a file holding nothing else gives no chapter), and the chapter's tree loses them.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {VFile} from 'vfile'
import {isMap, isSeq, parseDocument} from 'yaml'
import {error, positionAt, warn} from '../messages.js'
import type {ChapterPlace} from '../types.js'
import type {ChapterSource} from './files.js'
import {readVFile, source} from './files.js'
import {
  type FormatBook,
  type ListedChapter,
  metaWithDefaults,
  namesOf,
  parseYamlFile,
  placeholderFile,
  readListedChapters,
  validDate
} from './formats.js'

/** A `# (PART) Name {-}` or `# (APPENDIX) Name {-}` line: the kind and the name. */
export const partMarker = /^#[ \t]+\((PART\\?\*?|APPENDIX)\)[ \t]*(.*?)[ \t]*(?:\{[^}]*\})?[ \t]*$/gm

/** Read the Bookdown book at `bookDir`. */
export async function loadBookdown(bookDir: string, cwd: string, files: VFile[], dirFile: VFile): Promise<FormatBook> {
  const configFile = await readVFile(path.join(bookDir, '_bookdown.yml'), cwd, bookDir)
  let config: Record<string, unknown> = {}
  const listed: ListedChapter[] = []
  if (configFile) {
    files.push(configFile)
    const doc = parseYamlFile(configFile, '_bookdown.yml')
    if (!doc) return {meta: undefined, chapters: [], metaFile: configFile}
    config = (doc.toJSON() ?? {}) as Record<string, unknown>
    let rmdFiles = doc.get('rmd_files', true)
    if (isMap(rmdFiles)) rmdFiles = rmdFiles.get('html', true)
    if (isSeq(rmdFiles)) {
      for (const node of rmdFiles.items) {
        const name = (node as {value?: unknown}).value
        if (typeof name !== 'string') continue
        const range = (node as {range?: [number, number, number]}).range
        listed.push({
          absolute: path.resolve(bookDir, name),
          place: {},
          listedAt: {file: configFile, position: range && positionAt(configFile, range[0], range[1])}
        })
      }
    }
  }
  if (listed.length === 0) {
    const names = (await fs.readdir(bookDir).catch(() => [] as string[]))
      .filter((name) => /\.Rmd$/i.test(name) && !name.startsWith('_'))
      .sort((a, b) => Number(b === 'index.Rmd') - Number(a === 'index.Rmd') || a.localeCompare(b))
    for (const name of names)
      listed.push({
        absolute: path.join(bookDir, name),
        place: {},
        listedAt: {file: configFile ?? dirFile, position: undefined}
      })
  }
  for (const entry of listed) {
    entry.partMarkers = true
    if (path.basename(entry.absolute) === 'index.Rmd') entry.bookFrontmatter = true
  }

  const chapters = placeByMarkers(await readListedChapters(bookDir, cwd, listed, files))
  const listing = configFile ?? dirFile
  if (chapters.length === 0 && !listing.messages.some((m) => m.fatal)) {
    error(
      listing,
      'Missing chapters, expected `.Rmd` files in the book folder or listed in `rmd_files` in _bookdown.yml',
      undefined,
      'no-chapters',
      source
    )
  }

  // The book's metadata is the YAML that opens index.Rmd.
  const index = chapters.find((chapter) => path.basename(chapter.file.path) === 'index.Rmd')?.file
  const metaFile = index ?? configFile ?? placeholderFile(path.join(bookDir, 'index.Rmd'), cwd)
  const yaml = index ? /^---[ \t]*\r?\n([\s\S]*?)\r?\n---[ \t]*(\r?\n|$)/.exec(String(index.value))?.[1] : undefined
  const front = (yaml ? (parseDocument(yaml).toJSON() ?? {}) : {}) as Record<string, unknown>
  const str = (value: unknown) => (typeof value === 'string' ? value : undefined)
  const bibliography = Array.isArray(front.bibliography) ? front.bibliography[0] : front.bibliography
  const meta = await metaWithDefaults(
    {
      title: str(front.title),
      subtitle: str(front.subtitle),
      authors: namesOf(front.author),
      description: str(front.description),
      date: validDate(front.date),
      language: str(front.lang),
      citationStyle: str(front.csl),
      url: str(front.url),
      cover: str(front['cover-image']),
      ebook: str(config.book_filename)?.replace(/\.[^.]+$/, '')
    },
    metaFile,
    bookDir,
    chapters
  )
  if (!files.includes(metaFile)) files.push(metaFile)
  return {meta, chapters, bibliography: str(bibliography), metaFile}
}

/**
 * The parts the `(PART)` and `(APPENDIX)` markers open: a marker before a file's content starts its part
 * at that file's chapter, one after it at the next; a file with nothing but markers is no chapter.
 */
function placeByMarkers(chapters: ChapterSource[]): ChapterSource[] {
  const kept: ChapterSource[] = []
  let state: ChapterPlace = {}
  for (const chapter of chapters) {
    const body = String(chapter.file.value).replace(/^---[ \t]*\r?\n[\s\S]*?\r?\n---[ \t]*(\r?\n|$)/, '')
    const strip = (text: string) =>
      text
        .replace(partMarker, '')
        .replace(/<!--[\s\S]*?-->/g, '')
        .trim()
    let place = state
    for (const match of body.matchAll(partMarker)) {
      state =
        match[1] === 'APPENDIX'
          ? {appendix: true, part: match[2] || undefined}
          : {part: match[2] || undefined, appendix: state.appendix}
      if (strip(body.slice(0, match.index)) === '') place = state
    }
    if (strip(body) === '') continue
    if (/^(?:`r\s[^`]*`\s*)+$/.test(strip(body))) {
      // bookdown-demo's 06-references.Rmd: `` `r if (knitr::is_html_output()) '# References {-}'` ``.
      warn(
        chapter.file,
        'Unexpected file of nothing but inline R code, expected Markdown (nothing runs the code, so the file gives no chapter)',
        undefined,
        'executable-chunk',
        source
      )
      continue
    }
    chapter.place = place
    kept.push(chapter)
  }
  kept.forEach((chapter, index) => {
    chapter.number = index + 1
    chapter.file.data.number = index + 1
  })
  return kept
}
