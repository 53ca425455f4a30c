/** A hash of every path and byte under a directory, following symbolic links (the output directory is one). */
import {createHash} from 'node:crypto'
import fs from 'node:fs/promises'
import path from 'node:path'

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
