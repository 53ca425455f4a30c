/**
 * Atomic output. The output directory `<out>` is a symbolic link to a
 * complete build kept in a store beside it:
 *
 * ```
 * dist -> .dist.twofold/build-1732370000000-4242
 * .dist.twofold/.gitignore                      `*`: git never shows the store
 * .dist.twofold/build-<time>-<pid>/             complete builds: web/, <ebook>.epub
 * .dist.twofold/tmp-<pid>-<time>/               a build being written
 * ```
 *
 * A build writes every file into `tmp-…`, renames it `build-…` (the rename
 * marks it complete), then points `<out>` at it by renaming a new symbolic
 * link over the old one. rename(2) replaces the link atomically, so at every
 * instant `<out>` resolves to the previous complete build or to the new one,
 * whenever the process is killed. Leftovers of killed builds are removed by
 * the next build.
 *
 * The one step that is not atomic is the first build into an `<out>` that is
 * still a real directory (made by an earlier version, or by hand): it is moved
 * into the store, then the link is made. If the process dies between those two
 * renames, `recoverOutput` (run by every build and by the dev server) links
 * the newest complete build again.
 *
 * Nothing here promises anything across a power cut (files are not fsynced).
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {OutputFile} from '../types.js'

/** A problem with the output directory itself (not with the book): printed without a stack. */
export class OutputError extends Error {
  override name = 'OutputError'
}

/** Paths of the store that holds the builds of `outDir`. */
export function storeOf(outDir: string): string {
  return path.join(path.dirname(outDir), `.${path.basename(outDir)}.twofold`)
}

/** Options of `writeAtomically`. */
export interface WriteOptions {
  /**
   * Remember what was written, so that the next write into `outDir` by this
   * process hard-links each file that is the same into the new build instead
   * of writing it again (a rebuild after an edit changes a few pages of a
   * hundred). The files of a build are never changed once it is complete.
   */
  reuse?: boolean | undefined
  /**
   * Remove the builds before the previous one, and what killed builds left
   * (default `true`). A preview skips it: the write that follows does it.
   */
  cleanUp?: boolean | undefined
}

/** What this process last wrote into an output directory (with `reuse`): the complete build and its files. */
const written = new Map<string, {build: string; files: Map<string, OutputFile['contents']>}>()

/** Write `files` as the whole content of `outDir`, replacing the previous build in one atomic step. */
export async function writeAtomically(outDir: string, files: OutputFile[], options: WriteOptions = {}): Promise<void> {
  const staged = await stageOutput(outDir, options)
  try {
    // A path given twice holds the last (see `StagedOutput.write`).
    for (const file of files) await staged.write(file)
    await staged.commit()
  } catch (cause) {
    await staged.abort()
    throw cause
  }
}

/** A build being written into the store (see `stageOutput`). */
export interface StagedOutput {
  /**
   * Write one file of the build (a path written again holds the last). Resolves once the write is
   * under way: at most 16 are at once, as a thousand files open at once
   * exceed the file handles a process may have (256 on macOS).
   */
  write(file: OutputFile): Promise<void>
  /** Replace `length` bytes at `at` in a file written before by `contents`. */
  patch(filePath: string, at: number, length: number, contents: Uint8Array): Promise<void>
  /** Wait for every write, then make the build `outDir`'s in one atomic step (see the module comment). */
  commit(): Promise<void>
  /** Remove what was written: `outDir` stays as it was. */
  abort(): Promise<void>
}

/**
 * Start writing a new build of `outDir` a file at a time (a long book's
 * pages are written as soon as they are made). Nothing is visible at
 * `outDir` until `commit`.
 */
export async function stageOutput(outDir: string, options: WriteOptions = {}): Promise<StagedOutput> {
  outDir = path.resolve(outDir)
  if (path.dirname(outDir) === outDir) throw new OutputError(`Unexpected output directory \`${outDir}\`, expected a directory below it`)
  const parent = path.dirname(outDir)
  const store = storeOf(outDir)
  const time = Date.now()
  const temporary = path.join(store, `tmp-${process.pid}-${time}`)
  const complete = path.join(store, `build-${time}-${process.pid}`)
  const link = path.join(store, `link-${process.pid}-${time}`)
  // The store, made with the temporary in one step: an `abort` of another process may remove a store it found empty.
  await fs.mkdir(temporary, {recursive: true})
  await fs.writeFile(path.join(store, '.gitignore'), '*\n')
  await recoverOutput(outDir)
  const last = written.get(outDir)
  written.delete(outDir)
  // Files of the last build are hard-linked only when asked (a build without `reuse` patches files in place).
  const before = options.reuse && last && last.build === (await currentBuild(outDir)) ? last.files : undefined
  const kept = new Map<string, OutputFile['contents']>()
  const dirs = new Map<string, Promise<unknown>>()
  const writes = new Set<Promise<void>>()
  const byPath = new Map<string, Promise<void>>()
  const failures: unknown[] = []

  const writeFile = async (f: OutputFile) => {
    const target = path.join(temporary, f.path)
    const dir = path.dirname(target)
    let made = dirs.get(dir)
    if (!made) dirs.set(dir, (made = fs.mkdir(dir, {recursive: true})))
    await made
    const old = before?.get(f.path)
    if (old !== undefined && sameContents(old, f.contents)) {
      try {
        await fs.link(path.join(last!.build, f.path), target)
        return
      } catch {
        // A file system without hard links, or a file gone from the last build: write it (as a new file).
        await fs.rm(target, {force: true})
      }
    }
    await fs.writeFile(target, f.contents)
  }
  const track = (filePath: string, work: Promise<void>) => {
    const done = work.catch((cause: unknown) => {
      failures.push(cause)
    })
    writes.add(done)
    byPath.set(filePath, done)
    void done.then(() => writes.delete(done))
    return done
  }
  const room = async () => {
    while (writes.size >= 16) await Promise.race(writes)
    if (failures.length > 0) throw failures[0]
  }

  return {
    async write(file) {
      // A path written twice holds the last (as `writeAtomically` keeps the last of its files): never written through a hard link.
      const earlier = byPath.get(file.path)
      await room()
      if (options.reuse) kept.set(file.path, file.contents)
      track(
        file.path,
        earlier
          ? earlier.then(async () => {
              await fs.rm(path.join(temporary, file.path), {force: true})
              await writeFile(file)
            })
          : writeFile(file)
      )
    },
    async patch(filePath, at, length, contents) {
      await byPath.get(filePath)
      await room()
      // Not the contents given to `write` any more: never hard-linked into the next build.
      kept.delete(filePath)
      track(
        filePath,
        (async () => {
          const target = path.join(temporary, filePath)
          const data = await fs.readFile(target)
          // A new file renamed over the old: never written through a hard link into another build.
          const next = `${target}.patch`
          await fs.writeFile(next, Buffer.concat([data.subarray(0, at), contents, data.subarray(at + length)]))
          await fs.rename(next, target)
        })()
      )
    },
    async commit() {
      while (writes.size > 0) await Promise.all(writes)
      if (failures.length > 0) throw failures[0]
      const legacy = await inspect(outDir)
      await fs.rename(temporary, complete)
      // The link's target is relative to the directory `<out>` is in.
      await fs.symlink(path.relative(parent, complete), link, 'dir')
      if (legacy) await fs.rename(outDir, path.join(store, `build-${time - 1}-${process.pid}`))
      await fs.rename(link, outDir)
      if (options.reuse) written.set(outDir, {build: complete, files: kept})
      if (options.cleanUp !== false) await removeStale(outDir)
    },
    async abort() {
      while (writes.size > 0) await Promise.all(writes)
      await fs.rm(temporary, {recursive: true, force: true})
      await fs.rm(link, {force: true})
      // A store this build made for nothing (its first build failed) goes too, unless another build is in it by now.
      if ((await readdirOrEmpty(store)).every((name) => name === '.gitignore')) {
        await fs.rm(path.join(store, '.gitignore'), {force: true})
        await fs.rmdir(store).catch(() => fs.writeFile(path.join(store, '.gitignore'), '*\n').catch(() => {}))
      }
    }
  }
}

/**
 * Make `outDir` point at a complete build again when a killed build left it
 * missing (see the module comment). Does nothing when it exists.
 */
export async function recoverOutput(outDir: string): Promise<void> {
  outDir = path.resolve(outDir)
  try {
    await fs.lstat(outDir)
    const target = await currentBuild(outDir)
    // A link whose build is gone (the store was deleted by hand) is as good as missing.
    if (target === undefined || (await exists(target))) return
    await fs.rm(outDir, {force: true})
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause
  }
  const builds = await completeBuilds(outDir)
  const newest = builds.at(-1)
  if (newest) {
    const link = path.join(storeOf(outDir), `link-${process.pid}-${Date.now()}`)
    await fs.symlink(path.relative(path.dirname(outDir), newest), link, 'dir')
    await fs.rename(link, outDir)
    return
  }
  // An output written by the version that swapped directories by renaming them.
  const parent = path.dirname(outDir)
  const base = path.basename(outDir)
  const old = (await readdirOrEmpty(parent)).filter((name) => name.startsWith(`.${base}.old-`)).sort()
  if (old.length > 0) await fs.rename(path.join(parent, old[old.length - 1]), outDir)
}

/**
 * Check, before a build, that `outDir` can be replaced: it must not hold any
 * of `protect` (the book, the working directory), and must be absent, our
 * link, or a directory of an earlier output. Throws an `OutputError` saying
 * why not.
 */
export async function checkOutput(outDir: string, protect: string[] = []): Promise<void> {
  outDir = path.resolve(outDir)
  if (path.dirname(outDir) === outDir) throw new OutputError(`Unexpected output directory \`${outDir}\`, expected a directory below it`)
  for (const dir of protect) {
    const relative = path.relative(outDir, path.resolve(dir))
    if (relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))) {
      throw new OutputError(`Unexpected output directory \`${outDir}\`, which holds \`${dir}\`, expected a directory of its own (a build replaces it whole)`)
    }
  }
  await recoverOutput(outDir)
  await inspect(outDir)
}

/** Whether `outDir` is a real directory of an earlier Twofold output (true), absent or our link (false); throws when it is anything else. */
async function inspect(outDir: string): Promise<boolean> {
  let stat
  try {
    stat = await fs.lstat(outDir)
  } catch (cause) {
    if ((cause as NodeJS.ErrnoException).code === 'ENOENT') return false
    throw cause
  }
  if (stat.isSymbolicLink()) {
    const target = await currentBuild(outDir)
    if (target === undefined) {
      throw new OutputError(`Unexpected symbolic link \`${outDir}\` -> \`${await fs.readlink(outDir)}\` that Twofold did not make, expected the output directory (remove the link or choose another --out)`)
    }
    return false
  }
  if (!stat.isDirectory()) throw new OutputError(`Unexpected file at \`${outDir}\`, expected the output directory (remove it or choose another --out)`)
  const strangers = (await fs.readdir(outDir)).filter((name) => name !== 'web' && !name.endsWith('.epub'))
  if (strangers.length > 0) {
    const list = strangers.slice(0, 3).map((n) => `\`${n}\``).join(', ')
    throw new OutputError(
      `Unexpected ${list}${strangers.length > 3 ? ' and more' : ''} in \`${outDir}\`, expected an output directory holding only \`web/\` and the EPUB (a build replaces the whole directory: choose another --out, or empty it)`
    )
  }
  return true
}

/** The build `outDir` links to (absolute), or undefined when it is not a link into its store. */
async function currentBuild(outDir: string): Promise<string | undefined> {
  let target: string
  try {
    target = await fs.readlink(outDir)
  } catch {
    return undefined
  }
  const absolute = path.resolve(path.dirname(outDir), target)
  return path.dirname(absolute) === storeOf(outDir) && path.basename(absolute).startsWith('build-') ? absolute : undefined
}

/** Complete builds in the store, oldest first. */
async function completeBuilds(outDir: string): Promise<string[]> {
  const store = storeOf(outDir)
  return (await readdirOrEmpty(store))
    .map((name) => ({name, match: /^build-(\d+)-(\d+)$/.exec(name)}))
    .filter((entry) => entry.match !== null)
    .sort((a, b) => Number(a.match![1]) - Number(b.match![1]) || a.name.localeCompare(b.name))
    .map((entry) => path.join(store, entry.name))
}

/**
 * Remove what killed or finished builds left behind: temporaries and links of
 * processes that are gone, and complete builds other than the current one and
 * the one just before it (a reader may still be reading that one). Another
 * live process's work in progress is left alone.
 */
async function removeStale(outDir: string): Promise<void> {
  const store = storeOf(outDir)
  const current = await currentBuild(outDir)
  const builds = await completeBuilds(outDir)
  const keep = new Set<string>()
  if (current) {
    keep.add(current)
    const index = builds.indexOf(current)
    if (index > 0) keep.add(builds[index - 1])
  }
  const doomed: string[] = []
  for (const name of await readdirOrEmpty(store)) {
    const full = path.join(store, name)
    const pid = Number(/^(?:tmp|link)-(\d+)-/.exec(name)?.[1] ?? /^build-\d+-(\d+)$/.exec(name)?.[1] ?? Number.NaN)
    if (Number.isNaN(pid)) continue
    if (name.startsWith('build-')) {
      // Another live process may be about to link its build: it removes its own when it is done.
      if (keep.has(full) || (pid !== process.pid && alive(pid))) continue
      doomed.push(full)
    } else if (pid !== process.pid && !alive(pid)) {
      doomed.push(full)
    }
  }
  // Leftovers of the version that swapped directories by renaming them.
  const parent = path.dirname(outDir)
  const base = path.basename(outDir)
  for (const name of await readdirOrEmpty(parent)) {
    const pid = Number(new RegExp(`^\\.${escape(base)}\\.(?:tmp|old)-(\\d+)-`).exec(name)?.[1] ?? Number.NaN)
    if (!Number.isNaN(pid) && !alive(pid)) doomed.push(path.join(parent, name))
  }
  await Promise.all(doomed.map((full) => fs.rm(full, {recursive: true, force: true})))
}

function sameContents(a: OutputFile['contents'], b: OutputFile['contents']): boolean {
  if (a === b) return true
  if (typeof a === 'string' || typeof b === 'string') return typeof a === typeof b && a === b
  return a.byteLength === b.byteLength && Buffer.from(a.buffer, a.byteOffset, a.byteLength).equals(Buffer.from(b.buffer, b.byteOffset, b.byteLength))
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

async function exists(file: string): Promise<boolean> {
  try {
    await fs.access(file)
    return true
  } catch {
    return false
  }
}

async function readdirOrEmpty(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir)
  } catch {
    return []
  }
}

function escape(value: string): string {
  return value.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
}
