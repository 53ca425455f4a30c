/**
 * Bibliographies besides CSL-JSON: BibTeX and BibLaTeX (`.bib`, through citation-js's BibTeX plugin) and
 * CSL-YAML (`.yaml`, `.yml`: a list of items, or Pandoc's `references:` list). Each gives CSL items and
 * where each entry is, and every problem is a positioned message on the file: `invalid-references` (a
 * syntax error), `invalid-reference` (an entry without a usable id or type), `duplicate-reference-key`.
 */
import {Cite} from '@citation-js/core'
import type {Position} from 'unist'
import type {VFile} from 'vfile'
import {isMap, isScalar, isSeq, parseDocument, type YAMLMap} from 'yaml'
import {error, positionAt} from '../messages.js'
import type {CslItem} from '../types.js'

const source = 'remark-citations'

/** What a bibliography file gave: its items by id and where each entry is. */
export interface ReadEntries {
  items: Map<string, CslItem>
  positions: Map<string, Position>
}

/** Read a BibTeX or BibLaTeX file. citation-js's BibTeX plugin is loaded only for a book that has one. */
export async function readBibtex(file: VFile): Promise<ReadEntries> {
  await import('@citation-js/plugin-bibtex')
  const text = String(file.value ?? '')
  const items = new Map<string, CslItem>()
  const positions = new Map<string, Position>()
  // Where each entry starts (`@book{key,`), and which type it was written with.
  const written = new Map<string, {position: Position | undefined; type: string}>()
  for (const match of text.matchAll(/@([A-Za-z]+)\s*[{(]\s*([^,\s{}()]+)\s*,/g)) {
    const [whole, type, key] = match as unknown as [string, string, string]
    if (/^(comment|string|preamble)$/i.test(type)) continue
    const position = positionAt(file, match.index, match.index + whole.length)
    const before = written.get(key)
    if (before) {
      error(
        file,
        `Unexpected duplicate reference id \`${key}\`, expected unique ids (first defined on line ${before.position?.start.line ?? 0}; rename or remove one)`,
        position,
        'duplicate-reference-key',
        source
      )
      continue
    }
    written.set(key, {position, type: type.toLowerCase()})
  }
  let data: Array<Record<string, unknown>>
  try {
    data = new Cite(text, {forceType: '@biblatex/text', generateGraphs: false}).data as Array<Record<string, unknown>>
  } catch (cause) {
    const reason = String((cause as Error).message ?? cause)
    const where = /line (\d+) col (\d+)/.exec(reason)
    error(
      file,
      `Unexpected BibTeX syntax in the bibliography (${reason.split('\n')[0]!.replace(/:$/, '')}), expected entries such as \`@book{key, title = {…}, year = 2020}\``,
      where ? {line: Number(where[1]), column: Number(where[2])} : {line: 1, column: 1},
      'invalid-references',
      source
    )
    return {items, positions}
  }
  for (const entry of data) {
    const id = String(entry.id ?? entry['citation-key'] ?? '')
    const origin = written.get(id)
    if (!id || items.has(id)) continue
    const item = {...entry, id, type: cslType(entry, origin?.type)} as CslItem
    delete item._graph
    items.set(id, item)
    if (origin?.position) positions.set(id, origin.position)
  }
  return {items, positions}
}

/**
 * A CSL type for an entry: citation-js's, except for `@misc` and its kin with a web address and nothing
 * published around them, which are web pages.
 */
function cslType(entry: Record<string, unknown>, bibType: string | undefined): string {
  const type = typeof entry.type === 'string' && entry.type !== '' ? entry.type : 'document'
  const miscLike = bibType === undefined || /^(misc|unpublished|online|www|electronic)$/.test(bibType)
  if (miscLike && type === 'document' && entry.URL && !entry.publisher && !entry['container-title']) return 'webpage'
  return type
}

/** Read a CSL-YAML file. */
export function readCslYaml(file: VFile): ReadEntries {
  const items = new Map<string, CslItem>()
  const positions = new Map<string, Position>()
  const doc = parseDocument(String(file.value ?? ''), {prettyErrors: false})
  const at = (range: readonly number[] | null | undefined) =>
    range ? positionAt(file, range[0]!, range[1]!) : undefined
  if (doc.errors.length > 0) {
    for (const e of doc.errors)
      error(
        file,
        `Unexpected YAML syntax in the bibliography (${e.message.split('\n')[0]}), expected a list of CSL items`,
        at(e.pos),
        'invalid-references',
        source
      )
    return {items, positions}
  }
  let list: unknown = doc.contents
  if (isMap(list) && list.has('references')) list = list.get('references', true)
  if (list === null || (isScalar(list) && (list.value === null || list.value === ''))) return {items, positions}
  if (!isSeq(list)) {
    error(
      file,
      'Unexpected bibliography that is not a list, expected a list of CSL items (or `references:` with one)',
      at((list as {range?: number[]} | null)?.range),
      'invalid-references',
      source
    )
    return {items, positions}
  }
  for (const node of list.items) {
    const position = at((node as {range?: number[]}).range)
    if (!isMap(node)) {
      error(
        file,
        'Unexpected entry that is not a mapping, expected a CSL item with `id` and `type`',
        position,
        'invalid-reference',
        source
      )
      continue
    }
    const value = (node as YAMLMap).toJSON() as Record<string, unknown>
    const id = typeof value.id === 'string' || typeof value.id === 'number' ? String(value.id) : ''
    if (!id.trim() || typeof value.type !== 'string') {
      error(
        file,
        `Unexpected reference without ${id ? '`type`' : '`id`'}, expected an \`id\` and a CSL \`type\` such as \`book\``,
        position,
        'invalid-reference',
        source
      )
      continue
    }
    if (items.has(id)) {
      error(
        file,
        `Unexpected duplicate reference id \`${id}\`, expected unique ids (first defined on line ${positions.get(id)?.start.line ?? 0}; rename or remove one)`,
        position,
        'duplicate-reference-key',
        source
      )
      continue
    }
    for (const key of ['issued', 'accessed', 'event-date', 'original-date', 'submitted']) {
      if (key in value) value[key] = cslDate(value[key])
    }
    items.set(id, {...value, id, type: value.type} as CslItem)
    if (position) positions.set(id, position)
  }
  return {items, positions}
}

/** A CSL date from what YAML holds: `2020`, `2020-03-01` (a string or a YAML date), or a CSL date already. */
function cslDate(value: unknown): unknown {
  const text =
    value instanceof Date ? value.toISOString().slice(0, 10) : typeof value === 'number' ? String(value) : value
  if (typeof text !== 'string') return value
  const parts = /^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?/.exec(text)
  if (!parts) return {literal: text}
  return {'date-parts': [parts.slice(1).filter(Boolean).map(Number)]}
}
