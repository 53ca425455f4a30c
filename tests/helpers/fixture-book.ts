/**
 * Fixture books for the message and render tests. A case folder is either a
 * whole book (it has `book.yaml`) or a single `input.md` chapter, which is
 * placed in a copy of the basic fixture book (its metadata, references and
 * figures) as `01-input.md`.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'

export const root = path.resolve(import.meta.dirname, '../..')
const basic = path.join(root, 'tests/fixtures/books/basic')

/** Make a temporary book directory for a case; returns its path. */
export async function bookForCase(caseDir: string): Promise<string> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), `twofold-${path.basename(caseDir)}-`))
  const book = path.join(dir, 'book')
  const own = await fs.readdir(caseDir)
  if (own.includes('book.yaml') || own.includes('book')) {
    await fs.cp(own.includes('book') ? path.join(caseDir, 'book') : caseDir, book, {recursive: true})
    return book
  }
  await fs.mkdir(book, {recursive: true})
  for (const name of ['book.yaml', 'references.json']) await fs.copyFile(path.join(basic, name), path.join(book, name))
  await fs.cp(path.join(basic, 'figures'), path.join(book, 'figures'), {
    recursive: true
  })
  if (own.includes('figures'))
    await fs.cp(path.join(caseDir, 'figures'), path.join(book, 'figures'), {
      recursive: true
    })
  await fs.copyFile(path.join(caseDir, 'input.md'), path.join(book, '01-input.md'))
  return book
}

/** Every Markdown file under `dir`, sorted by path. */
export async function markdownFiles(dir: string): Promise<string[]> {
  const found: string[] = []
  for (const entry of await fs.readdir(dir, {withFileTypes: true})) {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) found.push(...(await markdownFiles(full)))
    else if (entry.name.endsWith('.md')) found.push(full)
  }
  return found.sort()
}
