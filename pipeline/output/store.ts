/**
 * The one cache of Twofold: a content-addressed store of bytes. A value is
 * kept under a key that names everything it was made from (the code's
 * version, the inputs); the file is named by the key's hash and begins with
 * that hash and the SHA-1 of the value, so an entry is used only when it was
 * stored under the same key and its bytes are whole. Anything else is a miss,
 * and the cache never fails a build.
 *
 * Builds keep parsed chapters, formatted notes and the EPUB's compressed
 * entries here (see ../build.ts), and the client bundle and the covers. The
 * dev server keeps one store for its whole life, so its memory sits in front
 * of the disk.
 *
 * Files are written aside and renamed into place, so two builds at once each
 * find a whole entry or none. An entry's modification time says when a
 * build last used it: a build marks again the entries it read that were last
 * marked over a day ago. Once a day a closing store sweeps its directory, and
 * entries not used for `maxAgeDays` go. So a build's cost grows with what it
 * reads, not with how many entries earlier builds left.
 */
import {createHash} from 'node:crypto'
import {closeSync, fstatSync, openSync, readFileSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'

/** Options of a store. */
export interface StoreOptions {
  /** Directory of the entries on disk (made when first written); none: memory only. */
  dir?: string | undefined
  /** Identifies the code: part of every key, so that other code's entries are never used. */
  version: string
}

/** Days an entry may go unused before `close` removes it. */
export const maxAgeDays = 14

const headerSize = 32 + 20
const day = 86_400_000
/** The file whose modification time says when the directory was last swept. */
const sweptMarker = '.swept'
/** Entries written at once at most: each holds a file open, and a process may open few (256 on macOS). */
const maxWrites = 16

/** A content-addressed store of bytes, memory in front of an optional directory. */
export class Store {
  readonly dir: string | undefined
  readonly version: string
  /** Entries read back and kept, since the store was opened. */
  readonly stats = {hits: 0, misses: 0, kept: 0}
  private readonly memory = new Map<string, Uint8Array>()
  private readonly used = new Set<string>()
  /** Entries read whose mark of use is over a day old. */
  private readonly stale = new Set<string>()
  private readonly writes = new Set<Promise<void>>()
  private made: Promise<unknown> | undefined
  private written = 0
  /** Writes under way, and those waiting for one to end (see `maxWrites`). */
  private writing = 0
  private readonly queued: Array<() => void> = []

  constructor(options: StoreOptions) {
    this.dir = options.dir
    this.version = options.version
  }

  /** The value kept under `key`, or undefined. */
  get(key: string): Uint8Array | undefined {
    const id = this.id(key)
    const name = id.toString('hex')
    this.used.add(name)
    let value = this.memory.get(name)
    if (value === undefined && this.dir) {
      let fd: number | undefined
      try {
        fd = openSync(path.join(this.dir, name), 'r')
        value = unseal(readFileSync(fd), id)
        if (value && fstatSync(fd).mtimeMs < Date.now() - day) this.stale.add(name)
      } catch {
        value = undefined
      } finally {
        if (fd !== undefined) closeSync(fd)
      }
      if (value) this.memory.set(name, value)
    }
    if (value) this.stats.hits++
    else this.stats.misses++
    return value
  }

  /** Keep `value` under `key` (written to disk in the background; see `close`). */
  set(key: string, value: Uint8Array | string): void {
    const id = this.id(key)
    const name = id.toString('hex')
    const bytes = typeof value === 'string' ? Buffer.from(value) : value
    this.used.add(name)
    this.memory.set(name, bytes)
    this.stats.kept++
    const dir = this.dir
    if (!dir) return
    this.made ??= fs.mkdir(dir, {recursive: true})
    const target = path.join(dir, name)
    const temporary = `${target}.${process.pid}.${this.written++}.tmp`
    const made = this.made
    const write = this.turn()
      .then(() => made)
      .then(() => fs.writeFile(temporary, seal(bytes, id)))
      .then(() => fs.rename(temporary, target))
      // A value that cannot be kept is only a miss next time.
      .catch(() => fs.rm(temporary, {force: true}).catch(() => {}))
      .finally(() => this.next())
    this.writes.add(write)
    void write.then(() => this.writes.delete(write))
  }

  /** Resolves when a write may start: at once, or when one of the `maxWrites` under way ends. */
  private turn(): Promise<void> {
    if (this.writing < maxWrites) {
      this.writing++
      return Promise.resolve()
    }
    return new Promise((resolve) => this.queued.push(resolve))
  }

  /** A write ended: the next one waiting starts in its place. */
  private next(): void {
    const waiting = this.queued.shift()
    if (waiting) waiting()
    else this.writing--
  }

  /** The value under `key`, made by `make` and kept when missing. */
  async getOrMake(key: string, make: () => Promise<Uint8Array | string>): Promise<Uint8Array> {
    const kept = this.get(key)
    if (kept) return kept
    const made = await make()
    this.set(key, made)
    return typeof made === 'string' ? Buffer.from(made) : made
  }

  /**
   * Wait for the entries being written, mark the ones this build used whose
   * mark is over a day old as used now, and once a day remove those unused
   * for `maxAgeDays` (and what killed builds left aside). Errors are ignored:
   * the cache never fails a build.
   */
  async close(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes)
    if (this.dir) await this.sweep(this.dir)
    // Memory holds what the last build used (the dev server's store lives as long as it does).
    for (const name of this.memory.keys()) if (!this.used.has(name)) this.memory.delete(name)
    this.used.clear()
    this.stale.clear()
  }

  /** Mark the stale entries this build used as used now and, once a day, remove those unused for `maxAgeDays`. */
  private async sweep(dir: string): Promise<void> {
    const now = new Date()
    await Promise.all([...this.stale].map((name) => fs.utimes(path.join(dir, name), now, now).catch(() => {})))
    const marker = path.join(dir, sweptMarker)
    const swept = await fs.stat(marker).catch(() => undefined)
    if (swept && swept.mtimeMs > now.getTime() - day) return
    await fs.writeFile(marker, '').catch(() => {})
    const oldest = now.getTime() - maxAgeDays * day
    const names = await fs.readdir(dir).catch(() => [] as string[])
    await Promise.all(
      names.map(async (name) => {
        if (this.used.has(name) || name === sweptMarker) return
        const file = path.join(dir, name)
        const stat = await fs.stat(file).catch(() => undefined)
        if (stat && stat.mtimeMs < oldest) await fs.rm(file, {force: true}).catch(() => {})
      })
    )
  }

  /** The hash that names `key`, with the code's version in it. */
  private id(key: string): Buffer {
    return createHash('sha256').update(this.version).update('\u0000').update(key).digest()
  }
}

/** `bytes` as a file: the key's hash, the SHA-1 of the bytes, the bytes. */
function seal(bytes: Uint8Array, id: Buffer): Buffer {
  return Buffer.concat([id, createHash('sha1').update(bytes).digest(), bytes])
}

/** The bytes of a file, when it was stored under `id` and they are whole. */
function unseal(file: Buffer, id: Buffer): Uint8Array | undefined {
  if (file.length < headerSize || !file.subarray(0, 32).equals(id)) return undefined
  const bytes = file.subarray(headerSize)
  if (!createHash('sha1').update(bytes).digest().equals(file.subarray(32, headerSize))) return undefined
  return bytes
}

/** A hash of strings, for building keys. */
export function hashOf(...parts: Array<string | Uint8Array>): string {
  const digest = createHash('sha256')
  for (const part of parts) digest.update(part).update('\u0000')
  return digest.digest('hex')
}
