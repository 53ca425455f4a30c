/**
 * What graphics give the focus effects: marks that persist from a state on
 * (`states: {from: id}`), mark names for `zoom` and `highlight`, zoom boxes
 * and anchors on the locator map, marks a step's `progress` reveals, and the
 * zoom geometry shared by the build and the client.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import type {Element} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {parse} from 'yaml'
import {generateGraphicSvgs} from '../pipeline/figures/generate.js'
import {markName} from '../pipeline/figures/generators/svg.js'
import {graphicFromSvg} from '../pipeline/figures/graphic.js'
import {fitBox, parseBox} from '../templates/web/box.js'

const figures = path.resolve(import.meta.dirname, '../chapters/figures')

async function story(name: string) {
  const text = await fs.readFile(path.join(figures, `${name}.yaml`), 'utf8')
  const file = new VFile({path: `${name}.yaml`, value: text})
  const svgs = generateGraphicSvgs(parse(text), file)
  expect(file.messages.map((m) => m.reason)).toEqual([])
  if (!svgs) throw new Error('no graphic')
  return svgs
}

function elements(svg: string): Element[] {
  const found: Element[] = []
  const walk = (node: Element) => {
    found.push(node)
    for (const child of node.children) if (child.type === 'element') walk(child)
  }
  for (const child of fromXml(svg).children) if (child.type === 'element') walk(child)
  return found
}

describe('marks that persist, and mark names', () => {
  it('keeps a day-strip period from its first state on', async () => {
    const {wide} = await story('siege-days')
    const marks = new Map(
      elements(wide).flatMap((e) => (e.attributes['data-mark'] ? [[e.attributes['data-mark'], e]] : []))
    )
    // The takeover shows in every state (no data-states), the releases from their state on.
    expect(marks.get('takeover')?.attributes['data-states']).toBeUndefined()
    expect(marks.get('releases')?.attributes['data-states']).toBe('releases captivity raid')
    expect(marks.get('captivity')?.attributes['data-states']).toBe('captivity raid')
    expect(marks.get('raid')?.attributes['data-states']).toBe('raid')
  })

  it('reports a `from` that is not a state', () => {
    const file = new VFile({path: 'x.yaml'})
    const spec = {
      type: 'day-strip',
      title: 'T',
      start: '2000-01-01',
      end: '2000-01-10',
      periods: [{from: '2000-01-02', label: 'A', states: {from: 'later'}}],
      states: [{id: 'one', description: 'One.'}]
    }
    expect(generateGraphicSvgs(spec, file)).toBeUndefined()
    expect(file.messages.map((m) => m.reason).join('\n')).toMatch(
      /Unexpected state `"later"` in `periods\[0\]\.states\.from`.*`one`/
    )
  })

  it('gives a long period one square per day, in order, for `progress`', async () => {
    const {wide} = await story('siege-days')
    const reveal = elements(wide)
      .filter((e) => e.attributes['data-reveal'] !== undefined)
      .map((e) => Number(e.attributes['data-reveal']))
    expect(reveal).toHaveLength(127)
    expect(reveal[0]).toBe(0)
    expect([...reveal].sort((a, b) => a - b)).toEqual(reveal)
  })

  it('on a phone, shows only the key entries a state brings in', async () => {
    const {narrow, wide} = await story('siege-days')
    const keyTexts = (svg: string, state: string) =>
      elements(svg)
        .filter((e) => e.name === 'g' && e.attributes['data-states'] !== undefined && !e.attributes['data-mark'])
        .filter((e) => String(e.attributes['data-states']).split(' ').includes(state)).length
    // Wide: the takeover's entry shows in every state (no data-states), with the three later ones.
    expect(keyTexts(wide, 'raid')).toBe(3)
    expect(keyTexts(narrow, 'raid')).toBe(1)
  })

  it('names marks from their labels', () => {
    expect(markName('MRTA members')).toBe('mrta-members')
    expect(markName('Chavín de Huántar')).toBe('chavin-de-huantar')
    expect(markName('14 dead')).toBe('m-14-dead')
  })

  it('exposes the names a step can use, from ids and data-mark', async () => {
    const {wide} = await story('raid-toll')
    const graphic = graphicFromSvg('raid-toll', wide, new VFile(), 'raid-toll.yaml')
    expect([...(graphic?.marks ?? [])]).toEqual(['commandos', 'hostages-still-held', 'mrta-members'])
  })

  it('draws the locator map in a frame of its own, with zoom boxes and anchors', async () => {
    const {wide} = await story('peru-locator')
    const all = elements(wide)
    const frame = all.find((e) => e.name === 'svg' && all.indexOf(e) > 0)
    expect(frame?.attributes.viewBox).toBeTruthy()
    const peru = all.find((e) => e.attributes['data-mark'] === 'peru')
    const lima = all.find((e) => e.attributes['data-mark'] === 'lima')
    expect(parseBox(String(peru?.attributes['data-box']))).toBeDefined()
    expect(parseBox(String(lima?.attributes['data-box']))).toBeDefined()
    expect(String(lima?.attributes['data-anchor'])).toMatch(/^[\d.]+ [\d.]+$/)
  })
})

describe('zoom geometry', () => {
  it('pads the target and widens it to the frame’s proportions', () => {
    const box = fitBox([100, 100, 50, 50], [0, 0, 400, 200])
    expect(box[2] / box[3]).toBeCloseTo(2)
    expect(box[0] + box[2] / 2).toBeCloseTo(125)
    expect(box[1] + box[3] / 2).toBeCloseTo(125)
    expect(box[3]).toBeGreaterThan(50)
  })

  it('never zooms out past the whole frame', () => {
    expect(fitBox([0, 0, 1000, 1000], [0, 0, 400, 200])).toEqual([300, 400, 400, 200])
  })

  it('reads viewBoxes', () => {
    expect(parseBox('0 0 10 20')).toEqual([0, 0, 10, 20])
    expect(parseBox('0,0,10,20')).toEqual([0, 0, 10, 20])
    expect(parseBox('peru')).toBeUndefined()
    expect(parseBox('0 0 0 20')).toBeUndefined()
  })
})
