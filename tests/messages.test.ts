/**
 * The diagnostics catalogue: every folder in tests/fixtures/messages/ is a bad
 * (or doubtful) input with the exact messages it must produce: file, line,
 * column, rule id, severity. `UPDATE=1` rewrites the expected messages.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseBook} from '../pipeline/build.js'
import {bookForCase, root} from './helpers/fixture-book.js'

const dir = path.join(root, 'tests/fixtures/messages')
const cases = (await fs.readdir(dir)).sort()

interface Expected {
  file: string
  line: number | null
  column: number | null
  ruleId: string | undefined
  source: string | undefined
  fatal: boolean
  reason: string
}

describe('diagnostics catalogue', () => {
  it('has cases', () => {
    expect(cases.length).toBeGreaterThan(0)
  })
  for (const name of cases) {
    it(name, async () => {
      const caseDir = path.join(dir, name)
      const book = await bookForCase(caseDir)
      const {files} = await parseBook(book, path.dirname(book))
      const actual: Expected[] = files.flatMap((file) =>
        file.messages.map((m) => ({
          file: file.path.replace(/^book\//, ''),
          line: m.line ?? null,
          column: m.column ?? null,
          ruleId: m.ruleId,
          source: m.source,
          fatal: m.fatal === true,
          reason: m.reason
        }))
      )
      const expectedPath = path.join(caseDir, 'messages.json')
      if (process.env.UPDATE) await fs.writeFile(expectedPath, `${JSON.stringify(actual, null, 2)}\n`)
      const expected = JSON.parse(await fs.readFile(expectedPath, 'utf8')) as Expected[]
      expect(actual).toEqual(expected)
      // Every message names a place, a rule and a source.
      for (const m of actual) {
        expect(m.ruleId).toBeTruthy()
        expect(m.source).toBeTruthy()
      }
    })
  }
})
