/**
 * Types for the parts of Adobe's grid table packages Twofold uses: they ship
 * JavaScript only.
 */
declare module '@adobe/remark-gridtables' {
  import type {Processor} from 'unified'
  /** Register the grid table syntax (micromark) and its mdast (`gridTable`, `gtHeader`, `gtBody`, `gtFooter`, `gtRow`, `gtCell`). */
  export default function remarkGridtables(this: Processor): void
}

declare module '@adobe/mdast-util-gridtables' {
  import type {Element} from 'hast'
  import type {State} from 'mdast-util-to-hast'
  /** The `gridTable` handler: a `<table>` with `<thead>`, `<tbody>` and `<tfoot>`, cells with their spans and `align`. */
  export function mdast2hastGridTablesHandler(options?: {noHeader?: boolean}): (state: State, node: unknown) => Element
}
