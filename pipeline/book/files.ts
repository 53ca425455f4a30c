/**
 * Reading a book's files, whatever its layout: a chapter as found on disk,
 * a file read into a VFile (UTF-8, and inside the book: its real path there,
 * a regular file), and the slugs the books keep for their own pages.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {error} from '../messages.js'
import {chapterOverLimit} from '../parse/limits.js'
import type {ChapterPlace} from '../types.js'

/** The source of the loader's messages, for every layout. */
export const source = 'twofold-load'

/** A chapter file as found on disk, not yet parsed. */
export interface ChapterSource {
  number: number
  slug: string
  file: VFile
  /** Part, appendix, nesting: in books read from mdBook, Quarto or Bookdown. */
  place?: ChapterPlace | undefined
}

/** Why the file at `absolute` may not be read as part of the book in `inside`, or undefined when it may. */
export async function refusal(absolute: string, inside: string): Promise<string | undefined> {
  const real = await fs.realpath(absolute)
  const book = await fs.realpath(inside)
  if (!real.startsWith(book + path.sep))
    return `Unexpected link to \`${real}\`, outside the book directory, expected a file inside the book`
  if (!(await fs.stat(real)).isFile())
    return 'Unexpected file that is not a regular file (a device or a pipe), expected a text file'
  return undefined
}

/**
 * Read a file into a VFile whose path is relative to `cwd`; undefined when it does not exist. With `inside` (the book
 * directory), a file whose real path is outside it, or that is not a regular file (a device, a pipe), is not read: the
 * VFile is empty and carries a `file-outside-book` error. With `maxBytes` (a chapter's limit), a larger file is not
 * read either: the VFile is empty and carries a `chapter-over-limit` error.
 */
export async function readVFile(
  absolute: string,
  cwd: string,
  inside?: string,
  maxBytes?: number
): Promise<VFile | undefined> {
  let buffer: Buffer
  try {
    const refused = inside === undefined ? undefined : await refusal(absolute, inside)
    if (refused) {
      const file = new VFile({path: path.relative(cwd, absolute) || absolute, cwd, value: ''})
      error(file, refused, undefined, 'file-outside-book', source)
      return file
    }
    const read = await readAtMost(absolute, maxBytes)
    if (typeof read === 'number') {
      const file = new VFile({path: path.relative(cwd, absolute) || absolute, cwd, value: ''})
      chapterOverLimit(file, read, maxBytes!)
      return file
    }
    buffer = read
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return undefined
    // Node's error for a file over 2 GiB does not say which file.
    if ((cause as NodeJS.ErrnoException).code === 'ERR_FS_FILE_TOO_LARGE')
      Object.assign(cause as Error, {path: absolute, syscall: 'read'})
    throw cause
  }
  const file = new VFile({path: path.relative(cwd, absolute) || absolute, cwd})
  try {
    file.value = new TextDecoder('utf-8', {fatal: true}).decode(buffer)
  } catch {
    const bad = firstInvalidUtf8(buffer)
    const before = new TextDecoder().decode(buffer.subarray(0, bad))
    const lines = before.split('\n')
    file.value = ''
    error(
      file,
      `Unexpected bytes that are not UTF-8 at byte ${bad}, expected a UTF-8 text file (re-save it as UTF-8)`,
      {line: lines.length, column: lines[lines.length - 1].length + 1},
      'invalid-encoding',
      source
    )
  }
  return file
}

/** The bytes of the file at `absolute`, or, when it holds more than `maxBytes`, only its size (it is not read). */
async function readAtMost(absolute: string, maxBytes: number | undefined): Promise<Buffer | number> {
  if (maxBytes === undefined) return fs.readFile(absolute)
  const handle = await fs.open(absolute)
  try {
    const {size} = await handle.stat()
    return size > maxBytes ? size : await handle.readFile()
  } finally {
    await handle.close()
  }
}

/**
 * Slugs the books use for their own pages and documents (web: `index.html`, `sources.html`, `disagreements.html`;
 * EPUB: `cover.xhtml`, `title.xhtml`, `toc.xhtml`, `sources.xhtml`, `sources-<n>.xhtml`, `disagreements.xhtml`,
 * `notes-<slug>.xhtml`): a chapter's page or document would take its place.
 */
const reservedSlugs = new Map([
  ['index', 'the web story’s cover page'],
  ['cover', 'the EPUB’s cover'],
  ['title', 'the EPUB’s title page'],
  ['toc', 'the EPUB’s contents'],
  ['sources', 'the sources in both books'],
  ['disagreements', 'the page of disagreements in both books']
])

/** What a reserved slug names (see `reservedSlugs`), or undefined for a slug a chapter may have. */
export function reservedSlug(slug: string): string | undefined {
  return reservedSlugs.get(slug) ?? (/^sources-\d+$/.test(slug) ? 'the EPUB’s sources, continued' : undefined)
}

/** Byte offset of the first invalid UTF-8 sequence in `buffer` (its length when there is none). */
function firstInvalidUtf8(buffer: Uint8Array): number {
  let i = 0
  while (i < buffer.length) {
    const byte = buffer[i]
    const length =
      byte < 0x80
        ? 1
        : byte >= 0xc2 && byte < 0xe0
          ? 2
          : byte >= 0xe0 && byte < 0xf0
            ? 3
            : byte >= 0xf0 && byte < 0xf5
              ? 4
              : 0
    if (length === 0) return i
    for (let k = 1; k < length; k++) {
      if (i + k >= buffer.length || (buffer[i + k] & 0xc0) !== 0x80) return i
    }
    if (
      length > 1 &&
      new TextDecoder('utf-8', {fatal: false}).decode(buffer.subarray(i, i + length)).includes('\uFFFD')
    )
      return i
    i += length
  }
  return i
}
