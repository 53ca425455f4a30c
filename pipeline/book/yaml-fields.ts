/**
 * Validation of YAML documents (book.yaml, chapter frontmatter) against a small
 * field schema, with every message placed at the offending field.
 */

import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {type Document, isMap, isScalar, isSeq, parseDocument} from 'yaml'
import {error, positionAt, warn} from '../messages.js'

/** How one field is checked. */
export interface FieldSpec {
  /** `rules`: a mapping of rule ids to `off`, `warn` or `error`. */
  kind: 'string' | 'string-list' | 'date' | 'rules'
  required?: boolean
  /** Pattern the string must match, with a human description of it. */
  pattern?: {regex: RegExp; expected: string}
}

/**
 * Parse `text` (which sits at `baseOffset` in `file`) as YAML and check it
 * against `schema`. Returns the plain values of the valid fields, or undefined
 * when the document is not a mapping at all. Unknown fields are warnings.
 */
export function readYamlFields(
  file: VFile,
  text: string,
  baseOffset: number,
  schema: Record<string, FieldSpec>,
  options: {source: string; what: string; allowUnknown?: boolean}
): Record<string, unknown> | undefined {
  const {source, what} = options
  const at = (range: readonly number[] | null | undefined) =>
    range ? positionAt(file, baseOffset + range[0], baseOffset + range[1]) : positionAt(file, baseOffset, baseOffset)
  let doc: Document
  try {
    doc = parseDocument(text, {prettyErrors: false, uniqueKeys: true})
  } catch (cause) {
    error(file, `Unexpected invalid YAML in ${what}: ${String(cause)}`, at(null), 'invalid-yaml', source)
    return undefined
  }
  if (doc.errors.length > 0) {
    for (const e of doc.errors) {
      error(file, `Unexpected invalid YAML in ${what}: ${e.message.split('\n')[0]}`, at(e.pos), 'invalid-yaml', source)
    }
    return undefined
  }
  const contents = doc.contents
  if (contents === null || (isScalar(contents) && (contents.value === null || contents.value === ''))) {
    const values: Record<string, unknown> = {}
    checkRequired(values)
    return values
  }
  if (!isMap(contents)) {
    error(
      file,
      `Unexpected ${what} that is not a mapping, expected \`key: value\` fields`,
      at(contents.range),
      'invalid-yaml',
      source
    )
    return undefined
  }
  const values: Record<string, unknown> = {}
  for (const pair of contents.items) {
    const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key)
    const keyRange = isScalar(pair.key) ? pair.key.range : null
    const spec = schema[key]
    const node = pair.value
    const range = node && (isScalar(node) || isSeq(node) || isMap(node)) ? node.range : keyRange
    if (!spec) {
      if (options.allowUnknown) {
        values[key] = isScalar(node)
          ? node.value
          : node && typeof node === 'object' && 'toJSON' in node
            ? (node as {toJSON(): unknown}).toJSON()
            : null
      } else {
        warn(
          file,
          `Unexpected field \`${key}\` in ${what}, expected one of ${Object.keys(schema)
            .map((k) => `\`${k}\``)
            .join(', ')}`,
          at(keyRange),
          'unknown-field',
          source
        )
      }
      continue
    }
    const value = isScalar(node)
      ? node.value
      : isSeq(node)
        ? node.toJSON()
        : node
          ? (node as {toJSON(): unknown}).toJSON()
          : null
    const checked = checkValue(key, spec, value, range)
    if (checked !== undefined) values[key] = checked
  }
  checkRequired(values)
  return values

  function checkRequired(values: Record<string, unknown>) {
    for (const [key, spec] of Object.entries(schema)) {
      if (spec.required && !(key in values)) {
        const missing = contents && !isScalar(contents) ? contents.range : null
        if (!hasErrorFor(file, key)) {
          error(
            file,
            `Missing \`${key}\` in ${what}, expected a ${describe(spec)}`,
            at(missing ? [missing[0], missing[0]] : null),
            `missing-${key}`,
            source
          )
        }
      }
    }
  }

  function checkValue(
    key: string,
    spec: FieldSpec,
    value: unknown,
    range: readonly number[] | null | undefined
  ): unknown {
    const bad = (expected: string) => {
      error(
        file,
        `Unexpected value ${JSON.stringify(value)} for \`${key}\` in ${what}, expected ${expected}`,
        at(range),
        `invalid-${key}`,
        source
      )
      return undefined
    }
    if (spec.kind === 'string-list') {
      const list = typeof value === 'string' ? [value] : value
      if (!Array.isArray(list) || list.length === 0 || list.some((v) => typeof v !== 'string' || v.trim() === '')) {
        return bad('a non-empty string or a list of non-empty strings')
      }
      return list.map((v: string) => v.trim())
    }
    if (spec.kind === 'rules') {
      const entries = value && typeof value === 'object' && !Array.isArray(value) ? Object.entries(value) : undefined
      if (!entries || entries.some(([, level]) => level !== 'off' && level !== 'warn' && level !== 'error'))
        return bad('a mapping of rule ids to `off`, `warn` or `error`')
      return Object.fromEntries(entries)
    }
    if (spec.kind === 'date') {
      const text = value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'string' ? value : ''
      if (!/^\d{4}-\d{2}-\d{2}$/.test(text) || Number.isNaN(Date.parse(text))) return bad('a date as `YYYY-MM-DD`')
      return text
    }
    const text = typeof value === 'number' ? String(value) : value
    if (typeof text !== 'string' || text.trim() === '') return bad('a non-empty string')
    if (spec.pattern && !spec.pattern.regex.test(text)) return bad(spec.pattern.expected)
    return text.trim()
  }
}

function describe(spec: FieldSpec): string {
  if (spec.kind === 'string-list') return 'list of names'
  if (spec.kind === 'date') return 'date as `YYYY-MM-DD`'
  return spec.pattern ? spec.pattern.expected : 'non-empty string'
}

/**
 * Where the value of the top-level field `key` is in `file` (book.yaml), for
 * a message about a value that was read but cannot be used: the rest of its
 * line after `key:`. The start of the file when the field is not found.
 */
export function fieldValuePosition(file: VFile, key: string): Position | undefined {
  const match = new RegExp(`^${key}[ \\t]*:[ \\t]*(.*)$`, 'm').exec(String(file.value))
  const start = match ? match.index + match[0].length - match[1]!.length : 0
  return positionAt(file, start, start + (match?.[1]?.length ?? 0))
}

/** Whether `file` already has an error about the field `key` (its messages name fields as `` `key` ``). */
export function hasErrorFor(file: VFile, key: string): boolean {
  return file.messages.some((m) => m.fatal && m.reason.includes(`\`${key}\``))
}
