/**
 * Atomic output: everything is written into a temporary sibling directory and
 * swapped into place only when it is complete. A failed or killed build leaves
 * the previous output untouched.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {OutputFile} from './types.js'

/** Write `files` as the whole content of `outDir`, replacing it in one swap. */
export async function writeAtomically(outDir: string, files: OutputFile[]): Promise<void> {
  const parent = path.dirname(outDir)
  await fs.mkdir(parent, {recursive: true})
  const stamp = `${process.pid}-${Date.now()}`
  const temporary = path.join(parent, `.${path.basename(outDir)}.tmp-${stamp}`)
  const old = path.join(parent, `.${path.basename(outDir)}.old-${stamp}`)
  await fs.mkdir(temporary, {recursive: true})
  try {
    const dirs = new Set(files.map((f) => path.dirname(path.join(temporary, f.path))))
    for (const dir of dirs) await fs.mkdir(dir, {recursive: true})
    await Promise.all(files.map((f) => fs.writeFile(path.join(temporary, f.path), f.contents)))
    let hadOld = false
    try {
      await fs.rename(outDir, old)
      hadOld = true
    } catch (cause) {
      if ((cause as NodeJS.ErrnoException).code !== 'ENOENT') throw cause
    }
    try {
      await fs.rename(temporary, outDir)
    } catch (cause) {
      if (hadOld) await fs.rename(old, outDir)
      throw cause
    }
    if (hadOld) await fs.rm(old, {recursive: true, force: true})
  } catch (cause) {
    await fs.rm(temporary, {recursive: true, force: true})
    throw cause
  }
  await removeStale(parent, path.basename(outDir))
}

/** Remove temporary directories left by builds that were killed. */
async function removeStale(parent: string, base: string): Promise<void> {
  const entries = await fs.readdir(parent)
  await Promise.all(
    entries
      .filter((name) => name.startsWith(`.${base}.tmp-`) || name.startsWith(`.${base}.old-`))
      .map((name) => fs.rm(path.join(parent, name), {recursive: true, force: true}))
  )
}
