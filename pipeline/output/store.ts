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
 * find a whole entry or none. A store prunes itself when it closes: entries
 * not used for `maxAgeDays` go.
 */
import {createHash} from 'node:crypto'
import {readFileSync} from 'node:fs'
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

/** A content-addressed store of bytes, memory in front of an optional directory. */
export class Store {
  readonly dir: string | undefined
  readonly version: string
  /** Entries read back and kept, since the store was opened. */
  readonly stats = {hits: 0, misses: 0, kept: 0}
  private readonly memory = new Map<string, Uint8Array>()
  private readonly used = new Set<string>()
  private readonly writes = new Set<Promise<void>>()
  private made: Promise<unknown> | undefined
  private written = 0

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
      try {
        value = unseal(readFileSync(path.join(this.dir, name)), id)
      } catch {
        value = undefined
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
    const write = this.made
      .then(() => fs.writeFile(temporary, seal(bytes, id)))
      .then(() => fs.rename(temporary, target))
      // A value that cannot be kept is only a miss next time.
      .catch(() => fs.rm(temporary, {force: true}).catch(() => {}))
    this.writes.add(write)
    void write.then(() => this.writes.delete(write))
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
   * Wait for the entries being written, mark the ones this build used as
   * used now, and remove those unused for `maxAgeDays` (and what killed
   * builds left aside). Errors are ignored: the cache never fails a build.
   */
  async close(): Promise<void> {
    while (this.writes.size > 0) await Promise.all(this.writes)
    if (this.dir) await this.prune(this.dir)
    // Memory holds what the last build used (the dev server's store lives as long as it does).
    for (const name of this.memory.keys()) if (!this.used.has(name)) this.memory.delete(name)
    this.used.clear()
  }

  /** Mark the entries in `dir` this build used as used now, and remove those unused for `maxAgeDays`. */
  private async prune(dir: string): Promise<void> {
    const now = new Date()
    const oldest = now.getTime() - maxAgeDays * 86_400_000
    const names = await fs.readdir(dir).catch(() => [] as string[])
    await Promise.all(
      names.map(async (name) => {
        const file = path.join(dir, name)
        if (this.used.has(name)) return fs.utimes(file, now, now).catch(() => {})
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
