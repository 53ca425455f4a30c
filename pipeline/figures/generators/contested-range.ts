/**
 * `contested-range`: what several sources say a number is, one row per
 * source on a shared scale, with the spread between them shaded; optionally a
 * final, settled figure that the other accounts fade behind.
 *
 * ```yaml
 * type: contested-range
 * unit: people                 # optional: names the scale
 * accounts:
 *   - label: Portuguese video description
 *     value: 800
 *     text: 800 hostages       # optional, default the value
 *     bound: lower             # optional: `lower` (“over 400”) or `upper` (“under …”)
 *     states: [counts]         # optional, default all
 * range:                       # optional
 *   label: The accounts disagree   # default “From … to …”
 *   states: [counts]           # default every state without the final figure
 * final:                       # optional
 *   value: 72
 *   label: Hostages still held at the raid
 *   text: '72'                 # optional
 *   states: [remained]         # default the last state
 * ```
 */

import {max, min} from 'd3-array'
import {scaleLinear} from 'd3-scale'
import {line} from 'd3-shape'
import type {Element} from 'xast'
import {x} from 'xastscript'
import type {GraphicState} from '../../types.js'
import type {Generator} from './generator.js'
import type {Path, SpecReader} from './reader.js'
import {type Colour, fill, group, measure, r, slack, stroke, text} from './svg.js'

/** One source's figure. */
export interface Account {
  label: string
  value: number
  text: string
  bound?: 'lower' | 'upper' | undefined
  states: string[]
}

/** A checked contested-range spec. */
export interface ContestedRangeData {
  unit?: string | undefined
  accounts: Account[]
  range: {label: string; states: string[]}
  final?: Account | undefined
}

/** The contested-range generator. */
export const contestedRange: Generator<ContestedRangeData> = {
  fields: ['unit', 'accounts', 'range', 'final'],
  // Each account is a source's figure: the source is the row.
  table: (data) => ({
    columns: ['Source', 'Figure'],
    rows: [...data.accounts, ...(data.final ? [data.final] : [])].map((a) => ({label: a.label, value: a.text}))
  }),
  read(reader, common) {
    const all = common.states.map((s) => s.id)
    const unit = reader.optionalText(['unit'])
    const accounts: Account[] = []
    const list = reader.list(['accounts'], 'accounts as `{label, value, text}`', 2) ?? []
    for (const [index] of list.entries()) {
      const account = readAccount(reader, ['accounts', index], common.states, all)
      if (account) accounts.push(account)
    }
    let final: Account | undefined
    if (reader.has(['final'])) {
      final = readAccount(reader, ['final'], common.states, all.slice(-1))
    }
    const values = accounts.map((a) => a.value)
    const low = accounts.find((a) => a.value === min(values))
    const high = accounts.find((a) => a.value === max(values))
    let range: ContestedRangeData['range'] | undefined
    if (reader.has(['range'])) reader.record(['range'], 'a mapping `{label, states}`', ['label', 'states'])
    const rangeLabel = reader.optionalText(['range', 'label'])
    const rangeStates = reader.stateRefs(
      ['range', 'states'],
      common.states,
      all.filter((id) => !final?.states.includes(id))
    )
    if (low && high && rangeStates) {
      range = {
        label: rangeLabel ?? `From ${low.text} to ${high.text}`,
        states: rangeStates
      }
    }
    if (!range || reader.failed) return undefined
    return {unit, accounts, range, final}
  },
  render(data, common, layout) {
    const {width, margin, size} = layout
    const narrow = layout.variant === 'narrow'
    // Rows: the source's name, then its mark and figure; tighter on phones.
    const rowHeight = narrow ? 46 : 62
    const markY = narrow ? 34 : 38
    const arrowLength = narrow ? 34 : 44
    const all = common.states.map((s) => s.id)
    const everything = [...data.accounts, ...(data.final ? [data.final] : [])]
    const x0 = margin + 8
    const x1 = width - margin - 8
    const scale = scaleLinear()
      .domain([0, Math.max(1, ...everything.map((a) => a.value))])
      .range([x0, x1])
      .nice()
    const children: Element[] = []
    // A figure that fits neither beside its mark goes under it, and its row grows.
    const below = 20
    const heightOf = (account: Account) => rowHeight + (place(account).side === 'below' ? below : 0)
    const rowsTop = narrow ? 36 : 40
    const heights = data.accounts.map(heightOf)
    const rowsBottom = rowsTop + heights.reduce((sum, height) => sum + height, 0)
    const values = data.accounts.map((a) => a.value)
    const low = scale(Math.min(...values))
    const high = scale(Math.max(...values))
    const finalTop = rowsBottom + (narrow ? 6 : 14)
    const axisY = (data.final ? finalTop + heightOf(data.final) : rowsBottom) + 6
    const tickCount = narrow ? 4 : 5
    const ticks = scale.ticks(tickCount)
    const format = scale.tickFormat(tickCount)

    // Two layouts of the rows, each for its states: with the final figure, and without it, where
    // the rows spread over the final's room, so no state leaves a blank band for one not reached yet.
    const finalStates = data.final?.states ?? []
    const spread = data.final ? (axisY - 6 - rowsBottom) / data.accounts.length : 0
    const layouts = [
      {states: all.filter((id) => !finalStates.includes(id)), gap: spread},
      {states: all.filter((id) => finalStates.includes(id)), gap: 0}
    ].map(({states, gap}) => {
      const tops = heights.map((_, index) => rowsTop + heights.slice(0, index).reduce((a, b) => a + b, 0) + index * gap)
      const bottom = rowsBottom + (data.accounts.length - 1) * gap
      // Where the marks run: the band and, on a phone, the grid lines keep to them.
      const lines = tops.map((top) => [top + markY - 14, top + markY + 14])
      return {states, tops, bottom, lines}
    })

    // Vertical grid lines at the ticks, behind everything. On a phone, where the source's name
    // spans the plot, they run only along the marks' lines and below the rows: no line crosses a label.
    for (const layout of narrow ? layouts : layouts.slice(0, 1)) {
      const spans = narrow ? [...layout.lines, [layout.bottom, axisY]] : [[rowsTop - 12, axisY]]
      const grid = group(narrow ? layout.states : all, all, [
        x('path', {
          d: ticks.flatMap((t) => spans.map(([y0, y1]) => `M${r(scale(t))} ${r(y0!)}V${r(y1!)}`)).join(''),
          ...stroke('grid', 1)
        })
      ])
      if (grid) children.push(grid)
    }

    // The spread between the accounts, with its label above it.
    const labelWidth = measure(data.range.label, size.label, true)
    const labelX = Math.min(Math.max((low + high) / 2, margin + labelWidth / 2), width - margin - labelWidth / 2)
    for (const layout of layouts) {
      // On a phone the band runs along each mark's line, clear of the sources' names above them.
      const bands = narrow ? layout.lines : [[rowsTop - 12, layout.bottom]]
      const band = group(
        data.range.states.filter((id) => layout.states.includes(id)),
        all,
        [
          ...bands.map(([y0, y1]) =>
            x('rect', {
              x: r(low),
              y: r(y0!),
              width: r(Math.max(2, high - low)),
              height: r(y1! - y0!),
              rx: 4,
              ...fill('highlight'),
              'fill-opacity': 0.35
            })
          ),
          // Edges as thin rects: the palette restyles `tf-highlight` fills only.
          x('path', {
            d: bands
              .map(([y0, y1]) => `M${r(low - 1)} ${r(y0!)}h2V${r(y1!)}h-2zM${r(high - 1)} ${r(y0!)}h2V${r(y1!)}h-2z`)
              .join(''),
            ...fill('highlight')
          }),
          text(data.range.label, {
            x: labelX,
            y: rowsTop - 20,
            fontSize: size.label,
            bold: true,
            anchor: 'middle'
          })
        ]
      )
      if (band) children.push(band)
    }

    // An account's row in each layout, loud before the final figure, quiet (greyed) with it. Both
    // carry one key: between states the client moves the row from one place to the other.
    data.accounts.forEach((account, index) => {
      for (const [layout, muted] of [
        [layouts[0], false],
        [layouts[1], true]
      ] as const) {
        const states = account.states.filter((id) => layout?.states.includes(id))
        const top = layout?.tops[index] ?? 0
        const element = group(states, all, row(account, top, muted ? 'muted' : 'ink', muted ? 'grid' : 'accent2'), {
          'data-key': `account-${index}`
        })
        if (element) children.push(element)
      }
    })

    if (data.final) {
      const element = group(data.final.states, all, row(data.final, finalTop, 'ink', 'accent'))
      if (element) children.push(element)
    }

    // Scale.
    children.push(
      x('line', {x1: x0, x2: x1, y1: axisY, y2: axisY, ...stroke('muted', 1)}),
      x('path', {
        d: ticks.map((t) => `M${r(scale(t))} ${axisY}v7`).join(''),
        ...stroke('muted', 1)
      }),
      ...ticks.map((t) =>
        text(format(t), {
          x: scale(t),
          y: axisY + 26,
          fontSize: size.small,
          colour: 'muted',
          anchor: 'middle'
        })
      )
    )
    let height = axisY + 30
    if (data.unit) {
      children.push(
        text(data.unit, {
          x: x1,
          y: axisY + 48,
          fontSize: size.small,
          colour: 'muted',
          anchor: 'end'
        })
      )
      height += 20
    }
    return {children, height}

    /** Where an account's figure goes: right of its mark (and arrow), else left, else under it. */
    function place(account: Account): {
      side: 'right' | 'left' | 'below'
      x: number
    } {
      const cx = scale(account.value)
      const tip = cx + (account.bound === 'upper' ? -1 : 1) * arrowLength
      const right = account.bound === 'lower' ? tip + 10 : cx + 14
      const left = account.bound === 'upper' ? tip - 10 : cx - 14
      const valueWidth = measure(account.text, size.key, true) * slack
      if (right + valueWidth <= width - margin) return {side: 'right', x: right}
      if (left - valueWidth >= margin) return {side: 'left', x: left}
      return {
        side: 'below',
        x: Math.min(Math.max(cx, margin + valueWidth / 2), width - margin - valueWidth / 2)
      }
    }

    function row(account: Account, top: number, ink: Colour, mark: Colour): Element[] {
      const cy = top + markY
      const cx = scale(account.value)
      const marks: Element[] = [
        text(account.label, {
          x: margin,
          y: top + 16,
          fontSize: size.label,
          colour: ink
        })
      ]
      const direction = account.bound === 'upper' ? -1 : 1
      if (account.bound) {
        // An arrow says “more than” / “less than” without relying on the words alone.
        const tip = cx + direction * arrowLength
        const arrow = line().digits(1)([
          [cx, cy],
          [tip, cy]
        ])
        const head = line().digits(1)([
          [tip - direction * 8, cy - 6],
          [tip, cy],
          [tip - direction * 8, cy + 6]
        ])
        marks.push(
          x('path', {
            d: `${arrow ?? ''}${head ?? ''}`,
            ...stroke(mark, 2.5),
            'stroke-linecap': 'round',
            'stroke-linejoin': 'round'
          })
        )
      }
      marks.push(x('circle', {cx: r(cx), cy: r(cy), r: 8, ...fill(mark)}))
      const spot = place(account)
      marks.push(
        text(account.text, {
          x: spot.x,
          y: spot.side === 'below' ? cy + 6 + below : cy + 6,
          fontSize: size.key,
          bold: true,
          colour: ink,
          anchor: spot.side === 'right' ? 'start' : spot.side === 'left' ? 'end' : 'middle'
        })
      )
      return marks
    }
  }
}

function readAccount(
  reader: SpecReader,
  at: Path,
  states: readonly GraphicState[],
  fallback: readonly string[]
): Account | undefined {
  if (!reader.record(at, 'a figure as `{label, value, text}`', ['label', 'value', 'text', 'bound', 'states']))
    return undefined
  const label = reader.text([...at, 'label'], 'who gives this figure, e.g. the source')
  const value = reader.number([...at, 'value'], {min: 0})
  const shown = reader.optionalText([...at, 'text'])
  const bound = reader.choice([...at, 'bound'], ['lower', 'upper', 'exact'] as const, 'exact')
  const visible = reader.stateRefs([...at, 'states'], states, fallback)
  if (label === undefined || value === undefined || bound === undefined || visible === undefined) return undefined
  return {
    label,
    value,
    text: shown ?? value.toLocaleString('en'),
    bound: bound === 'exact' ? undefined : bound,
    states: visible
  }
}
