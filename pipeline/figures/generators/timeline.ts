/**
 * `timeline`: a horizontal time axis with events (dates or spans): on the
 * wide artboard flagged by labels in lanes above it; on the narrow one with
 * fewer ticks and the labels stacked below it in date order. Each event shows
 * in its `states`; in the states where it is new (or those listed in
 * `highlight`) it is drawn in the accent colour, otherwise muted.
 *
 * ```yaml
 * type: timeline
 * start: 1982            # year, `YYYY-MM` or `YYYY-MM-DD`; the axis covers all of `end`
 * end: 1997
 * events:
 *   - date: 1982         # or a month or a day
 *     end: 1994          # optional: a span
 *     dateLabel: Early 1990s   # optional: printed instead of the date
 *     label: MRTA begins armed actions
 *     states: [founding, takeover]   # optional, default all
 *     highlight: [founding]          # optional, default where it first appears
 * axes:                  # optional: states whose axis covers less time
 *   - states: [siege]
 *     start: 1996-12
 *     end: 1997-04
 * ```
 *
 * A state listed in `axes` shows its own axis, with only the events inside
 * it; the others show the whole axis. The page moves the ticks and the events
 * from one axis to the other (each drawn per axis with one `data-key`: a tick by
 * its label, an event by its place in `events`).
 */

import {type ScaleTime, scaleUtc} from 'd3-scale'
import {utcDay, utcMonth, utcYear} from 'd3-time'
import {utcFormat} from 'd3-time-format'
import type {Element} from 'xast'
import {x} from 'xastscript'
import type {Generator} from './generator.js'
import type {SpecDate} from './reader.js'
import type {Body} from './svg.js'
import {type Colour, fill, group, type Layout, measure, r, stroke, text, wrap} from './svg.js'

/** One event of a timeline. */
export interface TimelineEvent {
  start: Date
  /** End of a span (exclusive), when the event is one. */
  end?: Date | undefined
  dateLabel: string
  label: string
  states: string[]
  highlight: string[]
  /** Where the event comes from, for the data table. */
  source?: string | undefined
  /** The event's key, the same on every axis: `event-<n>`. */
  key: string
}

/** An axis of fewer years for some states. */
export interface TimelineAxis {
  start: Date
  end: Date
  states: string[]
}

/** A checked timeline spec. */
export interface TimelineData {
  start: Date
  end: Date
  events: TimelineEvent[]
  axes?: TimelineAxis[]
}

const maxLabelWidth = 230
/** Gap between a flag's pole and its text. */
const poleGap = 7

/** The timeline generator. */
export const timeline: Generator<TimelineData> = {
  fields: ['start', 'end', 'events', 'axes'],
  table: (data) => ({
    columns: ['Event', 'Date'],
    rows: data.events.map((e) => ({label: e.label, value: e.dateLabel, source: e.source}))
  }),
  read(reader, common) {
    const start = reader.date(['start'])
    const end = reader.date(['end'])
    const axisStart = start?.date
    const axisEnd = end && endOf(end)
    if (axisStart && axisEnd && axisEnd <= axisStart) {
      reader.fail(['end'], `Unexpected \`end\` before \`start\`, expected the axis to run forwards in time`)
    }
    const events: TimelineEvent[] = []
    const list = reader.list(['events'], 'events as `{date, label, states}`') ?? []
    for (const [index] of list.entries()) {
      const at = ['events', index]
      if (
        !reader.record(at, 'an event as `{date, label, states}`', [
          'date',
          'end',
          'dateLabel',
          'label',
          'states',
          'highlight',
          'source'
        ])
      )
        continue
      const date = reader.date([...at, 'date'])
      const until = reader.has([...at, 'end']) ? reader.date([...at, 'end']) : undefined
      const label = reader.text([...at, 'label'], 'the event’s label')
      const dateLabel = reader.optionalText([...at, 'dateLabel'])
      const states = reader.stateRefs([...at, 'states'], common.states)
      if (!date || !label || !states) continue
      const spanEnd = until && endOf(until)
      if (spanEnd && spanEnd <= date.date) {
        reader.fail([...at, 'end'], 'Unexpected event `end` before its `date`, expected a later date for a span')
        continue
      }
      if (axisStart && axisEnd && (date.date < axisStart || (spanEnd ?? date.date) > axisEnd)) {
        reader.fail([...at, 'date'], `Unexpected event outside the axis, expected it between \`start\` and \`end\``)
        continue
      }
      // By default an event stands out in the states where it first appears.
      const ids = common.states.map((s) => s.id)
      const fresh = ids.filter((id, i) => states.includes(id) && (i === 0 || !states.includes(ids[i - 1]!)))
      const highlight = reader.stateRefs([...at, 'highlight'], common.states, fresh)
      if (!highlight) continue
      events.push({
        start: date.date,
        end: spanEnd,
        dateLabel: dateLabel ?? formatDate(date),
        label,
        states,
        highlight: highlight.filter((id) => states.includes(id)),
        source: reader.optionalText([...at, 'source']),
        key: `event-${index}`
      })
    }
    const axes: TimelineAxis[] = []
    const axisList = reader.has(['axes']) ? (reader.list(['axes'], 'axes as `{states, start, end}`') ?? []) : []
    for (const [index] of axisList.entries()) {
      const at = ['axes', index]
      if (!reader.record(at, 'an axis as `{states, start, end}`', ['states', 'start', 'end'])) continue
      const from = reader.date([...at, 'start'])
      const to = reader.date([...at, 'end'])
      const states = reader.stateRefs([...at, 'states'], common.states)
      if (!from || !to || !states) continue
      if (endOf(to) <= from.date) {
        reader.fail([...at, 'end'], 'Unexpected `end` before `start`, expected the axis to run forwards in time')
        continue
      }
      const taken = states.find((id) => axes.some((axis) => axis.states.includes(id)))
      if (taken) {
        reader.fail([...at, 'states'], `Unexpected second axis for state \`${taken}\`, expected one axis per state`)
        continue
      }
      axes.push({start: from.date, end: endOf(to), states})
    }
    if (!axisStart || !axisEnd || reader.failed) return undefined
    return {start: axisStart, end: axisEnd, events, axes}
  },
  render(data, common, layout) {
    const all = common.states.map((s) => s.id)
    const draw = layout.variant === 'narrow' ? renderNarrow : renderHorizontal
    const axes = data.axes ?? []
    if (axes.length === 0) return draw(data, all, layout)
    // One drawing per axis, shown in its states, with the events inside it.
    const whole = all.filter((id) => !axes.some((axis) => axis.states.includes(id)))
    const children: Element[] = []
    const heights: Record<string, number> = {}
    for (const axis of [{start: data.start, end: data.end, states: whole}, ...axes]) {
      const only = (states: string[]) => states.filter((id) => axis.states.includes(id))
      const events = data.events
        .filter((e) => e.start >= axis.start && (e.end ?? e.start) <= axis.end)
        .map((e) => ({...e, states: only(e.states), highlight: only(e.highlight)}))
        .filter((e) => e.states.length > 0)
      const body = draw({start: axis.start, end: axis.end, events}, all, layout)
      const drawing = group(axis.states, all, body.children)
      if (drawing) children.push(drawing)
      for (const id of axis.states) heights[id] = body.heights?.[id] ?? body.height
    }
    return {children, height: Math.max(...Object.values(heights)), heights}
  }
}

/** The wide timeline: a horizontal axis, labels in as few lanes as fit above it. */
function renderHorizontal(data: TimelineData, all: string[], layout: Layout): Body {
  const {width, margin, size, lineHeight} = layout
  const x0 = margin + 6
  const x1 = width - margin - 6
  const scale = scaleUtc().domain([data.start, data.end]).range([x0, x1])

  const flags = layOut(
    [...data.events].sort((a, b) => a.start.getTime() - b.start.getTime()),
    scale,
    layout
  )
  const lanes = Math.max(1, ...flags.map((f) => f.lane + 1))
  const laneHeight = Math.max(2, ...flags.map((f) => f.lines.length)) * lineHeight + 14
  const axisY = lanes * laneHeight + 22
  const children: Element[] = []

  children.push(...axis(scale, data.end, axisY, 72, 120, size.small))

  // Poles and markers first, then labels on a backing, so a label is never
  // crossed by another flag's pole.
  const labels: Element[] = []
  for (const flag of flags) {
    const {event} = flag
    const normal = event.states.filter((id) => !event.highlight.includes(id))
    for (const [states, emphasis] of [
      [normal, false],
      [event.highlight, true]
    ] as const) {
      const drawn = drawFlag(flag, emphasis)
      const marks = group(states, all, drawn.marks, {'data-key': event.key})
      const label = group(states, all, drawn.label, {'data-key': `${event.key}-label`})
      if (marks) children.push(marks)
      if (label) labels.push(label)
    }
  }
  children.push(...labels)
  return {children, height: axisY + 36}

  function drawFlag(flag: Flag, emphasis: boolean): {marks: Element[]; label: Element[]} {
    const colour: Colour = emphasis ? 'accent' : 'muted'
    const top = axisY - 22 - (flag.lane + 1) * laneHeight + 14
    const textX = flag.anchor === 'start' ? flag.pole + poleGap : flag.pole - poleGap
    const marks: Element[] = [
      x('line', {
        x1: r(flag.pole),
        x2: r(flag.pole),
        y1: r(top - 2),
        y2: axisY,
        ...stroke(colour, emphasis ? 2 : 1)
      })
    ]
    if (flag.event.end) {
      const end = scale(flag.event.end)
      marks.push(
        x('rect', {
          x: r(flag.pole),
          y: axisY - 5,
          width: r(end - flag.pole),
          height: 10,
          rx: 5,
          ...fill(colour)
        })
      )
    } else {
      marks.push(
        x('circle', {
          cx: r(flag.pole),
          cy: axisY,
          r: emphasis ? 7 : 5.5,
          ...fill(colour)
        })
      )
    }
    const backingLeft = flag.anchor === 'start' ? flag.pole + 2 : flag.left
    const label = [
      x('rect', {
        x: r(backingLeft),
        y: r(top - 2),
        width: r(flag.right - flag.left - 2),
        height: flag.lines.length * lineHeight + 4,
        ...fill('bg')
      }),
      text(flag.lines[0]!, {
        x: textX,
        y: top + 13,
        fontSize: size.label,
        bold: true,
        colour,
        anchor: flag.anchor
      }),
      text(flag.lines.slice(1), {
        x: textX,
        y: top + 13 + lineHeight,
        fontSize: size.label,
        colour: emphasis ? 'ink' : 'muted',
        anchor: flag.anchor,
        lineHeight
      })
    ]
    return {marks, label}
  }
}

/**
 * The narrow timeline: the same horizontal axis, with fewer ticks and the
 * events' marks on it, and below it the events stacked in date order, each a
 * line or a few with its date first, after a mark like the one on the axis.
 * Labels cannot sit beside their dates on a phone-wide axis without
 * overlapping or crowding it; the dates, the matching marks and the shared
 * emphasis tie each to its place on the axis.
 */
function renderNarrow(data: TimelineData, all: string[], layout: Layout): Body {
  const {width, margin, size, lineHeight} = layout
  const x0 = margin + 8
  const x1 = width - margin - 8
  const scale = scaleUtc().domain([data.start, data.end]).range([x0, x1])
  const axisY = 10
  const children: Element[] = []

  children.push(...axis(scale, data.end, axisY, 100, 60, size.small))

  const events = [...data.events].sort((a, b) => a.start.getTime() - b.start.getTime())
  const textX = margin + 20
  const room = width - margin - textX
  const marks: Element[] = []
  const items: Element[] = []
  // Each state ends below the last event it shows (see `Body.heights`): on a phone the list grows state by state.
  const heights: Record<string, number> = Object.fromEntries(all.map((id) => [id, axisY + 36]))
  let y = axisY + 58
  for (const event of events) {
    const lines = runIn(event.dateLabel, event.label, room, size.label)
    const bottom = r(y + (lines.length - 1) * lineHeight + 6)
    for (const id of event.states) heights[id] = Math.max(heights[id] ?? 0, bottom)
    const normal = event.states.filter((id) => !event.highlight.includes(id))
    for (const [states, emphasis] of [
      [normal, false],
      [event.highlight, true]
    ] as const) {
      const colour: Colour = emphasis ? 'accent' : 'muted'
      const pole = scale(event.start)
      const onAxis = event.end
        ? x('rect', {
            x: r(pole),
            y: axisY - 5,
            width: r(scale(event.end) - pole),
            height: 10,
            rx: 5,
            ...fill(colour)
          })
        : x('circle', {
            cx: r(pole),
            cy: axisY,
            r: emphasis ? 7 : 5.5,
            ...fill(colour)
          })
      const mark = group(states, all, [onAxis], {'data-key': event.key})
      if (mark) marks.push(mark)
      const middle = y - size.label * 0.35
      const key = event.end
        ? x('rect', {
            x: margin,
            y: r(middle - 5),
            width: 14,
            height: 10,
            rx: 5,
            ...fill(colour)
          })
        : x('circle', {
            cx: margin + 6,
            cy: r(middle),
            r: emphasis ? 6 : 5,
            ...fill(colour)
          })
      const item = group(
        states,
        all,
        [
          key,
          runInText(lines, {
            x: textX,
            y,
            fontSize: size.label,
            lineHeight,
            date: colour,
            rest: emphasis ? 'ink' : 'muted'
          })
        ],
        {'data-key': `${event.key}-label`}
      )
      if (item) items.push(item)
    }
    y += lines.length * lineHeight + 10
  }
  // Items first: the axis marks stay on top where dates share a spot.
  children.push(...items, ...marks)
  return {children, height: r(y - lineHeight - 10 + 6), heights}
}

/** A tick's label: a year at its start, else a month (`Feb`), else a day (`3 Feb`): short enough for a phone. */
/**
 * The time axis at `y`: a line, minor ticks, and major ticks about `spacing` pixels apart, labelled; at most `most`
 * ticks in all. No label on the axis's closing boundary: `end: 1997` must not read as 1998.
 */
function axis(scale: ScaleTime<number, number>, end: Date, y: number, spacing: number, most: number, fontSize: number) {
  const [x0, x1] = scale.range() as [number, number]
  const count = Math.max(2, Math.floor((x1 - x0) / spacing))
  const major = scale.ticks(count).filter((d) => d < end)
  const majorTimes = new Set(major.map((d) => d.getTime()))
  const minor = scale.ticks(Math.min(count * 5, most)).filter((d) => !majorTimes.has(d.getTime()))
  return [
    x('path', {d: minor.map((d) => `M${r(scale(d))} ${y}v5`).join(''), ...stroke('grid', 1)}),
    x('path', {d: major.map((d) => `M${r(scale(d))} ${y}v9`).join(''), ...stroke('muted', 1)}),
    x('line', {x1: x0, x2: x1, y1: y, y2: y, ...stroke('muted', 1.5)}),
    ...major.map((d) => tick(tickFormat(d), scale(d), y + 28, fontSize))
  ]
}

function tickFormat(date: Date): string {
  if (date.getUTCDate() !== 1) return utcFormat('%-d %b')(date)
  return utcFormat(date.getUTCMonth() === 0 ? '%Y' : '%b')(date)
}

/** A tick's label under the axis, keyed by its text: on another axis the same label slides to its place there. */
function tick(label: string, at: number, y: number, fontSize: number): Element {
  const element = text(label, {x: at, y, fontSize, colour: 'muted', anchor: 'middle'})
  element.attributes['data-key'] = `tick-${label}`
  return element
}

/** Lines of `date` (bold) run into `label`: the first line starts with the date. */
function runIn(date: string, label: string, maxWidth: number, fontSize: number): Array<{date?: string; text: string}> {
  const dateWidth = measure(`${date} `, fontSize, true)
  const words = label.split(/[ \t\r\n]+/).filter(Boolean)
  if (dateWidth + measure(words[0] ?? '', fontSize) > maxWidth) {
    return [{date, text: ''}, ...wrap(label, maxWidth, fontSize).map((line) => ({text: line}))]
  }
  let first = ''
  while (words.length > 0 && dateWidth + measure(first ? `${first} ${words[0]}` : words[0]!, fontSize) <= maxWidth) {
    first = first ? `${first} ${words.shift()}` : words.shift()!
  }
  return [{date, text: first}, ...wrap(words.join(' '), maxWidth, fontSize).map((line) => ({text: line}))]
}

/** A `<text>` of run-in lines: the date in bold and `date` colour, the rest in `rest`. */
function runInText(
  lines: ReturnType<typeof runIn>,
  options: {
    x: number
    y: number
    fontSize: number
    lineHeight: number
    date: Colour
    rest: Colour
  }
): Element {
  const content = lines.flatMap((line, index) => {
    const parts: Array<Element | string> = []
    if (line.date) parts.push(x('tspan', {'font-weight': 700, ...fill(options.date)}, line.date))
    if (line.text) parts.push(line.date ? ` ${line.text}` : line.text)
    return index === 0 ? parts : [x('tspan', {x: r(options.x), dy: r(options.lineHeight)}, parts)]
  })
  return x(
    'text',
    {
      x: r(options.x),
      y: r(options.y),
      ...fill(options.rest),
      'font-size': options.fontSize
    },
    content
  )
}

/** A placed label: its event, pole, wrapped lines, box and lane. */
interface Flag {
  event: TimelineEvent
  pole: number
  lines: string[]
  left: number
  right: number
  anchor: 'start' | 'end'
  lane: number
}

/**
 * Lay out one flag per event in lanes above the axis so that no label
 * overlaps another label or another flag's pole, in as few lanes as possible.
 * Positions stay put across states, so nothing jumps while the reader scrolls.
 * A bounded backtracking search tries wide labels first, then narrower ones;
 * if nothing fits, every flag gets its own lane (labels have a backing that
 * hides a crossing pole).
 */
function layOut(events: TimelineEvent[], scale: (date: Date) => number, layout: Layout): Flag[] {
  const {width, margin, size} = layout
  let budget = 20_000
  for (const labelWidth of [maxLabelWidth, 180, 140]) {
    const candidates = events.map((event) => {
      const pole = scale(event.start)
      const lines = [event.dateLabel, ...wrap(event.label, labelWidth, size.label)]
      const textWidth = Math.max(
        measure(event.dateLabel, size.label, true),
        ...lines.slice(1).map((line) => measure(line, size.label))
      )
      const boxWidth = textWidth + poleGap + 6
      const options = [
        {anchor: 'start' as const, left: pole, right: pole + boxWidth},
        {anchor: 'end' as const, left: pole - boxWidth, right: pole}
      ].filter((o) => o.left >= margin - 4 && o.right <= width - margin + 4)
      if (options.length === 0)
        options.push(
          pole < width / 2
            ? {anchor: 'start', left: pole, right: pole + boxWidth}
            : {anchor: 'end', left: pole - boxWidth, right: pole}
        )
      return {event, pole, lines, options}
    })
    for (let lanes = 1; lanes <= events.length; lanes++) {
      const placed: Flag[] = []
      const search = (index: number): boolean => {
        if (index === candidates.length) return true
        const candidate = candidates[index]!
        for (let lane = 0; lane < lanes; lane++) {
          for (const option of candidate.options) {
            if (--budget < 0) return false
            const flag: Flag = {
              event: candidate.event,
              pole: candidate.pole,
              lines: candidate.lines,
              lane,
              ...option
            }
            if (placed.every((other) => compatible(flag, other))) {
              placed.push(flag)
              if (search(index + 1)) return true
              placed.pop()
            }
          }
        }
        return false
      }
      if (search(0)) return placed
      if (budget < 0) break
    }
  }
  // Fallback: one lane per event, latest lowest.
  return events.map((event, index) => {
    const pole = scale(event.start)
    const lines = [event.dateLabel, ...wrap(event.label, 140, size.label)]
    const boxWidth = Math.max(...lines.map((line) => measure(line, size.label, true))) + poleGap + 6
    const start = pole + boxWidth <= width - margin
    return {
      event,
      pole,
      lines,
      lane: events.length - 1 - index,
      anchor: start ? 'start' : 'end',
      left: start ? pole : pole - boxWidth,
      right: start ? pole + boxWidth : pole
    }
  })
}

/** Whether two flags can share the picture without overlapping. */
function compatible(a: Flag, b: Flag): boolean {
  const pad = 10
  if (a.lane === b.lane) return a.right + pad <= b.left || b.right + pad <= a.left
  // The flag in the higher lane has a pole that passes the lower lane's label.
  const [high, low] = a.lane > b.lane ? [a, b] : [b, a]
  return high.pole < low.left - 4 || high.pole > low.right + 4
}

/** First moment after the year, month or day a date names. */
function endOf(date: SpecDate): Date {
  const interval = date.precision === 'year' ? utcYear : date.precision === 'month' ? utcMonth : utcDay
  return interval.offset(date.date, 1)
}

/** A date as precise as it was written: `1982`, `Dec 1996`, `17 Dec 1996`. */
export function formatDate(date: SpecDate): string {
  return utcFormat(date.precision === 'year' ? '%Y' : date.precision === 'month' ? '%b %Y' : '%-d %b %Y')(date.date)
}
