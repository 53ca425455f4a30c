/**
 * book.yaml's `rules:` sets each rule's level (`off`, `warn`, `error`), on
 * fresh and cached chapters alike; an error that must be fixed cannot be
 * lowered. A chapter with warnings is kept in the cache and its warnings are
 * reported again by the build that reads it.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {type BuildResult, build} from '../pipeline/build.js'
import {Store} from '../pipeline/output/store.js'
import {root} from './helpers/fixture-book.js'

const basic = path.join(root, 'tests/fixtures/books/basic')
const modified = new Date('2026-01-01T00:00:00Z')

async function bookWith(rules: string, chapter: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-rules-'))
  await fs.cp(basic, dir, {recursive: true})
  await fs.appendFile(path.join(dir, 'book.yaml'), rules)
  await fs.writeFile(path.join(dir, '03-extra.md'), chapter)
  return dir
}

const chapter = `# Extra

In 1999 the count was 40.

{{#include listing.rs}}

See [\\@alpha] and @alphaa.
`

function messages(result: BuildResult): string[] {
  return result.files.flatMap((file) =>
    file.messages.map(
      (m) => `${path.basename(file.path ?? '')}:${m.line}:${m.column} ${m.fatal ? 'error' : 'warning'} ${m.ruleId}`
    )
  )
}

describe('rules in book.yaml', () => {
  it('turns a rule off, into an error, and keeps errors that must be fixed', async () => {
    const dir = await bookWith(
      '\nrules:\n  uncited-claim: off\n  unrendered-include: error\n  unknown-cite-key: warn\n',
      chapter
    )
    const result = await build({bookDir: dir, outDir: path.join(dir, 'out'), cwd: root, modified})
    expect(result.ok).toBe(false)
    const found = messages(result)
    expect(found).not.toContainEqual(expect.stringMatching(/uncited-claim/))
    expect(found).toContain('03-extra.md:5:1 error unrendered-include')
    // `[\@alpha]` is literal; `@alphaa` is an unknown key, which stays an error.
    expect(found).toContain('03-extra.md:7:19 error unknown-cite-key')
    expect(found.filter((m) => m.includes('unknown-cite-key'))).toHaveLength(1)
    expect(found).toContainEqual(expect.stringMatching(/^book\.yaml:\d+:\d+ warning rule-not-lowered$/))
  })

  it('rejects a level it does not know, at the field', async () => {
    const dir = await bookWith('\nrules:\n  uncited-claim: silent\n', '# Extra\n\nText.\n')
    const result = await build({bookDir: dir, outDir: path.join(dir, 'out'), cwd: root, modified})
    expect(result.ok).toBe(false)
    expect(messages(result)).toContainEqual(expect.stringMatching(/^book\.yaml:\d+:\d+ error invalid-rules$/))
  })

  it('keeps a chapter with warnings in the cache and reports them again', async () => {
    const dir = await bookWith('', '# Extra\n\nIn 1999 the count was 40.\n\n{{#include listing.rs}}\n')
    const cache = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-rules-cache-'))
    const first = await build({
      bookDir: dir,
      outDir: path.join(dir, 'out-1'),
      cwd: root,
      modified,
      store: new Store({dir: cache, version: 'rules-1'})
    })
    const second = await build({
      bookDir: dir,
      outDir: path.join(dir, 'out-2'),
      cwd: root,
      modified,
      store: new Store({dir: cache, version: 'rules-1'})
    })
    expect(first.ok).toBe(true)
    expect(second.cached?.chapters).toBe(3)
    expect(messages(second)).toEqual(messages(first))
    expect(messages(second)).toEqual(
      expect.arrayContaining(['03-extra.md:3:4 warning uncited-claim', '03-extra.md:5:1 warning unrendered-include'])
    )
  })
})
