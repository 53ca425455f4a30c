/**
 * Format bibliography entries and notes through CSL with citation-js
 * (`@citation-js/plugin-csl`, which runs citeproc-js). The style is set up
 * once per formatter; each entry and each distinct note is formatted once per
 * build and memoized. Targets take hast (`entryHast`, `noteHast`), never
 * HTML strings to concatenate.
 *
 * Speed (a book of 1,000 chapters cites some 40,000 times): one citeproc
 * engine has every entry registered once, as a document would; it makes the
 * bibliography in one run and renders the notes (so numeric styles number
 * notes as the bibliography does). A note whose locators are plain page
 * numbers (`[@a, p. 12]`) is rendered once per shape with placeholder numbers
 * that are then replaced: `p. 12` and `p. 13` of the same work cost one
 * citeproc run, not two. The first note of each shape is also rendered
 * directly, and a shape whose output does not match it, or whose number is
 * not a word of its own (`4th`, `iv`), is never filled in.
 * A note of several works (`[see @a; @b, p. 4]`) is put together from each
 * work's own note, as the style's `<citation><layout>` joins them (prefix,
 * delimiter, suffix), when the style neither sorts nor collapses cites; the
 * first note of each form (how the works' notes begin and end, words blanked
 * out) is also rendered by citeproc, and a form that does not match is always
 * rendered.
 * So pairs of works, which grow with the square of the bibliography, cost no
 * citeproc run once their forms are known.
 *
 * Positions: a cite carries its CSL position among its chapter's notes
 * (`first`, `subsequent`, `ibid`…, see ./positions.ts), and citeproc renders
 * it in that position, so a note style gives a full first note and short
 * notes after. What of the position a style can show (`Usage`) is part of
 * every memo key, shape and joined form: a first note and a later one never
 * share an entry. A style that tests no position keeps one entry per note.
 */
import {createHash} from 'node:crypto'
import fs from 'node:fs'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {type CslConfig, type CslEngine, plugins} from '@citation-js/core'
import '@citation-js/plugin-csl'
import type {ElementContent, Text} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {toHtml} from 'hast-util-to-html'
import {toString} from 'mdast-util-to-string'
import type {CiteItem, CitePosition, CslItem, FormattedNote, Formatter, Shape} from '../types.js'
import {parseLocator} from './syntax.js'

/** Options of `createFormatter`. */
export interface FormatterOptions {
  /**
   * CSL style: a style citation-js bundles (`apa`, `vancouver`, `harvard1`),
   * one shipped in `templates/csl/` (`chicago-fullnote-bibliography`, full
   * first notes and short notes after, also called `chicago`, `chicago-notes`,
   * `chicago-notes-bibliography`; `chicago-note-bibliography`, short notes
   * only, also `chicago-shortened-notes-bibliography`), or a path to a `.csl`
   * file relative to `bookDir`. Default `chicago-fullnote-bibliography`.
   */
  style?: string | undefined
  /**
   * BCP 47 language of the CSL terms (`en`, `es`, `fr-FR`). Only the locales
   * citation-js bundles are used (`en-US`, `es-ES`, `fr-FR`, `de-DE`,
   * `nl-NL`); any other falls back to the style's default locale (see
   * `formatter.locale`). Default: the style's default locale.
   */
  locale?: string | undefined
  /** Book directory, against which a style path resolves. Default `process.cwd()`. */
  bookDir?: string | undefined
  /** Join a note of several works from each work's own note where the style allows (see above). Default `true`; `false` renders every such note through citeproc. */
  joinNotes?: boolean | undefined
}

/** The default style, shipped in `templates/csl/`: a full note at a work's first cite in a chapter, short notes after. */
export const defaultStyle = 'chicago-fullnote-bibliography'

const shippedDir = fileURLToPath(new URL('../../templates/csl/', import.meta.url))
const aliases: Record<string, string> = {
  chicago: 'chicago-fullnote-bibliography',
  'chicago-fullnote': 'chicago-fullnote-bibliography',
  'chicago-notes': 'chicago-fullnote-bibliography',
  'chicago-notes-bibliography': 'chicago-fullnote-bibliography',
  'chicago-note': 'chicago-note-bibliography',
  'chicago-shortened-notes-bibliography': 'chicago-note-bibliography'
}

type Memo = FormattedNote

/** A locator that is a plain page number, the kind a shape holds a placeholder for. */
const plainNumber = /^[1-9]\d{0,5}$/

/** The placeholder number of the `index`th cite of a shape: all of one length, so none contains another. */
function placeholder(index: number): string {
  return `8${String(index).padStart(6, '0')}9`
}

/**
 * Create the formatter of a book's references. Registers the CSL style with
 * citation-js once; formats the bibliography in one citeproc run the first
 * time an entry (or the order) is asked for, and each distinct note once.
 * Throws (bad configuration) for an unknown style or an unreadable style file.
 */
export function createFormatter(items: Map<string, CslItem>, options: FormatterOptions = {}): Formatter {
  const config = plugins.config.get('@csl')
  if (!config) throw new Error('Expected the citation-js CSL plugin (`@citation-js/plugin-csl`) to be registered')
  const csl: CslConfig = config

  const style = registerStyle(config, options.style ?? defaultStyle, path.resolve(options.bookDir ?? process.cwd()))
  const locale = resolveLocale(config, options.locale)
  // citeproc may annotate the items it is given: give it copies, made once.
  const data = [...items.values()].map((item) => structuredClone(item))
  const entries = new Map<string, Memo>()
  const notes = new Map<string, Memo>()
  const shapes = new Map<string, Shape>()
  const layout = options.joinNotes === false ? undefined : citationLayout(config.styles.get(style))
  const usage = positionUsage(config.styles.get(style))
  // Forms of composed notes, and whether composing them gives citeproc's own output.
  const forms = new Map<string, boolean>()
  const runs = {bibliography: 0, clusters: 0}
  let order: Map<string, number> | undefined
  let engine: CslEngine | undefined
  let lookup: unknown
  // The registered ids in the style's bibliography order.
  let sorted: string[] = []

  return {
    style,
    locale,
    runs,
    entry: (id) => bibliographyEntry(id).formatted,
    entryHast: (id) => cloneNodes(bibliographyEntry(id).nodes),
    note: (item) => citation([item]).formatted,
    noteHast: (item) => cloneNodes(citation([item]).nodes),
    cluster: (list) => citation(list).formatted,
    clusterHast: (list) => cloneNodes(citation(list).nodes),
    addNotes(more) {
      for (const [key, note] of more) if (!notes.has(key)) notes.set(key, note)
    },
    takeBibliography() {
      return order ? [...order.keys()].map((id) => [id, entries.get(id)!]) : undefined
    },
    allNotes: () => [...notes],
    noteForms: () => ({shapes: [...shapes], forms: [...forms]}),
    addNoteForms(more) {
      for (const [key, shape] of more.shapes) if (!shapes.has(key)) shapes.set(key, shape)
      for (const [key, ok] of more.forms) if (!forms.has(key)) forms.set(key, ok)
    },
    addBibliography(made) {
      if (order) return
      order = new Map(made.map(([id], index) => [id, index]))
      for (const [id, entry] of made) entries.set(id, entry)
    },
    order(ids) {
      const rank = bibliographyOrder()
      const list = [...ids]
      return list
        .map((id, index) => ({id, rank: rank.get(id) ?? rank.size + index}))
        .sort((a, b) => a.rank - b.rank)
        .map((entry) => entry.id)
    }
  }

  function bibliographyOrder(): Map<string, number> {
    if (order) return order
    order = new Map()
    if (data.length === 0) return order
    // One run for the whole bibliography, by the notes' engine, which has every entry registered and sorted as
    // citation-js's `bibliography` output registers them: disambiguation and sorting see every entry, and the
    // entries are not registered a second time.
    runs.bibliography++
    const [, result] = noteEngine().makeBibliography()
    result.forEach((html, index) => {
      order!.set(sorted[index]!, order!.size)
      entries.set(sorted[index]!, memo(entryNodes(html)))
    })
    return order
  }

  function bibliographyEntry(id: string): Memo {
    bibliographyOrder()
    const found = entries.get(id)
    if (!found) throw new Error(`Unexpected reference id \`${id}\`, expected an id from the bibliography`)
    return found
  }

  function citation(list: CiteItem[]): Memo {
    const key = noteKey(list, usage)
    let found = notes.get(key)
    if (!found) {
      for (const item of list) {
        if (!items.has(item.key))
          throw new Error(`Unexpected reference id \`${item.key}\`, expected an id from the bibliography`)
      }
      found = composed(list) ?? memo(inlineNodes(clusterHtml(list.map((item) => toCslCite(item, usage)))))
      notes.set(key, found)
    }
    return found
  }

  /**
   * A note of several different works, joined from each work's own note, or `undefined` when it must be rendered:
   * a style without a plain layout, a work twice, a note whose end cannot be told from the layout's suffix, or a
   * form of note that citeproc renders otherwise (checked on the first note of each form).
   */
  function composed(list: CiteItem[]): Memo | undefined {
    if (!layout || list.length < 2 || new Set(list.map((item) => item.key)).size !== list.length) return undefined
    // A cite whose own text ends in punctuation (`[@a, 12, emphasis added.]`) may have merged with the layout's suffix.
    if (list.some((item) => /[.!?…:;,]\s*$/.test(item.suffix))) return undefined
    const parts: Array<{nodes: ElementContent[]; quoted: boolean}> = []
    for (const item of list) {
      const part = layoutContent(citation([item]).nodes, layout)
      if (!part) return undefined
      parts.push(part)
    }
    const nodes: ElementContent[] = []
    if (layout.prefix) nodes.push({type: 'text', value: layout.prefix})
    parts.forEach((part, index) => {
      if (index > 0) nodes.push({type: 'text', value: layout.delimiter})
      nodes.push(...cloneNodes(part.nodes))
    })
    const last = parts[parts.length - 1]!
    if (last.quoted) {
      // The suffix goes back inside the closing quotation mark, where the locale put it.
      const tail = nodes[nodes.length - 1] as Text
      nodes[nodes.length - 1] = {
        type: 'text',
        value: `${tail.value.slice(0, -1)}${layout.suffix}${tail.value.slice(-1)}`
      }
    } else if (layout.suffix) nodes.push({type: 'text', value: layout.suffix})
    const note = memo(mergeText(nodes))
    const form = list.map((item) => `${where(item, usage)}${edges(citation([item]).formatted.html)}`).join('|')
    let ok = forms.get(form)
    if (ok === undefined) {
      ok =
        memo(inlineNodes(clusterHtml(list.map((item) => toCslCite(item, usage))))).formatted.html ===
        note.formatted.html
      forms.set(form, ok)
    }
    return ok ? note : undefined
  }

  /** The engine for notes, with every entry registered. citation-js lends the same engine to every user of this style and locale and empties it each time: take it back when someone else had it. */
  function noteEngine(): CslEngine {
    if (!engine || engine.sys.retrieveItem !== lookup) {
      engine = csl.engine(data, style, locale, 'html')
      lookup = engine.sys.retrieveItem
      sorted = engine.updateItems([...items.keys()])
    }
    return engine
  }

  function render(cites: Array<Record<string, unknown>>): string {
    runs.clusters++
    return noteEngine().makeCitationCluster(cites)
  }

  function clusterHtml(cites: Array<Record<string, unknown>>): string {
    const ids = cites.map((cite) => cite.id)
    if (!usage.position && new Set(ids).size !== ids.length) {
      // The same work twice in one note (`[@a; @a, p. 3]`) in a style whose cites carry no position: the second cite
      // is a subsequent one (ibid), as in a document.
      // Nothing before or after it, every entry already registered (flag 2): citeproc renders it alone, as the only citation of a document.
      runs.clusters++
      const [, changed] = noteEngine().processCitationCluster(
        {citationItems: cites, properties: {noteIndex: 0}},
        [],
        [],
        2
      )
      return changed[0]?.[1] ?? ''
    }
    const numbered = cites.map((cite) => typeof cite.locator === 'string' && plainNumber.test(cite.locator))
    if (!numbered.includes(true)) return render(cites)
    const fill = (html: string, locator?: string) =>
      cites.reduce(
        (result, cite, index) =>
          numbered[index] ? result.replace(placeholder(index), locator ?? String(cite.locator)) : result,
        html
      )
    const pattern = cites.map((cite, index) => (numbered[index] ? {...cite, locator: placeholder(index)} : cite))
    const key = JSON.stringify(pattern)
    const shape = shapes.get(key)
    if (shape) return shape.ok ? fill(shape.html) : render(cites)
    const html = render(pattern)
    const direct = render(cites)
    // Filled in only where the style prints the number as it is: once, as a word of its own. An ordinal's suffix
    // (`4th`, `22nd`) depends on the number and the locale's terms, and a roman numeral (`iv`) is not the digits.
    const alone = numbered.every(
      (yes, index) =>
        !yes ||
        (html.split(placeholder(index)).length === 2 &&
          new RegExp(`(?<![\\p{L}\\p{N}])${placeholder(index)}(?![\\p{L}\\p{N}])`, 'u').test(html))
    )
    const ok = alone && fill(html) === direct
    shapes.set(key, {html, ok})
    return direct
  }
}

/** What a note is kept under: what of its cites the note shows, their positions as far as the style shows them. */
function noteKey(list: CiteItem[], usage: Usage): string {
  return JSON.stringify(
    list.map((item) => [item.key, item.prefix, item.suffix, item.suppressAuthor, where(item, usage)])
  )
}

/** What of cites' positions a style can show: which of the position variables its notes test or print. */
interface Usage {
  /** `position` (also for `et-al-subsequent-*`, and in any note style, where citeproc uses it for names). */
  position: boolean
  /** `near-note`, and how many notes back counts as near (`near-note-distance`, 5 by default). */
  nearNote: boolean
  nearNoteDistance: number
  /** `first-reference-note-number`. */
  firstNote: boolean
}

/** A style's use of positions, from its XML (`undefined`: none). */
function positionUsage(xml: string | undefined): Usage {
  const text = xml ?? ''
  const distance = /\bnear-note-distance="(\d+)"/.exec(text)?.[1]
  return {
    position: /\bposition="|et-al-subsequent-/.test(text) || /<style\b[^>]*\bclass="note"/.test(text),
    nearNote: /\bposition="[^"]*\bnear-note\b/.test(text),
    nearNoteDistance: distance === undefined ? 5 : Number(distance),
    firstNote: /first-reference-note-number/.test(text)
  }
}

/** The position variables of a cite as citeproc takes them, those the style uses only. */
function positionOf(item: CiteItem, usage: Usage): Record<string, unknown> {
  const cite: Record<string, unknown> = {}
  if (!usage.position) return cite
  const position = item.position ?? 'first'
  cite.position = cslPositions[position]
  if (usage.nearNote && position !== 'first' && item.noteDistance !== undefined)
    cite['near-note'] = item.noteDistance <= usage.nearNoteDistance
  if (usage.firstNote && item.firstNote !== undefined) cite['first-reference-note-number'] = item.firstNote
  return cite
}

/** citeproc-js's numbers for CSL's positions (`CSL.POSITION_*`). */
const cslPositions: Record<CitePosition, number> = {first: 0, subsequent: 1, ibid: 2, 'ibid-with-locator': 3}

/** The part of a memo key that tells a cite's position, as far as the style shows it (`''` for a style that does not). */
function where(item: CiteItem, usage: Usage): string {
  if (!usage.position) return ''
  const cite = positionOf(item, usage)
  return `${cite.position}${cite['near-note'] ? 'n' : ''}${cite['first-reference-note-number'] ?? ''}`
}

/** The affixes and delimiter of a style's citation layout, when its notes can be joined from single works' notes. */
interface Layout {
  prefix: string
  suffix: string
  delimiter: string
}

/**
 * The citation layout of a CSL style, or `undefined` when a note of several
 * works is more than their notes joined: cites sorted or collapsed, grouped,
 * several layouts (per locale), or affixes with entities or markup.
 */
function citationLayout(xml: string | undefined): Layout | undefined {
  const citation = xml ? /<citation\b([^>]*)>([\s\S]*?)<\/citation>/.exec(xml) : null
  if (!citation) return undefined
  const [, attributes, body] = citation as unknown as [string, string, string]
  if (/\b(collapse|cite-group-delimiter)=/.test(attributes) || /<sort\b/.test(body)) return undefined
  const layouts = [...body.matchAll(/<layout\b([^>]*)>/g)]
  if (layouts.length !== 1) return undefined
  const attribute = (name: string) => new RegExp(`\\b${name}="([^"]*)"`).exec(layouts[0]![1]!)?.[1] ?? ''
  const layout = {
    prefix: attribute('prefix'),
    suffix: attribute('suffix'),
    delimiter: attribute('delimiter')
  }
  if (/[&<>]/.test(layout.prefix + layout.suffix + layout.delimiter) || layout.delimiter === '') return undefined
  return layout
}

/**
 * A single work's note without the layout's prefix and suffix, or `undefined` when its ends are not plain text
 * around them, or when the text before the suffix ends in punctuation the suffix may have merged with. `quoted`:
 * the locale moved the suffix inside a closing quotation mark (`“Title.”`).
 */
function layoutContent(
  nodes: ElementContent[],
  layout: Layout
): {nodes: ElementContent[]; quoted: boolean} | undefined {
  const result = [...nodes]
  const first = result[0]
  const last = result[result.length - 1]
  if (first?.type !== 'text' || last?.type !== 'text' || !first.value.startsWith(layout.prefix)) return undefined
  if (layout.prefix) result[0] = {type: 'text', value: first.value.slice(layout.prefix.length)}
  const tail = result[result.length - 1] as Text
  let value = tail.value
  let quoted = false
  if (layout.suffix && value.endsWith(layout.suffix)) value = value.slice(0, -layout.suffix.length)
  else if (
    layout.suffix.length === 1 &&
    /[.,]/.test(layout.suffix) &&
    /[.,][”’"]$/.test(value) &&
    value.at(-2) === layout.suffix
  ) {
    value = value.slice(0, -2) + value.slice(-1)
    quoted = true
  } else if (layout.suffix) return undefined
  if (/[.!?…,;:]$/.test(value)) return undefined
  // A note that ends in markup (`<i>Title</i>.`) keeps it last.
  if (value === '') result.pop()
  else result[result.length - 1] = {type: 'text', value}
  if (result.length === 0) return undefined
  return {nodes: result, quoted}
}

/**
 * The ends of a note's form, where joining can go wrong: its markup with the
 * words blanked out (`x, “x.”`) up to the first word, and its last word with
 * letters and digits blanked (`a.a.` for `U.S.`, `a.` for `Press.`), so that
 * an abbreviation whose period took the layout's is a form of its own. Notes
 * whose ends look alike join alike; the first of each pair is checked.
 */
function edges(html: string): string {
  const form = html.replace(/[\p{L}\p{N}]+(?:[ '’\-–][\p{L}\p{N}]+)*/gu, 'x')
  const last = html
    .slice(html.lastIndexOf(' ') + 1)
    .replace(/\p{L}+/gu, 'a')
    .replace(/\p{N}+/gu, '9')
  return `${form.slice(0, form.indexOf('x') + 1)}…${last}`
}

/** Adjacent text nodes as one (as an HTML parser gives them). */
function mergeText(nodes: ElementContent[]): ElementContent[] {
  const result: ElementContent[] = []
  for (const node of nodes) {
    const previous = result[result.length - 1]
    if (node.type === 'text' && previous?.type === 'text')
      result[result.length - 1] = {
        type: 'text',
        value: previous.value + node.value
      }
    else if (node.type !== 'text' || node.value !== '') result.push(node)
  }
  return result
}

/** A CSL cite item (citeproc's input) for a Pandoc cite. */
function toCslCite(item: CiteItem, usage: Usage): Record<string, unknown> {
  const {label, locator, suffix} = parseLocator(item.suffix)
  const cite: Record<string, unknown> = {id: item.key, ...positionOf(item, usage)}
  if (item.prefix) cite.prefix = item.prefix
  if (locator !== undefined) {
    cite.locator = locator
    cite.label = label
  }
  if (suffix) cite.suffix = suffix
  if (item.suppressAuthor) cite['suppress-author'] = true
  return cite
}

function registerStyle(config: CslConfig, style: string, bookDir: string): string {
  if (/\.csl$/i.test(style) || style.includes('/') || style.includes('\\')) {
    const file = styleFile(bookDir, style)
    const xml = readStyle(file, `citation style \`${style}\``)
    // citation-js caches a citeproc engine per style name: an edited file (in `dev`) needs a new name.
    const name = `file:${file}#${createHash('sha256').update(xml).digest('hex').slice(0, 12)}`
    if (!config.styles.has(name)) config.styles.set(name, xml)
    return name
  }

  const id = aliases[style] ?? style
  const shipped = path.join(shippedDir, `${id}.csl`)
  if (fs.existsSync(shipped)) {
    // Shipped styles never change during a process: read and register once.
    if (!config.styles.has(id)) config.styles.set(id, readStyle(shipped, `shipped citation style \`${id}\``))
    return id
  }
  if (config.styles.has(id)) return id

  const known = [
    ...new Set([...config.styles.list().filter((name) => !name.startsWith('file:')), ...shippedStyles()])
  ].sort()
  throw new Error(
    `Unexpected citation style \`${style}\`, expected one of ${known.map((name) => `\`${name}\``).join(', ')} or a path to a \`.csl\` file relative to the book directory`
  )
}

/** The largest style file read: the largest styles citation-js ships are about 200 KB. */
const maxStyleBytes = 1024 * 1024

/**
 * The real path of a book's own style file: a regular file inside the book directory (symbolic links resolved) of at
 * most `maxStyleBytes`. A path out of the book, a device (`/dev/zero`) or a pipe is refused before it is read.
 */
function styleFile(bookDir: string, style: string): string {
  const expected = 'a `.csl` file inside the book directory, such as `styles/my-style.csl`'
  let real: string
  try {
    real = fs.realpathSync(path.resolve(bookDir, style))
  } catch (cause) {
    throw new Error(`Cannot read citation style \`${style}\`, expected ${expected}`, {cause})
  }
  const inside = fs.realpathSync(bookDir)
  if (!real.startsWith(inside + path.sep))
    throw new Error(`Unexpected citation style \`${style}\` outside the book directory, expected ${expected}`)
  const stat = fs.statSync(real)
  if (!stat.isFile())
    throw new Error(`Unexpected citation style \`${style}\` that is not a regular file, expected ${expected}`)
  if (stat.size > maxStyleBytes)
    throw new Error(
      `Unexpected citation style \`${style}\` of ${Math.ceil(stat.size / 1024)} KB, expected a CSL style of at most ${maxStyleBytes / 1024} KB`
    )
  return real
}

function shippedStyles(): string[] {
  return fs
    .readdirSync(shippedDir)
    .filter((name) => name.endsWith('.csl'))
    .map((name) => name.slice(0, -4))
}

function readStyle(file: string, what: string): string {
  let xml: string
  try {
    xml = fs.readFileSync(file, 'utf8')
  } catch (cause) {
    throw new Error(`Cannot read ${what} at \`${file}\`, expected a CSL style file`, {cause})
  }
  if (!/<style\b[^>]*\bxmlns="http:\/\/purl\.org\/net\/xbiblio\/csl"/.test(xml)) {
    throw new Error(
      `Unexpected content in ${what} at \`${file}\`, expected a CSL style (\`<style xmlns="http://purl.org/net/xbiblio/csl">\`)`
    )
  }
  return xml
}

function resolveLocale(config: CslConfig, locale: string | undefined): string | undefined {
  if (!locale) return undefined
  const wanted = locale.replace('_', '-').toLowerCase()
  const names = config.locales.list()
  return (
    names.find((name) => name.toLowerCase() === wanted) ??
    names.find((name) => name.toLowerCase().split('-')[0] === wanted.split('-')[0])
  )
}

function memo(nodes: ElementContent[]): Memo {
  return {nodes, formatted: {html: toHtml(nodes), text: toString(nodes)}}
}

/** Nodes of one bibliography entry: the content of `div.csl-entry`, without the number column of numeric styles. */
function entryNodes(html: string): ElementContent[] {
  const nodes = inlineNodes(html)
  const entry = nodes.find((node) => node.type === 'element' && hasClass(node, 'csl-entry'))
  const content = entry && entry.type === 'element' ? entry.children : nodes
  return trim(
    content.flatMap((node) => {
      if (node.type !== 'element' || node.tagName !== 'div') return [node]
      // Targets number their own lists; the entry's text is in the other block divs.
      if (hasClass(node, 'csl-left-margin')) return []
      return node.children
    })
  )
}

function inlineNodes(html: string): ElementContent[] {
  const root = fromHtml(html, {fragment: true})
  const nodes = root.children.filter((node): node is ElementContent => node.type === 'element' || node.type === 'text')
  for (const node of nodes) unposition(node)
  return trim(nodes)
}

// Positions in citeproc's HTML string mean nothing in the book.
function unposition(node: ElementContent): void {
  delete node.position
  if (node.type === 'element') for (const child of node.children) unposition(child)
}

function hasClass(node: ElementContent, name: string): boolean {
  if (node.type !== 'element') return false
  const value = node.properties.className
  return Array.isArray(value) && value.includes(name)
}

// Drop the whitespace citeproc puts around entries.
function trim(nodes: ElementContent[]): ElementContent[] {
  const result = nodes.filter(
    (node, index) => !(node.type === 'text' && node.value.trim() === '' && (index === 0 || index === nodes.length - 1))
  )
  const first = result[0]
  const last = result[result.length - 1]
  if (first?.type === 'text') first.value = first.value.trimStart()
  if (last?.type === 'text') last.value = last.value.trimEnd()
  return result
}

/** A deep copy of hast nodes without positions (what `structuredClone` gives, much faster: notes are copied for every citation). */
function cloneNodes(nodes: ElementContent[]): ElementContent[] {
  return nodes.map((node) => cloneNode(node))
}

function cloneNode(node: ElementContent): ElementContent {
  if (node.type === 'element') {
    const properties: typeof node.properties = {}
    for (const [name, value] of Object.entries(node.properties))
      properties[name] = Array.isArray(value) ? [...value] : value
    return {
      type: 'element',
      tagName: node.tagName,
      properties,
      children: cloneNodes(node.children)
    }
  }
  return {...node}
}
