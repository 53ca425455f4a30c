/**
 * The advance widths of Literata's regular and bold faces, read from the
 * font files of `@expo-google-fonts/literata` (the faces the web story ships)
 * with fontkit: per face, the characters the font maps, grouped by advance
 * width in font units. The graphics' generators measure their labels with
 * this table (pipeline/figures/generators/literata-widths.json), so a build
 * reads no font file. Run after updating the font package:
 *
 *   node --import tsx scripts/literata-widths.ts
 *
 * tests/literata-widths.test.ts checks that the table matches the installed font.
 */
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import * as fontkit from 'fontkit'

const require = createRequire(import.meta.url)

/** Where the table is kept, beside the code that reads it. */
export const tablePath = path.resolve(
  path.dirname(fileURLToPath(import.meta.url)),
  '../pipeline/figures/generators/literata-widths.json'
)

const files = {
  regular: '400Regular/Literata_400Regular.ttf',
  bold: '700Bold/Literata_700Bold.ttf'
} as const

/** The table: the font package's version, units per em, and per face `{width: characters}`. */
export interface WidthTable {
  font: string
  unitsPerEm: number
  faces: Record<keyof typeof files, Record<string, string>>
}

/** Read the table from the installed font files. */
export async function readWidths(): Promise<WidthTable> {
  const version = require('@expo-google-fonts/literata/package.json').version as string
  const faces = {} as WidthTable['faces']
  let unitsPerEm = 0
  for (const [face, file] of Object.entries(files) as Array<[keyof typeof files, string]>) {
    const data = await fs.readFile(require.resolve(`@expo-google-fonts/literata/${file}`))
    const font = fontkit.create(data) as fontkit.Font
    unitsPerEm = font.unitsPerEm
    const byWidth: Record<string, string> = {}
    // Printable characters only: controls and combining marks take no room of their own.
    for (const point of [...font.characterSet].sort((a, b) => a - b)) {
      const char = String.fromCodePoint(point)
      if (/[\p{Cc}\p{Mn}]/u.test(char)) continue
      const width = String(font.glyphForCodePoint(point).advanceWidth)
      byWidth[width] = (byWidth[width] ?? '') + char
    }
    faces[face] = byWidth
  }
  return {font: `@expo-google-fonts/literata ${version}`, unitsPerEm, faces}
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  await fs.writeFile(tablePath, `${JSON.stringify(await readWidths(), null, 2)}\n`)
  console.log(`wrote ${path.relative(process.cwd(), tablePath)}`)
}
