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
        // Key entries: not the marks, nor the credit, drawn under each state's own height.
        .filter(
          (e) =>
            e.name === 'g' &&
            e.attributes['data-states'] !== undefined &&
            !e.attributes['data-mark'] &&
            e.attributes['data-key'] !== 'credit'
        )
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

describe('zoom and highlight in static figures', () => {
  const bars = `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 400 200">
  <desc data-state="one">Three bars.</desc>
  <g id="group"><rect id="bar-1" x="40" y="150" width="60" height="50"/><rect id="bar-2" x="170" y="100" width="60" height="100"/></g>
  <path id="bar-3" d="M 300 50 h 60 v 150 h -60 z"/>
  <text data-anchor="330 40" x="330" y="40" font-size="12">Third</text>
</svg>`
  const graphic = graphicFromSvg('bars', bars, new VFile(), 'bars.svg')
  const opacities = (svg: string) =>
    Object.fromEntries(elements(svg).flatMap((e) => (e.attributes.id ? [[e.attributes.id, e.attributes.opacity]] : [])))

  it('dims every mark but the highlighted ones, what holds them and what they hold', () => {
    const svg = graphic?.renderState('one', 'wide', {focus: {highlight: ['bar-1']}}) ?? ''
    expect(opacities(svg)).toEqual({group: undefined, 'bar-1': undefined, 'bar-2': '0.25', 'bar-3': '0.25'})
    expect(opacities(graphic?.renderState('one', 'wide', {focus: {highlight: ['group']}}) ?? '')).toEqual({
      group: undefined,
      'bar-1': undefined,
      'bar-2': undefined,
      'bar-3': '0.25'
    })
  })

  it('zooms to a mark’s drawn box, keeping anchored labels at their size', () => {
    const svg = graphic?.renderState('one', 'wide', {focus: {zoom: 'bar-3'}}) ?? ''
    const root = elements(svg)[0]
    const box = parseBox(String(root?.attributes.viewBox))
    if (!box) throw new Error('no viewBox')
    // The path's box (300 50 60 150), padded and widened to 2:1 around its centre.
    expect(box[2] / box[3]).toBeCloseTo(2)
    expect(box[0] + box[2] / 2).toBeCloseTo(330, 0)
    expect(box[1] + box[3] / 2).toBeCloseTo(125, 0)
    const k = 400 / box[2]
    const label = elements(svg).find((e) => e.name === 'text')
    expect(label?.attributes.transform).toBe(
      `translate(330 40) scale(${Math.round((1 / k) * 10000) / 10000}) translate(-330 -40)`
    )
  })

  it('zooms the locator’s map, not its frame, to Lima', async () => {
    const {narrow, wide} = await story('peru-locator')
    const locator = graphicFromSvg('peru-locator', wide, new VFile(), 'x.yaml', {svg: narrow, file: new VFile()})
    const plain = elements(locator?.renderState('lima', 'narrow', {bare: true}) ?? '')
    const zoomed = elements(locator?.renderState('lima', 'narrow', {bare: true, focus: {zoom: 'lima'}}) ?? '')
    // The root keeps its crop; the nested map's viewBox narrows around Lima.
    expect(zoomed[0]?.attributes.viewBox).toBe(plain[0]?.attributes.viewBox)
    const map = (all: Element[]) => parseBox(String(all.find((e, i) => i > 0 && e.name === 'svg')?.attributes.viewBox))
    expect(map(zoomed)?.[2]).toBeLessThan((map(plain)?.[2] ?? 0) * 0.75)
    // Lines in the map keep their drawn width: thinner in map units by the zoom.
    const border = plain.find((e) => e.name === 'path' && e.attributes['stroke-width'] === '0.6')
    const same = zoomed.find((e) => e.name === 'path' && e.attributes.d === border?.attributes.d)
    expect(Number(same?.attributes['stroke-width'])).toBeCloseTo(
      0.6 * ((map(zoomed)?.[2] ?? 0) / (map(plain)?.[2] ?? 1)),
      3
    )
  })
})

describe('a map’s inset globe in static figures', () => {
  // The globe's backing circle: r = its radius + 5 (34 + 5 narrow, 62 + 5 wide).
  const globes = (svg: string) =>
    elements(svg).filter((e) => e.name === 'circle' && ['39', '67'].includes(String(e.attributes.r)))

  it('is left out where a zoomed label would run under it, and kept where none does', async () => {
    const text = await fs.readFile(path.resolve(import.meta.dirname, 'fixtures/books/layouts/figures/map.yaml'), 'utf8')
    const file = new VFile({path: 'map.yaml', value: text})
    const svgs = generateGraphicSvgs(parse(text), file)
    if (!svgs) throw new Error('no graphic')
    const map = graphicFromSvg('map', svgs.wide, new VFile(), 'map.yaml', {svg: svgs.narrow, file: new VFile()})
    const render = (state: string, variant: 'wide' | 'narrow', zoom?: string) =>
      map?.renderState(state, variant, zoom ? {focus: {zoom}} : {}) ?? ''
    // Unzoomed, the labels were placed clear of the globe.
    expect(globes(render('lima', 'narrow'))).toHaveLength(1)
    expect(globes(render('lima', 'wide'))).toHaveLength(1)
    // Zoomed to Lima, “Pacific Ocean” comes under the top-left globe on both artboards; zoomed to Peru,
    // ECUADOR does on the wide one only.
    expect(globes(render('lima', 'narrow', 'lima'))).toHaveLength(0)
    expect(globes(render('lima', 'wide', 'lima'))).toHaveLength(0)
    expect(globes(render('peru', 'wide', 'peru'))).toHaveLength(0)
    expect(globes(render('peru', 'narrow', 'peru'))).toHaveLength(1)
  })
})

describe('layouts per state', () => {
  it('lays out a unit chart’s groups for what each state shows, one key per group', () => {
    const file = new VFile({path: 'x.yaml'})
    const svgs = generateGraphicSvgs(
      {
        type: 'unit-chart',
        title: 'T',
        groups: [
          {label: 'a', count: 10, states: ['two']},
          {
            label: 'b',
            count: 10,
            highlights: [
              {
                count: 1,
                label: 'a label far too long to sit beside its headline on any artboard, however wide it is drawn',
                states: ['two']
              }
            ]
          },
          {label: 'c', count: 10}
        ],
        states: [
          {id: 'one', description: 'One.'},
          {id: 'two', description: 'Two.'}
        ]
      },
      file
    )
    expect(file.messages.map((m) => m.reason)).toEqual([])
    for (const svg of [svgs?.wide ?? '', svgs?.narrow ?? '']) {
      const headline = (key: string, state: string) => {
        const drawing = elements(svg).find(
          (e) =>
            e.attributes['data-key'] === key &&
            String(e.attributes['data-states'] ?? 'one two')
              .split(' ')
              .includes(state)
        )
        const text = drawing?.children.find((e): e is Element => e.type === 'element' && e.name === 'text')
        return Number(text?.attributes.y)
      }
      // In state one, b is first and c follows it right away: no room for a, or for b's label.
      expect(headline('b', 'one')).toBeLessThan(headline('b', 'two'))
      expect(headline('c', 'two') - headline('c', 'one')).toBeGreaterThan(headline('b', 'two') - headline('b', 'one'))
      expect(elements(svg).filter((e) => e.attributes['data-mark'] === 'c')).toHaveLength(2)
    }
    // A highlight of `c` in state two lights the drawing of c that state shows (not the first), and dims b's.
    const graphic = graphicFromSvg('units', svgs?.wide ?? '', new VFile(), 'x.yaml')
    const groups = elements(graphic?.renderState('two', 'wide', {focus: {highlight: ['c']}}) ?? '').filter(
      (e) => e.name === 'g' && e.children.some((c) => c.type === 'element' && c.name === 'text')
    )
    const opacity = (label: string) =>
      groups.find((g) => JSON.stringify(g.children).includes(`" ${label}"`))?.attributes.opacity ?? '1'
    expect([opacity('b'), opacity('c')]).toEqual(['0.25', '1'])
  })
})
