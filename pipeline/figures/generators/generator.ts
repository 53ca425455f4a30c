/**
 * The shape of a graphic generator: read a type's fields from the spec
 * (reporting problems), then draw them, once per artboard (`wide`, `narrow`).
 * Reading never throws; drawing only gets data that read accepted.
 */
import type {CommonSpec, SpecReader} from './reader.js'
import type {Body, Layout, Table} from './svg.js'

/** A generator for one `type` of data file. */
export interface Generator<Data> {
  /** Fields this type accepts besides `type`, `title`, `states` and `credit`. */
  fields: readonly string[]
  /** Read and check the type's fields; undefined when they are unusable. */
  read: (reader: SpecReader, common: CommonSpec) => Data | undefined
  /**
   * Draw the body for one artboard: elements from y = 0 (the frame puts them
   * below the title) and their height. Called once per variant with the same
   * data; each variant re-flows to its `layout` but shows the same states.
   */
  render: (data: Data, common: CommonSpec, layout: Layout) => Body
  /** The data table's column heads (what a row is, what its value is) and its rows, in reading order. */
  table?: (data: Data, common: CommonSpec) => Table
  /** Credit line to show, from the spec's (default: the spec's as is). */
  credit?: (credit: string | undefined) => string | undefined
}
