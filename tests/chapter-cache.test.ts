/**
 * Rebuilds with a session reuse the pages and documents of the chapters an
 * edit did not touch, and give exactly what a fresh build of the same
 * sources gives: every web file and the EPUB's bytes.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {build} from '../pipeline/build.js'
import {BuildSession} from '../pipeline/output/session.js'
import {root} from './helpers/fixture-book.js'
import {treeFiles} from './helpers/tree-hash.js'

const modified = new Date('2023-11-14T22:13:20Z')
let dir: string
let book: string
const session = new BuildSession()

/** Build with the session and without, and compare every file. */
async function expectSameAsFresh(label: string) {
  const kept = await build({bookDir: book, outDir: path.join(dir, 'kept'), cwd: root, modified, session})
  const fresh = await build({bookDir: book, outDir: path.join(dir, 'fresh'), cwd: root, modified})
  expect(kept.ok && fresh.ok, label).toBe(true)
  const a = await treeFiles(path.join(dir, 'kept'))
  const b = await treeFiles(path.join(dir, 'fresh'))
  expect([...a.keys()].sort(), label).toEqual([...b.keys()].sort())
  for (const [name, data] of b) expect(a.get(name)?.equals(data), `${label}: ${name}`).toBe(true)
  return {web: session.rendered.web.last, epub: session.rendered.epub.last, notes: session.rendered.epubNotes.last}
}

async function edit(name: string, change: (text: string) => string) {
  const file = path.join(book, name)
  await fs.writeFile(file, change(await fs.readFile(file, 'utf8')))
}

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-cache-'))
  book = path.join(dir, 'book')
  await fs.cp(path.join(root, 'chapters'), book, {recursive: true})
})
afterAll(async () => {
  await fs.rm(dir, {recursive: true, force: true})
})

describe('chapter renderings kept by a session', () => {
  it('renders every chapter on the first build, none when nothing changed', async () => {
    const first = await expectSameAsFresh('first build')
    expect(first.web).toEqual({reused: 0, rendered: 7})
    const again = await expectSameAsFresh('no change')
    expect(again.web).toEqual({reused: 7, rendered: 0})
    expect(again.epub).toEqual({reused: 7, rendered: 0})
    // The EPUB's notes documents, one for each chapter that cites.
    expect(first.notes.rendered).toBeGreaterThan(3)
    expect(again.notes).toEqual({reused: first.notes.rendered, rendered: 0})
  })

  it('renders only the edited chapter when a citation renumbers the chapters after it', async () => {
    await edit('03-the-party.md', (text) => `${text}\nAnother sentence for the cache test, in 1996 [@es-chavin].\n`)
    const counts = await expectSameAsFresh('added citation')
    expect(counts.web).toEqual({reused: 6, rendered: 1})
    expect(counts.epub).toEqual({reused: 6, rendered: 1})
    expect(counts.notes.rendered).toBe(1)
  })

  it('renders the neighbours of a chapter whose title changed', async () => {
    await edit('04-those-who-stayed.md', (text) => text.replace(/^title: .*$/m, 'title: Those Who Stayed Behind'))
    const counts = await expectSameAsFresh('new title')
    // Every page lists the chapters (the contents in the web footer and navigation): all of them are rendered again.
    expect(counts.web.rendered).toBeGreaterThanOrEqual(3)
  })

  it('renders a chapter whose link stops leading anywhere', async () => {
    await edit('01-live-from-lima.md', (text) => `${text}\nSee [who had come](03-the-party.md#who-had-come).\n`)
    await expectSameAsFresh('new link')
    await edit('03-the-party.md', (text) => text.replace('## Who had come', '## The guests'))
    await expectSameAsFresh('dangling link')
  })
})
