/**
 * The diagnostics catalogue: every folder in tests/fixtures/messages/ is a
 * bad (or doubtful) input with the exact messages it must produce, in its
 * messages.json (see tests/messages.test.ts and tests/cli-catalogue.test.ts).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {root} from './fixture-book.js'

/** One expected message: file (relative to the book), place, rule, source, severity, text. */
export interface ExpectedMessage {
  file: string
  line: number | null
  column: number | null
  ruleId: string | undefined
  source: string | undefined
  fatal: boolean
  reason: string
}

export const catalogueDir = path.join(root, 'tests/fixtures/messages')

/** The names of the cases, sorted. */
export const catalogueCases = (await fs.readdir(catalogueDir)).sort()

/** Path of a case's expected messages. */
export function expectedPath(name: string): string {
  return path.join(catalogueDir, name, 'messages.json')
}

/** A case's expected messages. */
export async function expectedMessages(name: string): Promise<ExpectedMessage[]> {
  return JSON.parse(await fs.readFile(expectedPath(name), 'utf8')) as ExpectedMessage[]
}
