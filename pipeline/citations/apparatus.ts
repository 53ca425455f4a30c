/**
 * The parts of the scholarly apparatus both books build the same way, as hast:
 * a chapter's notes grouped by number (a run of citations of the same thing
 * shares one note), a note whose works link to their entries among the
 * sources, what a source is (from its CSL fields), and a contested claim as a
 * table of its accounts.
 */
import type {Element, ElementContent} from 'hast'
import {h} from 'hastscript'
import {type Handlers, toHast} from 'mdast-util-to-hast'
import {labelsFor, languageName} from '../labels/index.js'
import type {Book, Citation, ContestedClaim, CslItem} from '../types.js'
import {linkTitles} from './link-titles.js'
import {inTextLabel, sourceAnchors} from './places.js'

/** A chapter's citations grouped by note: a run of citations of the same thing shares one number. */
export function notesOf<T extends Citation | {citation: Citation}>(citations: T[]): T[][] {
  const number = (entry: T) => ('citation' in entry ? entry.citation.number : entry.number)
  const groups: T[][] = []
  for (const citation of citations) {
    const last = groups[groups.length - 1]
    if (last && number(last[0]!) === number(citation)) last.push(citation)
    else groups.push([citation])
  }
  return groups
}

const byId = new WeakMap<Book['references'], Map<string, CslItem>>()

/** The book's references by id, made once per book: notes and claims look their works up in it. */
export function referencesById(book: Book): Map<string, CslItem> {
  let found = byId.get(book.references)
  if (!found) {
    found = new Map(book.references.map((item) => [item.id, item]))
    byId.set(book.references, found)
  }
  return found
}

/** The link to a reference's entry on `page`, by its key. */
export function sourceHref(book: Book, page: string): (key: string) => string {
  const anchors = sourceAnchors(book.references.map((item) => item.id))
  return (key) => `${page}#${anchors.get(key) ?? ''}`
}

/** A citation's formatted note, each work it names linked to its entry. */
export function noteWithSources(book: Book, citation: Citation, href: (key: string) => string): ElementContent[] {
  const items = referencesById(book)
  const keys = [...new Set(citation.items.map((item) => item.key))]
  return linkTitles(
    book.formatter.clusterHast(citation.items),
    keys.map((key) => ({key, item: items.get(key), href: href(key)})),
    book.meta.language
  )
}

/**
 * A contested claim as a table: a row for each account, with its source (a link to the source's entry), the
 * source's language, what it says, and its note.
 */
export function disagreementTable(
  book: Book,
  claim: ContestedClaim,
  handlers: Handlers,
  href: (key: string) => string,
  labelledBy: string
): Element {
  const words = labelsFor(book.meta.language).table
  const items = referencesById(book)
  return h('table.disagreement__table', {ariaLabelledBy: labelledBy}, [
    h('thead', [
      h('tr', [
        h('th', {scope: 'col'}, words.source),
        h('th', {scope: 'col'}, words.language),
        h('th', {scope: 'col'}, words.says),
        h('th', {scope: 'col'}, words.note)
      ])
    ]),
    h(
      'tbody',
      claim.accounts.map((account) => {
        const citations = account.children.filter((node): node is Citation => node.type === 'citation')
        const keys = [...new Set(citations.flatMap((citation) => citation.items.map((item) => item.key)))]
        const said = toHast(
          {type: 'paragraph', children: account.children.filter((node) => node.type !== 'citation')},
          {handlers}
        )
        const notes = toHast({type: 'paragraph', children: citations}, {handlers})
        const sources: ElementContent[] = []
        const languages: string[] = []
        keys.forEach((key, index) => {
          if (index > 0) sources.push({type: 'text', value: ', '})
          sources.push(h('a', {href: href(key)}, inTextLabel(items.get(key), key, book.meta.language)))
          const tag = items.get(key)?.language
          if (typeof tag === 'string' && tag.trim()) languages.push(languageName(tag.trim(), book.meta.language))
        })
        const children = (node: typeof said) => (node.type === 'element' ? trimEnd(node.children) : [])
        return h('tr', [
          h('th', {scope: 'row', dataLabel: words.source}, sources),
          h('td', {dataLabel: words.language}, [...new Set(languages)].join(', ')),
          h('td', {dataLabel: words.says}, children(said)),
          h('td.disagreement__note', {dataLabel: words.note}, children(notes))
        ])
      })
    )
  ])
}

/** Content without the white space at its end (what was before a citation left out). */
function trimEnd(nodes: ElementContent[]): ElementContent[] {
  const last = nodes[nodes.length - 1]
  if (last?.type === 'text') last.value = last.value.replace(/\s+$/, '')
  return nodes
}

/**
 * What a source is, from its CSL fields, so a reader knows what they would be opening: its language (`language`),
 * what kind of text it is (`genre`), its medium (`medium`) and what it covers (`note`). Fields a reference lacks are
 * left out; `undefined` when it has none.
 */
export function sourceFacts(book: Book, item: CslItem | undefined): Element | undefined {
  if (!item) return undefined
  const words = labelsFor(book.meta.language).facts
  const text = (value: unknown) => (typeof value === 'string' && value.trim() ? value.trim() : undefined)
  const capital = (value: string) => value.charAt(0).toLocaleUpperCase(book.meta.language) + value.slice(1)
  const language = text(item.language)
  const facts: Array<[string, string | undefined]> = [
    [words.language, language && languageName(language, book.meta.language)],
    [words.kind, text(item.genre)],
    [words.medium, text(item.medium)],
    [words.covers, text(item.note)]
  ]
  const shown = facts.filter((fact): fact is [string, string] => fact[1] !== undefined)
  if (shown.length === 0) return undefined
  return h(
    'dl.source__facts',
    shown.flatMap(([name, value]) => [h('dt', name), h('dd', capital(value))])
  )
}
