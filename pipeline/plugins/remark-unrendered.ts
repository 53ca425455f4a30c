/**
 * remark plugin: constructs of other book tools that Twofold does not
 * render, each reported where it is written, with its own rule, and left in
 * the text as written so nothing is lost without a word.
 *
 * - `unrendered-include`: mdBook's `{{#include file}}` (and its kin
 *   `{{#rustdoc_include}}`, `{{#playground}}`, `{{#title}}`);
 * - `unrendered-shortcode`: Quarto's shortcodes, `{{< include file >}}`;
 * - `unrendered-bookdown-ref`: Bookdown's `\@ref(label)` (write Quarto's
 *   `@fig-label` instead, which Twofold numbers);
 * - `unrendered-grid-table`: a Pandoc grid table (`+---+` lines) that
 *   remark-grid-tables could not read, its `|` out of line with the `+` of
 *   its rule lines, which the parse reads as a paragraph.
 *
 * Executable chunks (```` ```{r} ````) are remark-pandoc-attributes'
 * `executable-chunk`.
 */
import type {Root} from 'mdast'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {mapSource} from '../citations/source-map.js'
import {positionAt, warn} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'

const source = 'remark-unrendered'

const kinds = [
  {
    pattern: /\{\{#(?:include|rustdoc_include|playground|title)\b[^}]*\}\}/g,
    ruleId: 'unrendered-include',
    reason: (found: string) =>
      `Unexpected mdBook include \`${found}\`, expected Markdown (it is shown as written: paste the file's text in its place)`
  },
  {
    pattern: /\{\{<\s*[\w-]+[^>]*>\}\}/g,
    ruleId: 'unrendered-shortcode',
    reason: (found: string) =>
      `Unexpected Quarto shortcode \`${found}\`, expected Markdown (it is shown as written: paste what it stands for in its place)`
  },
  {
    // Only its start: remark-directive splits the text at `:label` (content checks put it back together later).
    pattern: /@ref\(/g,
    ruleId: 'unrendered-bookdown-ref',
    reason: (found: string) =>
      `Unexpected Bookdown reference \`${found}\`, expected a cross-reference such as \`@fig-label\` (it is shown as written)`
  }
]

/** Warn about mdBook includes, Quarto shortcodes and Bookdown references. */
export function remarkUnrendered() {
  return (tree: Root, file: VFile) => {
    const text = String(file.value)
    if (text.includes('\n+-') || text.startsWith('+-')) warnGridTables(tree, file, text)
    if (!text.includes('{{') && !text.includes('@ref(')) return
    visit(tree, 'text', (node) => {
      for (const {pattern, ruleId, reason} of kinds) {
        for (const match of node.value.matchAll(pattern)) {
          const map = mapSource(node, text)
          const start = map?.offset(match.index) ?? node.position?.start.offset
          // Bookdown writes its reference escaped (`\@ref`); an unescaped `@ref(` is ordinary text.
          if (ruleId === 'unrendered-bookdown-ref' && !map?.escaped(match.index)) continue
          let found = match[0]
          let end = map?.offset(match.index + found.length)
          if (ruleId === 'unrendered-bookdown-ref' && start !== undefined) {
            // An escaped character's place is its backslash's.
            found = /^\\@ref\([^)\n]*\)?/.exec(text.slice(start))?.[0] ?? found
            end = start + found.length
          }
          const place = start !== undefined && end !== undefined ? positionAt(file, start, end) : node.position
          warn(file, reason(found), place, ruleId, source)
        }
      }
    })
  }
}

/**
 * Warn at each paragraph that is a Pandoc grid table remark-grid-tables could not read: it opens with a `+---+` (or
 * `+===+`) line. (Followed by its `: Caption` line, it is read as a definition list's term.)
 */
function warnGridTables(tree: Root, file: VFile, text: string): void {
  visit(tree, (node) => {
    if (node.type !== 'paragraph' && node.type !== 'defListTerm') return blocksOnly(node)
    const start = node.position?.start.offset
    if (start === undefined || !/^\+(?:[-=:]+\+)+[ \t]*\r?\n/.test(text.slice(start, start + 2000))) return SKIP
    // A definition list makes a term of each of the table's lines: the table is reported at its first.
    if (/(?:^|\n)[+|][^\n]*\r?\n$/.test(text.slice(Math.max(0, start - 2000), start))) return SKIP
    warn(
      file,
      'Unexpected grid table whose lines do not line up, expected each `|` of its rows under a `+` of its `+---+` lines (it is shown as written)',
      node,
      'unrendered-grid-table',
      source
    )
    return SKIP
  })
}
