/**
 * Builds never lose work, and never touch what they did not write. `<out>`
 * and `<out>/web` are ordinary directories beside the user's own files. The
 * real CLI builds a large generated book and is killed with SIGKILL while it
 * writes (and earlier); after every kill the output is the previous build or
 * the new one, or, for a kill between two renames, a complete build waiting
 * in `.twofold/ready` that the next run moves in. A failed build leaves the
 * previous one byte for byte; the symbolic-link layout of earlier versions is
 * turned into a directory.
 */
import {execFile, spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {recoverOutput} from '../pipeline/output/write.js'
import {bin, runCli} from './helpers/cli.js'
import {root} from './helpers/fixture-book.js'
import {treeHash} from './helpers/tree-hash.js'

const run = promisify(execFile)
const basic = path.join(root, 'tests/fixtures/books/basic')
const env = {...process.env, SOURCE_DATE_EPOCH: '1700000000', NO_COLOR: '1'}

/** A book of `count` chapters of a few KB each, with scrolly sections and a large image, so that writing takes a while. */
async function largeBook(dir: string, count: number): Promise<void> {
  await fsp.mkdir(path.join(dir, 'figures'), {recursive: true})
  for (const name of ['book.yaml', 'references.json', 'figures/bars.svg'])
    await fsp.copyFile(path.join(basic, name), path.join(dir, name))
  // Incompressible bytes after PNG's signature (an image must start as its format does): a large file for the web copy and the EPUB.
  await fsp.writeFile(
    path.join(dir, 'figures/photo.png'),
    Buffer.concat([
      Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
      Buffer.from(createHash('sha512').update('seed').digest().toString('hex').repeat(40_000))
    ])
  )
  for (let n = 1; n <= count; n++) {
    const paragraphs = Array.from(
      {length: 12},
      (_, i) =>
        `Paragraph ${i + 1} of chapter ${n}: the residence was quiet that morning [@alpha, p. ${i + 1}], and @beta says so too.`
    )
    const scrolly =
      n % 5 === 0
        ? `\n::::scrolly{graphic="bars"}\n:::step{state="one"}\nOne bar [@alpha].\n:::\n\n:::step{state="two"}\nTwo bars [@beta].\n:::\n::::\n`
        : ''
    const image = n === 1 ? '\n![A large photo](figures/photo.png)\n' : ''
    await fsp.writeFile(
      path.join(dir, `${String(n).padStart(3, '0')}-chapter-${n}.md`),
      `---\ntitle: Chapter ${n}\n---\n\n## Morning\n\n${paragraphs.join('\n\n')}\n${scrolly}${image}\nOn to [the next](${String(n + 1).padStart(3, '0')}-chapter-${n + 1}.md).\n`
    )
  }
  // The last chapter links back to the first instead.
  const last = path.join(dir, `${String(count).padStart(3, '0')}-chapter-${count}.md`)
  await fsp.writeFile(last, (await fsp.readFile(last, 'utf8')).replace(/\(\d+-chapter-\d+\.md\)/, '(001-chapter-1.md)'))
}

/** The build in `out`: its web story and EPUB (not the user's files beside them), or `missing`. */
async function buildIn(out: string, epubName: string): Promise<string> {
  try {
    return `${await treeHash(path.join(out, 'web'))} ${createHash('sha256')
      .update(await fsp.readFile(path.join(out, epubName)))
      .digest('hex')}`
  } catch {
    return 'missing'
  }
}

describe('atomic output', () => {
  let work = ''
  let book = ''
  let out = ''
  let epubName = ''
  let previous = ''
  let next = ''
  let firstChapter3 = ''

  beforeAll(async () => {
    work = await fsp.mkdtemp(path.join(os.tmpdir(), 'twofold-atomic-'))
    book = path.join(work, 'book')
    out = path.join(work, 'dist')
    await largeBook(book, 40)
    firstChapter3 = await fsp.readFile(path.join(book, '003-chapter-3.md'), 'utf8')
    expect((await runCli(['build', 'book', '--out', 'dist'], work, env)).code).toBe(0)
    epubName = (await fsp.readdir(out)).find((name) => name.endsWith('.epub'))!
    previous = await buildIn(out, epubName)
    // The user's files, which every later build must leave alone.
    await fsp.writeFile(path.join(out, 'CNAME'), 'book.example.org\n')
    await fsp.writeFile(path.join(out, 'notes.txt'), 'precious')
    // The next build differs; its output, built elsewhere, is the other allowed state.
    await fsp.appendFile(path.join(book, '002-chapter-2.md'), '\nA sentence added later [@alpha].\n')
    expect((await runCli(['build', 'book', '--out', 'elsewhere'], work, env)).code).toBe(0)
    next = await buildIn(path.join(work, 'elsewhere'), epubName)
    expect(next).not.toBe(previous)
  }, 300_000)

  afterAll(async () => {
    if (work) await fsp.rm(work, {recursive: true, force: true})
  })

  it('writes ordinary directories, and a failed build leaves them byte for byte', async () => {
    for (const dir of [out, path.join(out, 'web')]) {
      const stat = await fsp.lstat(dir)
      expect(stat.isDirectory() && !stat.isSymbolicLink(), dir).toBe(true)
    }
    const manifest = JSON.parse(await fsp.readFile(path.join(out, '.twofold/manifest.json'), 'utf8'))
    expect(manifest.entries).toEqual(['web', epubName])
    // Every file it wrote, so that a file put inside `web/` is never taken for one of its own.
    expect(manifest.files).toContain('web/index.html')
    expect(manifest.files).toContain(epubName)
    const before = await treeHash(out)
    await fsp.writeFile(path.join(book, '003-chapter-3.md'), 'No frontmatter.\n')
    const failed = await runCli(['build', 'book', '--out', 'dist'], work, env)
    await fsp.writeFile(path.join(book, '003-chapter-3.md'), firstChapter3)
    expect(failed.code).toBe(1)
    expect(await treeHash(out)).toBe(before)
  }, 120_000)

  it('keeps a complete build when the CLI is killed while writing or before, and recovers the next time', async () => {
    const state = path.join(out, '.twofold')
    const outcomes: string[] = []
    // Kills timed from the moment the build starts writing its staging directory, from the moment it is complete
    // (renamed `ready`: the entries are being moved in), and from the build's start.
    const plans: Array<{from: 'staging' | 'ready' | 'start'; delay: number}> = [
      ...[0, 5, 20, 60, 120].map((delay) => ({
        from: 'staging' as const,
        delay
      })),
      ...[0, 0, 0, 1, 2].map((delay) => ({from: 'ready' as const, delay})),
      {from: 'start', delay: 800}
    ]
    // Each kill starts from the previous build, so that every outcome tells the two apart; what killed builds left in
    // `.twofold/` (their staging directories, their lock) stays for the next one to clean up.
    const pristine = path.join(work, 'pristine')
    await fsp.cp(out, pristine, {recursive: true})
    for (const plan of plans) {
      for (const entry of ['web', epubName, '.twofold/manifest.json']) {
        await fsp.rm(path.join(out, entry), {recursive: true})
        await fsp.cp(path.join(pristine, entry), path.join(out, entry), {
          recursive: true
        })
      }
      const child = spawn(process.execPath, [bin, 'build', 'book', '--out', 'dist'], {cwd: work, env, stdio: 'ignore'})
      let writing = false
      const kill = () => child.kill('SIGKILL')
      const watcher = fs.watch(state, (_event, name) => {
        if (!writing && name?.startsWith(`staging-${child.pid}-`)) {
          writing = true
          if (plan.from === 'staging') setTimeout(kill, plan.delay)
        }
        if (writing && name === 'ready' && plan.from === 'ready') setTimeout(kill, plan.delay)
      })
      if (plan.from === 'start') setTimeout(kill, plan.delay)
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) =>
        child.on('exit', (c, s) => resolve([c, s]))
      )
      watcher.close()
      const found = await buildIn(out, epubName)
      let outcome = found === previous ? 'previous' : found === next ? 'next' : 'a mix'
      let complete = outcome !== 'a mix'
      if (fs.existsSync(path.join(state, 'ready'))) {
        // Killed once the new build was complete: it waits in `ready`, and the next run moves it in.
        await recoverOutput(out)
        complete = (await buildIn(out, epubName)) === next
        outcome += `, then ${complete ? 'next' : 'not next'} once recovered`
      }
      outcomes.push(
        `${plan.from}+${plan.delay}ms: ${signal ?? `exit ${code}`}, ${writing ? 'was writing' : 'not writing yet'}, output = ${outcome}`
      )
      expect(complete, outcomes.join('\n')).toBe(true)
    }
    process.stdout.write(`atomic output, kill outcomes:\n  ${outcomes.join('\n  ')}\n`)
    // Most kills landed while the build was writing.
    expect(outcomes.filter((o) => o.includes('SIGKILL, was writing')).length).toBeGreaterThanOrEqual(3)

    // The next build succeeds, is the new book, leaves only its manifest in `.twofold/`, and the user's files.
    expect((await runCli(['build', 'book', '--out', 'dist'], work, env)).code).toBe(0)
    expect(await buildIn(out, epubName)).toBe(next)
    expect(await fsp.readdir(state)).toEqual(['manifest.json'])
    expect(await fsp.readFile(path.join(out, 'CNAME'), 'utf8')).toBe('book.example.org\n')
    expect(await fsp.readFile(path.join(out, 'notes.txt'), 'utf8')).toBe('precious')
  }, 600_000)

  it('finishes moving a build in when one was killed between two renames', async () => {
    // The moment after a build moved its new web story in, before its EPUB: the old story in `old`, the EPUB and the
    // manifest still in `ready`. A kill there leaves a new story beside an old EPUB.
    const state = path.join(out, '.twofold')
    const elsewhere = path.join(work, 'elsewhere')
    await fsp.writeFile(path.join(book, '003-chapter-3.md'), `${firstChapter3}\nOne more sentence.\n`)
    expect((await runCli(['build', 'book', '--out', 'elsewhere'], work, env)).code).toBe(0)
    await fsp.writeFile(path.join(book, '003-chapter-3.md'), firstChapter3)
    const newer = await buildIn(elsewhere, epubName)
    await fsp.mkdir(path.join(state, 'ready'))
    await fsp.mkdir(path.join(state, 'old'))
    await fsp.rename(path.join(out, 'web'), path.join(state, 'old/web'))
    await fsp.rename(path.join(elsewhere, 'web'), path.join(out, 'web'))
    await fsp.rename(path.join(elsewhere, epubName), path.join(state, 'ready', epubName))
    await fsp.writeFile(path.join(state, 'ready/.twofold-manifest.json'), JSON.stringify({entries: ['web', epubName]}))
    expect(await buildIn(out, epubName)).not.toBe(newer)
    await recoverOutput(out)
    expect(await buildIn(out, epubName)).toBe(newer)
    expect(await fsp.readdir(state)).toEqual(['manifest.json'])
    // The book as it was, for the tests after this one.
    expect((await runCli(['build', 'book', '--out', 'dist'], work, env)).code).toBe(0)
    expect(await buildIn(out, epubName)).toBe(next)
  }, 120_000)

  it('lets two builds into one directory run at once, one after the other', async () => {
    const runs = await Promise.all([1, 2].map(() => runCli(['build', 'book', '--out', 'dist'], work, env)))
    expect(runs.map((r) => r.code)).toEqual([0, 0])
    expect(await buildIn(out, epubName)).toBe(next)
    expect(await fsp.readdir(path.join(out, '.twofold'))).toEqual(['manifest.json'])
  }, 120_000)

  it('refuses a web story or EPUB it did not write, and leaves it', async () => {
    for (const [dir, entry] of [
      ['theirs-web', 'web/index.html'],
      ['theirs-epub', epubName]
    ] as const) {
      await fsp.mkdir(path.dirname(path.join(work, dir, entry)), {
        recursive: true
      })
      await fsp.writeFile(path.join(work, dir, entry), 'mine')
      const result = await runCli(['build', 'book', '--out', dir], work, env)
      expect(result.code).toBe(1)
      const top = entry.split('/')[0]!
      expect(result.stderr).toContain(`twofold: Unexpected \`${path.join(work, dir, top)}\` that Twofold did not write`)
      expect(result.stderr).toContain('move it away or choose another --out')
      expect(result.stderr).not.toMatch(/^\s+at /m)
      expect(await fsp.readFile(path.join(work, dir, entry), 'utf8')).toBe('mine')
      expect(await fsp.readdir(path.join(work, dir))).toEqual([top])
    }
  }, 120_000)

  it('refuses an output directory holding the book or the working directory', async () => {
    for (const target of ['.', 'book', '..']) {
      const result = await runCli(['build', 'book', '--out', target], work, env)
      expect(result.code).toBe(1)
      expect(result.stderr).toContain('expected a directory of its own')
    }
    expect(fs.existsSync(path.join(book, 'book.yaml'))).toBe(true)
  }, 120_000)

  it('turns the symbolic link of earlier versions into a directory, even when the build fails', async () => {
    // What the last version left: `legacy` a link to the newest build in `.legacy.twofold/`, an older build and a killed one.
    const store = path.join(work, '.legacy.twofold')
    for (const build of ['build-1000-4242', 'build-2000-4242']) {
      await fsp.mkdir(path.join(store, build), {recursive: true})
      await fsp.cp(path.join(out, 'web'), path.join(store, build, 'web'), {
        recursive: true
      })
      await fsp.copyFile(path.join(out, epubName), path.join(store, build, epubName))
    }
    await fsp.writeFile(path.join(store, 'build-1000-4242', epubName), 'an older EPUB')
    await fsp.mkdir(path.join(store, 'tmp-999999-1/web'), {recursive: true})
    await fsp.writeFile(path.join(store, '.gitignore'), '*\n')
    await fsp.symlink('.legacy.twofold/build-2000-4242', path.join(work, 'legacy'))
    const legacy = path.join(work, 'legacy')

    await fsp.writeFile(path.join(book, '003-chapter-3.md'), 'No frontmatter.\n')
    const failed = await runCli(['build', 'book', '--out', 'legacy'], work, env)
    await fsp.writeFile(path.join(book, '003-chapter-3.md'), firstChapter3)
    expect(failed.code).toBe(1)
    expect((await fsp.lstat(legacy)).isDirectory()).toBe(true)
    expect(await buildIn(legacy, epubName)).toBe(next)
    expect(fs.existsSync(store)).toBe(false)

    // The converted build is Twofold's: the next build replaces it.
    await fsp.appendFile(path.join(book, '004-chapter-4.md'), '\nOne more sentence.\n')
    expect((await runCli(['build', 'book', '--out', 'legacy'], work, env)).code).toBe(0)
    const rebuilt = await buildIn(legacy, epubName)
    expect(rebuilt).not.toBe(next)
    expect(rebuilt).not.toBe('missing')
  }, 120_000)

  it('recovers the newest build when a migration was killed after removing the link', async () => {
    const store = path.join(work, '.unlinked.twofold')
    await fsp.mkdir(path.join(store, 'build-3000-4242'), {recursive: true})
    await fsp.cp(path.join(out, 'web'), path.join(store, 'build-3000-4242/web'), {recursive: true})
    await fsp.copyFile(path.join(out, epubName), path.join(store, 'build-3000-4242', epubName))
    await fsp.mkdir(path.join(store, 'build-100-4242'))
    await recoverOutput(path.join(work, 'unlinked'))
    expect(await buildIn(path.join(work, 'unlinked'), epubName)).toBe(next)
    expect(fs.existsSync(store)).toBe(false)
  })
})

describe('a book with more output files than a process may open at once', () => {
  it('builds under a limit of 128 file handles (macOS allows 256)', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'twofold-handles-'))
    const book = path.join(dir, 'book')
    await fsp.mkdir(book)
    for (const name of ['book.yaml', 'references.json'])
      await fsp.copyFile(path.join(basic, name), path.join(book, name))
    for (let n = 1; n <= 300; n++)
      await fsp.writeFile(
        path.join(book, `${String(n).padStart(3, '0')}-part-${n}.md`),
        `# Part ${n}\n\nA short part [@alpha].\n`
      )
    const out = path.join(dir, 'out')
    // `ulimit -n` lowers the limit for the command alone; `exec` gives it the shell's process. One thread for the
    // file system queues every open before any write: files written all at once would all be open at once.
    const command = `ulimit -n 128 && exec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} build book --out out`
    const limited = {...env, UV_THREADPOOL_SIZE: '1', TWOFOLD_CACHE_DIR: path.join(dir, 'cache')}
    const {stdout} = await run('bash', ['-c', command], {cwd: dir, env: limited})
    expect(stdout).toContain('web  out/web/')
    const pages = new Set(await fsp.readdir(path.join(out, 'web')))
    for (let n = 1; n <= 300; n++) expect(pages.has(`part-${n}.html`), `part-${n}.html`).toBe(true)
    // Everything the build kept was written: the next build reads every chapter back.
    const again = await run('bash', ['-c', command], {cwd: dir, env: limited})
    expect(again.stdout).toContain('(300 of 300 chapters unchanged, read from the cache)')
    await fsp.rm(dir, {recursive: true, force: true})
  }, 120_000)
})
