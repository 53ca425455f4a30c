/**
 * The output directory. `<out>` is an ordinary directory: a build's entries
 * sit in it beside whatever else the user keeps there (a CNAME, notes), which
 * Twofold never moves or deletes. Its own bookkeeping is in `.twofold/`:
 *
 * ```
 * dist/web/                              the web story
 * dist/<ebook>.epub                      the EPUB
 * dist/.twofold/manifest.json            the entries Twofold wrote: the only ones it replaces
 * dist/.twofold/staging-<pid>-<time>/    a build being written
 * dist/.twofold/ready/                   a complete build, being moved in
 * dist/.twofold/old/                     entries moved out, removed once the new ones are in
 * dist/.twofold/lock                     the pid of the process moving entries
 * ```
 *
 * A build writes every file and its manifest into `staging-…`, then, holding
 * the lock, renames it `ready`: the rename marks it complete. Each entry of
 * `ready` is then renamed into `<out>` (an old directory is first renamed
 * into `old`, as rename(2) cannot replace a directory that has files; a file
 * replaces the old one in one step), the entries the last build wrote and
 * this one does not are moved out, and the manifest is renamed into place.
 *
 * A build that fails or is killed before `ready` leaves `<out>` as it was.
 * One killed after it may leave `<out>` without an entry, or with old and new
 * entries side by side, for the instant between two renames; the next build
 * or dev server (`recoverOutput`) finishes the moves from `ready`. Everything
 * stays on one file system, so every rename is atomic. Nothing here promises
 * anything across a power cut (files are not fsynced).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {setTimeout as sleep} from 'node:timers/promises'
import type {OutputFile} from '../types.js'
import {eachAtMost} from './each.js'

/** A problem with the output directory itself (not with the book): printed without a stack. */
export class OutputError extends Error {
  override name = 'OutputError'
}

/** The manifest's name inside `staging-…` and `ready`, beside the entries (which never start with `.twofold`). */
const readyManifest = '.twofold-manifest.json'

/**
 * Check, before a build, that it may write into `outDir`: it must not hold
 * any of `protect` (the book, the working directory), must be a directory if
 * it exists, and a `web` in it must be one Twofold wrote. Recovers what a
 * killed build left first (`recoverOutput`). Throws an `OutputError` saying
 * what to do.
 */
export async function checkOutput(outDir: string, protect: string[] = []): Promise<void> {
  outDir = path.resolve(outDir)
  if (path.dirname(outDir) === outDir) {
    throw new OutputError(`Unexpected output directory \`${outDir}\`, expected a directory below it`)
  }
  const real = await fs.realpath(outDir).catch(() => outDir)
  for (const dir of protect) {
    const held = [outDir, real].some((out) => {
      const relative = path.relative(out, path.resolve(dir))
      return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
    })
    if (held) {
      throw new OutputError(
        `Unexpected output directory \`${outDir}\`, which holds \`${dir}\`, expected a directory of its own`
      )
    }
  }
  await recoverOutput(outDir)
  await refuseStrangers(outDir, ['web'])
}

/**
 * Write `files` (paths such as `web/index.html` and `<ebook>.epub`) as the
 * new build in `outDir`, replacing the entries the last build wrote (see the
 * module comment). A path given twice holds the last.
 */
export async function writeAtomically(outDir: string, files: OutputFile[]): Promise<void> {
  outDir = path.resolve(outDir)
  const byPath = new Map(files.map((file) => [path.normalize(file.path), file.contents]))
  const entries = [...new Set([...byPath.keys()].map((file) => file.split(path.sep)[0]!))]
  for (const entry of entries) {
    if (!plainName(entry))
      throw new Error(`Unexpected output path \`${entry}\`, expected a path inside the output directory`)
  }
  await recoverOutput(outDir)
  await refuseStrangers(outDir, entries)
  const state = path.join(outDir, '.twofold')
  const staging = path.join(state, `staging-${process.pid}-${Date.now()}`)
  await fs.mkdir(staging, {recursive: true})
  try {
    await writeAll(staging, byPath)
    const written = [...byPath.keys()].map((file) => file.split(path.sep).join('/')).sort()
    await fs.writeFile(path.join(staging, readyManifest), `${JSON.stringify({entries, files: written})}\n`)
    await withLock(outDir, async () => {
      // A build killed after its `ready` is finished first; then nothing that is not ours may be in the way.
      await rollForward(outDir)
      await refuseStrangers(outDir, entries)
      await fs.rename(staging, path.join(state, 'ready'))
      await rollForward(outDir)
    })
  } finally {
    await fs.rm(staging, {recursive: true, force: true})
  }
}

/**
 * Put `outDir` right after a killed build: finish moving in a complete
 * build left in `ready`, remove what dead processes were writing, and turn
 * the layout of earlier versions (`<out>` a symbolic link into
 * `.<out>.twofold/`) into an ordinary directory. Run by every build (in
 * `checkOutput`) before anything else.
 */
export async function recoverOutput(outDir: string): Promise<void> {
  outDir = path.resolve(outDir)
  await migrate(outDir)
  const state = path.join(outDir, '.twofold')
  if ((await lstatOrUndefined(state)) === undefined) return
  await withLock(outDir, async () => {
    await rollForward(outDir)
    for (const name of await fs.readdir(state)) {
      const pid = /^(?:staging|lock)-(\d+)-/.exec(name)?.[1]
      if (pid !== undefined && !alive(Number(pid))) await fs.rm(path.join(state, name), {recursive: true, force: true})
    }
  })
}

/** Throw an `OutputError` when `outDir` is not a directory, or one of `entries` is in it but not in its manifest. */
async function refuseStrangers(outDir: string, entries: string[]): Promise<void> {
  const stat = await fs.stat(outDir).catch(() => undefined)
  if (stat === undefined) return
  if (!stat.isDirectory()) {
    throw new OutputError(
      `Unexpected file at \`${outDir}\`, expected the output directory (move it away or choose another --out)`
    )
  }
  const manifest = path.join(outDir, '.twofold/manifest.json')
  const ours = await readManifest(manifest)
  const files = await readManifestFiles(manifest)
  for (const entry of entries) {
    const stat = await lstatOrUndefined(path.join(outDir, entry))
    if (!stat) continue
    if (!ours.includes(entry)) throw stranger(outDir, entry)
    if (stat.isDirectory() && files) await refuseStrangersIn(outDir, entry, files)
  }
}

/**
 * Throw an `OutputError` naming the first file or folder under the entry `entry` (a directory Twofold wrote, such as
 * `web`) that the manifest's `files` does not list: something the user put there, which replacing the entry would
 * delete. Walked with a stack of its own.
 */
async function refuseStrangersIn(outDir: string, entry: string, files: Set<string>): Promise<void> {
  const folders = new Set<string>()
  for (const file of files)
    for (let dir = path.posix.dirname(file); dir !== '.'; dir = path.posix.dirname(dir)) folders.add(dir)
  const stack = [entry]
  while (stack.length > 0) {
    const dir = stack.pop()!
    for (const dirent of await fs.readdir(path.join(outDir, dir), {withFileTypes: true})) {
      const relative = `${dir}/${dirent.name}`
      if (dirent.isDirectory() && folders.has(relative)) stack.push(relative)
      else if (dirent.isDirectory() || !files.has(relative)) throw stranger(outDir, relative)
    }
  }
}

/** The files (paths such as `web/index.html`) a manifest lists; undefined for a manifest of an earlier version, which listed only entries. */
async function readManifestFiles(file: string): Promise<Set<string> | undefined> {
  const text = await fs.readFile(file, 'utf8').catch(() => undefined)
  if (text === undefined) return undefined
  const files = (JSON.parse(text) as {files?: unknown}).files
  return Array.isArray(files) ? new Set(files.filter((name): name is string => typeof name === 'string')) : undefined
}

function stranger(outDir: string, entry: string): OutputError {
  return new OutputError(
    `Unexpected \`${path.join(outDir, entry)}\` that Twofold did not write (its manifest does not list it), ` +
      'expected nothing there: move it away or choose another --out'
  )
}

/**
 * Move the entries of a complete build left in `<out>/.twofold/ready` into
 * `outDir` (see the module comment). The lock must be held.
 */
async function rollForward(outDir: string): Promise<void> {
  const state = path.join(outDir, '.twofold')
  const ready = path.join(state, 'ready')
  const old = path.join(state, 'old')
  // What was moved out is never read again once the lock is ours.
  await fs.rm(old, {recursive: true, force: true})
  if ((await lstatOrUndefined(ready)) === undefined) return
  const next = await readManifest(path.join(ready, readyManifest))
  // A `ready` without its manifest is empty: its build was killed after moving everything in.
  if (next.length > 0) {
    const current = await readManifest(path.join(state, 'manifest.json'))
    await fs.mkdir(old)
    for (const entry of next) {
      const from = path.join(ready, entry)
      const to = path.join(outDir, entry)
      const incoming = await lstatOrUndefined(from)
      // Gone from `ready`: moved in before the kill.
      if (incoming === undefined) continue
      const existing = await lstatOrUndefined(to)
      if (existing && !current.includes(entry)) throw stranger(outDir, entry)
      if (existing && (existing.isDirectory() || incoming.isDirectory())) await fs.rename(to, path.join(old, entry))
      await fs.rename(from, to)
    }
    for (const entry of current) {
      if (next.includes(entry) || (await lstatOrUndefined(path.join(outDir, entry))) === undefined) continue
      await fs.rename(path.join(outDir, entry), path.join(old, entry))
    }
    await fs.rename(path.join(ready, readyManifest), path.join(state, 'manifest.json'))
  }
  await fs.rm(ready, {recursive: true, force: true})
  await fs.rm(old, {recursive: true, force: true})
}

/** The entries a manifest lists (none when it is absent). */
async function readManifest(file: string): Promise<string[]> {
  let text: string
  try {
    text = await fs.readFile(file, 'utf8')
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw cause
  }
  let entries: unknown
  try {
    entries = (JSON.parse(text) as {entries?: unknown}).entries
  } catch {
    // Checked below.
  }
  if (!Array.isArray(entries) || !entries.every((entry) => typeof entry === 'string' && plainName(entry))) {
    throw new OutputError(
      `Unexpected content in \`${file}\`, expected the list of entries Twofold wrote (remove the file, and the entries it names, to start afresh)`
    )
  }
  return entries as string[]
}

/** Whether `name` is one path segment of the output's own (not `.twofold` or above). */
function plainName(name: string): boolean {
  if (name === '' || name === '.' || name === '..') return false
  return !name.includes('/') && !name.includes(path.sep) && !name.startsWith('.twofold')
}

/**
 * Run `work` while holding `<out>/.twofold/lock`, made by hard-linking a
 * file holding this pid (a link is made whole or not at all). A lock whose
 * process is gone is stale; one held by a live process is waited for, up to
 * a minute (its moves take moments).
 */
async function withLock(outDir: string, work: () => Promise<void>): Promise<void> {
  const state = path.join(outDir, '.twofold')
  const lock = path.join(state, 'lock')
  const mine = path.join(state, `lock-${process.pid}-${Date.now()}`)
  await fs.mkdir(state, {recursive: true})
  await fs.writeFile(mine, String(process.pid))
  try {
    const started = Date.now()
    for (;;) {
      try {
        await fs.link(mine, lock)
        break
      } catch (cause) {
        if ((cause as NodeJS.ErrnoException).code !== 'EEXIST') throw cause
      }
      const holder = Number(await fs.readFile(lock, 'utf8').catch(() => Number.NaN))
      if (!Number.isNaN(holder) && !alive(holder)) {
        // Taken aside before it is removed, so that a lock another process has just made is put back, not removed.
        const taken = `${mine}-stale`
        await fs.rename(lock, taken).catch(() => {})
        const pid = Number(await fs.readFile(taken, 'utf8').catch(() => Number.NaN))
        if (pid !== holder && !Number.isNaN(pid) && alive(pid)) await fs.link(taken, lock).catch(() => {})
        await fs.rm(taken, {force: true})
        continue
      }
      if (Date.now() - started > 60_000) {
        throw new OutputError(
          `Unexpected lock \`${lock}\` held by process ${holder} for over a minute, expected another build to finish ` +
            '(stop it, or remove the lock if no build is running)'
        )
      }
      // A lock that could not be read was most likely just released.
      await sleep(Number.isNaN(holder) ? 5 : 50)
    }
    try {
      await work()
    } finally {
      await fs.rm(lock, {force: true})
    }
  } finally {
    await fs.rm(mine, {force: true})
  }
}

/**
 * Write `files` under `dir`, at most 16 at once: a process may have as few as 256 file handles (macOS). Every write
 * under way is done before a failure is thrown, so the staging directory can then be removed.
 */
async function writeAll(dir: string, files: Map<string, OutputFile['contents']>): Promise<void> {
  await eachAtMost([...files], 16, async ([name, contents]) => {
    const target = path.join(dir, name)
    await fs.mkdir(path.dirname(target), {recursive: true})
    await fs.writeFile(target, contents).catch((cause: NodeJS.ErrnoException) => {
      // A failed write (a full disk) does not say which file: the message should.
      cause.path ??= target
      throw cause
    })
  })
}

/**
 * Turn what earlier versions left, `<out>` a symbolic link to
 * `.<out>.twofold/build-…`, into an ordinary directory: the linked build (or,
 * when a kill left no link, the newest) becomes `<out>`, and the store goes.
 */
async function migrate(outDir: string): Promise<void> {
  const store = path.join(path.dirname(outDir), `.${path.basename(outDir)}.twofold`)
  const names = await fs.readdir(store).catch(() => [])
  if (names.length === 0) return
  const current = path.join(store, 'current')
  const stat = await lstatOrUndefined(outDir)
  if (stat?.isSymbolicLink()) {
    const target = path.resolve(path.dirname(outDir), await fs.readlink(outDir))
    // A link elsewhere is the user's: `checkOutput` refuses it if it is not a directory.
    if (path.dirname(target) !== store) return
    if (path.basename(target).startsWith('build-') && (await lstatOrUndefined(target))) await fs.rename(target, current)
    await fs.unlink(outDir)
  } else if (stat) {
    // A store beside a directory of ours is what a migration killed at its end left.
    const ours = await lstatOrUndefined(path.join(outDir, '.twofold/manifest.json'))
    if (ours && (await lstatOrUndefined(current)) === undefined) await fs.rm(store, {recursive: true, force: true})
    return
  }
  const builds = names.filter((name) => /^build-\d+-\d+$/.test(name))
  const newest = builds.sort((a, b) => Number(a.split('-')[1]) - Number(b.split('-')[1])).at(-1)
  const source = (await lstatOrUndefined(current)) ? current : newest && path.join(store, newest)
  if (source) {
    // Everything in a build of the store was written by Twofold.
    const entries = (await fs.readdir(source)).filter((name) => plainName(name))
    await fs.mkdir(path.join(source, '.twofold'), {recursive: true})
    await fs.writeFile(path.join(source, '.twofold/manifest.json'), `${JSON.stringify({entries})}\n`)
    await fs.rename(source, outDir)
  }
  await fs.rm(store, {recursive: true, force: true})
}

function alive(pid: number): boolean {
  if (pid === process.pid) return true
  try {
    process.kill(pid, 0)
    return true
  } catch (cause) {
    return (cause as NodeJS.ErrnoException).code === 'EPERM'
  }
}

async function lstatOrUndefined(file: string) {
  return fs.lstat(file).catch((cause: NodeJS.ErrnoException) => {
    if (cause.code === 'ENOENT') return undefined
    throw cause
  })
}
