/**
 * Build-time graphics from data: a YAML data file (`figures/<name>.yaml`)
 * names a chart `type`, its `title`, its `states` and the data; the matching
 * generator draws it with d3 into an SVG that follows the graphic state
 * convention (see `graphic.ts`): `<desc data-state>` per state, `data-states`
 * on elements shown only in some states, `tf-*` palette classes for colour.
 * Every graphic comes in two variants with the same states: `wide` (640
 * units) and `narrow` (360 units, re-flowed for phones; see `layouts`).
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
import {type CommonSpec, messageSource, ruleId, SpecReader} from './generators/reader.js'
import {type Body, frame, layouts, type Table, type Variant} from './generators/svg.js'
import {timeline} from './generators/timeline.js'
import {unitChart} from './generators/unit-chart.js'

/** A generator with its data type hidden: read once, then draw each variant when reading succeeded. */
interface Entry {
  fields: readonly string[]
  credit: (credit: string | undefined) => string | undefined
  draw: (reader: SpecReader, common: CommonSpec) => {bodies: Record<Variant, Body>; table?: Table} | undefined
}

function entry<Data>(generator: Generator<Data>): Entry {
  return {
    fields: generator.fields,
    credit: generator.credit ?? ((credit) => credit),
    draw(reader, common) {
      const data = generator.read(reader, common)
      if (data === undefined || reader.failed) return undefined
      return {
        bodies: {
          wide: generator.render(data, common, layouts.wide),
          narrow: generator.render(data, common, layouts.narrow)
        },
        table: tableOf(generator, data, common)
      }
    }
  }
}

/** A generator's data table, under the column heads the data file names, if it names them. */
function tableOf<Data>(generator: Generator<Data>, data: Data, common: CommonSpec): Table | undefined {
  const table = generator.table?.(data, common)
  return table && common.table ? {...table, columns: common.table} : table
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

/** The SVG of each variant of a generated graphic. */
export type GraphicSvgs = Record<Variant, string>

/**
 * Generate a graphic's SVGs, one per variant, from a parsed data spec (the
 * YAML file's content). Both variants have the same title, states and credit.
 *
 * `file` is the YAML data file; its text gives positions to messages, and is
 * parsed here when `spec` is undefined. Problems in the spec are reported on
 * `file` (once, whatever the number of variants) as fatal
 * `invalid-figure-data` messages from `twofold-figures`, and then the result
 * is undefined. Never throws for content problems.
 */
export function generateGraphicSvgs(spec: unknown, file: VFile): GraphicSvgs | undefined {
  let data = spec
  if (data === undefined) {
    const document = parseDocument(String(file.value ?? ''), {
      prettyErrors: true
    })
    for (const problem of document.errors) {
      const place = problem.linePos && {
        line: problem.linePos[0].line,
        column: problem.linePos[0].col
      }
      error(file, `Unexpected invalid YAML: ${problem.message.split(' at line ')[0]}`, place, ruleId, messageSource)
    }
    if (document.errors.length > 0) return undefined
    data = document.toJS()
  }
  const reader = new SpecReader(data, file)
  const common = reader.common(graphicTypes)
  const generator = common && generators[common.type]
  if (!common || !generator) return undefined
  reader.allowKeys([], ['type', 'title', 'states', 'credit', 'table', ...generator.fields])
  const drawn = generator.draw(reader, common)
  if (!drawn) return undefined
  const {bodies} = drawn
  const options = {
    title: common.title,
    states: common.states,
    credit: generator.credit(common.credit),
    table: drawn.table
  }
  return {
    wide: frame(options, bodies.wide, layouts.wide),
    narrow: frame(options, bodies.narrow, layouts.narrow)
  }
}
