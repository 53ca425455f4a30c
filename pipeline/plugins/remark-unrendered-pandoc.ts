/**
 * remark plugin: Pandoc constructs that Twofold does not render, reported
 * where they are written so that none passes without a word (as
 * remark-unrendered does for other tools' constructs):
 *
 * - `unrendered-simple-table`: Pandoc's simple tables, whose columns are
 *   marked by a line of dash groups (`-----  ------`) under the header (or
 *   above and below headerless rows). CommonMark reads the dashes as a
 *   thematic break between paragraphs;
 * - `unrendered-multiline-table`: Pandoc's multiline tables, which open with
 *   a line of dashes followed by the header lines and a line of dash groups.
 *   CommonMark reads their last row as a heading, underlined by the closing
 *   dashes;
 * - `unrendered-latex`: a raw LaTeX environment (`\begin{center}`) outside
 *   math, which Pandoc passes to LaTeX output only. It is shown as written
 *   (math environments belong between `$$`).
 *
 * Write a pipe table (`| a | b |` rows under a `|---|---|` line) instead of
 * either table.
 */
import type {Root} from 'mdast'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {mapSource} from '../citations/source-map.js'
import {positionAt, warn} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'

const source = 'remark-unrendered-pandoc'
// A line of two or more dash groups: a simple table's column marks.
const dashGroups = /^-+(?:[ \t]+-+)+[ \t]*$/
const dashes = /^-{3,}[ \t]*$/
const environment = /\\begin\{([^{}\n]+)\}/

/** Warn about Pandoc's simple and multiline tables and raw LaTeX environments. Use after `remark-parse`. */
export function remarkUnrenderedPandoc() {
  return (tree: Root, file: VFile) => {
    const text = String(file.value)
    if (/(?:^|\n)[ \t>]*-+[ \t]+-/.test(text) || /(?:^|\n)[ \t>]*-{3,}[ \t]*\r?\n[ \t>]*\S/.test(text))
      warnTables(tree, file, text)
    if (text.includes('\\begin{')) warnLatex(tree, file, text)
  }
}

/** Warn once at each simple or multiline table, at its first line. */
function warnTables(tree: Root, file: VFile, text: string): void {
  // Each line without its block quote markers and indentation.
  const raw = text.split(/\r?\n|\r/)
  const lines = raw.map((line) => line.replace(/^[ \t>]*/, ''))
  const blank = (line: number) => (lines[line - 1] ?? '') === ''
  // The last line of the table reported last: its other dash lines are not reported again.
  let covered = 0
  const report = (line: number, ruleId: string, kind: string) => {
    warn(
      file,
      `Unexpected Pandoc ${kind} table, expected a pipe table: \`| a | b |\` rows under a \`|---|---|\` line (it is shown as written)`,
      {line, column: (raw[line - 1]?.length ?? 0) - (lines[line - 1]?.length ?? 0) + 1},
      ruleId,
      source
    )
  }
  visit(tree, (node) => {
    if (node.type !== 'thematicBreak') return blocksOnly(node)
    const line = node.position?.start.line
    if (line === undefined || line <= covered) return undefined
    const own = lines[line - 1] ?? ''
    let end = line
    if (dashes.test(own) && blank(line - 1) && !blank(line + 1)) {
      // A multiline table: header lines, then a line of dash groups.
      while (!blank(end + 1) && !dashGroups.test(lines[end] ?? '')) end++
      if (!dashGroups.test(lines[end] ?? '')) return undefined
      // Its rows, parted by blank lines, run to the closing line of dashes.
      end++
      while (end < lines.length && !dashes.test(lines[end] ?? '')) end++
      report(line, 'unrendered-multiline-table', 'multiline')
      covered = end + 1
      return undefined
    }
    if (!dashGroups.test(own) || (blank(line - 1) && blank(line + 1))) return undefined
    // A simple table: its header right above the dashes, or (headerless) rows below them, to a blank line.
    const start = blank(line - 1) ? line : line - 1
    while (!blank(end + 1) && end < lines.length) end++
    let kind = 'simple'
    if (start === line) {
      // Headerless rows close with dashes: right at their end (simple), or after blank lines among them (multiline).
      const isDashes = (at: number) => dashGroups.test(lines[at - 1] ?? '') || dashes.test(lines[at - 1] ?? '')
      let close = line + 1
      while (close <= lines.length && !isDashes(close)) close++
      if (close > lines.length || blank(close - 1)) return undefined
      if (close > end) kind = 'multiline'
      end = close
    }
    report(start, `unrendered-${kind}-table`, kind)
    covered = end
    return undefined
  })
}

/** Warn once at each paragraph that holds a raw LaTeX environment, at its first `\begin{…}`. */
function warnLatex(tree: Root, file: VFile, text: string): void {
  visit(tree, (node) => {
    if (node.type !== 'paragraph') return blocksOnly(node)
    for (const child of node.children) {
      if (child.type !== 'text') continue
      const match = environment.exec(child.value)
      const map = match ? mapSource(child, text) : undefined
      if (!match || map?.escaped(match.index)) continue
      const start = map?.offset(match.index)
      // Text split by another plugin may have lost its place: then the paragraph's.
      const place =
        start === undefined ? (child.position ?? node.position) : positionAt(file, start, start + match[0].length)
      warn(
        file,
        `Unexpected raw LaTeX environment \`${match[0]}\`, expected Markdown (it is shown as written: neither book runs LaTeX, and math goes between \`$$\`)`,
        place,
        'unrendered-latex',
        source
      )
      break
    }
    return SKIP
  })
}
