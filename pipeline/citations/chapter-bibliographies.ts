/**
 * A chapter's own bibliography, as Quarto and Pandoc read one: a
 * `bibliography:` field (a path, or a list of them) in the chapter's front
 * matter, relative to the chapter. Each file is read as the book's is
 * (inside the book, UTF-8, BibTeX, CSL-JSON or CSL-YAML, errors at their
 * line and column in it), and its entries join the book's: one formatter
 * formats every citation of the book, and any chapter may cite any entry.
 *
 * Messages (the loader's source): `missing-bibliography` (error) at the
 * path in the front matter when no file is there; `conflicting-reference-key`
 * (warning) at an entry whose key an earlier bibliography (the book's, then
 * the chapters' in reading order) defines differently: the earlier entry is
 * the one cited, as when Pandoc is given several bibliographies. The same
 * entry in two bibliographies is no problem.
 */
import path from 'node:path'
import {isDeepStrictEqual} from 'node:util'
import type {VFile} from 'vfile'
import {isScalar, isSeq, parseDocument} from 'yaml'
import {readVFile, source} from '../book/files.js'
import {error, positionAt, warn} from '../messages.js'
import type {CslItem} from '../types.js'
import type {Bibliography} from './bibliography.js'

// A front matter block: `---` lines around YAML, at the very start of the chapter.
const frontMatter = /^---[ \t]*\r?\n([\s\S]*?)\r?\n(?:---|\.\.\.)[ \t]*(?:\r?\n|$)/

/**
 * The bibliography files `chapters` name in their front matter, each read once (`book`, the book's own file, is not
 * read again). A path with no file is an error at it, on its chapter.
 */
export async function readChapterBibliographies(
  chapters: Array<{file: VFile}>,
  book: VFile,
  bookDir: string,
  cwd: string
): Promise<VFile[]> {
  const read = new Map<string, VFile | undefined>([[path.resolve(book.cwd, book.path), book]])
  const result: VFile[] = []
  for (const {file} of chapters) {
    const text = String(file.value)
    const match = text.startsWith('---') ? frontMatter.exec(text) : null
    if (!match) continue
    const base = match[0].indexOf(match[1])
    const doc = parseDocument(match[1])
    // A front matter that is not valid YAML is remark-chapter-meta's error.
    if (doc.errors.length > 0) continue
    const field = doc.get('bibliography', true)
    const names = isSeq(field) ? field.items : [field]
    for (const name of names) {
      if (!isScalar(name) || typeof name.value !== 'string' || !name.range) continue
      const absolute = path.resolve(path.dirname(path.resolve(file.cwd, file.path)), name.value)
      if (read.has(absolute)) continue
      const found = await readVFile(absolute, cwd, bookDir)
      read.set(absolute, found)
      if (found) {
        result.push(found)
        continue
      }
      error(
        file,
        `Missing bibliography \`${name.value}\`, expected a .bib, CSL-JSON or CSL-YAML file at that path (relative to the chapter)`,
        positionAt(file, base + name.range[0], base + name.range[1]),
        'missing-bibliography',
        source
      )
    }
  }
  return result
}

/** The entries of `bibliographies` by key, the first definition of each; a different later one is a warning at it. */
export function mergeBibliographies(bibliographies: Bibliography[]): Map<string, CslItem> {
  const items = new Map<string, CslItem>()
  const from = new Map<string, Bibliography>()
  for (const bibliography of bibliographies) {
    for (const [key, item] of bibliography.items) {
      const first = from.get(key)
      if (!first) {
        items.set(key, item)
        from.set(key, bibliography)
      } else if (!isDeepStrictEqual(items.get(key), item)) {
        const line = first.file.data.referencePositions?.get(key)?.start.line
        warn(
          bibliography.file,
          `Unexpected reference \`${key}\` defined differently in \`${first.file.path}\`${line ? ` (line ${line})` : ''}, expected one entry per key: citations use the first (rename one key, or remove one entry)`,
          bibliography.file.data.referencePositions?.get(key),
          'conflicting-reference-key',
          source
        )
      }
    }
  }
  return items
}
