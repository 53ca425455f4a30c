/**
 * The diagnostics catalogue: every folder in tests/fixtures/messages/ is a bad
 * (or doubtful) input with the exact messages it must produce: file, line,
 * column, rule id, severity. `UPDATE=1` rewrites the expected messages.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'
import {parseBook} from '../pipeline/build.js'
import {
  catalogueCases,
  catalogueDir,
  type ExpectedMessage,
  expectedMessages,
  expectedPath
} from './helpers/catalogue.js'
import {bookForCase} from './helpers/fixture-book.js'

describe('diagnostics catalogue', () => {
  it('has cases', () => {
    expect(catalogueCases.length).toBeGreaterThan(0)
  })
  for (const name of catalogueCases) {
    it(name, async () => {
      const caseDir = path.join(catalogueDir, name)
      const book = await bookForCase(caseDir)
      const {files} = await parseBook(book, path.dirname(book))
      const actual: ExpectedMessage[] = files.flatMap((file) =>
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
      if (process.env.UPDATE) await fs.writeFile(expectedPath(name), `${JSON.stringify(actual, null, 2)}\n`)
      const expected = await expectedMessages(name)
      expect(actual).toEqual(expected)
      // Every message names a place, a rule and a source.
      for (const m of actual) {
        expect(m.ruleId).toBeTruthy()
        expect(m.source).toBeTruthy()
      }
    })
  }
})
