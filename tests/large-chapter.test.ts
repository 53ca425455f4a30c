/**
 * A chapter over 1 MB (`largeChapterBytes`) builds through the real CLI,
 * with a `chapter-too-large` warning at the line where it passes the limit,
 * telling the author to split it. The chapter has headings, lists, quotes,
 * emphasis, code, in-page links and thousands of citations.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {VFile} from 'vfile'
import {expect, it} from 'vitest'
import {linesOf, pointAt, positionAt} from '../pipeline/messages.js'
import {largeChapterBytes} from '../pipeline/plugins/remark-content-checks.js'
import {root} from './helpers/fixture-book.js'

const run = promisify(execFile)
const basic = path.join(root, 'tests/fixtures/books/basic')

it('builds a chapter over 1 MB, with a warning to split it', async () => {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-large-'))
  const book = path.join(work, 'book')
  await fs.mkdir(path.join(book, 'figures'), {recursive: true})
  for (const name of ['book.yaml', 'references.json', 'figures/bars.svg'])
    await fs.copyFile(path.join(basic, name), path.join(book, name))
  const parts = ['---\ntitle: A very long chapter\n---\n']
  let size = parts[0]!.length
  for (let i = 1; size < 1.15 * largeChapterBytes; i++) {
    const block =
      `\n## Part ${i}\n\nThe *siege* lasted **126 days** [@alpha, p. ${i}], and @beta tells it [in detail](#part-${Math.max(1, i - 1)}). ` +
      'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '.repeat(
        3
      ) +
      `\n\n- one item [@alpha]\n- two \`code\` items\n\n> A quotation from day ${i} [@beta].\n`
    parts.push(block)
    size += block.length
  }
  const text = parts.join('')
  await fs.writeFile(path.join(book, '01-long.md'), text)
  // The text is ASCII: one byte a character. The line that holds the first byte over the limit:
  const line = text.slice(0, largeChapterBytes + 1).split('\n').length

  const {stdout, stderr} = await run(
    process.execPath,
    [path.join(root, 'bin/twofold.js'), 'build', 'book', '--out', 'dist'],
    {
      cwd: work,
      env: {...process.env, NO_COLOR: '1'},
      maxBuffer: 64 * 1024 * 1024
    }
  )
  expect(stderr).not.toMatch(/^\s+at /m)
  const warnings = stderr.split('\n').filter((l) => l.includes('chapter-too-large'))
  expect(warnings).toEqual([
    `book/01-long.md:${line}:1  warning  Unexpected chapter of 1.2 MB, expected at most 1 MB (it passes 1 MB on this line): split it into several chapters  chapter-too-large  remark-content-checks`
  ])
  expect(stdout).toContain('twofold: built')
  expect(stdout).toContain('chapters 1,')
  expect((await fs.stat(path.join(work, 'dist/web/long.html'))).size).toBeGreaterThan(largeChapterBytes)
  await fs.rm(work, {recursive: true, force: true})
}, 400_000)

it('places messages through one index of a chapter’s lines, made again only for a new text', () => {
  // A fresh index scans the text up to each offset: one per message made a long chapter's messages quadratic.
  const file = new VFile({path: 'long.md', value: 'one\ntwo\r\nthree\rfour'})
  const lines = linesOf(file)
  expect(linesOf(file)).toBe(lines)
  expect(pointAt(file, 0)).toEqual({line: 1, column: 1, offset: 0})
  expect(positionAt(file, 9, 14)).toEqual({
    start: {line: 3, column: 1, offset: 9},
    end: {line: 3, column: 6, offset: 14}
  })
  expect(pointAt(file, 15)).toEqual({line: 4, column: 1, offset: 15})
  file.value = 'a\nb'
  expect(linesOf(file)).not.toBe(lines)
  expect(pointAt(file, 2)).toEqual({line: 2, column: 1, offset: 2})
})
