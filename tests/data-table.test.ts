/**
 * Every graphic's data table: from a data file's items (with each row's
 * source), or from the `data-*` of a hand-made SVG; the table never shows in
 * a static figure.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {parse} from 'yaml'
import {generateGraphicSvgs} from '../pipeline/figures/generate.js'
import {graphicFromSvg} from '../pipeline/figures/graphic.js'

const root = path.resolve(import.meta.dirname, '..')

async function generated(name: string) {
  const file = path.join(root, 'chapters/figures', `${name}.yaml`)
  const text = await fs.readFile(file, 'utf8')
  const svgs = generateGraphicSvgs(parse(text), new VFile({path: file, value: text}))
  if (!svgs) throw new Error(`cannot generate ${name}`)
  return graphicFromSvg(name, svgs.wide, new VFile(), `${name}.yaml`, {svg: svgs.narrow, file: new VFile()})
}

describe('data tables', () => {
  it('comes with every graphic of the story', async () => {
    for (const name of ['peru-locator', 'mrta-timeline', 'who-was-inside', 'siege-days', 'raid-toll']) {
      const graphic = await generated(name)
      expect(graphic?.table?.rows.length, name).toBeGreaterThan(0)
    }
  })

  it('carries each row’s value and source from the data file', async () => {
    const graphic = await generated('raid-toll')
    expect(graphic?.table).toEqual({
      columns: ['Group', 'Count'],
      rows: [
        {label: 'commandos', value: '140; 2 died', source: 'Spanish article on Chavín de Huántar'},
        {
          label: 'hostages still held',
          value: '72; 1 died',
          source: 'Spanish article on Chavín de Huántar; Portuguese video description'
        },
        {
          label: 'MRTA members',
          value: '14; All 14 died',
          source: 'Spanish article on Chavín de Huántar; Portuguese video description'
        }
      ]
    })
    // The data is not drawn, nor shipped in the static figures.
    for (const state of ['forces', 'deaths']) {
      expect(graphic?.renderState(state)).not.toContain('data-table')
      expect(graphic?.renderState(state, 'narrow', {bare: true})).not.toContain('140; 2 died')
    }
  })

  it('reads a hand-made SVG’s data-* attributes', async () => {
    const svg = await fs.readFile(path.join(root, 'tests/fixtures/books/basic/figures/bars.svg'), 'utf8')
    const graphic = graphicFromSvg('bars', svg, new VFile(), 'bars.svg')
    expect(graphic?.table).toEqual({
      columns: ['Bar', 'Height'],
      rows: [
        {label: 'First bar', value: '50', source: 'Alpha'},
        {label: 'Second bar', value: '100'},
        {label: 'Third bar', value: '150', source: 'Beta'}
      ]
    })
  })

  it('has none when the SVG gives no data', () => {
    const svg =
      '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 10 10"><desc data-state="a">A.</desc><rect width="1" height="1"/></svg>'
    expect(graphicFromSvg('plain', svg, new VFile(), 'plain.svg')?.table).toBeUndefined()
  })
})
