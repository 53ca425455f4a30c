/**
 * `twofold new <dir>`: the starter book builds with --strict, passes epubcheck and Ace, has what it
 * promises (two chapters, a scrolly section over a two-state SVG, one citation, a README), and a folder
 * that holds anything is left alone.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {ace} from '../helpers/epub-ace.js'
import {epubcheck} from '../helpers/epubcheck.js'
import {root} from '../helpers/fixture-book.js'

let tmp: string
beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-new-'))
})
afterAll(async () => {
  await fs.rm(tmp, {recursive: true, force: true})
})

describe('twofold new', () => {
  it('writes a starter book that builds with --strict and validates clean', async () => {
    const made = await runCli(['new', 'my-book'], tmp)
    expect(made.code, made.stderr).toBe(0)
    expect((await fs.readdir(path.join(tmp, 'my-book'), {recursive: true})).sort()).toEqual([
      '01-the-beginning.md',
      '02-a-graphic.md',
      'README.md',
      'book.yaml',
      'figures',
      'figures/two-states.svg',
      'references.json'
    ])
    const yaml = await fs.readFile(path.join(tmp, 'my-book/book.yaml'), 'utf8')
    expect(yaml).toMatch(/^date: "\d{4}-\d{2}-\d{2}"$/m)
    expect(await fs.readFile(path.join(tmp, 'my-book/README.md'), 'utf8')).toContain('node_modules/twofold/README.md')

    const built = await runCli(['build', 'my-book', '--out', 'out', '--strict', '--no-cache'], tmp)
    expect(built.code, built.stderr).toBe(0)
    expect(built.stderr).toBe('')
    expect(built.stdout).toContain('chapters 2, words')
    expect(built.stdout).toContain('citations 1, graphics 1 (2 static figures)')
    const epub = path.join(tmp, 'out/my-first-book.epub')
    const problems = (await epubcheck(epub)).filter((m) => m.severity !== 'INFO' && m.severity !== 'USAGE')
    expect(problems.map((m) => `${m.severity} ${m.ID} ${m.message}`)).toEqual([])
    const {violations} = await ace(epub, path.join(root, 'test-results', 'ace', 'scaffold'))
    expect(violations.map((v) => `${v.impact} ${v.rule} in ${v.document}`)).toEqual([])
    const page = await fs.readFile(path.join(tmp, 'out/web/a-graphic.html'), 'utf8')
    expect(page).toContain('data-step')
  }, 300_000)

  it('refuses a folder that holds anything, and writes nothing there', async () => {
    await fs.mkdir(path.join(tmp, 'taken'))
    await fs.writeFile(path.join(tmp, 'taken/notes.txt'), 'mine')
    const result = await runCli(['new', 'taken'], tmp)
    expect(result.code).toBe(1)
    expect(result.stderr).toContain('`taken` is not empty')
    expect(await fs.readdir(path.join(tmp, 'taken'))).toEqual(['notes.txt'])
    const missing = await runCli(['new'], tmp)
    expect(missing.code).toBe(2)
  })
})
