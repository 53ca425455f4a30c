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
import {root} from './helpers/fixture-book.js'

const work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-bundle-'))
afterAll(async () => {
  await fs.rm(work, {recursive: true, force: true})
})

it('bundles an entry, keeps each module’s URL, and makes it again only when an input changes', async () => {
  const src = path.join(work, 'src')
  await fs.mkdir(path.join(src, 'deep'), {recursive: true})
  await fs.writeFile(
    path.join(src, 'entry.ts'),
    "import {where} from './deep/where.js'\nimport data from './data.json'\nexport const answer: number = data.answer\nexport {where}\n"
  )
  await fs.writeFile(path.join(src, 'deep/where.ts'), 'export const where = import.meta.url\n')
  await fs.writeFile(path.join(src, 'data.json'), '{"answer": 42}\n')
  const options = {
    entry: path.join(src, 'entry.ts'),
    dir: path.join(work, 'out'),
    name: 'entry',
    packages: 'bundle' as const
  }

  const file = await bundle(options)
  const first = (await import(`${pathToFileURL(file).href}?1`)) as {
    answer: number
    where: string
  }
  expect(first.answer).toBe(42)
  expect(first.where).toBe(pathToFileURL(path.join(src, 'deep/where.ts')).href)

  // Nothing changed: the same file, not made again.
  const stamp = (await fs.stat(file)).mtimeMs
  await new Promise((resolve) => setTimeout(resolve, 20))
  expect(await bundle(options)).toBe(file)
  expect((await fs.stat(file)).mtimeMs).toBe(stamp)

  // A changed input (here the JSON one): made again, as another file.
  await fs.writeFile(path.join(src, 'data.json'), '{"answer": 43}\n')
  const again = await bundle(options)
  expect(again).not.toBe(file)
  const second = (await import(pathToFileURL(again).href)) as {answer: number}
  expect(second.answer).toBe(43)
})

it('makes bundles that keep their modules’ URLs when it runs from a bundle itself, as in the command', async () => {
  // A module that bundles, as pipeline/citations/worker.ts does, bundled as bin/twofold.js bundles the command.
  const src = path.join(work, 'self')
  await fs.mkdir(src, {recursive: true})
  await fs.writeFile(
    path.join(src, 'maker.ts'),
    `export {bundle} from ${JSON.stringify(path.join(root, 'bin/bundle.js'))}\n`
  )
  await fs.writeFile(
    path.join(src, 'where.ts'),
    'export const where = import.meta.url\nexport const dir = import.meta.dirname\n'
  )
  const maker = await bundle({
    entry: path.join(src, 'maker.ts'),
    dir: path.join(work, 'self-out'),
    name: 'maker',
    packages: 'external'
  })
  const {bundle: bundled} = (await import(pathToFileURL(maker).href)) as {
    bundle: typeof bundle
  }
  const made = await bundled({
    entry: path.join(src, 'where.ts'),
    dir: path.join(work, 'self-out'),
    name: 'where',
    packages: 'bundle'
  })
  const where = (await import(pathToFileURL(made).href)) as {
    where: string
    dir: string
  }
  expect(where.where).toBe(pathToFileURL(path.join(src, 'where.ts')).href)
  expect(where.dir).toBe(src)
})
