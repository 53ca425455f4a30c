/**
 * What the hostile-input catalogue needs: a copy of the basic fixture book to
 * spoil, the command's messages as data, every byte a build wrote (the web
 * story's files and each entry of the EPUB), and epubcheck on several EPUBs
 * two at a time.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import JSZip from 'jszip'
import {runCli} from '../helpers/cli.js'
import {type EpubcheckMessage, epubcheck} from '../helpers/epubcheck.js'
import {root} from '../helpers/fixture-book.js'

export const basic = path.join(root, 'tests/fixtures/books/basic')
export const fixtures = path.join(root, 'tests/hostile/fixtures')

/** A fresh working directory holding `book/`, a copy of the basic fixture book. */
export async function basicBook(): Promise<{work: string; book: string}> {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-hostile-'))
  const book = path.join(work, 'book')
  await fs.cp(basic, book, {recursive: true})
  return {work, book}
}

/** A good build of the basic book, without the cache: the output a failing case must leave byte for byte. */
export async function goodBuild(env: NodeJS.ProcessEnv): Promise<{work: string; out: string}> {
  const {work} = await basicBook()
  const result = await runCli(['build', 'book', '--out', 'dist', '--no-cache'], work, env)
  if (result.code !== 0) throw new Error(`Expected the basic book to build, got exit ${result.code}:\n${result.stderr}`)
  return {work, out: path.join(work, 'dist')}
}

/** One message as the command prints it: `file:line:column  severity  reason  rule  source`. */
export interface PrintedMessage {
  file: string
  line: number | undefined
  column: number | undefined
  severity: string
  reason: string
  rule: string
}

/** The messages in the command's standard error. */
export function printedMessages(stderr: string): PrintedMessage[] {
  const found: PrintedMessage[] = []
  for (const line of stderr.split('\n')) {
    const parts = line.split('  ')
    if (parts.length < 5 || (parts[1] !== 'error' && parts[1] !== 'warning')) continue
    const [where = '', severity = ''] = parts
    const place = /^(.*?)(?::(\d+):(\d+))?$/.exec(where)!
    found.push({
      file: place[1]!,
      line: place[2] ? Number(place[2]) : undefined,
      column: place[3] ? Number(place[3]) : undefined,
      severity,
      reason: parts.slice(2, -2).join('  '),
      rule: parts.at(-2)!
    })
  }
  return found
}

/** Every file a build wrote into `out`, by path: the web story's files and each entry of each EPUB (`x.epub!OEBPS/…`). */
export async function writtenFiles(out: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const name of await fs.readdir(out, {recursive: true})) {
    const full = path.join(out, name)
    if (name.startsWith('.twofold') || !(await fs.stat(full)).isFile()) continue
    const data = await fs.readFile(full)
    files.set(name, data)
    if (name.endsWith('.epub')) {
      const zip = await JSZip.loadAsync(data, {checkCRC32: true})
      for (const entry of Object.values(zip.files))
        if (!entry.dir) files.set(`${name}!${entry.name}`, await entry.async('nodebuffer'))
    }
  }
  return files
}

/** The text files among `files` whose bytes hold `needle` (a string, searched as UTF-8, or a pattern on the text). */
export function filesHolding(files: Map<string, Buffer>, needle: string | RegExp): string[] {
  const holding: string[] = []
  for (const [name, data] of files) {
    // Images and archives are bytes, not text: their entries are searched, and a PNG may hold any byte.
    if (/\.(?:png|jpe?g|gif|webp|epub|woff2?)$/i.test(name)) continue
    const found = typeof needle === 'string' ? data.includes(needle) : needle.test(data.toString('utf8'))
    if (found) holding.push(name)
  }
  return holding
}

/** epubcheck's errors and warnings for each EPUB, two at a time (each run starts a JVM). */
export async function epubcheckAll(epubs: string[]): Promise<Map<string, EpubcheckMessage[]>> {
  const results = new Map<string, EpubcheckMessage[]>()
  const queue = [...epubs]
  const worker = async () => {
    for (let next = queue.shift(); next; next = queue.shift()) {
      const messages = await epubcheck(next)
      results.set(
        next,
        messages.filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')
      )
    }
  }
  await Promise.all([worker(), worker()])
  return results
}
