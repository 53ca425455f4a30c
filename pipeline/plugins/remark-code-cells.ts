/**
 * remark plugin: executable cells of Quarto and R Markdown (```` ```{python} ````, ```` ```{r setup} ````).
 * Twofold runs no code: a cell is shown as the code it holds, in its language, with a warning at its
 * place (`executable-cell`). Format-neutral.
 */
import type {Root} from 'mdast'
import type {VFile} from 'vfile'
import {warn} from '../messages.js'
import {blocksOnly, visit} from '../tree.js'

const source = 'remark-code-cells'

/** Show executable cells as code, with a warning. */
export function remarkCodeCells() {
  return (tree: Root, file: VFile) => {
    // Most chapters hold no cell: no walk for them.
    if (!/^[ \t]*(?:`{3,}|~{3,})[ \t]*\{/m.test(String(file.value))) return
    visit(tree, (node) => {
      if (node.type !== 'code') return blocksOnly(node)
      const cell = /^\{([A-Za-z][\w-]*)/.exec(node.lang ?? '')
      if (!cell) return undefined
      warn(
        file,
        `Unexpected executable cell \`{${cell[1]}}\`, expected plain code: Twofold runs no code, so the cell is shown as code and its output is not in the books`,
        node,
        'executable-cell',
        source
      )
      node.lang = cell[1]
      node.meta = null
      return undefined
    })
  }
}
