/**
 * A 5 MB chapter builds through the real CLI: headings, lists, quotes,
 * emphasis, code, in-page links and tens of thousands of citations. micromark
 * is superlinear on long documents with lists and quotes, so this guards the
 * chunked parse (and every other pass) against quadratic time. The limit is
 * generous because the machine is shared; the time is printed.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {expect, it} from 'vitest'
import {root} from './helpers/fixture-book.js'

const run = promisify(execFile)
const basic = path.join(root, 'tests/fixtures/books/basic')
const limitSeconds = 150

it('builds a 5 MB chapter', async () => {
  const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-large-'))
  const book = path.join(work, 'book')
  await fs.mkdir(path.join(book, 'figures'), {recursive: true})
  for (const name of ['book.yaml', 'references.json', 'figures/bars.svg']) await fs.copyFile(path.join(basic, name), path.join(book, name))
  const parts = ['---\ntitle: A very long chapter\n---\n']
  let size = 0
  for (let i = 1; size < 5 * 1024 * 1024; i++) {
    const block =
      `\n## Part ${i}\n\nThe *siege* lasted **126 days** [@alpha, p. ${i}], and @beta tells it [in detail](#part-${Math.max(1, i - 1)}). ` +
      'Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor incididunt ut labore et dolore magna aliqua. '.repeat(3) +
      `\n\n- one item [@alpha]\n- two \`code\` items\n\n> A quotation from day ${i} [@beta].\n`
    parts.push(block)
    size += block.length
  }
  await fs.writeFile(path.join(book, '01-long.md'), parts.join(''))

  const started = performance.now()
  const {stdout, stderr} = await run(process.execPath, [path.join(root, 'bin/twofold.js'), 'build', 'book', '--out', 'dist'], {
    cwd: work,
    env: {...process.env, NO_COLOR: '1'},
    maxBuffer: 64 * 1024 * 1024
  })
  const seconds = (performance.now() - started) / 1000
  process.stdout.write(`5 MB chapter: built by the CLI in ${seconds.toFixed(1)} s\n`)
  expect(stderr).not.toMatch(/^\s+at /m)
  expect(stdout).toContain('chapters 1,')
  expect((await fs.stat(path.join(work, 'dist/web/long.html'))).size).toBeGreaterThan(5 * 1024 * 1024)
  expect(seconds).toBeLessThan(limitSeconds)
  await fs.rm(work, {recursive: true, force: true})
}, 400_000)
