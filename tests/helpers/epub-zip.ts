/**
 * A small ZIP reader and writer for the EPUB tests, written against the
 * format (APPNOTE.TXT) rather than with the library that wrote the book, so
 * the tests see the bytes as an e-reader does: local headers, DOS dates,
 * extra fields, compression methods.
 */
import {crc32, deflateRawSync, inflateRawSync} from 'node:zlib'

/** One entry of a ZIP archive, as its local file header and central directory record describe it. */
export interface ZipEntry {
  name: string
  /** 0 stored, 8 deflated. */
  method: number
  /** Offset of the local file header. */
  offset: number
  /** Extra field length in the local header and in the central directory. */
  localExtraLength: number
  centralExtraLength: number
  /** Raw DOS time and date words of the local header. */
  dosTime: number
  dosDate: number
  /** The DOS date and time read as the calendar fields they encode. */
  date: {
    year: number
    month: number
    day: number
    hours: number
    minutes: number
    seconds: number
  }
  data: Buffer
}

/** Read every entry of a ZIP archive (no ZIP64, no encryption: EPUBs need neither). */
export function readZip(bytes: Uint8Array): ZipEntry[] {
  const zip = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  let end = zip.length - 22
  while (end >= 0 && zip.readUInt32LE(end) !== 0x06054b50) end--
  if (end < 0) throw new Error('Not a ZIP archive: no end of central directory record')
  const count = zip.readUInt16LE(end + 10)
  let at = zip.readUInt32LE(end + 16)
  const entries: ZipEntry[] = []
  for (let i = 0; i < count; i++) {
    if (zip.readUInt32LE(at) !== 0x02014b50) throw new Error(`Bad central directory record at ${at}`)
    const method = zip.readUInt16LE(at + 10)
    const compressedSize = zip.readUInt32LE(at + 20)
    const nameLength = zip.readUInt16LE(at + 28)
    const centralExtraLength = zip.readUInt16LE(at + 30)
    const commentLength = zip.readUInt16LE(at + 32)
    const offset = zip.readUInt32LE(at + 42)
    const name = zip.subarray(at + 46, at + 46 + nameLength).toString('utf8')
    at += 46 + nameLength + centralExtraLength + commentLength

    if (zip.readUInt32LE(offset) !== 0x04034b50) throw new Error(`Bad local file header for ${name}`)
    const dosTime = zip.readUInt16LE(offset + 10)
    const dosDate = zip.readUInt16LE(offset + 12)
    const localNameLength = zip.readUInt16LE(offset + 26)
    const localExtraLength = zip.readUInt16LE(offset + 28)
    const start = offset + 30 + localNameLength + localExtraLength
    const raw = zip.subarray(start, start + compressedSize)
    const data = method === 0 ? Buffer.from(raw) : method === 8 ? inflateRawSync(raw) : Buffer.alloc(0)
    entries.push({
      name,
      method,
      offset,
      localExtraLength,
      centralExtraLength,
      dosTime,
      dosDate,
      date: {
        year: (dosDate >> 9) + 1980,
        month: (dosDate >> 5) & 0x0f,
        day: dosDate & 0x1f,
        hours: dosTime >> 11,
        minutes: (dosTime >> 5) & 0x3f,
        seconds: (dosTime & 0x1f) * 2
      },
      data
    })
  }
  return entries
}

/** The entries of an EPUB by name, decoded as text where asked. */
export function epubFiles(bytes: Uint8Array): Map<string, Buffer> {
  return new Map(readZip(bytes).map((entry) => [entry.name, entry.data]))
}

/** Write a ZIP archive; `mimetype` is stored, everything else deflated. For building broken EPUBs in tests. */
export function writeZip(files: Array<{name: string; data: Buffer | string}>): Buffer {
  const locals: Buffer[] = []
  const centrals: Buffer[] = []
  let offset = 0
  for (const file of files) {
    const data = Buffer.isBuffer(file.data) ? file.data : Buffer.from(file.data, 'utf8')
    const stored = file.name === 'mimetype'
    const body = stored ? data : deflateRawSync(data)
    const name = Buffer.from(file.name, 'utf8')
    const crc = crc32(data)
    const local = Buffer.alloc(30)
    local.writeUInt32LE(0x04034b50, 0)
    local.writeUInt16LE(20, 4)
    local.writeUInt16LE(0x0800, 6)
    local.writeUInt16LE(stored ? 0 : 8, 8)
    local.writeUInt16LE(0, 10)
    local.writeUInt16LE(0x21, 12)
    local.writeUInt32LE(crc, 14)
    local.writeUInt32LE(body.length, 18)
    local.writeUInt32LE(data.length, 22)
    local.writeUInt16LE(name.length, 26)
    local.writeUInt16LE(0, 28)
    const central = Buffer.alloc(46)
    central.writeUInt32LE(0x02014b50, 0)
    central.writeUInt16LE(20, 4)
    central.writeUInt16LE(20, 6)
    central.writeUInt16LE(0x0800, 8)
    central.writeUInt16LE(stored ? 0 : 8, 10)
    central.writeUInt16LE(0, 12)
    central.writeUInt16LE(0x21, 14)
    central.writeUInt32LE(crc, 16)
    central.writeUInt32LE(body.length, 20)
    central.writeUInt32LE(data.length, 24)
    central.writeUInt16LE(name.length, 28)
    central.writeUInt32LE(offset, 42)
    locals.push(local, name, body)
    centrals.push(central, name)
    offset += local.length + name.length + body.length
  }
  const directory = Buffer.concat(centrals)
  const end = Buffer.alloc(22)
  end.writeUInt32LE(0x06054b50, 0)
  end.writeUInt16LE(files.length, 8)
  end.writeUInt16LE(files.length, 10)
  end.writeUInt32LE(directory.length, 12)
  end.writeUInt32LE(offset, 16)
  return Buffer.concat([...locals, directory, end])
}
