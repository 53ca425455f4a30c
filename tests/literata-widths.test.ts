/**
 * The graphics measure their labels with Literata's advance widths, kept in
 * pipeline/figures/generators/literata-widths.json: the table is the one the
 * installed font files give (run scripts/literata-widths.ts after updating
 * the font package), and `measure` adds up its widths.
 */
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import * as fontkit from 'fontkit'
import {describe, expect, it} from 'vitest'
import {measure} from '../pipeline/figures/generators/svg.js'
import {readWidths, tablePath} from '../scripts/literata-widths.js'

const require = createRequire(import.meta.url)

describe("Literata's widths", () => {
  it('are the installed font files’ (run scripts/literata-widths.ts if not)', async () => {
    expect(JSON.parse(await fs.readFile(tablePath, 'utf8'))).toEqual(await readWidths())
  })

  it('measure a label as the font sets it, figures as wide as another serif’s', async () => {
    for (const [file, bold] of [
      ['400Regular/Literata_400Regular.ttf', false],
      ['700Bold/Literata_700Bold.ttf', true]
    ] as const) {
      const font = fontkit.create(
        await fs.readFile(require.resolve(`@expo-google-fonts/literata/${file}`))
      ) as fontkit.Font
      const label = 'Hostages held for four months: Lima, Perú'
      const set = (font.layout(label).advanceWidth / font.unitsPerEm) * 16
      // Kerning only narrows: the sum of the advances is at least what is set, and close to it.
      expect(measure(label, 16, bold)).toBeGreaterThanOrEqual(set)
      expect(measure(label, 16, bold)).toBeLessThan(set * 1.03)
      // Figures take at least 0.65 em, about the width of a fallback serif's figures.
      expect(measure('1111', 10, bold)).toBeCloseTo(4 * 0.65 * 10)
    }
  })
})
