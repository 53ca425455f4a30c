/** Every file under a directory, for comparing two outputs: a hash of the whole, or each file's bytes. */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

/** A hash of every path and byte under a directory, following symbolic links (the output directory is one). */
export async function treeHash(dir: string): Promise<string> {
  const hash = createHash('sha256')
  const walk = async (current: string) => {
    for (const name of (await fs.readdir(current)).sort()) {
      const full = path.join(current, name)
      hash.update(path.relative(dir, full)).update('\0')
      if ((await fs.stat(full)).isDirectory()) await walk(full)
      else hash.update(await fs.readFile(full)).update('\0')
    }
  }
  await walk(dir)
  return hash.digest('hex')
}

/** Every file under a directory (following symbolic links), by its path relative to it. */
export async function treeFiles(dir: string): Promise<Map<string, Buffer>> {
  const files = new Map<string, Buffer>()
  for (const name of await fs.readdir(dir, {recursive: true})) {
    const full = path.join(dir, name)
    if ((await fs.stat(full)).isFile()) files.set(name, await fs.readFile(full))
  }
  return files
}
