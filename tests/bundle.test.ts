/**
 * bin/bundle.js: the `twofold` command and the parse workers run from one
 * bundled module, made again exactly when an input changed, in which every
 * module keeps its own `import.meta.url`.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {pathToFileURL} from 'node:url'
import {afterAll, expect, it} from 'vitest'
import {bundle} from '../bin/bundle.js'

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-bundle-'))
afterAll(async () => {
  await fs.rm(work, {recursive: true, force: true})
})

it('bundles an entry, keeps each module’s URL, and makes it again only when an input changes', async () => {
  const src = path.join(work, 'src')
  await fs.mkdir(path.join(src, 'deep'), {recursive: true})
  await fs.writeFile(path.join(src, 'entry.ts'), "import {where} from './deep/where.js'\nimport data from './data.json'\nexport const answer: number = data.answer\nexport {where}\n")
  await fs.writeFile(path.join(src, 'deep/where.ts'), 'export const where = import.meta.url\n')
  await fs.writeFile(path.join(src, 'data.json'), '{"answer": 42}\n')
  const options = {entry: path.join(src, 'entry.ts'), dir: path.join(work, 'out'), name: 'entry', packages: 'bundle' as const}

  const file = await bundle(options)
  const first = (await import(`${pathToFileURL(file).href}?1`)) as {answer: number; where: string}
  expect(first.answer).toBe(42)
  expect(first.where).toBe(pathToFileURL(path.join(src, 'deep/where.ts')).href)

  // Nothing changed: the same file, not written again.
  const stamp = (await fs.stat(file)).mtimeMs
  await new Promise((resolve) => setTimeout(resolve, 20))
  expect(await bundle(options)).toBe(file)
  expect((await fs.stat(file)).mtimeMs).toBe(stamp)

  // A changed input (here the JSON one): made again.
  await fs.writeFile(path.join(src, 'data.json'), '{"answer": 43}\n')
  await bundle(options)
  expect((await fs.stat(file)).mtimeMs).not.toBe(stamp)
  const second = (await import(`${pathToFileURL(file).href}?2`)) as {answer: number}
  expect(second.answer).toBe(43)
})
