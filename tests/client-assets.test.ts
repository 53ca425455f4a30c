/**
 * The web story's client script and stylesheets are built with esbuild once,
 * then read back from a kept copy while esbuild, the options and every file
 * they were built from are the same (pipeline/web/index.ts,
 * `makeClientAssets`).
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {makeClientAssets} from '../pipeline/render/web/index.js'

let dir: string
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-client-'))
})
afterAll(async () => {
  await fs.rm(dir, {recursive: true, force: true})
})

const bytes = (files: Array<{path: string; contents: string | Uint8Array}>) => files.map((file) => [file.path, Buffer.from(file.contents).toString('base64')])

describe('the client assets', () => {
  it('are kept, read back the same, and built again when a file they were built from differs', async () => {
    const built = await makeClientAssets(dir)
    expect(built.map((file) => file.path).sort()).toEqual([
      expect.stringMatching(/^assets\/favicon\.[0-9a-f]{8}\.svg$/),
      expect.stringMatching(/^assets\/nojs\.[A-Z0-9]+\.css$/),
      expect.stringMatching(/^assets\/story\.[A-Z0-9]+\.js$/),
      expect.stringMatching(/^assets\/style\.[A-Z0-9]+\.css$/)
    ])
    const keptPath = path.join(dir, 'client.json')
    const kept = JSON.parse(await fs.readFile(keptPath, 'utf8')) as {inputs: Array<[string, string]>; files: Array<[string, string]>}
    // Scrollama is one of the inputs: a new version of it is a new build.
    expect(kept.inputs.some(([file]) => file.includes(`${path.sep}scrollama${path.sep}`))).toBe(true)
    expect(bytes(await makeClientAssets(dir))).toEqual(bytes(built))

    // A kept copy whose script was changed is used while its inputs are the same…
    const marked = {...kept, files: kept.files.map(([file, data]) => [file, file.endsWith('.js') ? Buffer.from('/* kept */').toString('base64') : data])}
    await fs.writeFile(keptPath, JSON.stringify(marked))
    expect((await makeClientAssets(dir)).some((file) => Buffer.from(file.contents).toString() === '/* kept */')).toBe(true)
    // …and not once an input's contents differ from what it was built from.
    await fs.writeFile(keptPath, JSON.stringify({...marked, inputs: marked.inputs.map(([file, hash], index) => [file, index === 0 ? `x${hash.slice(1)}` : hash])}))
    expect(bytes(await makeClientAssets(dir))).toEqual(bytes(built))
    // What it depends on besides the files esbuild read: the names beside them (a new file may be resolved
    // instead), and the package.json and tsconfig.json of their folders and every folder above.
    const entries = new Map(kept.inputs)
    const root = path.resolve(import.meta.dirname, '..')
    expect(entries.get(`file:${path.join(root, 'tsconfig.json')}`)).toMatch(/^[0-9a-f]{64}$/)
    expect(entries.get(`file:${path.join(root, 'templates/web/tsconfig.json')}`)).toBe('missing')
    expect([...entries.keys()].some((key) => /scrollama[\\/]package\.json$/.test(key))).toBe(true)
    expect(entries.has(`names:${path.join(root, 'templates/web')}`)).toBe(true)
    for (const key of [`names:${path.join(root, 'templates/web')}`, `file:${path.join(root, 'tsconfig.json')}`, `file:${path.join(root, 'templates/web/tsconfig.json')}`]) {
      await fs.writeFile(keptPath, JSON.stringify({...marked, inputs: marked.inputs.map(([name, hash]) => [name, name === key ? 'changed' : hash])}))
      expect(bytes(await makeClientAssets(dir)), key).toEqual(bytes(built))
    }
    // A damaged copy is built again too.
    await fs.writeFile(keptPath, '{"recipe": ')
    expect(bytes(await makeClientAssets(dir))).toEqual(bytes(built))
  })
})
