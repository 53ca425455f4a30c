/**
 * A Quarto book: `_quarto.yml`, its `book:` (title, subtitle, author, date, description, site-url,
 * cover-image, output-file, `chapters` with `part:` groups, `appendices`), and the top-level `bibliography`, `csl` and
 * `lang`. `index.qmd` is a chapter like the others (the first, as Quarto lists it), not the book's index page.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {VFile} from 'vfile'
import {isMap, isScalar, isSeq, type Node as YamlNode} from 'yaml'
import {error, positionAt, warn} from '../messages.js'
import type {ChapterPlace} from '../types.js'
import {readVFile, source} from './files.js'
import {
  type FormatBook,
  type ListedChapter,
  metaWithDefaults,
  namesOf,
  parseYamlFile,
  readListedChapters,
  validDate
} from './formats.js'

/** Read the Quarto book at `bookDir`. */
export async function loadQuarto(bookDir: string, cwd: string, files: VFile[], _dirFile: VFile): Promise<FormatBook> {
  const file =
    (await readVFile(path.join(bookDir, '_quarto.yml'), cwd, bookDir)) ??
    ((await readVFile(path.join(bookDir, '_quarto.yaml'), cwd, bookDir)) as VFile)
  files.push(file)
  const doc = parseYamlFile(file, '_quarto.yml')
  if (!doc) return {meta: undefined, chapters: [], metaFile: file}
  const at = (node: YamlNode | null | undefined) =>
    node?.range ? positionAt(file, node.range[0], node.range[1]) : undefined
  const book = doc.get('book', true)
  if (!isMap(book)) {
    error(
      file,
      'Missing `book:` in _quarto.yml, expected the book’s title and `chapters` under it',
      {line: 1, column: 1},
      'missing-book',
      source
    )
    return {meta: undefined, chapters: [], metaFile: file}
  }

  const listed: ListedChapter[] = []
  const entry = async (node: unknown, place: ChapterPlace): Promise<void> => {
    const yamlNode = node as YamlNode
    if (isScalar(node) && typeof node.value === 'string') {
      listed.push({absolute: path.resolve(bookDir, node.value), place, listedAt: {file, position: at(yamlNode)}})
    } else if (isMap(node) && node.has('part')) {
      const part = node.get('part')
      const chapters = node.get('chapters', true)
      const partPlace = {...place, part: typeof part === 'string' ? await partTitle(bookDir, part) : undefined}
      if (isSeq(chapters)) for (const child of chapters.items) await entry(child, partPlace)
    } else {
      warn(
        file,
        'Unexpected chapter entry, expected a file name (`intro.qmd`) or a `part:` with its `chapters:`',
        at(yamlNode),
        'unknown-chapter-entry',
        source
      )
    }
  }
  const chapters = book.get('chapters', true)
  if (isSeq(chapters)) for (const node of chapters.items) await entry(node, {})
  const appendices = book.get('appendices', true)
  if (isSeq(appendices)) for (const node of appendices.items) await entry(node, {appendix: true})
  if (listed.length === 0) {
    error(
      file,
      'Missing `chapters` under `book:` in _quarto.yml, expected a list of chapter files such as `- index.qmd`',
      at(book),
      'no-chapters',
      source
    )
  }

  const chapterSources = await readListedChapters(bookDir, cwd, listed, files)
  const value = (key: string) => book.get(key)
  const top = (key: string) => doc.get(key)
  const bibliography = top('bibliography') ?? value('bibliography')
  const bibliographies = (isSeq(bibliography) ? bibliography.toJSON() : [bibliography]).filter(
    (name: unknown): name is string => typeof name === 'string'
  )
  if (bibliographies.length > 1)
    warn(
      file,
      `Unexpected ${bibliographies.length} bibliographies, expected one: only \`${bibliographies[0]}\` is read`,
      undefined,
      'one-bibliography',
      source
    )
  const author = book.get('author', true) ?? doc.get('author', true)
  const meta = await metaWithDefaults(
    {
      title: str(value('title')) ?? str(top('title')),
      subtitle: str(value('subtitle')),
      authors: namesOf(isMap(author) || isSeq(author) ? author.toJSON() : isScalar(author) ? author.value : undefined),
      description: str(value('description')),
      date: validDate(value('date')),
      language: str(top('lang')),
      citationStyle: str(top('csl')),
      url: str(value('site-url')),
      cover: str(value('cover-image')),
      ebook: str(value('output-file'))?.replace(/\.[^.]+$/, '')
    },
    file,
    bookDir,
    chapterSources
  )
  return {meta, chapters: chapterSources, bibliography: bibliographies[0], metaFile: file}
}

/** A part's title: as written, or the title of the file it names (`part: part-one.qmd`). */
async function partTitle(bookDir: string, part: string): Promise<string> {
  if (!/\.(q|r)?md$/i.test(part)) return part
  const text = await fs.readFile(path.resolve(bookDir, part), 'utf8').catch(() => '')
  const title = /^title:\s*["']?(.+?)["']?\s*$/m.exec(text)?.[1] ?? /^#\s+(.+?)\s*(\{[^}]*\})?\s*$/m.exec(text)?.[1]
  return title ?? path.basename(part).replace(/\.[^.]+$/, '')
}

function str(value: unknown): string | undefined {
  return typeof value === 'string' ? value : typeof value === 'number' ? String(value) : undefined
}
