/**
 * Build-time graphics: every data file in `chapters/figures/*.yaml` generates
 * an SVG that follows the graphic state convention and the house palette;
 * bad specs produce exact, positioned, fatal messages. Each state is also
 * rendered to PNG (360 and 1440 px wide) in `/tmp/figs/` for a human look.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {Resvg} from '@resvg/resvg-js'
import {VFile} from 'vfile'
import type {Element, Root} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {parse} from 'yaml'
import fc from 'fast-check'
import {describe, expect, it} from 'vitest'
import {generateGraphicSvg, graphicTypes} from '../pipeline/figures/generate.js'
import {graphicFromSvg} from '../pipeline/figures/graphic.js'

const root = path.resolve(import.meta.dirname, '..')
const figures = path.join(root, 'chapters/figures')
const names = (await fs.readdir(figures)).filter((f) => f.endsWith('.yaml')).sort()
const out = '/tmp/figs'
const palette: Record<string, string> = {
  'tf-bg': '#ffffff',
  'tf-ink': '#1a1a1a',
  'tf-muted': '#595959',
  'tf-grid': '#c8c8c8',
  'tf-accent': '#b3261e',
  'tf-accent2': '#0b5cad',
  'tf-highlight': '#e8a317'
}
/** Colours text may use: AA contrast on white. */
const textColours = new Set(['#1a1a1a', '#595959', '#b3261e', '#0b5cad'])

async function load(name: string) {
  const filePath = path.join(figures, name)
  const value = await fs.readFile(filePath, 'utf8')
  const file = new VFile({path: path.relative(root, filePath), value})
  return {file, spec: parse(value) as {states: Array<{id: string; description: string}>}}
}

function elements(node: Element, all: Element[] = []): Element[] {
  all.push(node)
  for (const child of node.children) if (child.type === 'element') elements(child, all)
  return all
}

function rootOf(tree: Root): Element {
  const svg = tree.children.find((c): c is Element => c.type === 'element')
  if (!svg) throw new Error('no root element')
  return svg
}

function textOf(node: Element): string {
  return node.children.map((c) => (c.type === 'text' ? c.value : c.type === 'element' ? textOf(c) : '')).join('')
}

describe('figure generators: story data files', () => {
  it('has data files', () => {
    expect(names).toEqual(['mrta-timeline.yaml', 'peru-locator.yaml', 'raid-toll.yaml', 'siege-days.yaml', 'who-was-inside.yaml'])
  })

  for (const name of names) {
    describe(name, async () => {
      const {file, spec} = await load(name)
      const svg = generateGraphicSvg(spec, file)
      const svgRoot = svg === undefined ? undefined : rootOf(fromXml(svg))

      it('generates without messages', () => {
        expect(file.messages.map((m) => String(m))).toEqual([])
        expect(svg).toBeTypeOf('string')
      })

      it('parses the file itself when no spec is given, to the same SVG', () => {
        const again = new VFile({path: file.path, value: file.value})
        expect(generateGraphicSvg(undefined, again)).toBe(svg)
        expect(again.messages).toEqual([])
      })

      it('follows the state convention', () => {
        const svgElement = svgRoot!
        expect(svgElement.name).toBe('svg')
        expect(svgElement.attributes.xmlns).toBe('http://www.w3.org/2000/svg')
        expect(svgElement.attributes.viewBox).toMatch(/^0 0 \d+ \d+$/)
        expect(svgElement.attributes.role).toBe('img')
        expect(svgElement.attributes.width).toBeUndefined()
        expect(svgElement.attributes.height).toBeUndefined()
        expect(svgElement.attributes['font-family']).toBe('system-ui, sans-serif')
        const children = svgElement.children.filter((c): c is Element => c.type === 'element')
        expect(children[0]!.name).toBe('title')
        expect(textOf(children[0]!)).toBe(parse(String(file.value)).title)
        const descs = children.filter((c) => c.name === 'desc')
        expect(descs.map((d) => d.attributes['data-state'])).toEqual(spec.states.map((s) => s.id))
        for (const desc of descs) expect(textOf(desc).trim().length).toBeGreaterThan(40)
        const declared = new Set(spec.states.map((s) => s.id))
        for (const element of elements(svgElement)) {
          const list = element.attributes['data-states']
          if (list === undefined || list === null) continue
          const tokens = String(list).split(' ')
          expect(tokens.length).toBeGreaterThan(0)
          for (const token of tokens) expect(declared).toContain(token)
        }
      })

      it('is safe, small and in the palette', () => {
        expect(svg!.length).toBeLessThan(60_000)
        for (const element of elements(svgRoot!)) {
          expect(['style', 'script', 'foreignObject', 'image', 'use', 'a']).not.toContain(element.name)
          expect(element.attributes.style).toBeUndefined()
          for (const [key, value] of Object.entries(element.attributes)) {
            if (key === 'xmlns') continue
            expect(key.startsWith('on')).toBe(false)
            expect(String(value)).not.toMatch(/url\(|javascript:|https?:/)
          }
          const classes = String(element.attributes.class ?? '').split(' ').filter(Boolean)
          for (const name of classes) expect(Object.keys(palette)).toContain(name)
          for (const paint of ['fill', 'stroke'] as const) {
            const value = element.attributes[paint]
            if (value === undefined || value === 'none') continue
            // A palette colour always comes with its class, for dark mode.
            expect(classes.map((c) => palette[c])).toContain(value)
          }
          if (element.name === 'text') {
            expect(Number(element.attributes['font-size'])).toBeGreaterThanOrEqual(14)
            expect(textColours).toContain(element.attributes.fill)
            expect(textOf(element).trim()).not.toBe('')
          }
          for (const key of ['x', 'y', 'cx', 'cy', 'r', 'width', 'height', 'x1', 'x2', 'y1', 'y2']) {
            const value = element.attributes[key]
            if (value !== undefined && value !== null) expect(String(value)).toMatch(/^-?\d+(\.\d)?$/)
          }
        }
      })

      it('is accepted by the graphic loader, and each state renders to PNG', async () => {
        const graphicFile = new VFile({path: file.path})
        const graphic = graphicFromSvg(name.replace(/\.yaml$/, ''), svg!, graphicFile, file.path!)
        expect(graphicFile.messages.map(String)).toEqual([])
        expect(graphic!.states.map((s) => s.id)).toEqual(spec.states.map((s) => s.id))
        await fs.mkdir(out, {recursive: true})
        for (const state of graphic!.states) {
          const standalone = graphic!.renderState(state.id)
          for (const px of [360, 1440]) {
            const png = new Resvg(standalone, {
              fitTo: {mode: 'width', value: px},
              font: {loadSystemFonts: true, defaultFontFamily: 'Liberation Sans', sansSerifFamily: 'Liberation Sans'}
            })
              .render()
              .asPng()
            expect(png.length).toBeGreaterThan(1000)
            await fs.writeFile(path.join(out, `${name.replace(/\.yaml$/, '')}-${state.id}-${px}.png`), png)
          }
        }
      })
    })
  }
})

describe('figure generators: invalid specs', () => {
  const cases: Array<{name: string; yaml: string; messages: Array<{reason: string; line: number; column: number}>}> = [
    {
      name: 'unknown type',
      yaml: 'type: pie\ntitle: A\nstates:\n  - {id: a, description: Something}\n',
      messages: [{reason: 'Unexpected graphic type `pie`, expected one of `timeline`, `day-strip`, `contested-range`, `unit-chart`, `locator`', line: 1, column: 7}]
    },
    {
      name: 'missing states',
      yaml: 'type: unit-chart\ntitle: A\ngroups:\n  - {label: people, count: 3}\n',
      messages: [{reason: 'Missing `states`, expected a list of states as `{id, description}`', line: 1, column: 1}]
    },
    {
      name: 'bad date',
      yaml: 'type: day-strip\ntitle: A\nstart: 1996-12-17\nend: 1997-02-30\nperiods: []\nstates:\n  - {id: a, description: Something}\n',
      messages: [
        {reason: 'Unexpected `"1997-02-30"` for `end`, expected a date as `YYYY-MM-DD`', line: 4, column: 6},
        {reason: 'Unexpected empty list for `periods`, expected a list of periods as `{from, to, label, states}`', line: 5, column: 10}
      ]
    },
    {
      name: 'undeclared state',
      yaml: [
        'type: timeline',
        'title: A',
        'start: 1980',
        'end: 1990',
        'events:',
        '  - {date: 1985, label: Something, states: [a, b]}',
        'states:',
        '  - {id: a, description: Something}',
        ''
      ].join('\n'),
      messages: [{reason: 'Unexpected state `"b"` in `events[0].states`, expected one of the declared states `a`', line: 6, column: 48}]
    },
    {
      name: 'empty description and duplicate state',
      yaml: 'type: unit-chart\ntitle: A\ngroups: [{label: x, count: 2}]\nstates:\n  - {id: a, description: ""}\n  - {id: b, description: B}\n  - {id: b, description: B}\n',
      messages: [
        {reason: 'Unexpected `""` for `states[0].description`, expected a full text description of what the graphic shows in this state (it is the alt text)', line: 5, column: 26},
        {reason: 'Unexpected second state `b`, expected each state id once', line: 7, column: 10}
      ]
    },
    {
      name: 'unknown country',
      yaml: 'type: locator\ntitle: A\nfocus: Peruu\nbounds: {west: -86, south: -20, east: -64, north: 2}\nstates:\n  - {id: a, description: Something}\n',
      messages: [{reason: 'Unexpected country `Peruu`, expected a name from world-atlas countries-110m such as `Peru`', line: 3, column: 8}]
    },
    {
      name: 'invalid YAML',
      yaml: 'type: timeline\ntitle: [unclosed\n',
      messages: [{reason: 'Unexpected invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]', line: 3, column: 1}]
    }
  ]

  for (const testCase of cases) {
    it(testCase.name, () => {
      const file = new VFile({path: 'figures/bad.yaml', value: testCase.yaml})
      let spec: unknown
      try {
        spec = parse(testCase.yaml)
      } catch {
        spec = undefined
      }
      expect(generateGraphicSvg(spec, file)).toBeUndefined()
      expect(
        file.messages.map((m) => ({reason: m.reason, line: m.line, column: m.column, ruleId: m.ruleId, source: m.source, fatal: m.fatal}))
      ).toEqual(testCase.messages.map((m) => ({...m, ruleId: 'invalid-figure-data', source: 'twofold-figures', fatal: true})))
    })
  }

  it('warns about unknown fields without failing', () => {
    const yaml = 'type: unit-chart\ntitle: A\ngrops: 1\ngroups: [{label: x, count: 2}]\nstates:\n  - {id: a, description: Something}\n'
    const file = new VFile({path: 'figures/typo.yaml', value: yaml})
    expect(generateGraphicSvg(parse(yaml), file)).toContain('<svg')
    expect(file.messages.map((m) => [m.reason, m.line, m.ruleId, m.fatal])).toEqual([
      ['Unexpected field `grops`, expected one of `type`, `title`, `states`, `credit`, `unit`, `columns`, `groups`', 3, 'unknown-figure-field', false]
    ])
  })
})

describe('figure generators: never throw', () => {
  // Real data files, each field replaced by anything: a message, never a throw.
  it('reports instead of throwing, whatever the fields hold', async () => {
    const specs = await Promise.all(names.map(async (name) => (await load(name)).spec as unknown as Record<string, unknown>))
    const arbitrary = fc.oneof(fc.anything(), fc.array(fc.dictionary(fc.constantFrom('id', 'date', 'label', 'count', 'value', 'states', 'from', 'to', 'lon', 'lat'), fc.anything())))
    fc.assert(
      fc.property(fc.constantFrom(...specs), fc.constantFrom(...specs.flatMap((spec) => Object.keys(spec))), arbitrary, fc.constantFrom(...graphicTypes), (spec, key, value, type) => {
        const file = new VFile({path: 'figures/fuzz.yaml'})
        const svg = generateGraphicSvg({...spec, type: key === 'type' ? type : spec.type, [key]: value}, file)
        expect(svg === undefined ? file.messages.some((m) => m.fatal) : true).toBe(true)
      }),
      {numRuns: 300}
    )
  })
})

