/**
 * Load a book directory: `book.yaml`, `references.json`, the chapter files and
 * the graphics registry. Nothing is parsed as Markdown here; every problem is a
 * positioned message on the file it concerns.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {readChapterBibliographies} from '../citations/chapter-bibliographies.js'
import {generateGraphicSvgs} from '../figures/generate.js'
import {graphicFromSvg} from '../figures/graphic.js'
import {hasLabels, labelledLanguages} from '../labels/index.js'
import {error, warn} from '../messages.js'
import {ChapterBudget} from '../parse/limits.js'
import {forbiddenIn, forbiddenReason, stripForbidden} from '../plugins/remark-xml-chars.js'
import type {BookMeta, CoverImage, Graphic} from '../types.js'
import {bidiControls, bidiReason, warnBidiControls} from './bidi.js'
import {loadBookdown} from './bookdown.js'
import {readCover} from './cover-image.js'
import {type ChapterSource, readVFile, reservedSlug, source} from './files.js'
import type {FormatBook} from './formats.js'
import {loadMdbook} from './mdbook.js'
import {loadQuarto} from './quarto.js'
import {type FieldSpec, fieldValuePosition, readYamlFields} from './yaml-fields.js'

/** Chapter file names: `<number>-<slug>.md`, any number of digits. */
export const chapterName = /^(\d+)-([a-z0-9]+(?:-[a-z0-9]+)*)\.md$/

const bookSchema: Record<string, FieldSpec> = {
  title: {kind: 'string', required: true},
  subtitle: {kind: 'string'},
  authors: {kind: 'string-list', required: true},
  language: {
    kind: 'string',
    required: true,
    pattern: {
      regex: /^[A-Za-z]{2,3}(-[A-Za-z0-9]{2,8})*$/,
      expected: 'a BCP 47 language tag such as `en` or `pt-BR`'
    }
  },
  description: {kind: 'string', required: true},
  date: {kind: 'date', required: true},
  ebook: {
    kind: 'string',
    required: true,
    pattern: {
      // File systems allow 255 bytes in a name, with `.epub`.
      regex: /^[A-Za-z0-9][A-Za-z0-9._-]{0,199}$/,
      expected: 'a file name of at most 200 characters without extension, such as `my-book`'
    }
  },
  edition: {kind: 'string'},
  publisher: {kind: 'string'},
  rights: {kind: 'string'},
  citationStyle: {kind: 'string'},
  url: {
    kind: 'string',
    pattern: {regex: /^https?:\/\/\S+$/, expected: 'an absolute http(s) URL'}
  },
  cover: {kind: 'string'},
  rules: {kind: 'rules'}
}

/** Which layout a book folder has: Twofold's own (`book.yaml`), or another tool's. */
export type BookFormat = 'twofold' | 'mdbook' | 'quarto' | 'bookdown'

/** What `loadBook` found: metadata, chapter files, graphics, and every file that may carry messages. */
export interface LoadedBook {
  dir: string
  meta: BookMeta | undefined
  chapters: ChapterSource[]
  graphics: GraphicRegistry
  referencesFile: VFile
  /** The bibliographies chapters name in their front matter (`bibliography:`), besides the book's. */
  chapterReferenceFiles: VFile[]
  /** Every file read so far (for reporting). */
  files: VFile[]
  format: BookFormat
  /** The file the metadata came from: book.yaml, book.toml, _quarto.yml or index.Rmd. */
  metaFile?: VFile | undefined
  /** The author's own cover (`cover:`, `cover-image`), read and checked. */
  cover?: CoverImage | undefined
}

/** The layout of a book folder from the names in it: `book.yaml` wins, then mdBook, Quarto, Bookdown. */
export function detectFormat(entries: string[]): BookFormat {
  const has = (name: string) => entries.includes(name)
  if (has('book.yaml')) return 'twofold'
  if (has('book.toml')) return 'mdbook'
  if (has('_quarto.yml') || has('_quarto.yaml')) return 'quarto'
  if (has('_bookdown.yml') || has('index.Rmd')) return 'bookdown'
  return 'twofold'
}

/** Files a book folder may hold besides its chapters: they are not chapters. */
const notChapters =
  /^(readme|summary|license|licence|changelog|contributing|code_of_conduct|authors|notice)(\.[a-z]+)?$/i

/** Load the book at `dir` (absolute or relative to `cwd`). */
export async function loadBook(dir: string, cwd = process.cwd()): Promise<LoadedBook> {
  const bookDir = path.resolve(cwd, dir)
  const files: VFile[] = []
  const dirFile = new VFile({path: path.relative(cwd, bookDir) || '.', cwd})
  files.push(dirFile)

  let entries: string[] = []
  try {
    entries = (await fs.readdir(bookDir)).sort()
  } catch {
    error(
      dirFile,
      `Missing book directory \`${dir}\`, expected a folder with book.yaml and chapters`,
      undefined,
      'missing-book-dir',
      source
    )
  }

  const format = detectFormat(entries)
  let formatBook: FormatBook
  if (format === 'twofold') {
    const meta = await loadMeta(bookDir, cwd, files, dirFile)
    formatBook = {
      meta,
      chapters: await loadChapters(bookDir, cwd, entries, files, dirFile),
      metaFile: files.find((file) => path.basename(file.path) === 'book.yaml')
    }
  } else {
    const reader = format === 'mdbook' ? loadMdbook : format === 'quarto' ? loadQuarto : loadBookdown
    formatBook = await reader(bookDir, cwd, files, dirFile)
  }
  const {meta, chapters, metaFile} = formatBook
  let cover: CoverImage | undefined
  if (meta?.cover && metaFile) {
    meta.cover = path.resolve(bookDir, meta.cover)
    cover = await readCover(meta.cover, metaFile, bookDir)
  }

  // The bibliography the book names, else the first of references.json, .bib, .yaml in the folder.
  const named = formatBook.bibliography
  const candidates = named ? [named] : ['references.json', 'references.bib', 'references.yaml', 'references.yml']
  let referencesFile: VFile | undefined
  for (const candidate of candidates) {
    referencesFile = await readVFile(path.resolve(bookDir, candidate), cwd, bookDir)
    if (referencesFile) break
  }
  if (!referencesFile && named && metaFile) {
    error(
      metaFile,
      `Missing bibliography \`${path.relative(bookDir, path.resolve(bookDir, named))}\`, expected a .bib, CSL-JSON or CSL-YAML file at that path`,
      fieldValuePosition(metaFile, 'bibliography'),
      'missing-bibliography',
      source
    )
  }
  referencesFile ??= new VFile({path: path.relative(cwd, path.join(bookDir, 'references.json')), cwd, value: '[]'})
  files.push(referencesFile)
  const chapterReferenceFiles = await readChapterBibliographies(chapters, referencesFile, bookDir, cwd)
  files.push(...chapterReferenceFiles)

  const graphics = new GraphicRegistry(bookDir, cwd, files)
  await graphics.scan()
  return {dir: bookDir, meta, chapters, graphics, referencesFile, chapterReferenceFiles, files, format, metaFile, cover}
}

async function loadMeta(bookDir: string, cwd: string, files: VFile[], dirFile: VFile): Promise<BookMeta | undefined> {
  const metaPath = path.join(bookDir, 'book.yaml')
  const file = await readVFile(metaPath, cwd, bookDir)
  if (!file) {
    if (!dirFile.messages.some((m) => m.fatal)) {
      error(
        dirFile,
        'Missing `book.yaml` in the book directory, expected title, authors, language, description, date and ebook fields (or the book.toml, _quarto.yml or _bookdown.yml of an mdBook, Quarto or Bookdown book)',
        undefined,
        'missing-book-yaml',
        source
      )
    }
    return undefined
  }
  files.push(file)
  if (file.messages.some((m) => m.fatal)) return undefined
  const values = readYamlFields(file, String(file.value), 0, bookSchema, {
    source,
    what: 'book.yaml'
  })
  if (!values || file.messages.some((m) => m.fatal)) return undefined
  cleanFields(file, values)
  const language = values.language as string
  if (!hasLabels(language)) {
    // Citations and dates still follow the language (CSL, Intl); the words around the text fall back to English.
    warn(
      file,
      `Unexpected language \`${language}\` for the books' own words (navigation, notes, sources), expected one of ${labelledLanguages.map((l) => `\`${l}\``).join(', ')}: they are in English`,
      fieldValuePosition(file, 'language'),
      'untranslated-language',
      source
    )
  }
  return {
    title: values.title as string,
    subtitle: values.subtitle as string | undefined,
    authors: values.authors as string[],
    language: values.language as string,
    description: values.description as string,
    date: values.date as string,
    ebook: values.ebook as string,
    edition: (values.edition as string | undefined) ?? '1',
    publisher: values.publisher as string | undefined,
    rights: values.rights as string | undefined,
    citationStyle: values.citationStyle as string | undefined,
    url: values.url as string | undefined,
    cover: values.cover as string | undefined,
    rules: values.rules as BookMeta['rules']
  }
}

/**
 * Every value of book.yaml reaches a page, the OPF or the cover: a character XML or HTML forbids (written raw, or as
 * a YAML escape such as `"\x01"`) is removed, with a `forbidden-character` warning at the field; a bidirectional
 * override, which reverses what follows it, is a `bidi-override` warning (it is kept: right-to-left titles may need
 * one).
 */
function cleanFields(file: VFile, values: Record<string, unknown>): void {
  for (const [key, value] of Object.entries(values)) {
    const list = Array.isArray(value) ? value : [value]
    for (const [index, item] of list.entries()) {
      if (typeof item !== 'string') continue
      for (const {code} of forbiddenIn(item))
        warn(file, forbiddenReason(code, `\`${key}\``), fieldValuePosition(file, key), 'forbidden-character', source)
      for (const [character] of item.matchAll(bidiControls))
        warn(file, bidiReason(character, `\`${key}\``), fieldValuePosition(file, key), 'bidi-override', source)
      list[index] = stripForbidden(item)
    }
    values[key] = Array.isArray(value) ? list : list[0]
  }
}

async function loadChapters(
  bookDir: string,
  cwd: string,
  entries: string[],
  files: VFile[],
  dirFile: VFile
): Promise<ChapterSource[]> {
  const chapters: ChapterSource[] = []
  let found = 0
  // Chapters are read a few at a time ahead of the one in hand, in order (a large book would exhaust file handles all at once).
  const names = entries.filter((name) => name.endsWith('.md') && !notChapters.test(name))
  const reads = new Map<string, Promise<VFile | undefined>>()
  const budget = new ChapterBudget()
  const read = (name: string) => {
    let pending = reads.get(name)
    if (!pending) reads.set(name, (pending = readVFile(path.join(bookDir, name), cwd, bookDir, budget.limits.chapter)))
    return pending
  }
  for (const [index, name] of names.entries()) {
    for (const ahead of names.slice(index, index + 16))
      if (chapterName.test(ahead)) void read(ahead).catch(() => undefined)
    const match = chapterName.exec(name)
    if (!match) {
      const file = new VFile({
        path: path.relative(cwd, path.join(bookDir, name)),
        cwd
      })
      files.push(file)
      error(
        file,
        `Unexpected chapter file name \`${name}\`, expected \`<number>-<slug>.md\` with a lowercase slug, such as \`01-the-party.md\``,
        {line: 1, column: 1},
        'bad-chapter-name',
        source
      )
      continue
    }
    const file = await read(name)
    reads.delete(name)
    if (!file) continue
    found++
    files.push(file)
    // Past a chapter's or the book's size limit, the build stops: no more chapters are read, none is parsed.
    if (!budget.admit(file)) break
    // A file that could not even be read as text is reported once, not parsed.
    if (file.messages.some((m) => m.fatal)) continue
    warnBidiControls(file, source)
    const number = Number(match[1])
    const slug = match[2]
    const sameSlug = chapters.find((c) => c.slug === slug)
    const sameNumber = chapters.find((c) => c.number === number)
    if (sameSlug) {
      error(
        file,
        `Unexpected duplicate slug \`${slug}\` (also in \`${path.basename(sameSlug.file.path)}\`), expected every chapter slug to be unique`,
        {line: 1, column: 1},
        'duplicate-slug',
        source
      )
      continue
    }
    const reserved = reservedSlug(slug)
    if (reserved) {
      error(
        file,
        `Unexpected chapter slug \`${slug}\`, which names ${reserved}, expected another slug (\`${name.replace(/\.md$/, '-chapter.md')}\`, say)`,
        {line: 1, column: 1},
        'reserved-slug',
        source
      )
      continue
    }
    if (sameNumber) {
      error(
        file,
        `Unexpected duplicate chapter number ${number} (also \`${path.basename(sameNumber.file.path)}\`), expected one chapter per number`,
        {line: 1, column: 1},
        'duplicate-chapter-number',
        source
      )
      continue
    }
    file.data.number = number
    file.data.slug = slug
    file.data.bookDir = bookDir
    chapters.push({number, slug, file})
  }
  if (budget.exceeded) return []
  chapters.sort((a, b) => a.number - b.number)
  // A chapter's EPUB notes are `notes-<slug>.xhtml`: no other chapter may be called that.
  const slugs = new Set(chapters.map((chapter) => chapter.slug))
  for (const chapter of [...chapters]) {
    const other = /^notes-(.+)$/.exec(chapter.slug)?.[1]
    if (other === undefined || !slugs.has(other)) continue
    const name = path.basename(chapter.file.path)
    error(
      chapter.file,
      `Unexpected chapter slug \`${chapter.slug}\`, which names the EPUB’s notes to the chapter \`${other}\`, expected another slug (\`${name.replace(/\.md$/, '-chapter.md')}\`, say)`,
      {line: 1, column: 1},
      'reserved-slug',
      source
    )
    chapters.splice(chapters.indexOf(chapter), 1)
  }
  if (found === 0 && !dirFile.messages.some((m) => m.fatal)) {
    error(
      dirFile,
      'Missing chapters, expected at least one `<number>-<slug>.md` file in the book directory',
      undefined,
      'no-chapters',
      source
    )
  }
  return chapters
}

/**
 * The graphics of a book, under `figures/`: hand-made `<name>.svg` files
 * (with an optional phone variant `<name>.narrow.svg`) and `<name>.yaml` data
 * files rendered by the generators in `pipeline/figures/` (which draw both
 * variants). Each is read and checked once, on first use.
 */
export class GraphicRegistry {
  readonly dir: string
  private readonly sources = new Map<string, string>()
  /** Names with a `<name>.narrow.svg` (a hand-made graphic's phone variant). */
  private readonly narrow = new Set<string>()
  private readonly cache = new Map<string, Graphic | undefined>()

  constructor(
    bookDir: string,
    private readonly cwd: string,
    private readonly files: VFile[]
  ) {
    this.dir = path.join(bookDir, 'figures')
  }

  /** Find the graphic sources (does not read them). */
  async scan(): Promise<void> {
    let names: string[] = []
    try {
      names = (await fs.readdir(this.dir)).sort()
    } catch {
      return
    }
    for (const name of names) {
      const variant = /^(.+)\.narrow\.svg$/.exec(name)
      if (variant) {
        this.narrow.add(variant[1])
        continue
      }
      const match = /^(.+)\.(svg|ya?ml)$/.exec(name)
      if (!match) continue
      const existing = this.sources.get(match[1])
      // A data file wins over an SVG of the same name: the SVG may be its rendered output.
      if (existing?.endsWith('.svg') && match[2] === 'svg') continue
      if (!existing || match[2] !== 'svg') this.sources.set(match[1], name)
    }
    // A narrow variant belongs to a hand-made SVG; generated graphics draw their own.
    for (const name of this.narrow) {
      const owner = this.sources.get(name)
      if (owner?.endsWith('.svg')) continue
      const file = new VFile({
        path: path.relative(this.cwd, path.join(this.dir, `${name}.narrow.svg`)),
        cwd: this.cwd
      })
      const reason = owner
        ? `Unexpected \`${name}.narrow.svg\` beside the data file \`${owner}\`, expected none: the generator draws the narrow variant (remove the file)`
        : `Unexpected \`${name}.narrow.svg\` without \`${name}.svg\`, expected the wide graphic beside its narrow variant`
      warn(file, reason, undefined, 'unused-narrow-variant', source)
      this.files.push(file)
    }
  }

  /** Names of the graphics that exist. */
  names(): string[] {
    return [...this.sources.keys()]
  }

  /** Whether a graphic source exists (it may still be invalid). */
  has(name: string): boolean {
    return this.sources.has(name)
  }

  /** The graphic called `name`, read and validated once; undefined when missing or invalid (messages are on its file). */
  async get(name: string): Promise<Graphic | undefined> {
    if (this.cache.has(name)) return this.cache.get(name)
    const fileName = this.sources.get(name)
    let graphic: Graphic | undefined
    if (fileName) {
      const absolute = path.join(this.dir, fileName)
      const file = await readVFile(absolute, this.cwd, path.dirname(this.dir))
      if (file) {
        this.files.push(file)
        // Not read (outside the book, not a regular file): its one error says why.
        if (file.messages.some((m) => m.ruleId === 'file-outside-book')) {
          this.cache.set(name, undefined)
          return undefined
        }
        const relative = path.relative(path.dirname(this.dir), absolute)
        if (fileName.endsWith('.svg')) {
          const narrowFile = this.narrow.has(name)
            ? await readVFile(path.join(this.dir, `${name}.narrow.svg`), this.cwd, path.dirname(this.dir))
            : undefined
          if (narrowFile) this.files.push(narrowFile)
          graphic = graphicFromSvg(
            name,
            String(file.value),
            file,
            relative,
            narrowFile && {svg: String(narrowFile.value), file: narrowFile}
          )
        } else {
          const svgs = generateGraphicSvgs(undefined, file)
          graphic =
            svgs === undefined
              ? undefined
              : graphicFromSvg(name, svgs.wide, file, relative, {
                  svg: svgs.narrow,
                  file
                })
        }
      }
    }
    this.cache.set(name, graphic)
    return graphic
  }

  /** Every graphic read so far. */
  loaded(): Graphic[] {
    return [...this.cache.values()].filter((g): g is Graphic => g !== undefined)
  }
}
