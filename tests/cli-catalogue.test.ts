/**
 * Every case of the diagnostics catalogue through the real command line
 * (`node bin/twofold.js build`): the exit code is 1 when the case has errors
 * and 0 when it has only warnings; every expected message prints on one line
 * as `file:line:column  severity  reason  rule-id  source`; nothing prints a
 * stack trace; and a failed build leaves the previous output byte for byte
 * as it was.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {beforeAll, describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {catalogueCases, catalogueDir, expectedMessages} from './helpers/catalogue.js'
import {runCli} from './helpers/cli.js'
import {bookForCase, root} from './helpers/fixture-book.js'
import {treeHash} from './helpers/tree-hash.js'

describe('the catalogue through the CLI', () => {
  // One previous good build, copied (with its link and store) before each case.
  let goodParent = ''
  beforeAll(async () => {
    goodParent = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-good-'))
    const good = await build({
      bookDir: path.join(root, 'tests/fixtures/books/basic'),
      outDir: path.join(goodParent, 'dist'),
      cwd: goodParent
    })
    expect(good.ok).toBe(true)
  })

  it('has at least 25 cases', () => {
    expect(catalogueCases.length).toBeGreaterThanOrEqual(25)
  })

  for (const name of catalogueCases) {
    it.concurrent(name, async () => {
      const book = await bookForCase(path.join(catalogueDir, name))
      const work = path.dirname(book)
      const expected = await expectedMessages(name)
      const hasErrors = expected.some((m) => m.fatal)

      // A previous good build in the output directory.
      const out = path.join(work, 'dist')
      for (const entry of await fs.readdir(goodParent))
        await fs.cp(path.join(goodParent, entry), path.join(work, entry), {
          recursive: true,
          verbatimSymlinks: true
        })
      const before = await treeHash(out)

      const result = await runCli(['build', 'book', '--out', 'dist'], work, {
        TWOFOLD_DEBUG: ''
      })
      expect(result.stderr).not.toMatch(/^\s+at /m)
      expect(result.code).toBe(hasErrors ? 1 : 0)
      const lines = result.stderr.split('\n')
      for (const m of expected) {
        const where = m.line === null ? `book/${m.file}`.replace(/\/book$/, '') : `book/${m.file}:${m.line}:${m.column}`
        const line = `${where}  ${m.fatal ? 'error' : 'warning'}  ${m.reason.replace(/\s*\n\s*/g, ' ')}  ${m.ruleId}  ${m.source}`
        expect(lines).toContain(line)
      }
      if (hasErrors) {
        expect(result.stderr).toContain('twofold: build failed')
        expect(await treeHash(out)).toBe(before)
      } else {
        expect(result.stdout).toContain('twofold: built')
        expect(await treeHash(out)).not.toBe(before)
        // --strict turns the warnings into a failure that leaves the output alone (one case is enough).
        if (name === 'warnings-only') {
          const after = await treeHash(out)
          const strict = await runCli(['build', 'book', '--out', 'dist', '--strict'], work, {TWOFOLD_DEBUG: ''})
          expect(strict.code).toBe(1)
          expect(strict.stderr).toContain('--strict')
          expect(await treeHash(out)).toBe(after)
        }
      }
      await fs.rm(work, {recursive: true, force: true})
    })
  }
})
