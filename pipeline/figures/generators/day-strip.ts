/**
 * `day-strip`: a calendar of one square per day, one row per month, with
 * periods marked per state and explained in a key below.
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
import type {Element} from 'xast'
import {x} from 'xastscript'
import {utcDay, utcMonth} from 'd3-time'
import {utcFormat} from 'd3-time-format'
import type {Generator} from './generator.js'
import {fill, group, margin, measure, r, size, squares, stroke, readColour, text, width, wrap, type Colour} from './svg.js'

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
  read(reader, common) {
    const start = reader.date(['start'], 'day')?.date
    const end = reader.date(['end'], 'day')?.date
    if (start && end && end < start) reader.fail(['end'], 'Unexpected `end` before `start`, expected the last day on or after the first')
    if (start && end && utcDay.count(start, end) > 3660) reader.fail(['end'], 'Unexpected range of more than ten years, expected a span a day strip can show')
    const periods: DayStripPeriod[] = []
    const list = reader.list(['periods'], 'periods as `{from, to, label, states}`') ?? []
    for (const [index] of list.entries()) {
      const at = ['periods', index]
      if (!reader.record(at, 'a period as `{from, to, label, states}`', ['from', 'to', 'label', 'dateLabel', 'approximate', 'class', 'states'])) continue
      const from = reader.date([...at, 'from'], 'day')?.date
      const to = reader.has([...at, 'to']) ? reader.date([...at, 'to'], 'day')?.date : from
      const label = reader.text([...at, 'label'], 'the period’s label')
      const dateLabel = reader.optionalText([...at, 'dateLabel'])
      const approximate = reader.flag([...at, 'approximate'], false)
      const colour = readColour(reader, [...at, 'class'], 'accent')
      const states = reader.stateRefs([...at, 'states'], common.states)
      if (!from || !to || !label || approximate === undefined || !colour || !states) continue
      if (to < from) {
        reader.fail([...at, 'to'], 'Unexpected `to` before `from`, expected the last day on or after the first')
      } else if (start && end && (from < start || to > end)) {
        reader.fail([...at, 'from'], `Unexpected period outside the strip, expected days from ${day(start)} to ${day(end)}`)
      } else {
        const days = utcDay.count(from, to)
        const dates = days === 0 ? day(from) : `${day(from)} – ${day(to)} · ${days} days`
        periods.push({from, to, label, dateLabel: dateLabel ?? dates, approximate, colour, states})
      }
    }
    if (!start || !end || reader.failed) return undefined
    return {start, end, periods}
  },
  render(data, common) {
    const all = common.states.map((s) => s.id)
    const months = utcMonth.range(utcMonth.floor(data.start), utcDay.offset(data.end, 1))
    const monthLabel = (month: Date, index: number) => utcFormat(index === 0 || month.getUTCMonth() === 0 ? '%b %Y' : '%b')(month)
    const labelWidth = Math.max(...months.map((m, i) => measure(monthLabel(m, i), size.label, true))) + 12
    const gridLeft = margin + labelWidth
    const pitch = Math.min(26, (width - margin - gridLeft) / 31)
    const side = pitch - 3
    const rowPitch = pitch + 5
    const headerHeight = 46
    const children: Element[] = []

    const total = utcDay.count(data.start, data.end)
    children.push(text(`${day(data.start)} – ${day(data.end)} · ${total} days`, {x: margin, y: 16, fontSize: size.label, colour: 'muted'}))
    for (const dom of [1, 10, 20, 31]) {
      children.push(text(String(dom), {x: gridLeft + (dom - 1) * pitch + side / 2, y: headerHeight - 8, fontSize: size.small, colour: 'muted', anchor: 'middle'}))
    }

    const cell = (date: Date) => {
      const row = months.findIndex((m) => m.getUTCFullYear() === date.getUTCFullYear() && m.getUTCMonth() === date.getUTCMonth())
      return {x: gridLeft + (date.getUTCDate() - 1) * pitch, y: headerHeight + row * rowPitch}
    }
    months.forEach((month, index) => {
      children.push(text(monthLabel(month, index), {x: margin, y: headerHeight + index * rowPitch + side / 2 + 6, bold: true}))
    })
    const days = utcDay.range(data.start, utcDay.offset(data.end, 1))
    children.push(x('path', {d: squares(days.map(cell), side), ...fill('grid')}))

    for (const period of data.periods) {
      const inPeriod = utcDay.range(period.from, utcDay.offset(period.to, 1))
      const marks: Element[] = []
      if (period.approximate) {
        // Fading squares: the sources say “the following days”, not which.
        inPeriod.forEach((date, i) => {
          const {x: cx, y: cy} = cell(date)
          const opacity = 1 - (0.8 * i) / Math.max(1, inPeriod.length - 1)
          marks.push(x('rect', {x: r(cx), y: r(cy), width: r(side), height: r(side), ...fill(period.colour), 'fill-opacity': r(opacity)}))
        })
      } else {
        marks.push(x('path', {d: squares(inPeriod.map(cell), side), ...fill(period.colour)}))
      }
      if (inPeriod.length <= 3) {
        // A ring makes a single day findable at phone size.
        for (const date of inPeriod) {
          const {x: cx, y: cy} = cell(date)
          marks.push(x('rect', {x: r(cx - 2.5), y: r(cy - 2.5), width: r(side + 5), height: r(side + 5), rx: 3, ...stroke(period.colour, 2)}))
        }
      }
      const element = group(period.states, all, marks)
      if (element) children.push(element)
    }

    // Key: in each state, the visible periods stacked in order. A key entry is
    // drawn once per place it takes, visible in the states that put it there.
    const keyTop = headerHeight + months.length * rowPitch + 16
    const keyTextWidth = width - 2 * margin - 30
    const entries = data.periods.map((period) => ({
      period,
      lines: [period.dateLabel, ...wrap(period.label, keyTextWidth, size.label)]
    }))
    const placements = new Map<string, {entry: (typeof entries)[number]; y: number; states: string[]}>()
    let keyHeight = 0
    for (const state of all) {
      let y = keyTop
      entries.forEach((entry, index) => {
        if (!entry.period.states.includes(state)) return
        const key = `${index}@${y}`
        const placement = placements.get(key) ?? {entry, y, states: []}
        placement.states.push(state)
        placements.set(key, placement)
        y += entry.lines.length * 20 + 12
      })
      keyHeight = Math.max(keyHeight, y - keyTop)
    }
    for (const {entry, y, states} of placements.values()) {
      const element = group(states, all, [
        x('rect', {x: margin, y: r(y + 2), width: 18, height: 18, ...fill(entry.period.colour)}),
        text(entry.lines[0]!, {x: margin + 30, y: y + 16, bold: true}),
        text(entry.lines.slice(1), {x: margin + 30, y: y + 36, lineHeight: 20})
      ])
      if (element) children.push(element)
    }
    return {children, height: keyTop + keyHeight - 8}
  }
}
