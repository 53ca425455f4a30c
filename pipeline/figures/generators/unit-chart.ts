/**
 * `unit-chart`: one small square per person (or unit), a block per group,
 * each labelled with its count. Groups show in their `states`; a group's
 * `highlights` mark its first units in their states, while every other unit
 * of the chart fades, so the marked ones stand out.
 *
 * ```yaml
 * type: unit-chart
 * unit: person            # optional: “Each square is one person”
 * columns: 30             # optional: squares per row (default: as many as fit);
 *                         #   on phones as many as fit at 13 units, in fives, at most this
 * groups:
 *   - label: commandos    # printed after the count: “140 commandos”
 *     count: 140
 *     class: accent2      # optional: accent2, ink (default), muted, accent, highlight
 *     states: [forces, deaths]   # optional, default all
 *     highlights:         # optional
 *       - count: 2
 *         label: 2 died
 *         class: accent   # optional, default accent
 *         states: [deaths]
 * ```
 */
import type {Element} from 'xast'
import {x} from 'xastscript'
import type {Generator} from './generator.js'
import {type Colour, fill, group, type Layout, markName, measure, r, readColour, squares, text} from './svg.js'

/** A marked part of a group. */
export interface UnitHighlight {
  count: number
  label: string
  colour: Colour
  states: string[]
}

/** One group of units. */
export interface UnitGroup {
  label: string
  /** Where the count comes from, for the data table. */
  source?: string | undefined
  count: number
  colour: Colour
  states: string[]
  highlights: UnitHighlight[]
}

/** A checked unit-chart spec. */
export interface UnitChartData {
  unit?: string | undefined
  columns?: number | undefined
  groups: UnitGroup[]
}

const maxUnits = 2000

/** The unit-chart generator. */
export const unitChart: Generator<UnitChartData> = {
  fields: ['unit', 'columns', 'groups'],
  table: (data) => ({
    columns: ['Group', 'Count'],
    rows: data.groups.map((g) => ({
      label: g.label,
      value: [g.count.toLocaleString('en'), ...g.highlights.map((h) => h.label)].join('; '),
      source: g.source
    }))
  }),
  read(reader, common) {
    const unit = reader.optionalText(['unit'])
    const columns = reader.optionalNumber(['columns'], {
      min: 2,
      max: 60,
      integer: true
    })
    const groups: UnitGroup[] = []
    const list = reader.list(['groups'], 'groups as `{label, count, states}`') ?? []
    for (const [index] of list.entries()) {
      const at = ['groups', index]
      if (
        !reader.record(at, 'a group as `{label, count, states}`', [
          'label',
          'count',
          'class',
          'states',
          'highlights',
          'source'
        ])
      )
        continue
      const label = reader.text([...at, 'label'], 'what the units are, e.g. `commandos`')
      const count = reader.number([...at, 'count'], {
        min: 1,
        max: maxUnits,
        integer: true
      })
      const colour = readColour(reader, [...at, 'class'], 'ink')
      const states = reader.stateRefs([...at, 'states'], common.states)
      const source = reader.optionalText([...at, 'source'])
      const highlights: UnitHighlight[] = []
      const marks = reader.has([...at, 'highlights'])
        ? (reader.list([...at, 'highlights'], 'highlights as `{count, label, states}`') ?? [])
        : []
      for (const [h] of marks.entries()) {
        const hat = [...at, 'highlights', h]
        if (!reader.record(hat, 'a highlight as `{count, label, states}`', ['count', 'label', 'class', 'states']))
          continue
        const hCount = reader.number([...hat, 'count'], {
          min: 1,
          max: count ?? maxUnits,
          integer: true
        })
        const hLabel = reader.text([...hat, 'label'], 'what the marked units are, e.g. `2 died`')
        const hColour = readColour(reader, [...hat, 'class'], 'accent')
        const hStates = reader.stateRefs([...hat, 'states'], common.states)
        if (hCount !== undefined && hLabel && hColour && hStates)
          highlights.push({
            count: hCount,
            label: hLabel,
            colour: hColour,
            states: hStates
          })
      }
      if (label && count !== undefined && colour && states)
        groups.push({label, count, colour, states, highlights, source})
    }
    if (reader.failed) return undefined
    return {unit, columns, groups}
  },
  render(data, common, layout) {
    const {width, margin, size} = layout
    const all = common.states.map((s) => s.id)
    const {columns, pitch} = grid(data, layout)
    const side = pitch - (layout.variant === 'narrow' ? 3.5 : 4)
    const children: Element[] = []
    let y = 0
    if (data.unit) {
      children.push(
        text(`Each square is one ${data.unit}`, {
          x: margin,
          y: 16,
          fontSize: size.label,
          colour: 'muted'
        })
      )
      y = 30
    }
    // Every unit fades in the states where something is highlighted.
    const faded = all.filter((id) => data.groups.some((g) => g.highlights.some((h) => h.states.includes(id))))
    const top = y
    // The body's height in each state: a state is as tall as the groups it shows.
    const heights: Record<string, number> = {}

    // Each state lays out only the groups it shows, with a line for highlight labels only where
    // one shows under its headline: states that lay out alike share one drawing, and no state
    // keeps room for a group or a label that is not on screen yet.
    const below = data.groups.map((unitGroup) => {
      // Highlight labels follow the headline, or go below it when too long.
      const headWidth =
        measure(unitGroup.count.toLocaleString('en'), size.key, true) + measure(` ${unitGroup.label}`, size.key)
      const extra = unitGroup.highlights.some(
        (h) => headWidth + 16 + measure(h.label, size.key, true) > width - 2 * margin
      )
      return {headWidth, extra}
    })
    const layoutOf = (state: string) => {
      let at = top
      const tops = data.groups.map((unitGroup, index) => {
        if (!unitGroup.states.includes(state)) return undefined
        const extra = below[index]?.extra === true && unitGroup.highlights.some((h) => h.states.includes(state))
        const tops = {y: at, gridTop: at + (extra ? 56 : 32), extra}
        at = tops.gridTop + Math.ceil(unitGroup.count / columns) * pitch + 22
        return tops
      })
      heights[state] = r(Math.max(top, at - 22))
      return tops
    }
    const layouts = new Map<string, {states: string[]; tops: ReturnType<typeof layoutOf>}>()
    for (const state of all) {
      const tops = layoutOf(state)
      const key = JSON.stringify(tops)
      const known = layouts.get(key)
      if (known) known.states.push(state)
      else layouts.set(key, {states: [state], tops})
    }

    data.groups.forEach((unitGroup, index) => {
      const {headWidth} = below[index] ?? {headWidth: 0}
      for (const {states: layoutStates, tops} of layouts.values()) {
        const at = tops[index]
        if (!at) continue
        const shown = unitGroup.states.filter((id) => layoutStates.includes(id))
        const only = (states: readonly string[]) => states.filter((id) => shown.includes(id))
        const marks: Element[] = []
        marks.push(
          x('text', {x: margin, y: r(at.y + 18), ...fill('ink'), 'font-size': size.key}, [
            x('tspan', {'font-weight': 700}, unitGroup.count.toLocaleString('en')),
            ` ${unitGroup.label}`
          ])
        )
        for (const highlight of unitGroup.highlights) {
          const label = text(highlight.label, {
            x: at.extra ? margin : margin + headWidth + 16,
            y: at.extra ? at.y + 42 : at.y + 18,
            fontSize: size.key,
            bold: true,
            colour: highlight.colour
          })
          const element = group(only(highlight.states), shown, [label])
          if (element) marks.push(element)
        }
        const cells = Array.from({length: unitGroup.count}, (_, i) => ({
          x: margin + (i % columns) * pitch,
          y: at.gridTop + Math.floor(i / columns) * pitch
        }))
        const plain = shown.filter((id) => !faded.includes(id))
        const dim = shown.filter((id) => faded.includes(id))
        for (const [states, colour] of [
          [plain, unitGroup.colour],
          [dim, 'grid']
        ] as const) {
          const element = group(states, shown, [x('path', {d: squares(cells, side), ...fill(colour)})])
          if (element) marks.push(element)
        }
        for (const highlight of unitGroup.highlights) {
          const element = group(only(highlight.states), shown, [
            x('path', {
              d: squares(cells.slice(0, highlight.count), side),
              ...fill(highlight.colour)
            })
          ])
          if (element) marks.push(element)
        }
        // One name and key for the group's drawings: the client moves it from one to the next.
        const name = markName(unitGroup.label)
        const element = group(shown, all, marks, {'data-mark': name, 'data-key': name})
        if (element) children.push(element)
      }
    })
    return {children, height: Math.max(...Object.values(heights)), heights}
  }
}

/**
 * Squares per row and their pitch. Wide: `columns` (default as many 18-unit
 * squares as fit). Narrow: as many squares of at least 13 units as fit,
 * rounded down to fives (easier to count), never more than `columns`.
 */
function grid(data: UnitChartData, layout: Layout): {columns: number; pitch: number} {
  const room = layout.width - 2 * layout.margin + 4
  if (layout.variant === 'narrow') {
    const fit = Math.floor(room / 13)
    const columns = Math.min(data.columns ?? fit, fit >= 10 ? fit - (fit % 5) : fit)
    return {columns, pitch: Math.min(24, room / columns)}
  }
  if (data.columns) return {columns: data.columns, pitch: Math.min(24, room / data.columns)}
  return {columns: Math.floor(room / 18), pitch: 18}
}
