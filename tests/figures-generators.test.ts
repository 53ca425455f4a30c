/**
 * Build-time graphics: every data file in `chapters/figures/*.yaml` generates
 * an SVG that follows the graphic state convention and the house palette;
 * bad specs produce exact, positioned, fatal messages. Every graphic comes
 * wide and narrow (phones) with the same states; a hand-made narrow SVG must
 * match its wide one. Each state is also rendered to PNG (wide at 360 and
 * 1440 px, narrow at 360 px) in `/tmp/figs/` for a human look.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {Resvg} from '@resvg/resvg-js'
import fc from 'fast-check'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import type {Element, Root} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {parse} from 'yaml'
import {generateGraphicSvgs, graphicTypes} from '../pipeline/figures/generate.js'
import {fontFamily, measure, variants} from '../pipeline/figures/generators/svg.js'
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
  return {
    file,
    spec: parse(value) as {states: Array<{id: string; description: string}>}
  }
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

/** The lines a `<text>` shows: its own text, or one per `<tspan>` with an `x` (a new line); bold where a tspan says so. */
function lines(node: Element): Array<{text: string; bold: boolean}> {
  const result: Array<{text: string; bold: boolean}> = [{text: '', bold: false}]
  for (const child of node.children) {
    if (child.type === 'text') result.at(-1)!.text += child.value
    else if (child.type === 'element' && child.name === 'tspan') {
      if (child.attributes.x !== undefined && result.at(-1)!.text !== '') result.push({text: '', bold: false})
      result.at(-1)!.text += textOf(child)
      if (child.attributes['font-weight'] !== undefined) result.at(-1)!.bold = true
    }
  }
  return result.filter((line) => line.text.trim() !== '')
}

function textOf(node: Element): string {
  return node.children.map((c) => (c.type === 'text' ? c.value : c.type === 'element' ? textOf(c) : '')).join('')
}

describe('figure generators: story data files', () => {
  it('has data files', () => {
    expect(names).toEqual([
      'mrta-timeline.yaml',
      'peru-locator.yaml',
      'raid-toll.yaml',
      'siege-days.yaml',
      'who-was-inside.yaml'
    ])
  })

  for (const name of names) {
    describe(name, async () => {
      const {file, spec} = await load(name)
      const svgs = generateGraphicSvgs(spec, file)
      const svg = svgs?.wide
      const roots = {
        wide: svgs && rootOf(fromXml(svgs.wide)),
        narrow: svgs && rootOf(fromXml(svgs.narrow))
      }

      it('generates without messages', () => {
        expect(file.messages.map((m) => String(m))).toEqual([])
        expect(svg).toBeTypeOf('string')
        expect(svgs!.narrow).toBeTypeOf('string')
      })

      it('parses the file itself when no spec is given, to the same SVG', () => {
        const again = new VFile({path: file.path, value: file.value})
        expect(generateGraphicSvgs(undefined, again)?.wide).toBe(svg)
        expect(again.messages).toEqual([])
        const narrow = new VFile({path: file.path, value: file.value})
        expect(generateGraphicSvgs(undefined, narrow)?.narrow).toBe(svgs!.narrow)
        expect(narrow.messages).toEqual([])
      })

      for (const variant of variants) {
        const label = (title: string) => (variant === 'wide' ? title : `narrow: ${title}`)

        it(label('follows the state convention'), () => {
          const svgElement = roots[variant]!
          expect(svgElement.name).toBe('svg')
          expect(svgElement.attributes.xmlns).toBe('http://www.w3.org/2000/svg')
          expect(svgElement.attributes.viewBox).toMatch(/^0 0 \d+ \d+$/)
          expect(svgElement.attributes.role).toBe('img')
          expect(svgElement.attributes.width).toBeUndefined()
          expect(svgElement.attributes.height).toBeUndefined()
          expect(svgElement.attributes['font-family']).toBe(fontFamily)
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

        it(label('is safe, small and in the palette'), () => {
          const text = svgs![variant]
          expect(text.length).toBeLessThan(60_000)
          for (const element of elements(roots[variant]!)) {
            expect(['style', 'script', 'foreignObject', 'image', 'use', 'a']).not.toContain(element.name)
            expect(element.attributes.style).toBeUndefined()
            for (const [key, value] of Object.entries(element.attributes)) {
              if (key === 'xmlns') continue
              expect(key.startsWith('on')).toBe(false)
              expect(String(value)).not.toMatch(/url\(|javascript:|https?:/)
            }
            const classes = String(element.attributes.class ?? '')
              .split(' ')
              .filter(Boolean)
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

        it(label('keeps every line of text inside the viewBox'), () => {
          const root = roots[variant]!
          const [, , width] = String(root.attributes.viewBox).split(' ').map(Number)
          for (const element of elements(root)) {
            if (element.name !== 'text') continue
            const fontSize = Number(element.attributes['font-size'])
            const x = Number(element.attributes.x)
            const anchor = String(element.attributes['text-anchor'] ?? 'start')
            for (const line of lines(element)) {
              const extent = measure(line.text, fontSize, line.bold || element.attributes['font-weight'] === '700')
              const left = anchor === 'middle' ? x - extent / 2 : anchor === 'end' ? x - extent : x
              expect(left, line.text).toBeGreaterThanOrEqual(0)
              expect(left + extent, line.text).toBeLessThanOrEqual(width!)
            }
          }
        })
      }

      it('narrow: fits a phone: at most 420 units wide, text of 15 units or more, about as tall as wide', () => {
        const root = roots.narrow!
        const [, , width, height] = String(root.attributes.viewBox).split(' ').map(Number)
        expect(width).toBeLessThanOrEqual(420)
        // Half of a 360 × 740 screen (the sticky figure) shows it at 13 px text or more; this keeps it near that.
        expect(height).toBeLessThanOrEqual(440)
        for (const element of elements(root)) {
          if (element.name === 'text') expect(Number(element.attributes['font-size'])).toBeGreaterThanOrEqual(15)
        }
      })

      it('narrow: declares the same states, in the same order, with the same title', () => {
        const states = (root: Element) =>
          root.children
            .filter((c): c is Element => c.type === 'element' && c.name === 'desc')
            .map((d) => [d.attributes['data-state'], textOf(d)])
        expect(states(roots.narrow!)).toEqual(states(roots.wide!))
        const title = (root: Element) =>
          textOf(root.children.find((c): c is Element => c.type === 'element' && c.name === 'title')!)
        expect(title(roots.narrow!)).toBe(title(roots.wide!))
      })

      it('is accepted by the graphic loader, and each state renders to PNG', async () => {
        const graphicFile = new VFile({path: file.path})
        const graphic = graphicFromSvg(name.replace(/\.yaml$/, ''), svg!, graphicFile, file.path!, {
          svg: svgs!.narrow,
          file: graphicFile
        })
        expect(graphicFile.messages.map(String)).toEqual([])
        expect(graphic!.states.map((s) => s.id)).toEqual(spec.states.map((s) => s.id))
        expect(graphic!.svgNarrow).toBe(svgs!.narrow)
        await fs.mkdir(out, {recursive: true})
        for (const state of graphic!.states) {
          for (const [variant, px] of [
            ['wide', 360],
            ['wide', 1440],
            ['narrow', 360]
          ] as const) {
            const standalone = graphic!.renderState(state.id, variant)
            expect(standalone).toContain(`viewBox="0 0 ${variant === 'wide' ? 640 : 360} `)
            const png = new Resvg(standalone, {
              fitTo: {mode: 'width', value: px},
              font: {
                loadSystemFonts: true,
                defaultFontFamily: 'Liberation Sans',
                sansSerifFamily: 'Liberation Sans'
              }
            })
              .render()
              .asPng()
            expect(png.length).toBeGreaterThan(1000)
            await fs.writeFile(
              path.join(
                out,
                `${name.replace(/\.yaml$/, '')}-${state.id}${variant === 'wide' ? '' : '-narrow'}-${px}.png`
              ),
              png
            )
          }
        }
      })
    })
  }
})

describe('graphic variants: hand-made narrow SVG', () => {
  const svg = (states: string[], extra = '') =>
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 360 400" role="img">\n<title>Bars</title>\n${states.map((id) => `<desc data-state="${id}">State ${id}.</desc>\n`).join('')}${extra}</svg>\n`
  const wide = svg(
    ['one', 'two', 'three'],
    '<rect id="bar-2" x="1" y="1" width="5" height="5" data-states="two three"/>\n'
  )

  function load(narrow: string) {
    const wideFile = new VFile({path: 'figures/bars.svg', value: wide})
    const narrowFile = new VFile({
      path: 'figures/bars.narrow.svg',
      value: narrow
    })
    const graphic = graphicFromSvg('bars', wide, wideFile, 'figures/bars.svg', {
      svg: narrow,
      file: narrowFile
    })
    const messages = (f: VFile) =>
      f.messages.map((m) => ({
        reason: m.reason,
        line: m.line,
        column: m.column,
        ruleId: m.ruleId,
        source: m.source,
        fatal: m.fatal
      }))
    return {graphic, wide: messages(wideFile), narrow: messages(narrowFile)}
  }

  it('renders each variant of a state, narrow from its own SVG', () => {
    const narrow = svg(['one', 'two', 'three'], '<circle cx="5" cy="5" r="4" data-states="three"/>\n')
    const {graphic, wide: wideMessages, narrow: narrowMessages} = load(narrow)
    expect([wideMessages, narrowMessages]).toEqual([[], []])
    expect(graphic!.svgNarrow).toBe(narrow)
    expect(graphic!.renderState('three')).toContain('<rect')
    expect(graphic!.renderState('three', 'narrow')).toContain('<circle')
    expect(graphic!.renderState('two', 'narrow')).not.toContain('<circle')
  })

  it('without a narrow SVG, the wide one serves both', () => {
    const file = new VFile({path: 'figures/bars.svg'})
    const graphic = graphicFromSvg('bars', wide, file, 'figures/bars.svg')
    expect(graphic!.svgNarrow).toBeUndefined()
    expect(graphic!.renderState('two', 'narrow')).toBe(graphic!.renderState('two'))
  })

  const cases: Array<{
    name: string
    states: string[]
    reason: string
    line: number
    column: number
  }> = [
    {
      name: 'states in another order',
      states: ['one', 'three', 'two'],
      reason:
        'Unexpected state `three` in the narrow variant where `figures/bars.svg` has `two`, expected the same states in the same order: `one`, `two`, `three`',
      line: 4,
      column: 1
    },
    {
      name: 'a missing state',
      states: ['one', 'two'],
      reason:
        'Missing state `three` in the narrow variant, expected the states of `figures/bars.svg` in the same order: `one`, `two`, `three`',
      line: 4,
      column: 1
    },
    {
      name: 'an extra state',
      states: ['one', 'two', 'three', 'four'],
      reason:
        'Unexpected extra state `four` in the narrow variant, expected only the states of `figures/bars.svg`: `one`, `two`, `three`',
      line: 6,
      column: 1
    }
  ]
  for (const testCase of cases) {
    it(`reports ${testCase.name} on the narrow file`, () => {
      const {graphic, wide: wideMessages, narrow} = load(svg(testCase.states))
      expect(graphic).toBeUndefined()
      expect(wideMessages).toEqual([])
      expect(narrow).toEqual([
        {
          reason: testCase.reason,
          line: testCase.line,
          column: testCase.column,
          ruleId: 'narrow-variant-states',
          source: 'twofold-graphics',
          fatal: true
        }
      ])
    })
  }

  it('checks the narrow SVG like the wide one, with messages on its own file', () => {
    const {graphic, wide: wideMessages, narrow} = load(svg(['one', 'two', 'three'], '<rect data-states="four"/>\n'))
    expect(graphic).toBeUndefined()
    expect(wideMessages).toEqual([])
    expect(narrow).toEqual([
      {
        reason: 'Unexpected unknown state `four` in `data-states`, expected one of `one`, `two`, `three`',
        line: 6,
        column: 1,
        ruleId: 'unknown-state',
        source: 'twofold-graphics',
        fatal: true
      }
    ])
  })
})

describe('figure generators: invalid specs', () => {
  const cases: Array<{
    name: string
    yaml: string
    messages: Array<{reason: string; line: number; column: number}>
  }> = [
    {
      name: 'unknown type',
      yaml: 'type: pie\ntitle: A\nstates:\n  - {id: a, description: Something}\n',
      messages: [
        {
          reason:
            'Unexpected graphic type `pie`, expected one of `timeline`, `day-strip`, `contested-range`, `unit-chart`, `locator`',
          line: 1,
          column: 7
        }
      ]
    },
    {
      name: 'missing states',
      yaml: 'type: unit-chart\ntitle: A\ngroups:\n  - {label: people, count: 3}\n',
      messages: [
        {
          reason: 'Missing `states`, expected a list of states as `{id, description}`',
          line: 1,
          column: 1
        }
      ]
    },
    {
      name: 'bad date',
      yaml: 'type: day-strip\ntitle: A\nstart: 1996-12-17\nend: 1997-02-30\nperiods: []\nstates:\n  - {id: a, description: Something}\n',
      messages: [
        {
          reason: 'Unexpected `"1997-02-30"` for `end`, expected a date as `YYYY-MM-DD`',
          line: 4,
          column: 6
        },
        {
          reason: 'Unexpected empty list for `periods`, expected a list of periods as `{from, to, label, states}`',
          line: 5,
          column: 10
        }
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
      messages: [
        {
          reason: 'Unexpected state `"b"` in `events[0].states`, expected one of the declared states `a`',
          line: 6,
          column: 48
        }
      ]
    },
    {
      name: 'timeline axis backwards, and a state given two axes',
      yaml: [
        'type: timeline',
        'title: A',
        'start: 1980',
        'end: 1990',
        'events:',
        '  - {date: 1985, label: Something}',
        'axes:',
        '  - {states: [a], start: 1986, end: 1984}',
        '  - {states: [b], start: 1984, end: 1986}',
        '  - {states: [b], start: 1985, end: 1986}',
        'states:',
        '  - {id: a, description: Something}',
        '  - {id: b, description: Something}',
        ''
      ].join('\n'),
      messages: [
        {
          reason: 'Unexpected `end` before `start`, expected the axis to run forwards in time',
          line: 8,
          column: 37
        },
        {
          reason: 'Unexpected second axis for state `b`, expected one axis per state',
          line: 10,
          column: 14
        }
      ]
    },
    {
      name: 'empty description and duplicate state',
      yaml: 'type: unit-chart\ntitle: A\ngroups: [{label: x, count: 2}]\nstates:\n  - {id: a, description: ""}\n  - {id: b, description: B}\n  - {id: b, description: B}\n',
      messages: [
        {
          reason:
            'Unexpected `""` for `states[0].description`, expected a full text description of what the graphic shows in this state (it is the alt text)',
          line: 5,
          column: 26
        },
        {
          reason: 'Unexpected second state `b`, expected each state id once',
          line: 7,
          column: 10
        }
      ]
    },
    {
      name: 'unknown country',
      yaml: 'type: locator\ntitle: A\nfocus: Peruu\nbounds: {west: -86, south: -20, east: -64, north: 2}\nstates:\n  - {id: a, description: Something}\n',
      messages: [
        {
          reason: 'Unexpected country `Peruu`, expected a name from world-atlas countries-110m such as `Peru`',
          line: 3,
          column: 8
        }
      ]
    },
    {
      name: 'invalid YAML',
      yaml: 'type: timeline\ntitle: [unclosed\n',
      messages: [
        {
          reason:
            'Unexpected invalid YAML: Flow sequence in block collection must be sufficiently indented and end with a ]',
          line: 3,
          column: 1
        }
      ]
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
      expect(generateGraphicSvgs(spec, file)?.wide).toBeUndefined()
      expect(
        file.messages.map((m) => ({
          reason: m.reason,
          line: m.line,
          column: m.column,
          ruleId: m.ruleId,
          source: m.source,
          fatal: m.fatal
        }))
      ).toEqual(
        testCase.messages.map((m) => ({
          ...m,
          ruleId: 'invalid-figure-data',
          source: 'twofold-figures',
          fatal: true
        }))
      )
    })
  }

  it('warns about unknown fields without failing', () => {
    const yaml =
      'type: unit-chart\ntitle: A\ngrops: 1\ngroups: [{label: x, count: 2}]\nstates:\n  - {id: a, description: Something}\n'
    const file = new VFile({path: 'figures/typo.yaml', value: yaml})
    expect(generateGraphicSvgs(parse(yaml), file)?.wide).toContain('<svg')
    expect(file.messages.map((m) => [m.reason, m.line, m.ruleId, m.fatal])).toEqual([
      [
        'Unexpected field `grops`, expected one of `type`, `title`, `states`, `credit`, `table`, `unit`, `columns`, `groups`',
        3,
        'unknown-figure-field',
        false
      ]
    ])
  })
})

describe('figure generators: heights per state', () => {
  it('ends each state of the narrow timeline below the last event it shows', async () => {
    const {file, spec} = await load('mrta-timeline.yaml')
    const narrow = rootOf(fromXml(generateGraphicSvgs(spec, file)!.narrow))
    const heights = new Map(
      String(narrow.attributes['data-state-heights'] ?? '')
        .split(' ')
        .map((entry) => entry.split(':') as [string, string])
        .map(([id, bottom]) => [id, Number(bottom)])
    )
    const states = (spec.states as Array<{id: string}>).map((state) => state.id)
    expect([...heights.keys()]).toEqual(states)
    // The first states list one event, two, three: each is taller than the one before it, and shorter than the whole.
    const [one, two, three] = states.map((id) => heights.get(id)!)
    expect(one).toBeLessThan(two!)
    expect(two).toBeLessThan(three!)
    expect(Math.max(...heights.values())).toBe(Number(narrow.attributes.viewBox!.split(' ')[3]))
  })
})

describe('figure generators: data table heads', () => {
  const yaml = (table: string) =>
    `type: unit-chart\ntitle: A\n${table}groups: [{label: rehenes, count: 2}]\nstates:\n  - {id: a, description: Algo}\n`
  const heads = (svg: string | undefined) => /data-table="([^"]*)"/.exec(svg ?? '')?.[1]

  it("are the type's own, or those the data file names in the book's language", () => {
    const plain = new VFile({path: 'figures/plain.yaml', value: yaml('')})
    expect(heads(generateGraphicSvgs(parse(yaml('')), plain)?.wide)).toBe('Group|Count')
    const named = yaml('table: [Grupo, Personas]\n')
    const file = new VFile({path: 'figures/named.yaml', value: named})
    expect(heads(generateGraphicSvgs(parse(named), file)?.wide)).toBe('Grupo|Personas')
    expect(file.messages).toEqual([])
  })

  it('are two non-empty strings, or the file is refused at the field', () => {
    for (const table of ['table: [Grupo]\n', 'table: [Grupo, Personas, Otra]\n', 'table: [Grupo, ""]\n']) {
      const file = new VFile({path: 'figures/bad.yaml', value: yaml(table)})
      expect(generateGraphicSvgs(parse(yaml(table)), file)?.wide, table).toBeUndefined()
      expect(
        file.messages.map((m) => [m.ruleId, m.line]),
        table
      ).toEqual([['invalid-figure-data', 3]])
    }
  })
})

describe('figure generators: never throw', () => {
  // Real data files, each field replaced by anything: a message, never a throw.
  it('reports instead of throwing, whatever the fields hold', async () => {
    const specs = await Promise.all(
      names.map(async (name) => (await load(name)).spec as unknown as Record<string, unknown>)
    )
    const arbitrary = fc.oneof(
      fc.anything(),
      fc.array(
        fc.dictionary(
          fc.constantFrom('id', 'date', 'label', 'count', 'value', 'states', 'from', 'to', 'lon', 'lat'),
          fc.anything()
        )
      )
    )
    fc.assert(
      fc.property(
        fc.constantFrom(...specs),
        fc.constantFrom(...specs.flatMap((spec) => Object.keys(spec))),
        arbitrary,
        fc.constantFrom(...graphicTypes),
        (spec, key, value, type) => {
          const file = new VFile({path: 'figures/fuzz.yaml'})
          const svg = generateGraphicSvgs({...spec, type: key === 'type' ? type : spec.type, [key]: value}, file)?.wide
          expect(svg === undefined ? file.messages.some((m) => m.fatal) : true).toBe(true)
        }
      ),
      {numRuns: 300}
    )
  })
})
