/**
 * remark plugin: Pandoc's grid tables, read by Adobe's grid table extension
 * (`@adobe/micromark-extension-gridtables`, `@adobe/mdast-util-gridtables`).
 * Format-neutral: a `gridTable` node holding `gtHeader`, `gtBody` and
 * `gtFooter` sections of `gtRow`s of `gtCell`s, each cell holding blocks
 * (paragraphs, lists, code), with its `colSpan` and `rowSpan`.
 *
 * ```markdown
 * +---------+--------------------+
 * | Fruit   | Advantages         |
 * +=========+===================:+
 * | Bananas | - built-in wrapper |
 * |         | - bright color     |
 * +---------+--------------------+
 *
 * : Fruits {#tbl-fruits}
 * ```
 *
 * The extension is tried only at a rule line (`+---+`), so a chapter without
 * a grid table costs nothing. It reads each cell's text as Markdown
 * of its own, so what the cells hold has no place in the chapter: their
 * nodes lose the extension's made-up positions (a message about what a cell
 * holds names the chapter, not a line). A cell of one paragraph holds its text,
 * as a pipe table's cell does. Alignment is Pandoc's: the colons of
 * the line under the header (or of the first line, without a header) align
 * the whole column, where the extension aligns the row under them only.
 * A `: Caption {#tbl-x}` paragraph next to the table is its caption
 * (remark-figures), and its id a label for `@tbl-x`.
 */
import {gridTablesFromMarkdown} from '@adobe/mdast-util-gridtables'
import {gridTables} from '@adobe/micromark-extension-gridtables'
import type {Nodes, Parent, Root, TableData} from 'mdast'
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {blocksOnly, visit} from '../tree.js'

/** A cell: blocks, spanning `colSpan` columns and `rowSpan` rows. */
export interface GridCell extends Parent {
  type: 'gtCell'
  colSpan?: number | undefined
  rowSpan?: number | undefined
  align?: string | undefined
  valign?: string | undefined
}

/** A grid table's row. */
export interface GridRow extends Parent {
  type: 'gtRow'
  children: GridCell[]
}

/** A grid table's header, body or footer. */
export interface GridSection extends Parent {
  type: 'gtHeader' | 'gtBody' | 'gtFooter'
  children: GridRow[]
}

/** A Pandoc grid table; `data` as a pipe table's (caption, number). */
export interface GridTable extends Parent {
  type: 'gridTable'
  children: GridSection[]
  data?: TableData | undefined
}

declare module 'mdast' {
  interface BlockContentMap {
    gridTable: GridTable
  }
  interface RootContentMap {
    gridTable: GridTable
    gtHeader: GridSection
    gtBody: GridSection
    gtFooter: GridSection
    gtRow: GridRow
    gtCell: GridCell
  }
}

// A line that may open a grid table: `+` then `-`, `=` or `:`, in a block quote or list item too.
const ruleLine = /^[ \t>]*\+[-=:]/m

/** Read Pandoc grid tables. Use after `remark-parse`. */
export function remarkGridTables(this: Processor) {
  const data = this.data()
  ;(data.micromarkExtensions ??= []).push({flow: {43: guarded(gridTables.flow[43])}})
  ;(data.fromMarkdownExtensions ??= []).push(gridTablesFromMarkdown({processor: this}))
  return (tree: Root, file: VFile) => {
    if (!ruleLine.test(String(file.value))) return
    visit(tree, (node) => {
      if (node.type !== 'gridTable') return blocksOnly(node)
      for (const section of node.children) forgetPositions(section)
      alignColumns(node)
      unwrapLoneParagraphs(node)
      return SKIP
    })
  }
}

/**
 * The extension's construct, tried only at a line that is a grid table's rule (`+---+`, `+===+`, `+:--+`): the
 * extension reads any line that starts with `+` (a list item's `+ item`) as a possible table row, to the end of
 * the chapter before it gives up, which made a long chapter's parse grow with the square of its length.
 */
function guarded(construct: Construct): Construct {
  return {
    ...construct,
    tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
      const table = construct.tokenize.call(this, effects, ok, nok)
      return (code: Code) => effects.check({tokenize: tokenizeRuleLine}, table, nok)(code)
    }
  }
}

/** A rule line: `+`, then `-`, `=` or `:`, then only those and `+`, up to the end of the line (spaces aside). */
function tokenizeRuleLine(effects: Effects, ok: State, nok: State): State {
  const rule = (code: Code) => code === 45 || code === 61 || code === 58
  const end = (code: Code): State | undefined => {
    if (code === null || code === -5 || code === -4 || code === -3) {
      effects.exit('gridTableRule' as never)
      return ok(code)
    }
    if (code === -2 || code === -1 || code === 32) {
      effects.consume(code)
      return end
    }
    return nok(code)
  }
  const rest = (code: Code): State | undefined => {
    if (!rule(code) && code !== 43) return end(code)
    effects.consume(code)
    return rest
  }
  return (code: Code) => {
    if (code !== 43) return nok(code)
    effects.enter('gridTableRule' as never)
    effects.consume(code)
    return (next: Code) => (rule(next) ? rest(next) : nok(next))
  }
}

/** Drop the positions the extension makes up for rows and cells, and those of cell content, relative to the cell. */
function forgetPositions(node: Nodes): void {
  delete node.position
  if ('children' in node) for (const child of node.children) forgetPositions(child)
}

/**
 * Align every cell as the first body row's cell in its column: those are the cells under the line that carries
 * Pandoc's colons (`+:===+===:+`). Columns are counted across row spans and column spans.
 */
function alignColumns(table: GridTable): void {
  const rows = table.children.flatMap((section) => section.children)
  const body = table.children.find((section) => section.type === 'gtBody')?.children[0]
  const columns = rows.map(() => [] as GridCell[])
  for (const [index, row] of rows.entries()) {
    const taken = columns[index]
    let column = 0
    for (const cell of row.children) {
      delete cell.valign
      while (taken[column]) column++
      for (let down = 0; down < (cell.rowSpan ?? 1) && index + down < rows.length; down++)
        for (let across = 0; across < (cell.colSpan ?? 1); across++) columns[index + down][column + across] = cell
      column += cell.colSpan ?? 1
    }
  }
  const first = body ? columns[rows.indexOf(body)] : []
  for (const taken of columns)
    for (const [column, cell] of taken.entries()) {
      // A cell is aligned by the column it starts at.
      if (cell && taken[column - 1] !== cell) cell.align = first[column]?.align
    }
}

/**
 * A cell of one paragraph holds its text, as a pipe table's cell does (the package's hast handler does the same as
 * it renders): a number in it is no claim to cite, and a lone image in it no figure.
 */
function unwrapLoneParagraphs(table: GridTable): void {
  for (const section of table.children)
    for (const row of section.children)
      for (const cell of row.children)
        if (cell.children.length === 1 && cell.children[0].type === 'paragraph')
          cell.children = cell.children[0].children
}
