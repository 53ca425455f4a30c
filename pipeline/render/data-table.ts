/**
 * A graphic's data as a table, for both targets: the numbers behind the
 * graphic for screen readers, e-ink readers and anyone who wants them, each
 * row with its source when the data names one. The web story puts it in a
 * `<details>` under the section; the EPUB after the figure sequence.
 */
import type {Element} from 'hast'
import {h} from 'hastscript'
import type {Labels} from '../labels/index.js'
import type {Graphic} from '../types.js'

/** The table of `graphic`'s data; undefined when the graphic has none. */
export function dataTable(graphic: Graphic, labels: Labels): Element | undefined {
  const {table} = graphic
  if (!table) return undefined
  const sourced = table.rows.some((row) => row.source)
  return h('table.data-table', [
    h('caption', labels.dataTable(graphic.title)),
    h(
      'thead',
      h(
        'tr',
        [...table.columns, ...(sourced ? [labels.dataSource] : [])].map((c) => h('th', {scope: 'col'}, c))
      )
    ),
    h(
      'tbody',
      table.rows.map((row) =>
        h('tr', [
          h('th', {scope: 'row'}, row.label),
          h('td', row.value),
          sourced ? h('td', row.source ?? '') : undefined
        ])
      )
    )
  ])
}
