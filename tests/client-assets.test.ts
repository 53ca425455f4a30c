/**
 * The web story's client script and stylesheets are built with esbuild once,
 * then read back from the store while esbuild, its options and the files
 * they are built from are the same (pipeline/render/web/index.ts,
 * `makeClientAssets`).
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {Store} from '../pipeline/output/store.js'
import {makeClientAssets} from '../pipeline/render/web/index.js'

let dir: string
beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-client-'))
})
afterAll(async () => {
  await fs.rm(dir, {recursive: true, force: true})
})

const bytes = (files: Array<{path: string; contents: string | Uint8Array}>) =>
  files.map((file) => [file.path, Buffer.from(file.contents).toString('base64')])

describe('the client assets', () => {
  it('are kept in the store, read back the same, and built again when the entry is damaged', async () => {
    const store = new Store({dir, version: 'test'})
    const built = await makeClientAssets(store)
    expect(built.map((file) => file.path).sort()).toEqual([
      expect.stringMatching(/^assets\/favicon\.[0-9a-f]{8}\.svg$/),
      expect.stringMatching(/^assets\/nojs\.[A-Z0-9]+\.css$/),
      expect.stringMatching(/^assets\/story\.[A-Z0-9]+\.js$/),
      expect.stringMatching(/^assets\/style\.[A-Z0-9]+\.css$/)
    ])
    expect(bytes(await makeClientAssets())).toEqual(bytes(built))
    await store.close()
    // The one entry (the store's `.swept` mark aside).
    const [entry] = (await fs.readdir(dir)).filter((name) => !name.startsWith('.'))
    const file = path.join(dir, entry!)

    // What a later build reads is the kept entry, not a new build.
    const again = new Store({dir, version: 'test'})
    expect(bytes(await makeClientAssets(again))).toEqual(bytes(built))
    expect(again.stats).toMatchObject({hits: 1, misses: 0})

    // A damaged entry is a miss: the assets are built again, the same.
    const data = await fs.readFile(file)
    data[data.length - 3] ^= 1
    await fs.writeFile(file, data)
    const damaged = new Store({dir, version: 'test'})
    expect(bytes(await makeClientAssets(damaged))).toEqual(bytes(built))
    expect(damaged.stats).toMatchObject({hits: 0, misses: 1})
  })
})
