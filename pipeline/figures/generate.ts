/**
 * Build-time graphics from data: a YAML data file (`figures/<name>.yaml`)
 * names a chart `type`, its `title`, its `states` and the data; the matching
 * generator draws it with d3 into an SVG that follows the graphic state
 * convention (see `graphic.ts`): `<desc data-state>` per state, `data-states`
 * on elements shown only in some states, `tf-*` palette classes for colour.
 *
 * Types: `timeline`, `day-strip`, `contested-range`, `unit-chart`, `locator`
 * (each generator's module documents its fields).
 */
import type {VFile} from 'vfile'
import {parseDocument} from 'yaml'
import {error} from '../messages.js'
import {contestedRange} from './generators/contested-range.js'
import {dayStrip} from './generators/day-strip.js'
import type {Generator} from './generators/generator.js'
import {locator} from './generators/locator.js'
import {messageSource, ruleId, SpecReader, type CommonSpec} from './generators/reader.js'
import {frame, type Body} from './generators/svg.js'
import {timeline} from './generators/timeline.js'
import {unitChart} from './generators/unit-chart.js'

/** A generator with its data type hidden: read, then draw when reading succeeded. */
interface Entry {
  fields: readonly string[]
  credit: (credit: string | undefined) => string | undefined
  draw: (reader: SpecReader, common: CommonSpec) => Body | undefined
}

function entry<Data>(generator: Generator<Data>): Entry {
  return {
    fields: generator.fields,
    credit: generator.credit ?? ((credit) => credit),
    draw(reader, common) {
      const data = generator.read(reader, common)
      return data === undefined || reader.failed ? undefined : generator.render(data, common)
    }
  }
}

const generators: Record<string, Entry> = {
  timeline: entry(timeline),
  'day-strip': entry(dayStrip),
  'contested-range': entry(contestedRange),
  'unit-chart': entry(unitChart),
  locator: entry(locator)
}

/** Names of the chart types a data file can ask for. */
export const graphicTypes: readonly string[] = Object.keys(generators)

/**
 * Generate a graphic's SVG from a parsed data spec (the YAML file's content).
 *
 * `file` is the YAML data file; its text gives positions to messages, and is
 * parsed here when `spec` is undefined. Problems in the spec are reported on
 * `file` as fatal `invalid-figure-data` messages from `twofold-figures`, and
 * then the result is undefined. Never throws for content problems.
 */
export function generateGraphicSvg(spec: unknown, file: VFile): string | undefined {
  let data = spec
  if (data === undefined) {
    const document = parseDocument(String(file.value ?? ''), {prettyErrors: true})
    for (const problem of document.errors) {
      const place = problem.linePos && {line: problem.linePos[0].line, column: problem.linePos[0].col}
      error(file, `Unexpected invalid YAML: ${problem.message.split(' at line ')[0]}`, place, ruleId, messageSource)
    }
    if (document.errors.length > 0) return undefined
    data = document.toJS()
  }
  const reader = new SpecReader(data, file)
  const common = reader.common(graphicTypes)
  const generator = common && generators[common.type]
  if (!common || !generator) return undefined
  reader.allowKeys([], ['type', 'title', 'states', 'credit', ...generator.fields])
  const body = generator.draw(reader, common)
  if (!body) return undefined
  return frame({title: common.title, states: common.states, credit: generator.credit(common.credit)}, body)
}
