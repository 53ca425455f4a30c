/**
 * An mdBook book: `book.toml` (`[book]` title, authors, description, language, src; `[output.epub]`
 * cover-image) and `<src>/SUMMARY.md`, read as mdBook reads it: prefix chapters (links before the first
 * list), `# Part` titles, numbered chapters (list items, nested lists for nested sections), separators
 * (`---`, which change nothing here), suffix chapters (links after the lists), and drafts (`[Title]()`),
 * which get no page. Chapter files are relative to `src` and may sit in subfolders.
 */
import path from 'node:path'
import type {Link, List, ListItem, Paragraph, RootContent} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {toString} from 'mdast-util-to-string'
import {parse as parseToml, TomlError} from 'smol-toml'
import type {VFile} from 'vfile'
import {error} from '../messages.js'
import type {ChapterPlace} from '../types.js'
import {readVFile, source} from './files.js'
import {type FormatBook, type ListedChapter, metaWithDefaults, readListedChapters} from './formats.js'

/** Read the mdBook book at `bookDir`. */
export async function loadMdbook(bookDir: string, cwd: string, files: VFile[], _dirFile: VFile): Promise<FormatBook> {
  const tomlFile = (await readVFile(path.join(bookDir, 'book.toml'), cwd, bookDir)) as VFile
  files.push(tomlFile)
  let config: Record<string, unknown> = {}
  try {
    config = parseToml(String(tomlFile.value))
  } catch (cause) {
    const place = cause instanceof TomlError ? {line: cause.line, column: cause.column} : undefined
    error(
      tomlFile,
      `Unexpected invalid TOML in book.toml: ${String((cause as Error).message).split('\n')[0]}`,
      place,
      'invalid-toml',
      source
    )
    return {meta: undefined, chapters: [], metaFile: tomlFile}
  }
  const book = table(config.book)
  const epub = table(table(config.output).epub)
  const src = path.resolve(bookDir, typeof book.src === 'string' ? book.src : 'src')

  const summaryPath = path.join(src, 'SUMMARY.md')
  const summary = await readVFile(summaryPath, cwd, bookDir)
  if (!summary) {
    error(
      tomlFile,
      `Missing \`${path.relative(bookDir, summaryPath)}\`, expected mdBook’s list of chapters there`,
      {line: 1, column: 1},
      'missing-summary',
      source
    )
    return {meta: undefined, chapters: [], metaFile: tomlFile}
  }
  files.push(summary)
  const listed = summaryChapters(summary, src)
  const chapters = await readListedChapters(bookDir, cwd, listed, files)
  if (chapters.length === 0 && !summary.messages.some((m) => m.fatal)) {
    error(
      summary,
      'Missing chapters, expected at least one `[Title](file.md)` link in SUMMARY.md',
      {line: 1, column: 1},
      'no-chapters',
      source
    )
  }
  const cover = typeof epub['cover-image'] === 'string' ? epub['cover-image'] : book['cover-image']
  const meta = await metaWithDefaults(
    {
      title: text(book.title),
      authors: Array.isArray(book.authors) ? book.authors.filter((a): a is string => typeof a === 'string') : undefined,
      description: text(book.description),
      language: text(book.language),
      cover: typeof cover === 'string' ? path.relative(bookDir, path.resolve(src, cover)) : undefined
    },
    tomlFile,
    bookDir,
    chapters
  )
  return {meta, chapters, metaFile: tomlFile}
}

/** The chapters SUMMARY.md lists, in reading order, with their part and depth. */
export function summaryChapters(summary: VFile, src: string): ListedChapter[] {
  const tree = fromMarkdown(String(summary.value))
  const listed: ListedChapter[] = []
  let part: string | undefined
  let seenLink = false
  let seenList = false
  let seenTitle = false

  const add = (link: Link, place: ChapterPlace) => {
    seenLink = true
    const title = toString(link).trim()
    if (link.url.trim() === '') {
      summary.info(`Draft chapter “${title}” has no page: its link names no file`, {
        place: link.position,
        ruleId: 'draft-chapter',
        source
      })
      return
    }
    let target = link.url.replace(/[?#].*$/, '')
    try {
      target = decodeURIComponent(target)
    } catch {}
    listed.push({
      absolute: path.resolve(src, target),
      place,
      listedTitle: title,
      listedAt: {file: summary, position: link.position}
    })
  }
  const paragraphLinks = (node: Paragraph) => node.children.filter((child): child is Link => child.type === 'link')
  const walkList = (list: List, depth: number) => {
    for (const item of list.children as ListItem[]) {
      for (const child of item.children) {
        if (child.type === 'paragraph') for (const link of paragraphLinks(child)) add(link, {part, depth})
        else if (child.type === 'list') walkList(child, depth + 1)
      }
    }
  }
  for (const node of tree.children as RootContent[]) {
    if (node.type === 'heading') {
      // The first heading before any chapter is the summary's own title (`# Summary`); the others are parts.
      if (!seenLink && !seenTitle && part === undefined) {
        seenTitle = true
        continue
      }
      part = toString(node).trim() || undefined
    } else if (node.type === 'list') {
      seenList = true
      walkList(node, 0)
    } else if (node.type === 'paragraph') {
      // Prefix chapters before the lists, suffix chapters after them: neither numbered nor in a part.
      for (const link of paragraphLinks(node)) add(link, {unnumbered: true, ...(seenList ? {} : {part})})
      if (seenList) part = undefined
    }
    // `---` separators only space the rendered list: nothing to read.
  }
  return listed
}

function table(value: unknown): Record<string, unknown> {
  return value && typeof value === 'object' && !Array.isArray(value) ? (value as Record<string, unknown>) : {}
}

function text(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined
}
