/**
 * Hostile surroundings: an output directory holding files Twofold did not
 * write, a cache whose entries were swapped, and the system refusing (a path
 * through a file, a full device, a port in use). Each through the real
 * command, or a real error of the system.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import {afterAll, describe, expect, it} from 'vitest'
import {environmentProblem} from '../../pipeline/cli/report.js'
import {bin, runCli} from '../helpers/cli.js'
import {treeHash} from '../helpers/tree-hash.js'
import {basicBook, writtenFiles} from './helpers.js'

const env = {SOURCE_DATE_EPOCH: '1700000000'}
const works: string[] = []

afterAll(async () => {
  for (const work of works) await fs.rm(work, {recursive: true, force: true})
})

async function work(): Promise<{work: string; book: string}> {
  const made = await basicBook()
  works.push(made.work)
  return made
}

describe('an output directory holding files Twofold did not write', () => {
  it('stops the first build, naming the file, and moves or deletes nothing', async () => {
    const {work: dir} = await work()
    const site = path.join(dir, 'site')
    await fs.mkdir(path.join(site, 'web/private'), {recursive: true})
    await fs.writeFile(path.join(site, 'web/private/notes.txt'), 'my notes')
    await fs.mkdir(path.join(site, 'Photos.epub'))
    await fs.writeFile(path.join(site, 'Photos.epub/a.jpg'), 'a photo')
    const before = await treeHash(site)
    for (let n = 0; n < 2; n++) {
      const result = await runCli(['build', 'book', '--out', 'site', '--no-cache'], dir, env)
      expect(result.code).toBe(1)
      expect(result.stderr).toContain(`\`${path.join(site, 'web')}\` that Twofold did not write`)
      expect(await treeHash(site)).toBe(before)
    }
  })

  it('stops a later build when a file was put inside its web story, naming it', async () => {
    const {work: dir} = await work()
    expect((await runCli(['build', 'book', '--out', 'dist', '--no-cache'], dir, env)).code).toBe(0)
    const out = path.join(dir, 'dist')
    await fs.writeFile(path.join(out, 'web/CNAME'), 'book.example.org\n')
    await fs.mkdir(path.join(out, 'web/figures/drafts'))
    const before = await treeHash(out)
    const result = await runCli(['build', 'book', '--out', 'dist', '--no-cache'], dir, env)
    expect(result.code).toBe(1)
    expect(result.stderr).toMatch(/`[^`]*dist\/web\/(CNAME|figures\/drafts)` that Twofold did not write/)
    expect(await treeHash(out)).toBe(before)
  })
})

describe('a cache whose entries were swapped', () => {
  it('reads neither entry, and builds the same bytes as a build without the cache', async () => {
    const {work: dir} = await work()
    const cache = path.join(dir, 'cache')
    const withCache = {...env, TWOFOLD_CACHE_DIR: cache}
    expect((await runCli(['build', 'book', '--out', 'plain', '--no-cache'], dir, env)).code).toBe(0)
    expect((await runCli(['build', 'book', '--out', 'dist'], dir, withCache)).code).toBe(0)
    // Every entry swapped with another (the store's files, wherever they are below the cache folder).
    const entries: string[] = []
    for (const name of await fs.readdir(cache, {recursive: true})) {
      if ((await fs.stat(path.join(cache, name))).isFile()) entries.push(path.join(cache, name))
    }
    expect(entries.length).toBeGreaterThan(4)
    for (let i = 0; i + 1 < entries.length; i += 2) {
      const [a, b] = [entries[i]!, entries[i + 1]!]
      await fs.rename(a, `${a}.swap`)
      await fs.rename(b, a)
      await fs.rename(`${a}.swap`, b)
    }
    for (let n = 0; n < 2; n++) {
      const result = await runCli(['build', 'book', '--out', 'dist'], dir, withCache)
      expect(result.code, result.stderr).toBe(0)
      // The EPUB's entries are read with their CRCs checked.
      const built = await writtenFiles(path.join(dir, 'dist'))
      const plain = await writtenFiles(path.join(dir, 'plain'))
      expect([...built.keys()].sort()).toEqual([...plain.keys()].sort())
      for (const [name, data] of plain) expect(built.get(name)?.equals(data), name).toBe(true)
    }
  })
})

describe('the system refusing', () => {
  it('an output path through a file: exit 1, one line naming the path and the cause', async () => {
    const {work: dir} = await work()
    await fs.writeFile(path.join(dir, 'afile'), '')
    const result = await runCli(['build', 'book', '--out', 'afile/out', '--no-cache'], dir, env)
    expect(result.code).toBe(1)
    expect(result.stderr.trim().split('\n')).toEqual([
      expect.stringMatching(/^twofold: cannot \w+ `[^`]*afile\/out[^`]*`: not a directory \(ENOTDIR\)$/)
    ])
  })

  it('a full device: one line with the cause', async () => {
    // /dev/full answers every write with ENOSPC, as a full disk does.
    const cause = await fs.writeFile('/dev/full', 'x').then(
      () => undefined,
      (error: unknown) => error
    )
    expect(environmentProblem(cause)).toBe('cannot write: no space left on device (ENOSPC)')
    expect(environmentProblem(new Error('build failed', {cause}))).toBe(
      'cannot write: no space left on device (ENOSPC)'
    )
    expect(environmentProblem(new TypeError('x is undefined'))).toBeUndefined()
  })

  it('a port in use: `dev` exits 1 with one line naming the port', async () => {
    const {work: dir} = await work()
    const taken = net.createServer()
    await new Promise<void>((resolve) => taken.listen(0, '127.0.0.1', resolve))
    const port = (taken.address() as net.AddressInfo).port
    let child: ChildProcess | undefined
    try {
      child = spawn(process.execPath, [bin, 'dev', 'book', '--out', 'dist', '--port', String(port), '--no-cache'], {
        cwd: dir,
        env: {...process.env, NO_COLOR: '1'}
      })
      let stderr = ''
      child.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
      const code = await new Promise<number | null>((resolve) => child!.on('exit', resolve))
      expect(code).toBe(1)
      expect(stderr.trim()).toBe(`twofold: cannot listen on 127.0.0.1:${port}: address already in use (EADDRINUSE)`)
    } finally {
      child?.kill()
      taken.close()
    }
  })
})
