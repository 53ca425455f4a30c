/**
 * Load the book's bibliography, `references.json` (a CSL-JSON array), with
 * the place of every entry, so problems in it (bad JSON, entries without
 * `id` or `type`, duplicate ids, entries never cited) print with file, line
 * and column like problems in chapters do.
 */
import fs from 'node:fs/promises'
import {type Node as JsonNode, type ParseError, parseTree, printParseErrorCode} from 'jsonc-parser'
import type {Position} from 'unist'
import {VFile} from 'vfile'
import type {VFileMessage} from 'vfile-message'
import {error, positionAt, warn} from '../messages.js'
import {forbiddenIn, forbiddenReason, stripForbidden} from '../plugins/remark-xml-chars.js'
import type {CslItem} from '../types.js'
import {readBibtex, readCslYaml} from './bib-formats.js'
import {closestKey} from './syntax.js'

export type {Formatted, Formatter} from '../types.js'
export {createFormatter, defaultStyle, type FormatterOptions} from './formatter.js'

/** Where each bibliography entry (the whole object) is, by id. */
export type ReferencePositions = Map<string, Position>

declare module 'vfile' {
  interface DataMap {
    /** On the bibliography file: where each entry is, by id. */
    referencePositions: ReferencePositions
  }
}

/** The loaded bibliography: its file (carrying its messages) and its items by id. */
export interface Bibliography {
  file: VFile
  items: Map<string, CslItem>
}

const source = 'remark-citations'

/** CSL 1.0.2 item types. */
const cslTypes = new Set([
  'article',
  'article-journal',
  'article-magazine',
  'article-newspaper',
  'bill',
  'book',
  'broadcast',
  'chapter',
  'classic',
  'collection',
  'dataset',
  'document',
  'entry',
  'entry-dictionary',
  'entry-encyclopedia',
  'event',
  'figure',
  'graphic',
  'hearing',
  'interview',
  'legal_case',
  'legislation',
  'manuscript',
  'map',
  'motion_picture',
  'musical_score',
  'pamphlet',
  'paper-conference',
  'patent',
  'performance',
  'periodical',
  'personal_communication',
  'post',
  'post-weblog',
  'regulation',
  'report',
  'review',
  'review-book',
  'software',
  'song',
  'speech',
  'standard',
  'thesis',
  'treaty',
  'webpage'
])

const syntaxErrors: Record<string, string> = {
  InvalidSymbol: 'invalid symbol',
  InvalidNumberFormat: 'malformed number',
  PropertyNameExpected: 'missing property name',
  ValueExpected: 'missing value',
  ColonExpected: 'missing `:`',
  CommaExpected: 'missing `,`',
  CloseBraceExpected: 'missing `}`',
  CloseBracketExpected: 'missing `]`',
  EndOfFileExpected: 'text after the end of the array',
  InvalidCommentToken: 'comment',
  UnexpectedEndOfComment: 'unclosed comment',
  UnexpectedEndOfString: 'unclosed string',
  UnexpectedEndOfNumber: 'unfinished number',
  InvalidUnicode: 'invalid `\\u` escape',
  InvalidEscapeCharacter: 'invalid escape',
  InvalidCharacter: 'control character in a string'
}

/**
 * Read and check a CSL-JSON bibliography. Pass `file` when the caller has
 * already read it (it is then not read again). A missing file is an empty
 * bibliography. Problems become messages on the returned file (fatal ones
 * marked `fatal`): `invalid-references` (bad JSON, not an array),
 * `invalid-reference` (an entry that is not an object, or has no usable
 * `id` or `type`), `duplicate-reference-key`, and the warning
 * `unknown-reference-type`. The entries that could be read are returned
 * even when there are errors, so chapters are still checked against them.
 */
export async function loadBibliography(filePath: string, file?: VFile): Promise<Bibliography> {
  const bibliography = file ?? (await read(filePath))
  const items = new Map<string, CslItem>()
  const positions = new Map<string, Position>()
  bibliography.data.referencePositions = positions

  const text = String(bibliography.value ?? '')
  if (text.trim() === '') return {file: bibliography, items}
  // BibTeX, BibLaTeX and CSL-YAML have their own readers (./bib-formats.ts).
  const other = /\.bib$/i.test(bibliography.path)
    ? readBibtex
    : /\.ya?ml$/i.test(bibliography.path)
      ? readCslYaml
      : undefined
  if (other) {
    const read = await other(bibliography)
    for (const [id, position] of read.positions) positions.set(id, position)
    return {file: bibliography, items: read.items}
  }

  const at = (offset: number, length = 0): Position | undefined => positionAt(bibliography, offset, offset + length)
  const fail = (reason: string, position: Position | undefined, ruleId: string): VFileMessage =>
    error(bibliography, reason, position, ruleId, source)

  const errors: ParseError[] = []
  const root = parseTree(text, errors, {
    disallowComments: true,
    allowTrailingComma: false,
    allowEmptyContent: true
  })
  const first = errors[0]
  if (first) {
    const what = syntaxErrors[printParseErrorCode(first.error)] ?? 'invalid syntax'
    fail(
      `Unexpected JSON syntax in the bibliography (${what}), expected valid JSON: an array of CSL-JSON items`,
      at(first.offset, first.length),
      'invalid-references'
    )
  }
  if (!root) return {file: bibliography, items}

  if (root.type !== 'array') {
    fail(
      `Unexpected JSON ${root.type} at the top of the bibliography, expected an array of CSL-JSON items (\`[{"id": "…", "type": "…"}]\`)`,
      at(root.offset, 1),
      'invalid-references'
    )
    return {file: bibliography, items}
  }

  const lines = new Map<string, number>()
  for (const entry of root.children ?? []) {
    const position = at(entry.offset, entry.length)
    const start = at(entry.offset, 1)
    if (entry.type !== 'object') {
      fail(
        `Unexpected JSON ${entry.type} in the bibliography, expected a CSL-JSON item (an object with \`id\` and \`type\`)`,
        start,
        'invalid-reference'
      )
      continue
    }

    const idNode = property(entry, 'id')
    const typeNode = property(entry, 'type')
    const idValue: unknown = idNode?.value
    if (!idNode) {
      fail(
        'Unexpected reference without `id`, expected a unique `id` such as `"id": "smith-2020"`',
        start,
        'invalid-reference'
      )
      continue
    }
    if ((typeof idValue !== 'string' && typeof idValue !== 'number') || String(idValue).trim() === '') {
      fail(
        `Unexpected reference id ${JSON.stringify(idValue)}, expected a non-empty string such as \`"smith-2020"\``,
        at(idNode.offset, idNode.length),
        'invalid-reference'
      )
      continue
    }

    const id = String(idValue)
    const idPosition = at(idNode.offset, idNode.length)
    if (!typeNode) {
      fail(
        `Unexpected reference \`${id}\` without \`type\`, expected a CSL type such as \`"type": "book"\`, \`"article-journal"\` or \`"webpage"\``,
        start,
        'invalid-reference'
      )
      continue
    }
    if (typeof typeNode.value !== 'string') {
      fail(
        `Unexpected type ${JSON.stringify(typeNode.value)} of reference \`${id}\`, expected a CSL type string such as \`"book"\``,
        at(typeNode.offset, typeNode.length),
        'invalid-reference'
      )
      continue
    }
    if (!cslTypes.has(typeNode.value)) {
      const suggestion = closestKey(typeNode.value, cslTypes)
      warn(
        bibliography,
        `Unexpected CSL type \`${typeNode.value}\` of reference \`${id}\`, expected a CSL type${suggestion ? ` (did you mean \`${suggestion}\`?)` : ' such as `book` or `webpage`'}`,
        at(typeNode.offset, typeNode.length),
        'unknown-reference-type',
        source
      )
    }

    const firstLine = lines.get(id)
    if (firstLine !== undefined) {
      fail(
        `Unexpected duplicate reference id \`${id}\`, expected unique ids (first defined on line ${firstLine}; rename or remove one)`,
        idPosition,
        'duplicate-reference-key'
      )
      continue
    }
    lines.set(id, idPosition?.start.line ?? 0)

    // Every string reaches the notes, the sources pages and the EPUB: no character XML or HTML forbids passes.
    const value = jsonValue(entry, (node) => {
      const text = String(node.value)
      const found = forbiddenIn(text)
      for (const {code} of found)
        warn(
          bibliography,
          forbiddenReason(code, `reference \`${id}\``),
          at(node.offset, node.length),
          'forbidden-character',
          source
        )
      return found.length > 0 ? stripForbidden(text) : text
    }) as Record<string, unknown>
    items.set(id, {...value, id, type: typeNode.value})
    if (position) positions.set(id, position)
  }

  return {file: bibliography, items}
}

async function read(filePath: string): Promise<VFile> {
  try {
    return new VFile({
      path: filePath,
      value: await fs.readFile(filePath, 'utf8')
    })
  } catch (cause) {
    if (cause instanceof Error && 'code' in cause && cause.code === 'ENOENT')
      return new VFile({path: filePath, value: ''})
    throw cause
  }
}

/** The value node of an object's property (the last one, as `JSON.parse` would). */
function property(object: JsonNode, name: string): JsonNode | undefined {
  let found: JsonNode | undefined
  for (const child of object.children ?? []) {
    const [key, value] = child.children ?? []
    if (key?.value === name && value) found = value
  }
  return found
}

function jsonValue(node: JsonNode, text: (node: JsonNode) => string): unknown {
  switch (node.type) {
    case 'array':
      return (node.children ?? []).map((child) => jsonValue(child, text))
    case 'string':
      return text(node)
    case 'object': {
      const result: Record<string, unknown> = {}
      for (const child of node.children ?? []) {
        const [key, value] = child.children ?? []
        // Defined, not assigned: a `__proto__` key stays data.
        if (key && value && typeof key.value === 'string')
          Object.defineProperty(result, key.value, {
            value: jsonValue(value, text),
            enumerable: true,
            writable: true,
            configurable: true
          })
      }
      return result
    }
    default:
      return node.value as unknown
  }
}
