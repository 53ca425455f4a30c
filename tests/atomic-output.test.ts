/**
 * Builds never lose work: the output directory always holds a complete
 * build. The real CLI builds a large generated book and is killed with
 * SIGKILL while it writes (and earlier); after every kill the output is, byte
 * for byte, the previous build or the new one, never a mix or nothing. The
 * next build cleans up and succeeds. The one window that is not atomic (the
 * first build into a real directory) and the leftovers of the earlier
 * rename-based writer are recovered by the next build, even a failing one.
 */
import {execFile, spawn} from 'node:child_process'
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {recoverOutput, storeOf} from '../pipeline/output/write.js'
import {root} from './helpers/fixture-book.js'
import {treeHash} from './helpers/tree-hash.js'
import {bin, runCli} from './helpers/cli.js'

const run = promisify(execFile)
const basic = path.join(root, 'tests/fixtures/books/basic')
const env = {...process.env, SOURCE_DATE_EPOCH: '1700000000', NO_COLOR: '1'}

/** A book of `count` chapters of a few KB each, with scrolly sections and a large image, so that writing takes a while. */
async function largeBook(dir: string, count: number): Promise<void> {
  await fsp.mkdir(path.join(dir, 'figures'), {recursive: true})
  for (const name of ['book.yaml', 'references.json', 'figures/bars.svg']) await fsp.copyFile(path.join(basic, name), path.join(dir, name))
  // Incompressible bytes: a large file for the web copy and the EPUB.
  await fsp.writeFile(path.join(dir, 'figures/photo.png'), createHash('sha512').update('seed').digest().toString('hex').repeat(40_000))
  for (let n = 1; n <= count; n++) {
    const paragraphs = Array.from({length: 12}, (_, i) => `Paragraph ${i + 1} of chapter ${n}: the residence was quiet that morning [@alpha, p. ${i + 1}], and @beta says so too.`)
    const scrolly = n % 5 === 0 ? `\n::::scrolly{graphic="bars"}\n:::step{state="one"}\nOne bar [@alpha].\n:::\n\n:::step{state="two"}\nTwo bars [@beta].\n:::\n::::\n` : ''
    const image = n === 1 ? '\n![A large photo](figures/photo.png)\n' : ''
    await fsp.writeFile(path.join(dir, `${String(n).padStart(3, '0')}-chapter-${n}.md`), `---\ntitle: Chapter ${n}\n---\n\n## Morning\n\n${paragraphs.join('\n\n')}\n${scrolly}${image}\nOn to [the next](${String(n + 1).padStart(3, '0')}-chapter-${n + 1}.md).\n`)
  }
  // The last chapter links back to the first instead.
  const last = path.join(dir, `${String(count).padStart(3, '0')}-chapter-${count}.md`)
  await fsp.writeFile(last, (await fsp.readFile(last, 'utf8')).replace(/\(\d+-chapter-\d+\.md\)/, '(001-chapter-1.md)'))
}

describe('atomic output', () => {
  let work = ''
  let book = ''
  let out = ''
  let previous = ''
  let next = ''

  beforeAll(async () => {
    work = await fsp.mkdtemp(path.join(os.tmpdir(), 'twofold-atomic-'))
    book = path.join(work, 'book')
    out = path.join(work, 'dist')
    await largeBook(book, 40)
    expect((await runCli(['build', 'book', '--out', 'dist'], work, env)).code).toBe(0)
    previous = await treeHash(out)
    // The next build differs; its output, built elsewhere, is the other allowed state.
    await fsp.appendFile(path.join(book, '002-chapter-2.md'), '\nA sentence added later [@alpha].\n')
    expect((await runCli(['build', 'book', '--out', 'elsewhere'], work, env)).code).toBe(0)
    next = await treeHash(path.join(work, 'elsewhere'))
    expect(next).not.toBe(previous)
  }, 300_000)

  afterAll(async () => {
    if (work) await fsp.rm(work, {recursive: true, force: true})
  })

  it('keeps a complete build when the CLI is killed while writing or before', async () => {
    const store = storeOf(out)
    const outcomes: string[] = []
    // Kills timed from the moment the build starts writing, and some from its start.
    const plans: Array<{whileWriting: boolean; delay: number}> = [
      ...[0, 2, 5, 10, 25].map((delay) => ({whileWriting: true, delay})),
      {whileWriting: false, delay: 800}
    ]
    for (const plan of plans) {
      const child = spawn(process.execPath, [bin, 'build', 'book', '--out', 'dist'], {cwd: work, env, stdio: 'ignore'})
      let writing = false
      const kill = () => child.kill('SIGKILL')
      const watcher = fs.watch(store, (_event, name) => {
        if (!writing && name?.startsWith('tmp-')) {
          writing = true
          if (plan.whileWriting) setTimeout(kill, plan.delay)
        }
      })
      if (!plan.whileWriting) setTimeout(kill, plan.delay)
      const [code, signal] = await new Promise<[number | null, NodeJS.Signals | null]>((resolve) => child.on('exit', (c, s) => resolve([c, s])))
      watcher.close()
      const hash = await treeHash(out)
      const state = hash === previous ? 'previous' : hash === next ? 'next' : 'broken'
      outcomes.push(`${plan.whileWriting ? `writing+${plan.delay}ms` : `start+${plan.delay}ms`}: ${signal ?? `exit ${code}`}, ${writing ? 'was writing' : 'not writing yet'}, output = ${state}`)
      expect(state, outcomes.join('\n')).not.toBe('broken')
      // Once the new build is in place it is the one to keep.
      if (state === 'next') previous = next
    }
    process.stdout.write(`atomic output, kill outcomes:\n  ${outcomes.join('\n  ')}\n`)
    // Most kills landed while the build was writing, and at least one of those before the swap.
    expect(outcomes.filter((o) => o.includes('SIGKILL, was writing')).length).toBeGreaterThanOrEqual(3)

    // The next build succeeds, is the new book, and leaves no temporary behind.
    expect((await runCli(['build', 'book', '--out', 'dist'], work, env)).code).toBe(0)
    expect(await treeHash(out)).toBe(next)
    const left = await fsp.readdir(store)
    expect(left.filter((name) => name.startsWith('tmp-') || name.startsWith('link-'))).toEqual([])
    expect(left.filter((name) => name.startsWith('build-')).length).toBeLessThanOrEqual(2)
  }, 600_000)

  it('recovers when a build was killed between moving a real output directory away and linking the new one', async () => {
    // A real directory, as an earlier version or a person made it.
    const legacy = path.join(work, 'legacy')
    await fsp.cp(out, legacy, {recursive: true, dereference: true})
    const expected = await treeHash(legacy)
    // The first of the two renames of a migration, as a killed build would leave it.
    await fsp.mkdir(storeOf(legacy), {recursive: true})
    await fsp.rename(legacy, path.join(storeOf(legacy), 'build-1000-999999'))
    expect(fs.existsSync(legacy)).toBe(false)
    // The next build recovers it before anything else, even when the book has errors.
    await fsp.writeFile(path.join(book, '003-chapter-3.md'), 'No frontmatter.\n')
    expect((await runCli(['build', 'book', '--out', 'legacy'], work, env)).code).toBe(1)
    expect(await treeHash(legacy)).toBe(expected)
  }, 120_000)

  it('recovers the output the rename-based writer left renamed away', async () => {
    const old = path.join(work, 'old-style')
    await fsp.cp(out, path.join(work, '.old-style.old-999999-1'), {recursive: true, dereference: true})
    const expected = await treeHash(path.join(work, '.old-style.old-999999-1'))
    await recoverOutput(old)
    expect(await treeHash(old)).toBe(expected)
  })

  it('refuses an output directory holding other files, the book or the working directory', async () => {
    const notes = path.join(work, 'notes')
    await fsp.mkdir(notes)
    await fsp.writeFile(path.join(notes, 'draft.txt'), 'precious')
    const result = await run(process.execPath, [bin, 'build', 'book', '--out', 'notes'], {cwd: work, env}).catch((cause) => cause as {code: number; stderr: string})
    expect(result).toMatchObject({code: 1})
    expect((result as {stderr: string}).stderr).toContain('Unexpected `draft.txt`')
    expect((result as {stderr: string}).stderr).not.toMatch(/^\s+at /m)
    expect(await fsp.readFile(path.join(notes, 'draft.txt'), 'utf8')).toBe('precious')
    for (const target of ['.', 'book', '..']) {
      expect((await runCli(['build', 'book', '--out', target], work, env)).code).toBe(1)
    }
    expect(fs.existsSync(path.join(book, 'book.yaml'))).toBe(true)
  }, 120_000)
})

describe('a book with more output files than a process may open at once', () => {
  it('builds under a limit of 128 file handles (macOS allows 256)', async () => {
    const dir = await fsp.mkdtemp(path.join(os.tmpdir(), 'twofold-handles-'))
    const book = path.join(dir, 'book')
    await fsp.mkdir(book)
    for (const name of ['book.yaml', 'references.json']) await fsp.copyFile(path.join(basic, name), path.join(book, name))
    for (let n = 1; n <= 300; n++) await fsp.writeFile(path.join(book, `${String(n).padStart(3, '0')}-part-${n}.md`), `# Part ${n}\n\nA short part [@alpha].\n`)
    const out = path.join(dir, 'out')
    // `ulimit -n` lowers the limit for the command alone; `exec` gives it the shell's process.
    const command = `ulimit -n 128 && exec ${JSON.stringify(process.execPath)} ${JSON.stringify(bin)} build book --out out`
    const {stdout} = await run('bash', ['-c', command], {cwd: dir, env})
    expect(stdout).toContain('web  out/web/')
    const pages = new Set(await fsp.readdir(path.join(out, 'web')))
    for (let n = 1; n <= 300; n++) expect(pages.has(`part-${n}.html`), `part-${n}.html`).toBe(true)
    await fsp.rm(dir, {recursive: true, force: true})
  }, 120_000)
})
