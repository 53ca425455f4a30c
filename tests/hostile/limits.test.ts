/**
 * The size limits and the bidirectional controls, through the real command
 * with a timeout: a chapter over its limit, or a book over its own, stops
 * the build with one error at the chapter's first line, before anything is
 * parsed, and leaves the output byte for byte; between the warning size and
 * the limit a chapter warns and builds; only the environment of the build,
 * not the book, changes the limits.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {defaultChapterLimit} from '../../pipeline/parse/limits.js'
import {runCli} from '../helpers/cli.js'
import {treeHash} from '../helpers/tree-hash.js'
import {basicBook, goodBuild, printedMessages} from './helpers.js'

const env = {SOURCE_DATE_EPOCH: '1700000000', TWOFOLD_CACHE: '0'}
const megabyte = 1024 * 1024
const works: string[] = []

/** Paragraphs of plain prose, `bytes` long or a little more: the cheapest Markdown to parse. */
const prose = (bytes: number) => 'The river rose early and the ledger recorded it.\n\n'.repeat(Math.ceil(bytes / 50))

/** A copy of the basic book whose second chapter is `body`, with a good build of the basic book in `dist/`. */
async function bookWith(body: string | undefined, good: string) {
  const {work, book} = await basicBook()
  works.push(work)
  if (body !== undefined) await fs.writeFile(path.join(book, '02-second.md'), `---\ntitle: Long\n---\n\n${body}`)
  await fs.cp(good, path.join(work, 'dist'), {recursive: true})
  return {work, book, out: path.join(work, 'dist')}
}

/** Build in `work`; the exit code, the messages, the time taken, and whether `dist/` is as it was. */
async function build(work: string, extra: NodeJS.ProcessEnv = {}) {
  const out = path.join(work, 'dist')
  const before = await treeHash(out)
  const started = Date.now()
  const result = await runCli(['build', 'book', '--out', 'dist', '--no-cache'], work, {...env, ...extra})
  const took = Date.now() - started
  expect(result.stderr).not.toMatch(/internal error|^\s+at /m)
  return {...result, took, messages: printedMessages(result.stderr), untouched: (await treeHash(out)) === before}
}

describe('size limits and bidirectional controls', () => {
  let good = ''

  beforeAll(async () => {
    const {work, out} = await goodBuild(env)
    works.push(work)
    good = out
  }, 180_000)

  afterAll(async () => {
    for (const work of works) await fs.rm(work, {recursive: true, force: true})
  })

  it('a chapter over the limit stops the build at its first line, within seconds, output untouched', async () => {
    const {work} = await bookWith(prose(defaultChapterLimit + 400_000), good)
    const result = await build(work)
    expect(result.code, result.stderr).toBe(1)
    expect(result.messages).toEqual([
      expect.objectContaining({
        rule: 'chapter-over-limit',
        file: 'book/02-second.md',
        line: 1,
        column: 1,
        severity: 'error',
        reason: expect.stringMatching(/chapter of 2\.4 MB, expected at most 2 MB .*split it into several chapters/)
      })
    ])
    expect(result.untouched).toBe(true)
    // Nothing is read or parsed: the time is the command's own start (the machine may be busy).
    expect(result.took).toBeLessThan(30_000)
  })

  it('a chapter file over 2 GiB is the same error, not a crash', async () => {
    const {work, book} = await bookWith(undefined, good)
    // A sparse file: it takes no room on the disk.
    await fs.truncate(path.join(book, '02-second.md'), 3 * 1024 * megabyte)
    const result = await build(work)
    expect(result.code, result.stderr).toBe(1)
    expect(result.messages).toEqual([
      expect.objectContaining({rule: 'chapter-over-limit', file: 'book/02-second.md', line: 1, column: 1})
    ])
    expect(result.messages[0]!.reason).toContain('chapter of 3072 MB')
    expect(result.untouched).toBe(true)
    expect(result.took).toBeLessThan(30_000)
  })

  it('a chapter between the warning size and the limit warns and builds', async () => {
    const {work} = await bookWith(prose(megabyte + 100_000), good)
    const result = await build(work)
    expect(result.code, result.stderr).toBe(0)
    expect(result.messages).toEqual([
      expect.objectContaining({rule: 'chapter-too-large', file: 'book/02-second.md', severity: 'warning'})
    ])
  })

  it('the environment of the build, not the book, sets the limits', async () => {
    const {work, book} = await bookWith(prose(300_000), good)
    // book.yaml has no say: a field of that name is not read as a limit.
    await fs.appendFile(path.join(book, 'book.yaml'), 'maxChapterMB: 100000\n')
    const result = await build(work, {TWOFOLD_MAX_CHAPTER_MB: '0.25'})
    expect(result.code, result.stderr).toBe(1)
    expect(result.messages).toContainEqual(
      expect.objectContaining({
        rule: 'chapter-over-limit',
        file: 'book/02-second.md',
        line: 1,
        column: 1,
        reason: expect.stringContaining('expected at most 0.25 MB')
      })
    )
    expect(result.untouched).toBe(true)
  })

  it('a book over its limit stops at the chapter that passes it, and no chapter is parsed', async () => {
    const {work, book} = await bookWith(prose(40_000), good)
    // A third chapter with an error the parse would find: it is not reached.
    await fs.writeFile(path.join(book, '03-third.md'), `---\ntitle: Third\n---\n\n${prose(40_000)}[@nowhere]\n`)
    const result = await build(work, {TWOFOLD_MAX_BOOK_MB: '0.05'})
    expect(result.code, result.stderr).toBe(1)
    expect(result.messages).toEqual([
      expect.objectContaining({
        rule: 'book-over-limit',
        file: 'book/03-third.md',
        line: 1,
        column: 1,
        reason: expect.stringContaining('split it into several books')
      })
    ])
    expect(result.untouched).toBe(true)
  })

  // Shapes far under the size limit that took far longer than their size: each found before the parse, or the plugin, that is slow.
  const slow: Array<[string, string, string, number, number]> = [
    ['30,000 unmatched emphasis marks in one paragraph', 'a* '.repeat(30_000), 'paragraph-too-complex', 5, 30_002],
    [
      '20,000 brackets, then as many closing ones',
      `${'['.repeat(20_000)}a${']'.repeat(20_000)}`,
      'paragraph-too-complex',
      5,
      10_001
    ],
    ['3,000 unclosed HTML tags in one paragraph', 'a <span> b '.repeat(3000), 'paragraph-too-complex', 5, 11_003],
    ['5,000 directives opened inside one another', ':::note\n'.repeat(5000), 'nesting-too-deep', 105, 1],
    ['20,000 definitions in one chapter', 'Term\n: Definition.\n\n'.repeat(20_000), 'chapter-too-complex', 15_006, 1],
    [
      'a table of 2,000 columns and 40 rows',
      `|${' a |'.repeat(2000)}\n|${'---|'.repeat(2000)}\n${`|${' 1 |'.repeat(2000)}\n`.repeat(40)}`,
      'table-too-large',
      6,
      1
    ]
  ]
  for (const [name, body, rule, line, column] of slow)
    it(`${name}: one error at its place, within seconds, output untouched`, async () => {
      const {work} = await bookWith(`${body}\n`, good)
      const result = await build(work)
      expect(result.code, result.stderr).toBe(1)
      expect(result.messages).toEqual([expect.objectContaining({rule, file: 'book/02-second.md', line, column})])
      expect(result.untouched).toBe(true)
      expect(result.took).toBeLessThan(60_000)
    })

  it('bidirectional controls in a chapter warn at each one, in prose and in code', async () => {
    const body = 'Line \u202Eevil\u202C and \u2067isolated\u2069.\n\n```\nx = 1 \u202D// y\n```\n'
    const {work} = await bookWith(body, good)
    const result = await build(work)
    expect(result.code, result.stderr).toBe(0)
    const places = result.messages.map((m) => [m.rule, m.line, m.column, /U\+\w+/.exec(m.reason)?.[0]])
    expect(places).toEqual([
      ['bidi-override', 5, 6, 'U+202E'],
      ['bidi-override', 5, 11, 'U+202C'],
      ['bidi-override', 5, 17, 'U+2067'],
      ['bidi-override', 5, 26, 'U+2069'],
      ['bidi-override', 8, 7, 'U+202D']
    ])
  })
})
