/**
 * Files a build keeps for later builds (./build-cache.ts, the covers in
 * ./epub/cover.ts, the client bundle in ./web/index.ts): written aside and
 * renamed into place, so that a reader finds a whole file or none; sealed
 * with the SHA-1 of their bytes where a damaged file could not be told
 * apart otherwise; and the files a killed build left aside, known by their
 * age.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'

let written = 0

/** Write `data` to `file`, in a folder that exists, in one rename. */
export async function writeKept(file: string, data: string | Uint8Array): Promise<void> {
  const temporary = `${file}.${process.pid}.${written++}.tmp`
  try {
    await fs.writeFile(temporary, data)
    await fs.rename(temporary, file)
  } catch (cause) {
    await fs.rm(temporary, {force: true}).catch(() => {})
    throw cause
  }
}

/** `bytes` sealed: the SHA-1 of the bytes, then the bytes. */
export function sealed(bytes: Uint8Array): Buffer {
  return Buffer.concat([createHash('sha1').update(bytes).digest(), bytes])
}

/** The bytes of a sealed file, or undefined when they do not match their SHA-1 (an emptied or damaged file). */
export function unsealed(kept: Buffer): Uint8Array | undefined {
  if (kept.length < 20) return undefined
  const bytes = kept.subarray(20)
  if (!createHash('sha1').update(bytes).digest().equals(kept.subarray(0, 20))) return undefined
  return new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength)
}

/** Whether a file called `name`, last changed at `mtimeMs`, is one that a build stopped long ago (killed) left aside. */
export function abandoned(name: string, mtimeMs: number): boolean {
  return name.endsWith('.tmp') && mtimeMs < Date.now() - 60 * 60 * 1000
}
