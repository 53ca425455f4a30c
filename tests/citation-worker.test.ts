/**
 * The notes of a large book are formatted on a worker thread while the main
 * thread parses: the build is byte for byte the build without it, and the
 * main thread's formatter runs citeproc for nothing.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, expect, it} from 'vitest'
import {build, citationWorkerThreshold} from '../pipeline/build.js'
import {citationWorkerBundle} from '../pipeline/citations/worker.js'
import {writeSyntheticBook} from '../scripts/synth-book.js'
import {treeHash} from './helpers/tree-hash.js'

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-citation-worker-'))
afterAll(async () => {
  await fs.rm(work, {recursive: true, force: true})
})

it('formats a large book’s notes on a worker thread, to the same books', async () => {
  const book = await writeSyntheticBook({
    chapters: 25,
    out: path.join(work, 'book'),
    seed: 7
  })
  let size = 0
  for (const name of await fs.readdir(book))
    if (name.endsWith('.md')) size += (await fs.readFile(path.join(book, name), 'utf8')).length
  expect(size).toBeGreaterThan(citationWorkerThreshold)
  expect(await citationWorkerBundle()).toBeTruthy()
  const modified = new Date(Date.UTC(2026, 0, 1))

  const withWorker = await build({
    bookDir: book,
    outDir: path.join(work, 'with'),
    modified
  })
  process.env.TWOFOLD_CITATION_WORKER = '0'
  let alone: Awaited<ReturnType<typeof build>>
  try {
    alone = await build({
      bookDir: book,
      outDir: path.join(work, 'alone'),
      modified
    })
  } finally {
    delete process.env.TWOFOLD_CITATION_WORKER
  }
  expect(withWorker.ok).toBe(true)
  expect(alone.ok).toBe(true)
  // The worker made the bibliography and every note; alone, the main thread did.
  expect(withWorker.book!.formatter.runs).toEqual({
    bibliography: 0,
    clusters: 0
  })
  expect(alone.book!.formatter.runs.bibliography).toBe(1)
  expect(alone.book!.formatter.runs.clusters).toBeGreaterThan(50)
  expect(await treeHash(path.join(work, 'with'))).toBe(await treeHash(path.join(work, 'alone')))
})
