/** Whether a file a book names may be read: its real path inside the book, a regular file. */
import fs from 'node:fs/promises'
import path from 'node:path'

/** Why the file at `absolute` may not be read as part of the book in `inside`, or undefined when it may. */
export async function refusal(absolute: string, inside: string): Promise<string | undefined> {
  const real = await fs.realpath(absolute)
  const book = await fs.realpath(inside)
  if (!real.startsWith(book + path.sep))
    return `Unexpected link to \`${real}\`, outside the book directory, expected a file inside the book`
  if (!(await fs.stat(real)).isFile())
    return 'Unexpected file that is not a regular file (a device or a pipe), expected a text file'
  return undefined
}
