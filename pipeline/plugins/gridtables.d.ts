/**
 * Types for the parts of Adobe's grid table packages Twofold uses: they ship
 * JavaScript only.
 */
declare module '@adobe/micromark-extension-gridtables' {
  import type {Construct} from 'micromark-util-types'
  /** The grid table syntax: a flow construct at `+` (43). */
  export const gridTables: {flow: {43: Construct}}
}

declare module '@adobe/mdast-util-gridtables' {
  import type {Element} from 'hast'
  import type {Extension} from 'mdast-util-from-markdown'
  import type {State} from 'mdast-util-to-hast'
  import type {Processor} from 'unified'
  /** The grid table nodes (`gridTable`, `gtHeader`, `gtBody`, `gtFooter`, `gtRow`, `gtCell`); cells are read with `processor`'s extensions. */
  export function gridTablesFromMarkdown(options: {processor: Processor}): Extension
  /** The `gridTable` handler: a `<table>` with `<thead>`, `<tbody>` and `<tfoot>`, cells with their spans and `align`. */
  export function mdast2hastGridTablesHandler(options?: {noHeader?: boolean}): (state: State, node: unknown) => Element
}
