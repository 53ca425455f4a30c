/**
 * remark plugin: Pandoc citations. Finds `[@key]`, `[@key, p. 3]`,
 * `[see @a, pp. 3-4; also @b]`, `[-@key]` and in-text `@key` (optionally
 * `@key [p. 3]`) in text, and `[@key]` that remark parsed as a reference
 * link, and turns each into a `citation` node that keeps its source text as
 * its child. Every citation is recorded on `file.data.citations` in reading
 * order; `numberCitations` numbers them afterwards, from 1 in each chapter.
 *
 * Messages (source `remark-citations`):
 * - `unknown-cite-key` (error): a key not in the bibliography, with the closest key;
 * - `malformed-citation` (error): `[@]`, `[@a;; @b]`, `[@a` unclosed, markup inside brackets;
 * - `uncited-claim` (warning): a paragraph with a number (a digit sequence,
 *   so also a year or date) but no citation. Only paragraphs count: headings,
 *   table cells, code and directive labels do not, and neither do digits in
 *   links, inline code or citations, nor list numbers;
 * - `unused-reference` (warning, on the bibliography, from `unusedReferences`).
 *
 * Not citations: `@` after a letter or digit (`someone@example.org`), an
 * escaped `\@key` or `\[@key]`, anything in links and code.
 */
import type {Nodes, Paragraph, Parents, PhrasingContent, Root, Text} from 'mdast'
import type {TextDirective} from 'mdast-util-directive'
import {findAndReplace, type RegExpMatchObject} from 'mdast-util-find-and-replace'
import type {Position} from 'unist'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {positionCitations} from '../citations/positions.js'
import {mapSource, type SourceMap} from '../citations/source-map.js'
import {closestKey, keySource, looksLikeCitation, parseBracketContent} from '../citations/syntax.js'
import {error, positionAt, warn} from '../messages.js'
import {visit} from '../tree.js'
import type {Citation, CiteItem, CslItem} from '../types.js'

/** Options of `remarkCitations`. */
export interface Options {
  /** The bibliography's items by id (`loadBibliography(...).items`). Required. */
  items: Map<string, CslItem>
  /**
   * Report citation keys that are not in `items` (`unknown-cite-key`). Default `true`; `false` when the bibliography
   * could not be read (not UTF-8, not JSON), whose one error says why: every key would be unknown.
   */
  checkKeys?: boolean | undefined
  /** Warn (`uncited-claim`) about paragraphs that state a number or date without a citation. Default `true`. */
  claims?: boolean | undefined
  /** The bibliography's file name, for messages. Default `references.json`. */
  bibliography?: string | undefined
}

const source = 'remark-citations'
// Words that name what a number labels, right before it: `Chapter 3`, `Fig. 1`, `p. 12`, `§ 4`.
const labelled =
  /(?:^|[^\p{L}])(?:chapters?|ch\.|figures?|figs?\.|tables?|tbl\.|sections?|sec\.|equations?|eq\.|parts?|pages?|pp?\.|steps?|notes?|§|no\.|vol\.)\s*$/iu

/** Turn Pandoc citations into `citation` nodes and report unknown keys, malformed citations and uncited claims. */
export function remarkCitations(options: Options) {
  if (!options || !(options.items instanceof Map)) {
    throw new TypeError(
      'Expected `options.items`, the bibliography as a Map of CSL items by id (from `loadBibliography`)'
    )
  }
  const items = options.items
  const claims = options.claims !== false
  const checkKeys = options.checkKeys !== false
  const bibliography = options.bibliography ?? 'references.json'
  // Three alternatives, tried left to right at each place: a whole `[...]` (a citation if it has a cite's `@`),
  // a `[` never closed in this text node, and an in-text `@key` with an optional `[locator]`.
  const pattern = String.raw`\[([^\[\]]*)\]|\[(?=-?@|[^\[\]]*[\s;]-?@)[^\[\]]*$|(?<![\p{L}\p{N}_])@(${keySource})(?:[ \t]\[([^\[\]@]*)\])?`

  return (tree: Root, file: VFile): undefined => {
    const text = String(file.value)
    const maps = new Map<Text, SourceMap | undefined>()
    const made = new Set<Citation>()
    const replaced: Array<{
      parent: Parents
      origin: Text
      before: Nodes | undefined
    }> = []
    // The text nodes already in `replaced` (a set: a 5 MB chapter has tens of thousands).
    const replacedOrigins = new Set<Text>()

    const positionOf = (start: number | undefined, end: number | undefined): Position | undefined =>
      start === undefined || end === undefined ? undefined : positionAt(file, start, end)
    // Where the text being read is, for text without a place of its own (split off by autolink literals).
    let around: Position | undefined
    const fail = (reason: string, position: Position | undefined, ruleId: string) => {
      error(file, reason, position ?? around, ruleId, source)
    }
    const sourceMap = (node: Text): SourceMap | undefined => {
      if (!maps.has(node)) maps.set(node, mapSource(node, text))
      return maps.get(node)
    }

    visit(tree, (node, index, parent) => {
      if ('children' in node) joinSplitKeys(node.children, text)
      // `[@key]` with a matching definition is a reference link to remark; to Pandoc it is a citation, and so it is here.
      if (node.type !== 'linkReference' || !parent || index === undefined || node.referenceType === 'full') return
      const start = node.position?.start.offset
      const end = node.position?.end.offset
      const raw =
        start !== undefined && end !== undefined
          ? text.slice(start, end)
          : `[${node.label ?? ''}]${node.referenceType === 'collapsed' ? '[]' : ''}`
      const content = raw.slice(1, raw.length - (node.referenceType === 'collapsed' ? 3 : 1))
      if (!looksLikeCitation(content)) return
      const citation = bracketCitation(content, raw, node.position, (i) =>
        start === undefined ? undefined : start + 1 + i
      )
      if (!citation) return
      parent.children[index] = citation
      return [SKIP, index + 1]
    })

    findAndReplace(tree, [new RegExp(pattern, 'gu'), replace], {
      ignore: ['link', 'linkReference', 'citation', 'crossReference', 'inlineMath', 'inlineCode']
    })
    restorePositions()

    // One walk, in reading order, finds every citation and checks every paragraph's claims.
    const citations: Citation[] = []
    const found = (node: Citation) => {
      citations.push(node)
      return SKIP
    }
    visit(tree, (node) => {
      if (node.type === 'citation') return found(node)
      // A directive's `[label]` is a title, not a claim.
      if (claims && node.type === 'paragraph' && !node.data?.directiveLabel) return checkClaim(node)
      return undefined
    })
    file.data.citations = citations

    function replace(
      value: string,
      bracket: string | undefined,
      key: string | undefined,
      locator: string | undefined,
      match: RegExpMatchObject
    ) {
      const node = match.stack[match.stack.length - 1] as Text
      const parent = match.stack[match.stack.length - 2] as Parents
      around = node.position ?? match.stack.findLast((ancestor) => ancestor.position)?.position
      const map = sourceMap(node)
      const from = match.index
      const to = from + value.length
      const offset = (i: number) => map?.offset(i)
      // `\[@a]` and `\@a` are literal.
      if (map?.escaped(from)) return false

      let result: PhrasingContent | false
      if (bracket !== undefined) {
        if (!looksLikeCitation(bracket)) return false
        // `[\@key]` is literal too: an escaped `@` anywhere in the brackets.
        for (let at = bracket.indexOf('@'); at !== -1; at = bracket.indexOf('@', at + 1))
          if (map?.escaped(from + 1 + at)) return false
        result = bracketCitation(bracket, value, positionOf(offset(from), offset(to)), (i) => offset(from + 1 + i)) ?? {
          type: 'text',
          value
        }
      } else if (key === undefined) {
        const closedLater = siblingText(parent, node, 1).some((sibling) => sibling.includes(']'))
        fail(
          closedLater
            ? 'Unexpected markup inside a bracketed citation, expected plain text between `[` and `]` (move emphasis, code or links outside the brackets)'
            : `Unexpected unclosed citation \`${excerpt(value)}\`, expected \`]\` to close it (as in \`[@key]\`)`,
          positionOf(offset(from), offset(to)),
          'malformed-citation'
        )
        result = {type: 'text', value}
      } else if (/^[^[\]]*\]/.test(match.input.slice(to)) && opensBefore(parent, node, match.input.slice(0, from))) {
        // The tail of `[see *x* @a]`: its `[` is in an earlier text node.
        fail(
          'Unexpected markup inside a bracketed citation, expected plain text between `[` and `]` (move emphasis, code or links outside the brackets)',
          positionOf(offset(from), offset(to)),
          'malformed-citation'
        )
        result = {type: 'text', value}
      } else {
        const position = positionOf(offset(from), offset(to))
        const item: CiteItem = {
          key: normalizeKey(key),
          prefix: '',
          suffix: (locator ?? '').trim(),
          suppressAuthor: false
        }
        checkKey(item.key, positionOf(offset(from), offset(from + 1 + key.length)))
        result = citationNode('in-text', [item], value, position)
      }

      if (!replacedOrigins.has(node)) {
        replacedOrigins.add(node)
        const siblings: Nodes[] = parent.children
        replaced.push({
          parent,
          origin: node,
          before: siblings[siblings.indexOf(node) - 1]
        })
      }
      return result
    }

    /** A citation from bracket content, or `undefined` (reported) when it is malformed. */
    function bracketCitation(
      content: string,
      raw: string,
      position: Position | undefined,
      offset: (i: number) => number | undefined
    ): Citation | undefined {
      const parsed = parseBracketContent(content)
      if ('problem' in parsed) {
        fail(
          `${parsed.problem.reason} in \`${excerpt(raw)}\``,
          positionOf(offset(parsed.problem.start), offset(parsed.problem.end)),
          'malformed-citation'
        )
        return undefined
      }
      for (const item of parsed.items) checkKey(item.key, positionOf(offset(item.start), offset(item.end)))
      const list = parsed.items.map(({key, prefix, suffix, suppressAuthor}) => ({
        key,
        prefix,
        suffix,
        suppressAuthor
      }))
      return citationNode('parenthetical', list, raw, position)
    }

    function citationNode(
      mode: Citation['mode'],
      list: CiteItem[],
      value: string,
      position: Position | undefined
    ): Citation {
      const child: Text = {type: 'text', value}
      const node: Citation = {
        type: 'citation',
        mode,
        items: list,
        number: 0,
        id: '',
        children: [child]
      }
      if (position) {
        child.position = structuredClone(position)
        node.position = position
      }
      made.add(node)
      return node
    }

    function checkKey(key: string, position: Position | undefined) {
      if (!checkKeys || items.has(key)) return
      const suggestion = closestKey(key, items.keys())
      fail(
        `Unexpected unknown citation key \`${key}\`, expected a key from ${bibliography} ${
          suggestion ? `(did you mean \`${suggestion}\`?)` : '(add the entry there, or write `\\@` for a literal `@`)'
        }`,
        position,
        'unknown-cite-key'
      )
    }

    /** Give the text pieces that find-and-replace split off their places in the source. */
    function restorePositions() {
      for (const {parent, origin, before} of replaced) {
        const map = sourceMap(origin)
        if (!map) continue
        const siblings: Nodes[] = parent.children
        let index = before ? siblings.indexOf(before) + 1 : 0
        let consumed = 0
        while (consumed < origin.value.length && index < siblings.length) {
          const child = siblings[index++]!
          if (child.type === 'citation' && made.has(child)) {
            consumed += child.children.reduce((sum, node) => sum + ('value' in node ? node.value.length : 0), 0)
          } else if (child.type === 'text' && !child.position) {
            child.position = positionOf(map.offset(consumed), map.offset(consumed + child.value.length))
            consumed += child.value.length
          } else {
            break
          }
        }
      }
    }

    /** Find the citations of a paragraph, and warn about a number in it when it has none. */
    function checkClaim(paragraph: Paragraph) {
      let cited = false
      let number: {node: Text; index: number; value: string} | undefined
      visit(paragraph, (node) => {
        if (node.type === 'citation') {
          cited = true
          return found(node)
        }
        // Numbers in links (cross-references) and code are not claims.
        if (node.type === 'link' || node.type === 'linkReference') {
          visit(node, 'citation', found)
          return SKIP
        }
        // Nor are numbers in code, math, sub- and superscripts, notes' calls and cross-references.
        if (
          node.type === 'inlineCode' ||
          node.type === 'html' ||
          node.type === 'inlineMath' ||
          node.type === 'subscript' ||
          node.type === 'superscript' ||
          node.type === 'crossReference' ||
          (node.type === 'htmlElement' && ['sub', 'sup', 'kbd'].includes(node.tagName))
        )
          return SKIP
        if (node.type === 'text' && !number && !isRawHtml(node, text)) {
          for (const found of node.value.matchAll(/\p{Nd}+/gu)) {
            // A label's number (`Chapter 3`, `Fig. 1`) is not a claim.
            if (labelled.test(node.value.slice(0, found.index))) continue
            number = {node, index: found.index, value: found[0]}
            break
          }
        }
        return undefined
      })
      if (!cited && number) {
        const map = sourceMap(number.node)
        // Text split off by other plugins (autolink literals) may have no place: then the paragraph's.
        const position =
          (map
            ? positionOf(map.offset(number.index), map.offset(number.index + number.value.length))
            : number.node.position) ?? paragraph.position
        warn(
          file,
          `Unexpected number \`${number.value}\` in a paragraph without a citation, expected a citation of its source (such as \`[@key]\`) for the claim`,
          position,
          'uncited-claim',
          source
        )
      }
      return SKIP
    }
  }
}

/**
 * Number a chapter's citations: 1-based, in reading order, from 1 in each
 * chapter as a book's notes are, with `id` `cite-<n>` for backlinks. A run of
 * citations that cite the same thing (the same works, pages and words)
 * shares one note: the second of a run is `cite-<n>-2`, the third
 * `cite-<n>-3`. Citations in a contested claim's accounts, which both books
 * show apart from the text, always get notes of their own. Each cite then
 * gets its position among the chapter's notes (`positionCitations`): a note
 * style prints the first note of a work in full and later ones short.
 *
 * Nothing here depends on another chapter, so an edit to one chapter changes
 * no other chapter's notes, and the other chapters' pages come from the cache.
 */
export function numberCitations(file: VFile): void {
  let count = 0
  const apart = new Set<Citation>()
  for (const claim of file.data.contested ?? [])
    for (const account of claim.accounts)
      visit(account, 'citation', (node) => {
        apart.add(node)
      })
  let previous: Citation | undefined
  let run = 1
  const citations = file.data.citations ?? []
  for (const citation of citations) {
    if (previous && !apart.has(citation) && !apart.has(previous) && sameNote(previous, citation)) {
      run++
      citation.number = count
      citation.id = `cite-${count}-${run}`
    } else {
      count++
      run = 1
      citation.number = count
      citation.id = `cite-${count}`
    }
    previous = citation
  }
  positionCitations(citations)
}

/** Whether two citations give the same note: the same cites, in the same order, shown the same way. */
function sameNote(a: Citation, b: Citation): boolean {
  return (
    a.mode === b.mode &&
    a.items.length === b.items.length &&
    a.items.every((item, i) => {
      const other = b.items[i]!
      return (
        item.key === other.key &&
        item.prefix === other.prefix &&
        item.suffix.trim() === other.suffix.trim() &&
        item.suppressAuthor === other.suppressAuthor
      )
    })
  )
}

/**
 * Warn (`unused-reference`) on the bibliography file, at the entry, about
 * every reference that no chapter cites.
 */
export function unusedReferences(files: VFile[], items: Map<string, CslItem>, referencesFile: VFile): void {
  const cited = new Set<string>()
  for (const file of files)
    for (const citation of file.data.citations ?? []) for (const item of citation.items) cited.add(item.key)
  const positions = referencesFile.data.referencePositions
  for (const id of items.keys()) {
    if (cited.has(id)) continue
    warn(
      referencesFile,
      `Unexpected unused reference \`${id}\`, expected a citation of it in some chapter (cite it as \`[@${id}]\` or remove the entry)`,
      positions?.get(id),
      'unused-reference',
      source
    )
  }
}

/**
 * remark-directive reads the `:2020` of `@smith:2020` as a text directive,
 * and remark-content-checks turns such bare directives back into separate
 * text nodes: put keys back together among a node's children, so each
 * citation is in one text node.
 */
function joinSplitKeys(children: Nodes[], text: string): void {
  for (let index = 1; index < children.length; index++) {
    const previous = children[index - 1]!
    let child = children[index]!
    if (previous.type !== 'text') continue
    if (child.type === 'textDirective' && /@[\p{L}\p{N}_][^\s[\]@]*$/u.test(previous.value) && isBare(child, text)) {
      child = {type: 'text', value: `:${child.name}`, position: child.position}
      children[index] = child
    }
    const end = previous.position?.end.offset
    if (child.type === 'text' && end !== undefined && end === child.position?.start.offset) {
      previous.value += child.value
      previous.position = {
        start: previous.position!.start,
        end: child.position.end
      }
      children.splice(index, 1)
      index--
    }
  }
}

/**
 * Whether a text node is raw HTML shown as text (remark-content-checks turns
 * `html` nodes into text): Markdown text never holds a literal `<tag`, which
 * would have been parsed as HTML.
 */
function isRawHtml(node: Text, text: string): boolean {
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  return (
    start !== undefined &&
    end !== undefined &&
    /^<[A-Za-z!/?]/.test(node.value) &&
    text.slice(start, end) === node.value
  )
}

/** Whether a text directive is just `:name` in the source (no label, no attributes). */
function isBare(node: TextDirective, text: string): boolean {
  const start = node.position?.start.offset
  const end = node.position?.end.offset
  return start !== undefined && end !== undefined && text.slice(start, end) === `:${node.name}`
}

// `@{a key}` is the key `a key`.
function normalizeKey(key: string): string {
  return key.startsWith('{') ? key.slice(1, -1).trim() : key
}

function excerpt(value: string): string {
  const flat = value.replace(/\s+/g, ' ')
  return flat.length > 40 ? `${flat.slice(0, 39)}…` : flat
}

/** Values of the text children of `parent` after (`direction` 1) or before (-1) `node`, nearest first. */
function siblingText(parent: Parents, node: Text, direction: 1 | -1): string[] {
  const values: string[] = []
  const children: Nodes[] = parent.children
  for (let index = children.indexOf(node) + direction; index >= 0 && index < children.length; index += direction) {
    const child = children[index]!
    if (child.type === 'text') values.push(child.value)
  }
  return values
}

/** Whether the text node holding `node`'s in-text cite continues a `[` opened in an earlier text sibling (markup split the brackets). */
function opensBefore(parent: Parents, node: Text, before: string): boolean {
  // A bracket in the same text node was not a citation (`[as in (@a)]`): the cite is an ordinary in-text one.
  if (before.includes('[') || before.includes(']')) return false
  for (const value of siblingText(parent, node, -1)) {
    const open = value.lastIndexOf('[')
    const close = value.lastIndexOf(']')
    if (open > close) return true
    if (close > open) return false
  }
  return false
}
