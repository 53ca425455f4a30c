/**
 * Write the EPUB's ZIP container from the entries epub-gen-memory assembled
 * (in JSZip), with Node's zlib instead of JSZip's JavaScript deflate:
 * entries are compressed on libuv's thread pool, a few at a time (each
 * compression holds some 300 KB of zlib state from its start: a 1,000-chapter
 * book's 2,000 entries started at once took 600 MB), and an entry kept in a
 * `ZipStore` by an earlier build (the build's cache) is not compressed
 * again. The layout is JSZip's for the
 * DOS platform: `mimetype` first and stored, no extra fields, no data
 * descriptors, every entry dated `date` from its UTC fields, so the same
 * entries and date always give the same bytes.
 */
import {createHash} from 'node:crypto'
import {promisify} from 'node:util'
import zlib from 'node:zlib'
import {eachAtMost} from '../../output/each.js'

/** One entry of the archive, in order. */
export interface ZipSource {
  name: string
  /** A folder: no data. */
  dir: boolean
  /** Stored without compression (the `mimetype` entry). */
  stored: boolean
  /** The bytes, or how to make them (called when the entry is compressed, a few at a time). */
  data: Uint8Array | (() => Promise<Uint8Array>)
}

interface Packed {
  method: 0 | 8
  crc: number
  size: number
  bytes: Uint8Array
}

const deflateRaw = promisify(zlib.deflateRaw)
/** Compressions under way at once: as many as libuv's thread pool runs (4 unless `UV_THREADPOOL_SIZE` says otherwise). */
const inFlight = Math.max(1, Number(process.env.UV_THREADPOOL_SIZE) || 4)
const empty: Packed = {method: 0, crc: 0, size: 0, bytes: new Uint8Array(0)}

/**
 * Compressed entries kept between builds (see ../../output/store.ts), by a
 * key of an entry's method, name and contents: an entry found there is not
 * compressed again.
 */
export interface ZipStore {
  get(key: string): Uint8Array | undefined
  set(key: string, compressed: Uint8Array): void
}

/** The ZIP archive of `entries`, every entry dated `date`; compressed entries are looked for, and kept, in `store`. */
export async function packZip(entries: ZipSource[], date: Date, store?: ZipStore): Promise<Uint8Array> {
  const packed = new Array<Packed>(entries.length)
  await eachAtMost(entries, inFlight, async (entry, index) => {
    if (entry.dir) {
      packed[index] = empty
      return
    }
    const data = typeof entry.data === 'function' ? await entry.data() : entry.data
    const key = `${entry.stored ? 0 : 8}\u0000${entry.name}\u0000${createHash('sha1').update(data).digest('hex')}`
    let bytes = entry.stored ? data : store?.get(key)
    if (!bytes) {
      bytes = new Uint8Array(await deflateRaw(data, {level: 9}))
      store?.set(key, bytes)
    }
    packed[index] = {
      method: entry.stored ? 0 : 8,
      crc: zlib.crc32(data),
      size: data.byteLength,
      bytes
    }
  })

  // ZIP dates start in 1980.
  if (date.getUTCFullYear() < 1980) date = new Date(Date.UTC(1980, 0, 1))
  const time = (date.getUTCHours() << 11) | (date.getUTCMinutes() << 5) | Math.floor(date.getUTCSeconds() / 2)
  const day = ((date.getUTCFullYear() - 1980) << 9) | ((date.getUTCMonth() + 1) << 5) | date.getUTCDate()
  const names = entries.map((entry) => Buffer.from(entry.name, 'utf8'))
  const size = packed.reduce(
    (sum, entry, index) => sum + 30 + names[index]!.length + entry.bytes.byteLength + 46 + names[index]!.length,
    22
  )
  const out = Buffer.alloc(size)
  const offsets: number[] = []
  let at = 0
  // Version needed, flags (UTF-8 names), method, time, date, CRC-32, sizes, name and extra lengths: the same in both headers.
  const common = (index: number) => {
    const entry = packed[index]!
    const name = names[index]!
    at = out.writeUInt16LE(10, at)
    at = out.writeUInt16LE(name.length !== entries[index]!.name.length ? 0x0800 : 0, at)
    at = out.writeUInt16LE(entry.method, at)
    at = out.writeUInt16LE(time, at)
    at = out.writeUInt16LE(day, at)
    at = out.writeUInt32LE(entry.crc >>> 0, at)
    at = out.writeUInt32LE(entry.bytes.byteLength, at)
    at = out.writeUInt32LE(entry.size, at)
    at = out.writeUInt16LE(name.length, at)
    at = out.writeUInt16LE(0, at)
  }
  packed.forEach((entry, index) => {
    offsets.push(at)
    at = out.writeUInt32LE(0x04034b50, at)
    common(index)
    at += names[index]!.copy(out, at)
    out.set(entry.bytes, at)
    at += entry.bytes.byteLength
  })
  const directory = at
  packed.forEach((_, index) => {
    at = out.writeUInt32LE(0x02014b50, at)
    // Made by: DOS, version 2.0.
    at = out.writeUInt16LE(0x0014, at)
    common(index)
    // Comment length, disk number, internal attributes, external attributes (DOS: 0x10 for a folder), offset.
    at = out.writeUInt16LE(0, at)
    at = out.writeUInt16LE(0, at)
    at = out.writeUInt16LE(0, at)
    at = out.writeUInt32LE(entries[index]!.dir ? 0x10 : 0, at)
    at = out.writeUInt32LE(offsets[index]!, at)
    at += names[index]!.copy(out, at)
  })
  // End of central directory: entry counts, directory size and offset, no comment.
  out.writeUInt32LE(0x06054b50, at)
  out.writeUInt16LE(entries.length, at + 8)
  out.writeUInt16LE(entries.length, at + 10)
  out.writeUInt32LE(at - directory, at + 12)
  out.writeUInt32LE(directory, at + 16)
  return new Uint8Array(out.buffer, out.byteOffset, out.byteLength)
}
