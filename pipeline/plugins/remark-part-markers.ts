/**
 * remark plugin: Bookdown's `# (PART) Name {-}` and `# (APPENDIX) Name {-}` headings mark where parts and
 * the appendices begin (the book's loader reads them, see ../book/bookdown.ts); they are not headings of
 * the chapter, so they leave its tree. Only in chapters of a Bookdown book (`file.data.partMarkers`).
 */
import type {Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'

const marker = /^\((?:PART\*?|APPENDIX)\)/

/** Remove the part and appendix markers of a Bookdown chapter. */
export function remarkPartMarkers() {
  return (tree: Root, file: VFile) => {
    if (!file.data.partMarkers) return
    tree.children = tree.children.filter(
      (node) => !(node.type === 'heading' && node.depth === 1 && marker.test(toString(node).trim()))
    )
  }
}
