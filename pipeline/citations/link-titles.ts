/**
 * Link a formatted note to the entries of the works it cites: the first place
 * the note names each work (its short title, as the style printed it, else its
 * author as in a short note after a full one: `Alpha, 4.`) becomes a link to
 * that work's entry among the sources. Where the style names a work in some
 * other way (by year, by number), the work's label follows the note as a link
 * of its own. Both targets use it for their notes.
 */
import type {Element, ElementContent, Text} from 'hast'
import {h} from 'hastscript'
import type {CslItem} from '../types.js'
import {inTextLabel} from './places.js'

/** A work a note cites, and where its entry is. */
export interface NoteTarget {
  key: string
  item: CslItem | undefined
  href: string
}

/** What the note is likely to print for a work: its short title, else its title. */
function shownTitles(item: CslItem | undefined): string[] {
  if (!item) return []
  return [item['title-short'], item.shortTitle, item.title].filter(
    (value): value is string => typeof value === 'string' && value.trim() !== ''
  )
}

/** Quotes and apostrophes as citeproc prints them, and case, do not matter when finding a title. */
function fold(text: string): string {
  return text.replace(/[’‘]/g, "'").replace(/[“”]/g, '"').toLowerCase()
}

/**
 * `nodes` (a formatted note, changed in place and returned) with each target's title linked, in order; the labels of
 * targets whose title the note does not show are added after it as links, in `language`'s way of listing.
 */
export function linkTitles(nodes: ElementContent[], targets: NoteTarget[], language: string): ElementContent[] {
  const untitled = targets.filter(
    (target) => !shownTitles(target.item).some((title) => wrapFirst(nodes, title, target.href))
  )
  // Titles first: an author's name may also be a word of another work's title.
  const missing = untitled.filter(
    (target) => !wrapFirst(nodes, inTextLabel(target.item, target.key, language), target.href)
  )
  if (missing.length === 0) return nodes
  nodes.push({type: 'text', value: ' ('})
  missing.forEach((target, index) => {
    if (index > 0) nodes.push({type: 'text', value: '; '})
    nodes.push(h('a.note__source', {href: target.href}, inTextLabel(target.item, target.key, language)))
  })
  nodes.push({type: 'text', value: ')'})
  return nodes
}

/** Wrap the first occurrence of `title` in a text node of `nodes` (outside links) in a link; whether it was found. */
function wrapFirst(nodes: ElementContent[], title: string, href: string): boolean {
  const wanted = fold(title)
  for (let index = 0; index < nodes.length; index++) {
    const node = nodes[index]!
    if (node.type === 'element') {
      if (node.tagName !== 'a' && wrapFirst(node.children, title, href)) return true
      continue
    }
    if (node.type !== 'text') continue
    const at = fold(node.value).indexOf(wanted)
    if (at === -1) continue
    const parts: ElementContent[] = []
    const before = node.value.slice(0, at)
    const after = node.value.slice(at + title.length)
    if (before) parts.push({type: 'text', value: before} satisfies Text)
    parts.push(h('a.note__source', {href}, node.value.slice(at, at + title.length)) satisfies Element)
    if (after) parts.push({type: 'text', value: after} satisfies Text)
    nodes.splice(index, 1, ...parts)
    return true
  }
  return false
}
