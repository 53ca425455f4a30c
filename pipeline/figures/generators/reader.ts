/**
 * Reading a graphic's data spec (the parsed YAML) with every problem reported
 * on the data file at the offending field: `invalid-figure-data`, fatal.
 *
 * The values come from `spec`; positions come from re-parsing the file's text,
 * so a spec that did not come from that text still validates, just without
 * line and column.
 */
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {type Document, isNode, parseDocument} from 'yaml'
import {error, positionAt, warn} from '../../messages.js'
import type {GraphicState} from '../../types.js'

/** Source of every message about figure data. */
export const messageSource = 'twofold-figures'
/** Rule id of every fatal problem in figure data. */
export const ruleId = 'invalid-figure-data'

/** Path to a value in the spec: keys and list indices. */
export type Path = ReadonlyArray<string | number>

/** Same pattern the SVG state convention accepts (see `graphic.ts`). */
const stateIdPattern = /^[A-Za-z][\w-]*$/

/** A calendar date of known precision, at UTC midnight of its first day. */
export interface SpecDate {
  date: Date
  precision: 'year' | 'month' | 'day'
}

/** Fields every graphic type has. */
export interface CommonSpec {
  type: string
  title: string
  states: GraphicState[]
  credit?: string | undefined
  /** The data table's two column heads, in the book's language (`table: [Source, Figure]`); each type has English ones. */
  table?: [string, string] | undefined
}

/** Reads typed values out of a spec, reporting problems at their field. */
export class SpecReader {
  /** Whether a fatal problem was reported. */
  failed = false
  readonly file: VFile
  readonly #spec: unknown
  #document: Document | null | undefined

  constructor(spec: unknown, file: VFile) {
    this.#spec = spec
    this.file = file
  }

  /** The raw value at `path`, or undefined. */
  get(path: Path): unknown {
    let value: unknown = this.#spec
    for (const key of path) {
      if (typeof key === 'number') {
        if (!Array.isArray(value)) return undefined
        value = value[key]
      } else {
        if (!isRecord(value)) return undefined
        value = value[key]
      }
    }
    return value
  }

  /** Whether `path` holds a value (not undefined nor null). */
  has(path: Path): boolean {
    const value = this.get(path)
    return value !== undefined && value !== null
  }

  /** Report a fatal problem at `path`; returns undefined for chaining. */
  fail(path: Path, reason: string): undefined {
    error(this.file, reason, this.place(path), ruleId, messageSource)
    this.failed = true
    return undefined
  }

  /** Report a warning at `path`. */
  warn(path: Path, reason: string, id = 'unknown-figure-field'): void {
    warn(this.file, reason, this.place(path), id, messageSource)
  }

  /** Position of the field at `path` (or of its nearest present ancestor) in the file. */
  place(path: Path): Position | undefined {
    const document = this.#parsed()
    if (!document) return undefined
    for (let end = path.length; end >= 0; end--) {
      const node: unknown = end === 0 ? document.contents : document.getIn(path.slice(0, end), true)
      if (isNode(node) && node.range) {
        // A missing field is reported at the start of its parent, not all of it.
        const [start, valueEnd] = node.range
        return positionAt(this.file, start, end === path.length ? valueEnd : start)
      }
    }
    return undefined
  }

  /** A required non-empty string (numbers are taken as their text). */
  text(path: Path, expected = 'a non-empty string'): string | undefined {
    const value = this.get(path)
    if (value === undefined || value === null)
      return this.fail(path, `Missing \`${describe(path)}\`, expected ${expected}`)
    const text = typeof value === 'number' ? String(value) : value
    if (typeof text !== 'string' || text.trim() === '') {
      return this.fail(path, `Unexpected ${show(value)} for \`${describe(path)}\`, expected ${expected}`)
    }
    return text.trim()
  }

  /** An optional non-empty string. */
  optionalText(path: Path, expected = 'a non-empty string'): string | undefined {
    return this.has(path) ? this.text(path, expected) : undefined
  }

  /** A required finite number, optionally bounded. */
  number(path: Path, options: {min?: number; max?: number; integer?: boolean} = {}): number | undefined {
    const value = this.get(path)
    const expected = `${options.integer ? 'an integer' : 'a number'}${bounds(options)}`
    if (value === undefined || value === null)
      return this.fail(path, `Missing \`${describe(path)}\`, expected ${expected}`)
    if (
      typeof value !== 'number' ||
      !Number.isFinite(value) ||
      (options.integer && !Number.isInteger(value)) ||
      (options.min !== undefined && value < options.min) ||
      (options.max !== undefined && value > options.max)
    ) {
      return this.fail(path, `Unexpected ${show(value)} for \`${describe(path)}\`, expected ${expected}`)
    }
    return value
  }

  /** An optional number. */
  optionalNumber(path: Path, options: {min?: number; max?: number; integer?: boolean} = {}): number | undefined {
    return this.has(path) ? this.number(path, options) : undefined
  }

  /** A required list with at least `min` items (default 1). */
  list(path: Path, what: string, min = 1): unknown[] | undefined {
    const value = this.get(path)
    if (value === undefined || value === null)
      return this.fail(path, `Missing \`${describe(path)}\`, expected a list of ${what}`)
    if (!Array.isArray(value) || value.length < min) {
      return this.fail(
        path,
        `Unexpected ${show(value)} for \`${describe(path)}\`, expected a list of ${min > 1 ? `at least ${min} ` : ''}${what}`
      )
    }
    return value
  }

  /** A required mapping; warns about keys not in `allowed`. */
  record(path: Path, what: string, allowed?: readonly string[]): Record<string, unknown> | undefined {
    const value = this.get(path)
    if (value === undefined || value === null) return this.fail(path, `Missing \`${describe(path)}\`, expected ${what}`)
    if (!isRecord(value))
      return this.fail(path, `Unexpected ${show(value)} for \`${describe(path)}\`, expected ${what}`)
    if (allowed) this.allowKeys(path, allowed)
    return value
  }

  /** Warn about keys of the mapping at `path` that are not in `allowed`. */
  allowKeys(path: Path, allowed: readonly string[]): void {
    const value = this.get(path)
    if (!isRecord(value)) return
    for (const key of Object.keys(value)) {
      if (!allowed.includes(key)) {
        this.warn(
          [...path, key],
          `Unexpected field \`${key}\`${path.length > 0 ? ` in \`${describe(path)}\`` : ''}, expected one of ${allowed.map((k) => `\`${k}\``).join(', ')}`
        )
      }
    }
  }

  /** One of a fixed set of words; `fallback` when absent. */
  choice<T extends string>(path: Path, options: readonly T[], fallback: T): T | undefined {
    const value = this.get(path)
    if (value === undefined || value === null) return fallback
    if (typeof value !== 'string' || !(options as readonly string[]).includes(value)) {
      return this.fail(
        path,
        `Unexpected ${show(value)} for \`${describe(path)}\`, expected one of ${options.map((o) => `\`${o}\``).join(', ')}`
      )
    }
    return value as T
  }

  /** A required boolean or `fallback` when absent. */
  flag(path: Path, fallback: boolean): boolean | undefined {
    const value = this.get(path)
    if (value === undefined || value === null) return fallback
    if (typeof value !== 'boolean')
      return this.fail(path, `Unexpected ${show(value)} for \`${describe(path)}\`, expected \`true\` or \`false\``)
    return value
  }

  /**
   * A required date: a year (`1982`), a month (`1996-12`) or a day
   * (`1996-12-17`); YAML 1.1 timestamps (Date objects) count as days.
   */
  date(path: Path, only?: SpecDate['precision']): SpecDate | undefined {
    const value = this.get(path)
    const expected =
      only === 'day' ? 'a date as `YYYY-MM-DD`' : 'a year (`1982`), a month (`1996-12`) or a day (`1996-12-17`)'
    if (value === undefined || value === null)
      return this.fail(path, `Missing \`${describe(path)}\`, expected ${expected}`)
    const parsed = parseSpecDate(value)
    if (!parsed || (only && parsed.precision !== only)) {
      return this.fail(path, `Unexpected ${show(value)} for \`${describe(path)}\`, expected ${expected}`)
    }
    return parsed
  }

  /**
   * An optional list of state ids at `path`, each declared in `known`; when
   * absent, `fallback` (by default every state).
   */
  stateRefs(path: Path, known: readonly GraphicState[], fallback?: readonly string[]): string[] | undefined {
    const value = this.get(path)
    const ids = known.map((s) => s.id)
    if (value === undefined || value === null) return [...(fallback ?? ids)]
    // `{from: id}`: the mark persists from that state on (states build on one another).
    if (typeof value === 'object' && !Array.isArray(value)) {
      if (!this.record(path, 'states as a list, or `{from: state}`', ['from'])) return undefined
      const from = (value as {from?: unknown}).from
      const start = typeof from === 'string' ? ids.indexOf(from) : -1
      if (start === -1)
        return this.fail(
          [...path, 'from'],
          `Unexpected state ${show(from)} in \`${describe([...path, 'from'])}\`, expected one of the declared states ${ids.map((id) => `\`${id}\``).join(', ')}`
        )
      return ids.slice(start)
    }
    const list = typeof value === 'string' ? [value] : value
    if (!Array.isArray(list)) {
      return this.fail(
        path,
        `Unexpected ${show(value)} for \`${describe(path)}\`, expected a list of state ids such as [${ids.join(', ')}]`
      )
    }
    const result: string[] = []
    let ok = true
    for (const [index, item] of list.entries()) {
      const at = typeof value === 'string' ? path : [...path, index]
      if (typeof item !== 'string' || !ids.includes(item)) {
        this.fail(
          at,
          `Unexpected state ${show(item)} in \`${describe(path)}\`, expected one of the declared states ${ids.map((id) => `\`${id}\``).join(', ')}`
        )
        ok = false
      } else if (!result.includes(item)) {
        result.push(item)
      }
    }
    // Keep the declared order, so `data-states` reads like the story.
    return ok ? ids.filter((id) => result.includes(id)) : undefined
  }

  /** The fields every graphic has: `type`, `title`, `states`, `credit`. */
  common(types: readonly string[]): CommonSpec | undefined {
    if (!isRecord(this.#spec)) {
      return this.fail(
        [],
        `Unexpected ${show(this.#spec)} as figure data, expected a mapping with \`type\`, \`title\` and \`states\``
      )
    }
    let type = this.text(['type'], `one of ${types.map((t) => `\`${t}\``).join(', ')}`)
    if (type !== undefined && !types.includes(type)) {
      this.fail(
        ['type'],
        `Unexpected graphic type \`${type}\`, expected one of ${types.map((t) => `\`${t}\``).join(', ')}`
      )
      type = undefined
    }
    const title = this.text(['title'], 'the graphic’s title as a non-empty string')
    const credit = this.optionalText(['credit'], 'a credit line such as `Source: …` as a non-empty string')
    let table: [string, string] | undefined
    if (this.has(['table']) && this.list(['table'], 'the data table’s two column heads, e.g. `[Source, Figure]`', 2)) {
      const what = 'a column head as a non-empty string'
      const [row, value] = [this.text(['table', 0], what), this.text(['table', 1], what)]
      if (this.has(['table', 2])) this.fail(['table', 2], 'Unexpected third column head, expected two')
      if (row !== undefined && value !== undefined) table = [row, value]
    }
    const states: GraphicState[] = []
    const list = this.list(['states'], 'states as `{id, description}`')
    for (const [index] of (list ?? []).entries()) {
      const at = ['states', index]
      if (!this.record(at, 'a state as `{id, description}`', ['id', 'label', 'description'])) continue
      const label = this.optionalText([...at, 'label'], 'a short name for the state, e.g. `The takeover`')
      const id = this.text([...at, 'id'], 'a state id: a letter, then letters, digits, `-` or `_`')
      const description = this.text(
        [...at, 'description'],
        'a full text description of what the graphic shows in this state (it is the alt text)'
      )
      if (id === undefined || description === undefined) continue
      if (!stateIdPattern.test(id)) {
        this.fail(
          [...at, 'id'],
          `Unexpected state id \`${id}\`, expected a letter, then letters, digits, \`-\` or \`_\``
        )
      } else if (states.some((s) => s.id === id)) {
        this.fail([...at, 'id'], `Unexpected second state \`${id}\`, expected each state id once`)
      } else {
        states.push({id, description: description.replace(/\s+/g, ' '), ...(label ? {label} : {})})
      }
    }
    if (type === undefined || title === undefined || list === undefined || this.failed) return undefined
    return {type, title, states, credit, ...(table ? {table} : {})}
  }

  #parsed(): Document | null {
    if (this.#document === undefined) {
      const text = this.file.value === undefined ? '' : String(this.file.value)
      this.#document = null
      if (text.trim() !== '') {
        try {
          this.#document = parseDocument(text, {prettyErrors: false})
        } catch {
          // Positions are best effort: the values come from `spec`.
        }
      }
    }
    return this.#document
  }
}

/** Parse a year, month or day, or undefined when it is none of those. */
export function parseSpecDate(value: unknown): SpecDate | undefined {
  if (value instanceof Date) {
    if (Number.isNaN(value.getTime())) return undefined
    return {
      date: new Date(Date.UTC(value.getUTCFullYear(), value.getUTCMonth(), value.getUTCDate())),
      precision: 'day'
    }
  }
  if (typeof value === 'number') {
    return Number.isInteger(value) && value > 0 && value < 10000
      ? {date: new Date(Date.UTC(value, 0, 1)), precision: 'year'}
      : undefined
  }
  if (typeof value !== 'string') return undefined
  const match = /^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$/.exec(value.trim())
  if (!match) return undefined
  const year = Number(match[1])
  const month = match[2] === undefined ? 1 : Number(match[2])
  const day = match[3] === undefined ? 1 : Number(match[3])
  const date = new Date(0)
  // `setUTCFullYear`, unlike `Date.UTC`, keeps years below 100 as written.
  date.setUTCFullYear(year, month - 1, day)
  // Reject dates that roll over, such as `1997-02-30`.
  if (date.getUTCFullYear() !== year || date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined
  return {
    date,
    precision: match[3] !== undefined ? 'day' : match[2] !== undefined ? 'month' : 'year'
  }
}

/** Whether `value` is a plain mapping. */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value) && !(value instanceof Date)
}

function describe(path: Path): string {
  return (
    path.map((key, index) => (typeof key === 'number' ? `[${key}]` : index === 0 ? key : `.${key}`)).join('') ||
    'figure data'
  )
}

function show(value: unknown): string {
  if (value === undefined) return 'nothing'
  if (value === null) return '`null`'
  if (Array.isArray(value)) return value.length === 0 ? 'empty list' : 'list'
  if (value instanceof Date) return `date \`${value.toISOString().slice(0, 10)}\``
  if (typeof value === 'object') return 'mapping'
  const text = JSON.stringify(value)
  return `\`${text.length > 40 ? `${text.slice(0, 37)}…` : text}\``
}

function bounds(options: {min?: number; max?: number}): string {
  if (options.min !== undefined && options.max !== undefined) return ` from ${options.min} to ${options.max}`
  if (options.min !== undefined) return ` of at least ${options.min}`
  if (options.max !== undefined) return ` of at most ${options.max}`
  return ''
}
