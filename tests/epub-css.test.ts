/**
 * The EPUB stylesheet leaves the text to the reader: no font family, no
 * absolute font size, no size, line height, margin or colour on the page as a
 * whole; figures never split across pages and images fit the screen.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, it} from 'vitest'

const file = path.resolve(import.meta.dirname, '../templates/epub/style.css')

/** The style rules: each selector with its declarations (property → value). */
async function rules(): Promise<Array<{selectors: string[]; declarations: Map<string, string>}>> {
  const css = (await fs.readFile(file, 'utf8')).replace(/\/\*[\s\S]*?\*\//g, '')
  expect(css).not.toMatch(/@import|@font-face|@media/)
  return [...css.matchAll(/([^{}@;]+)\{([^{}]*)\}/g)].map(([, selectors, body]) => ({
    selectors: selectors!.split(',').map((s) => s.trim()),
    declarations: new Map(
      body!
        .split(';')
        .map((d) => d.trim())
        .filter(Boolean)
        .map((d) => {
          const colon = d.indexOf(':')
          return [d.slice(0, colon).trim(), d.slice(colon + 1).trim()] as [string, string]
        })
    )
  }))
}

describe('templates/epub/style.css', () => {
  it('sets no font family and no absolute font size anywhere', async () => {
    for (const rule of await rules()) {
      expect(rule.declarations.has('font-family'), rule.selectors.join(', ')).toBe(false)
      expect(rule.declarations.has('font'), rule.selectors.join(', ')).toBe(false)
      const size = rule.declarations.get('font-size')
      if (size) expect(size, rule.selectors.join(', ')).toMatch(/^\d*\.?\d+(em|%)$/)
    }
  })

  it('leaves the page itself to the reader: nothing on html or body', async () => {
    for (const rule of await rules()) {
      for (const selector of rule.selectors)
        expect(selector, 'html and body belong to the reader').not.toMatch(/^(html|body|:root|\*)$/)
      for (const [property, value] of rule.declarations) {
        expect(`${property}: ${value}`).not.toMatch(/!important/)
        if (property === 'color' || property === 'background' || property === 'background-color')
          throw new Error(`${rule.selectors.join(', ')} sets ${property}: the reader's theme decides colours`)
      }
    }
  })

  it('keeps figures whole and images within the screen', async () => {
    const all = await rules()
    const find = (selector: string) =>
      all
        .filter((rule) => rule.selectors.includes(selector))
        .reduce((map, rule) => {
          for (const [name, value] of rule.declarations) map.set(name, value)
          return map
        }, new Map<string, string>())
    const figure = find('figure')
    expect(figure.get('break-inside')).toBe('avoid')
    expect(figure.get('page-break-inside')).toBe('avoid')
    expect(figure.get('-webkit-column-break-inside')).toBe('avoid')
    expect(find('img').get('max-width')).toBe('100%')
    expect(find('img').get('height')).toBe('auto')
    expect(find('figure img').get('max-height')).toMatch(/^\d+vh$/)
  })
})
