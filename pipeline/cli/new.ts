/**
 * `twofold new <dir>`: a small starter book (templates/new/) written into an empty or new folder: book.yaml,
 * two chapters, a scrolly section over a hand-made SVG with two states, one cited source, and a README.
 * A folder that holds anything is left alone.
 */
import fs from 'node:fs/promises'
import path from 'node:path'

/** The starter book's files. */
export const starterDir = path.resolve(import.meta.dirname, '../../templates/new')

/** Write the starter book into `dir`; resolves to the exit code. */
export async function newBook(dir: string, cwd = process.cwd()): Promise<number> {
  const target = path.resolve(cwd, dir)
  const stat = await fs.stat(target).catch(() => undefined)
  if (stat && !stat.isDirectory()) {
    process.stderr.write(`twofold: \`${dir}\` is a file, expected a new or empty folder for the book\n`)
    return 1
  }
  if (stat && (await fs.readdir(target)).length > 0) {
    process.stderr.write(
      `twofold: \`${dir}\` is not empty, expected a new or empty folder for the book (nothing was written)\n`
    )
    return 1
  }
  const date = new Date().toISOString().slice(0, 10)
  const names = (await fs.readdir(starterDir, {recursive: true})).sort()
  for (const name of names) {
    const from = path.join(starterDir, name)
    if (!(await fs.stat(from)).isFile()) continue
    const to = path.join(target, name)
    await fs.mkdir(path.dirname(to), {recursive: true})
    const text = await fs.readFile(from, 'utf8')
    await fs.writeFile(to, name === 'book.yaml' ? text.replace('{{date}}', date) : text)
  }
  const shown = path.relative(cwd, target) || '.'
  process.stdout.write(
    `twofold: wrote a starter book to ${shown}/\n  build it:  npx twofold build ${shown} --out ${path.join(shown, 'dist')}\n  write it:  npx twofold dev ${shown}\n`
  )
  return 0
}
