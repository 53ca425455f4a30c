/**
 * The same sources give the same EPUB, byte for byte: built twice with the
 * real CLI, at different wall-clock times and in different time zones, with
 * one SOURCE_DATE_EPOCH. Without it, the date comes from git (the last commit
 * of the book directory) or else from the newest source file.
 */
import {execFile} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'
import {openEpub} from '../helpers/epub-package.js'
import {readZip} from '../helpers/epub-zip.js'
import {root} from '../helpers/fixture-book.js'

const run = promisify(execFile)
const builds = inject('builds')
const fixture = path.join(root, 'tests/fixtures/books/basic')
let dir: string

/** Build `book` with the CLI into a fresh folder; resolves to the EPUB's bytes. */
async function build(book: string, env: Record<string, string | undefined>): Promise<Buffer> {
  const out = await fs.mkdtemp(path.join(dir, 'out-'))
  const environment: Record<string, string> = {}
  for (const [key, value] of Object.entries({...process.env, ...env})) if (value !== undefined) environment[key] = value
  await run(process.execPath, [path.join(root, 'bin/twofold.js'), 'build', book, '--out', out], {
    cwd: root,
    env: environment
  })
  const [epub] = (await fs.readdir(out)).filter((file) => file.endsWith('.epub'))
  return fs.readFile(path.join(out, epub!))
}

const sha256 = (data: Uint8Array) => createHash('sha256').update(data).digest('hex')

async function modified(bytes: Buffer): Promise<string | undefined> {
  const file = path.join(dir, `${sha256(bytes)}.epub`)
  await fs.writeFile(file, bytes)
  return (await openEpub(file)).metadata.get('dcterms:modified')?.[0]
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-reproducible-'))
})
afterAll(async () => {
  await fs.rm(dir, {recursive: true, force: true})
})

describe('a reproducible EPUB', () => {
  it('is byte-identical across time zones and wall-clock times for one SOURCE_DATE_EPOCH', async () => {
    const book = path.join(dir, 'book')
    await fs.cp(fixture, book, {recursive: true})
    const first = await build(book, {
      SOURCE_DATE_EPOCH: '1700000000',
      TZ: 'UTC',
      LANG: 'C.UTF-8'
    })
    // More than the two-second resolution of ZIP dates later, on the other side of the date line.
    await sleep(2_200)
    const second = await build(book, {
      SOURCE_DATE_EPOCH: '1700000000',
      TZ: 'America/Lima',
      LANG: 'es_PE.UTF-8'
    })
    expect(sha256(second)).toBe(sha256(first))
    // The global setup built the same sources from another folder: the same bytes again.
    expect(sha256(await fs.readFile(builds.basic.epub))).toBe(sha256(first))
    // Every entry carries the epoch's UTC date and time (22:13:20), not the Lima local time (17:13:20).
    for (const entry of readZip(second))
      expect(entry.date, entry.name).toMatchObject({
        year: 2023,
        month: 11,
        day: 14,
        hours: 22,
        minutes: 13,
        seconds: 20
      })
    // Another epoch changes the date, and so the bytes.
    const later = await build(book, {
      SOURCE_DATE_EPOCH: '1700086400',
      TZ: 'UTC'
    })
    expect(sha256(later)).not.toBe(sha256(first))
    expect(await modified(later)).toBe('2023-11-15T22:13:20Z')
  })

  it('without SOURCE_DATE_EPOCH, outside git, takes the newest source file’s date', async () => {
    const book = path.join(dir, 'book-mtime')
    await fs.cp(fixture, book, {recursive: true})
    const base = new Date('2024-03-01T08:00:00Z')
    const files = (await fs.readdir(book, {recursive: true})).map((file) => path.join(book, file))
    for (const file of files) await fs.utimes(file, base, base)
    const newest = new Date('2024-03-02T09:30:41Z')
    await fs.utimes(path.join(book, 'figures', 'bars.svg'), newest, newest)
    const first = await build(book, {
      SOURCE_DATE_EPOCH: undefined,
      TZ: 'Asia/Tokyo'
    })
    const second = await build(book, {SOURCE_DATE_EPOCH: undefined, TZ: 'UTC'})
    expect(await modified(first)).toBe('2024-03-02T09:30:41Z')
    expect(sha256(second)).toBe(sha256(first))
  })

  it('without SOURCE_DATE_EPOCH, in a git checkout, takes the date of the book’s last commit', async () => {
    const git = await run('git', ['log', '-1', '--format=%ct', '--', '.'], {
      cwd: fixture
    }).catch((cause: Error) => {
      throw new Error(`The tests run in a git checkout with git installed: ${cause.message}`)
    })
    const seconds = Number(git.stdout.trim())
    expect(seconds).toBeGreaterThan(0)
    const bytes = await build(fixture, {SOURCE_DATE_EPOCH: undefined})
    expect(await modified(bytes)).toBe(new Date(seconds * 1000).toISOString().replace(/\.000Z$/, 'Z'))
  })
})
