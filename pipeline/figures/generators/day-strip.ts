/**
 * `day-strip`: a calendar of one square per day, one row per month (two on
 * the narrow artboard: days 1–16 and 17–31), with periods marked per state
 * and explained in a key below.
 *
 * ```yaml
 * type: day-strip
 * start: 1996-12-17
 * end: 1997-04-22          # inclusive
 * periods:
 *   - from: 1996-12-17
 *     to: 1996-12-17       # optional, default `from`
 *     label: Takeover
 *     dateLabel: …         # optional: printed instead of the dates
 *     approximate: true    # optional: fade out, for “the following days”
 *     class: accent        # optional: accent (default), accent2, ink, muted, highlight
 *     states: [takeover]   # optional, default all
 * ```
 */

import {utcDay, utcMonth} from 'd3-time'
import {utcFormat} from 'd3-time-format'
import type {Element} from 'xast'
import {x} from 'xastscript'
import type {Generator} from './generator.js'
import {
  type Colour,
  fill,
  glueDates,
  group,
  markName,
  measure,
  r,
  readColour,
  squares,
  stroke,
  text,
  wrap
} from './svg.js'

const r3 = (value: number) => Math.round(value * 1000) / 1000

/** One marked period. */
export interface DayStripPeriod {
  from: Date
  /** Last day, inclusive. */
  to: Date
  label: string
  dateLabel: string
  approximate: boolean
  colour: Colour
  states: string[]
  /** The mark's name, for `highlight` and `zoom` (default: from the label). */
  id: string
  /** Where the period comes from, for the data table. */
  source?: string | undefined
}

/** A checked day-strip spec. */
export interface DayStripData {
  start: Date
  /** Last day, inclusive. */
  end: Date
  periods: DayStripPeriod[]
}

const day = utcFormat('%-d %b %Y')

/** The day-strip generator. */
export const dayStrip: Generator<DayStripData> = {
  fields: ['start', 'end', 'periods'],
  table: (data) => ({
    columns: ['Period', 'Dates'],
    rows: data.periods.map((p) => ({label: p.label, value: p.dateLabel, source: p.source}))
  }),
  read(reader, common) {
    const start = reader.date(['start'], 'day')?.date
    const end = reader.date(['end'], 'day')?.date
    if (start && end && end < start)
      reader.fail(['end'], 'Unexpected `end` before `start`, expected the last day on or after the first')
    if (start && end && utcDay.count(start, end) > 3660)
      reader.fail(['end'], 'Unexpected range of more than ten years, expected a span a day strip can show')
    const periods: DayStripPeriod[] = []
    const list = reader.list(['periods'], 'periods as `{from, to, label, states}`') ?? []
    for (const [index] of list.entries()) {
      const at = ['periods', index]
      if (
        !reader.record(at, 'a period as `{from, to, label, states}`', [
          'from',
          'to',
          'label',
          'dateLabel',
          'approximate',
          'class',
          'states',
          'id',
          'source'
        ])
      )
        continue
      const from = reader.date([...at, 'from'], 'day')?.date
      const to = reader.has([...at, 'to']) ? reader.date([...at, 'to'], 'day')?.date : from
      const label = reader.text([...at, 'label'], 'the period’s label')
      const dateLabel = reader.optionalText([...at, 'dateLabel'])
      const approximate = reader.flag([...at, 'approximate'], false)
      const colour = readColour(reader, [...at, 'class'], 'accent')
      const states = reader.stateRefs([...at, 'states'], common.states)
      const id = reader.optionalText([...at, 'id']) ?? markName(label ?? '')
      const source = reader.optionalText([...at, 'source'])
      if (!from || !to || !label || approximate === undefined || !colour || !states) continue
      if (to < from) {
        reader.fail([...at, 'to'], 'Unexpected `to` before `from`, expected the last day on or after the first')
      } else if (start && end && (from < start || to > end)) {
        reader.fail(
          [...at, 'from'],
          `Unexpected period outside the strip, expected days from ${day(start)} to ${day(end)}`
        )
      } else {
        const days = utcDay.count(from, to)
        const dates = days === 0 ? day(from) : `${day(from)} – ${day(to)} · ${days} days`
        periods.push({
          from,
          to,
          label,
          dateLabel: dateLabel ?? dates,
          approximate,
          colour,
          states,
          id,
          source
        })
      }
    }
    if (!start || !end || reader.failed) return undefined
    return {start, end, periods}
  },
  render(data, common, layout) {
    const {width, margin, size, lineHeight} = layout
    const narrow = layout.variant === 'narrow'
    const all = common.states.map((s) => s.id)
    const months = utcMonth.range(utcMonth.floor(data.start), utcDay.offset(data.end, 1))
    // Days per row: a month on a wide screen; half a month (1–16, 17–31) on a
    // phone, each row then labelled with its first day, and rows without a
    // day of the strip left out.
    const split = narrow ? 16 : 31
    const monthLabel = (month: Date, index: number) =>
      utcFormat(index === 0 || month.getUTCMonth() === 0 ? '%b %Y' : '%b')(month)
    const dayLabelWidth = narrow ? measure(String(split + 1), size.small) + 8 : 0
    const labelWidth = Math.max(...months.map((m, i) => measure(monthLabel(m, i), size.label, true))) + 12
    const gridLeft = margin + labelWidth + dayLabelWidth
    const pitch = Math.min(26, (width - margin - gridLeft) / split)
    const side = pitch - 3
    const rowPitch = pitch + (narrow ? 3 : 5)
    const headerHeight = narrow ? 30 : 46
    const children: Element[] = []

    const total = utcDay.count(data.start, data.end)
    const range = `${day(data.start)} – ${day(data.end)} · ${total} days`
    const summary = wrap(narrow ? glueDates(range) : range, width - 2 * margin, size.label)
    children.push(
      text(summary, {
        x: margin,
        y: 16,
        fontSize: size.label,
        colour: 'muted',
        lineHeight
      })
    )
    const gridTop = headerHeight + (summary.length - 1) * lineHeight
    if (!narrow) {
      for (const dom of [1, 10, 20, 31]) {
        children.push(
          text(String(dom), {
            x: gridLeft + (dom - 1) * pitch + side / 2,
            y: gridTop - 8,
            fontSize: size.small,
            colour: 'muted',
            anchor: 'middle'
          })
        )
      }
    }

    // Rows, top to bottom; months set apart on the narrow artboard, where most take two rows.
    const rowTops = new Map<string, number>()
    let y = gridTop
    months.forEach((month, index) => {
      const last = utcDay.offset(utcMonth.offset(month, 1), -1).getUTCDate()
      const halves = Array.from({length: Math.ceil(last / split)}, (_, half) => half).filter((half) => {
        const first = utcDay.offset(month, half * split)
        const final = utcDay.offset(month, Math.min(last, (half + 1) * split) - 1)
        return first <= data.end && final >= data.start
      })
      if (index > 0 && narrow) y += 5
      halves.forEach((half, i) => {
        const baseline = y + side / 2 + 6
        if (i === 0)
          children.push(
            text(monthLabel(month, index), {
              x: margin,
              y: baseline,
              fontSize: size.label,
              bold: true
            })
          )
        if (narrow)
          children.push(
            text(String(half * split + 1), {
              x: gridLeft - 8,
              y: baseline - 1,
              fontSize: size.small,
              colour: 'muted',
              anchor: 'end'
            })
          )
        rowTops.set(`${index}/${half}`, y)
        y += rowPitch
      })
    })
    const gridBottom = y

    const cell = (date: Date) => {
      const row = months.findIndex(
        (m) => m.getUTCFullYear() === date.getUTCFullYear() && m.getUTCMonth() === date.getUTCMonth()
      )
      const index = date.getUTCDate() - 1
      return {
        x: gridLeft + (index % split) * pitch,
        y: rowTops.get(`${row}/${Math.floor(index / split)}`) ?? 0
      }
    }
    const days = utcDay.range(data.start, utcDay.offset(data.end, 1))
    children.push(x('path', {d: squares(days.map(cell), side), ...fill('grid')}))

    // Longer periods first, so the short ones a state builds on stay visible on top of them.
    const drawOrder = [...data.periods].sort((a, b) => utcDay.count(b.from, b.to) - utcDay.count(a.from, a.to))
    for (const period of drawOrder) {
      const inPeriod = utcDay.range(period.from, utcDay.offset(period.to, 1))
      const marks: Element[] = []
      if (period.approximate) {
        // Fading squares: the sources say “the following days”, not which.
        inPeriod.forEach((date, i) => {
          const {x: cx, y: cy} = cell(date)
          const opacity = 1 - (0.8 * i) / Math.max(1, inPeriod.length - 1)
          marks.push(
            x('rect', {
              x: r(cx),
              y: r(cy),
              width: r(side),
              height: r(side),
              ...fill(period.colour),
              'fill-opacity': r(opacity)
            })
          )
        })
      } else if (inPeriod.length > 7) {
        // One square per day, each with its place in the period: a step with `progress` fills them day by day.
        const days = inPeriod.map((date, i) => {
          const {x: cx, y: cy} = cell(date)
          return x('rect', {
            x: r(cx),
            y: r(cy),
            width: r(side),
            height: r(side),
            'data-reveal': r3(i / inPeriod.length)
          })
        })
        marks.push(x('g', fill(period.colour), days))
      } else {
        marks.push(
          x('path', {
            d: squares(inPeriod.map(cell), side),
            ...fill(period.colour)
          })
        )
      }
      if (inPeriod.length <= 3) {
        // A ring makes a single day findable at phone size.
        for (const date of inPeriod) {
          const {x: cx, y: cy} = cell(date)
          marks.push(
            x('rect', {
              x: r(cx - 2.5),
              y: r(cy - 2.5),
              width: r(side + 5),
              height: r(side + 5),
              rx: 3,
              ...stroke(period.colour, 2)
            })
          )
        }
      }
      const element = group(period.states, all, marks, {'data-mark': period.id})
      if (element) children.push(element)
    }

    // Key: in each state, the visible periods stacked in order. A key entry is
    // drawn once per place it takes, visible in the states that put it there.
    const keyTop = gridBottom + 16
    const keyTextWidth = width - 2 * margin - 30
    // On a phone the explanation is set a size smaller than its dates, to keep the key short.
    const keySize = narrow ? size.small : size.label
    const entries = data.periods.map((period) => ({
      period,
      dates: wrap(narrow ? glueDates(period.dateLabel) : period.dateLabel, keyTextWidth, size.label, true, true),
      lines: wrap(period.label, keyTextWidth, keySize, false, true)
    }))
    const placements = new Map<string, {entry: (typeof entries)[number]; y: number; states: string[]}>()
    let keyHeight = 0
    // Each state ends below its own key (see `Body.heights`).
    const heights: Record<string, number> = {}
    // Wide: every period shown in a state is explained, stacked in order. Narrow: only the periods
    // the state brings in (their marks stay), so the key never reserves room for later states.
    const fresh = (state: string) => entries.filter((entry) => entry.period.states[0] === state)
    for (const state of all) {
      let y = keyTop
      const only = narrow && fresh(state).length > 0 ? fresh(state) : undefined
      entries.forEach((entry, index) => {
        if (!entry.period.states.includes(state) || (only && !only.includes(entry))) return
        const key = `${index}@${y}`
        const placement = placements.get(key) ?? {entry, y, states: []}
        placement.states.push(state)
        placements.set(key, placement)
        y += (entry.dates.length + entry.lines.length) * lineHeight + 12
      })
      keyHeight = Math.max(keyHeight, y - keyTop)
      heights[state] = y - 8
    }
    for (const {entry, y, states} of placements.values()) {
      const element = group(states, all, [
        x('rect', {
          x: margin,
          y: r(y + 2),
          width: 18,
          height: 18,
          ...fill(entry.period.colour)
        }),
        text(entry.dates, {
          x: margin + 30,
          y: y + 16,
          fontSize: size.label,
          bold: true,
          lineHeight
        }),
        text(entry.lines, {
          x: margin + 30,
          y: y + 16 + entry.dates.length * lineHeight,
          fontSize: keySize,
          lineHeight
        })
      ])
      if (element) children.push(element)
    }
    return {children, height: keyTop + keyHeight - 8, heights}
  }
}
