/** Each chapter is parsed exactly once per build, although two targets render it. */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {unified} from 'unified'
import {VFile} from 'vfile'
import {afterEach, expect, it, vi} from 'vitest'
import {build} from '../pipeline/build.js'
import {root} from './helpers/fixture-book.js'

afterEach(() => {
  vi.restoreAllMocks()
})

it('parses every chapter once for both targets', async () => {
  const prototype = Object.getPrototypeOf(unified) as {
    parse: (file?: unknown) => unknown
  }
  const spy = vi.spyOn(prototype, 'parse')
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-once-'))
  const result = await build({
    bookDir: 'tests/fixtures/books/basic',
    outDir: out,
    cwd: root
  })
  expect(result.ok).toBe(true)
  // remark-smartypants runs its own retext parser on bits of text (no path); count the parses of files.
  const parsed = spy.mock.calls
    .map(([file]) => (file instanceof VFile ? file.path : undefined))
    .filter((p) => p !== undefined)
  expect(parsed.sort()).toEqual(['tests/fixtures/books/basic/01-first.md', 'tests/fixtures/books/basic/02-second.md'])
  // Both targets were written from those trees.
  expect(await fs.readdir(path.join(out, 'web'))).toContain('first.html')
  expect((await fs.stat(path.join(out, 'test-book.epub'))).size).toBeGreaterThan(1000)
  await fs.rm(out, {recursive: true, force: true})
})
