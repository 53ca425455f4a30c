/**
 * What the readers of other tools' books (./mdbook.ts, ./quarto.ts, ./bookdown.ts) share: chapter files in
 * the order the book lists them, slugs made from their names, and the metadata a format lacks filled in
 * with defaults, each default said once in an info line.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Position} from 'unist'
import {VFile} from 'vfile'
import {type Document, parseDocument} from 'yaml'
import {error, positionAt} from '../messages.js'
import {ChapterBudget} from '../parse/limits.js'
import type {BookMeta, ChapterPlace} from '../types.js'
import {warnBidiControls} from './bidi.js'
import {type ChapterSource, readVFile, reservedSlug, source} from './files.js'

/** What a format's reader gives back: the same as book.yaml and the chapter files give. */
export interface FormatBook {
  meta: BookMeta | undefined
  chapters: ChapterSource[]
  /** The bibliography the book names (absolute), when it names one. */
  bibliography?: string | undefined
  /** The file the metadata came from (for messages about it). */
  metaFile?: VFile | undefined
}

/** A chapter as a book's contents list it. */
export interface ListedChapter {
  /** Absolute path of the chapter file. */
  absolute: string
  place: ChapterPlace
  /** Title the contents give it (mdBook's SUMMARY.md). */
  listedTitle?: string | undefined
  /** Where the contents name it: a missing file is an error there. */
  listedAt: {file: VFile; position: Position | undefined}
  bookFrontmatter?: boolean | undefined
  partMarkers?: boolean | undefined
}

/**
 * A URL-safe slug from a chapter's file name (`01-The Party.qmd` → `the-party`), unique among `taken`, and
 * never one the books use for their own documents.
 */
export function slugFromFileName(absolute: string, taken: Set<string>): string {
  const base = path
    .basename(absolute)
    .replace(/\.[^.]+$/, '')
    .replace(/^\d+[-_. ]+(?=.)/, '')
  let slug =
    base
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '') || 'chapter'
  if (reservedSlug(slug) || slug.startsWith('notes-')) slug = `${slug}-chapter`
  let unique = slug
  for (let n = 2; taken.has(unique); n++) unique = `${slug}-${n}`
  taken.add(unique)
  return unique
}

/** Read the chapters a book lists, in its order: a missing file is an error where the book names it. */
export async function readListedChapters(
  bookDir: string,
  cwd: string,
  listed: ListedChapter[],
  files: VFile[]
): Promise<ChapterSource[]> {
  const chapters: ChapterSource[] = []
  const slugs = new Set<string>()
  const seen = new Set<string>()
  const budget = new ChapterBudget()
  for (const entry of listed) {
    const relative = path.relative(bookDir, entry.absolute)
    if (seen.has(entry.absolute)) {
      error(
        entry.listedAt.file,
        `Unexpected second listing of \`${relative}\`, expected each chapter file once`,
        entry.listedAt.position,
        'duplicate-chapter-file',
        source
      )
      continue
    }
    seen.add(entry.absolute)
    const file = (await stat(entry.absolute))?.isFile()
      ? await readVFile(entry.absolute, cwd, bookDir, budget.limits.chapter)
      : undefined
    if (!file) {
      error(
        entry.listedAt.file,
        `Missing chapter file \`${relative}\`, expected a file at that path in the book folder (or remove the entry)`,
        entry.listedAt.position,
        'missing-chapter-file',
        source
      )
      continue
    }
    files.push(file)
    // Past a chapter's or the book's size limit, the build stops: no more chapters are read, none is parsed.
    if (!budget.admit(file)) break
    if (file.messages.some((m) => m.fatal)) continue
    warnBidiControls(file, source)
    const number = chapters.length + 1
    const slug = slugFromFileName(entry.absolute, slugs)
    file.data.number = number
    file.data.slug = slug
    file.data.bookDir = bookDir
    if (entry.listedTitle) file.data.listedTitle = entry.listedTitle
    if (entry.bookFrontmatter) file.data.bookFrontmatter = true
    if (entry.partMarkers) file.data.partMarkers = true
    chapters.push({number, slug, file, place: entry.place})
  }
  return budget.exceeded ? [] : chapters
}

/** What a format's metadata gave, before defaults. */
export interface GivenMeta {
  title?: string | undefined
  subtitle?: string | undefined
  authors?: string[] | undefined
  language?: string | undefined
  description?: string | undefined
  date?: string | undefined
  ebook?: string | undefined
  rights?: string | undefined
  publisher?: string | undefined
  citationStyle?: string | undefined
  url?: string | undefined
  cover?: string | undefined
}

/**
 * The book's metadata: what the format gave, and for the rest sensible defaults (the title from the folder's
 * name, no authors, `en`, an empty description, the date from `SOURCE_DATE_EPOCH` or the newest file, the
 * EPUB's name from the title), said in one info line on `file`.
 */
export async function metaWithDefaults(
  given: GivenMeta,
  file: VFile,
  bookDir: string,
  chapters: ChapterSource[]
): Promise<BookMeta> {
  const defaults: string[] = []
  const title = given.title?.trim() || path.basename(bookDir)
  if (!given.title?.trim()) defaults.push(`title “${title}” (the folder’s name)`)
  const authors = (given.authors ?? []).map((name) => name.trim()).filter(Boolean)
  if (authors.length === 0) defaults.push('no authors')
  const language = given.language?.trim() || 'en'
  if (!given.language?.trim()) defaults.push('language `en`')
  if (!given.description?.trim()) defaults.push('an empty description')
  let date = validDate(given.date)
  if (!date) {
    const {value, from} = await defaultDate(file, chapters)
    date = value
    defaults.push(`date ${date} (${from})`)
  }
  let ebook = given.ebook?.trim()
  if (!ebook || !/^[A-Za-z0-9][A-Za-z0-9._-]*$/.test(ebook)) {
    ebook = fileNameFrom(title)
    defaults.push(`EPUB file \`${ebook}.epub\` (from the title)`)
  }
  if (defaults.length > 0) {
    file.info(`Using defaults for what \`${path.basename(file.path)}\` does not give: ${defaults.join(', ')}`, {
      ruleId: 'format-defaults',
      source
    })
  }
  return {
    title,
    subtitle: given.subtitle?.trim() || undefined,
    authors,
    language,
    description: given.description?.trim() ?? '',
    date,
    ebook,
    edition: '1',
    publisher: given.publisher?.trim() || undefined,
    rights: given.rights?.trim() || undefined,
    citationStyle: given.citationStyle,
    url: given.url && /^https?:\/\/\S+$/.test(given.url) ? given.url : undefined,
    cover: given.cover
  }
}

/** A `YYYY-MM-DD` date from what a format wrote (`2024-03-01`, `2024-03-01T10:00`, a YAML date), else undefined. */
export function validDate(value: unknown): string | undefined {
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'string' ? value : ''
  const match = /^(\d{4}-\d{2}-\d{2})/.exec(text.trim())
  return match && !Number.isNaN(Date.parse(match[1]!)) ? match[1] : undefined
}

/** Names of people as formats write them: a string, a list of strings, or of objects with a `name`. */
export function namesOf(value: unknown): string[] | undefined {
  const list = Array.isArray(value) ? value : value === undefined || value === null ? [] : [value]
  const names = list
    .map((entry) =>
      typeof entry === 'string'
        ? entry
        : entry && typeof entry === 'object' && 'name' in entry
          ? typeof entry.name === 'string'
            ? entry.name
            : entry.name && typeof entry.name === 'object' && 'literal' in entry.name
              ? String(entry.name.literal)
              : ''
          : ''
    )
    .map((name) => name.trim())
    .filter(Boolean)
  return names.length > 0 ? names : undefined
}

/** A file name from a title: `Four Months in Lima` → `four-months-in-lima`. */
function fileNameFrom(title: string): string {
  return (
    title
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .replace(/[^a-z0-9]+/g, '-')
      .replace(/^-+|-+$/g, '')
      .slice(0, 60)
      .replace(/-+$/, '') || 'book'
  )
}

async function defaultDate(file: VFile, chapters: ChapterSource[]): Promise<{value: string; from: string}> {
  const epoch = process.env.SOURCE_DATE_EPOCH
  if (epoch && /^\d+$/.test(epoch))
    return {value: new Date(Number(epoch) * 1000).toISOString().slice(0, 10), from: 'SOURCE_DATE_EPOCH'}
  let newest = 0
  for (const each of [file, ...chapters.map((chapter) => chapter.file)]) {
    const time = (await stat(path.resolve(each.cwd, each.path)))?.mtimeMs ?? 0
    newest = Math.max(newest, time)
  }
  return {value: new Date(newest || Date.now()).toISOString().slice(0, 10), from: 'the newest file'}
}

async function stat(absolute: string) {
  return fs.stat(absolute).catch(() => undefined)
}

/** A file of the book folder as a VFile for messages, whether or not it could be read. */
export function placeholderFile(absolute: string, cwd: string): VFile {
  return new VFile({path: path.relative(cwd, absolute) || absolute, cwd})
}

/** A layout's YAML file parsed, or undefined with one positioned `invalid-yaml` error per problem on `file`. */
export function parseYamlFile(file: VFile, name: string): Document | undefined {
  const doc = parseDocument(String(file.value), {prettyErrors: false})
  for (const e of doc.errors)
    error(
      file,
      `Unexpected invalid YAML in ${name}: ${e.message.split('\n')[0]}`,
      positionAt(file, e.pos[0], e.pos[1]),
      'invalid-yaml',
      source
    )
  return doc.errors.length > 0 ? undefined : doc
}
