/**
 * remark plugin: read and validate a chapter's YAML frontmatter into
 * `file.data.meta`. A chapter must open with frontmatter that has a `title`.
 */
import type {Root, Yaml} from 'mdast'
import type {VFile} from 'vfile'
import type {ChapterMeta} from '../types.js'
import {error} from '../messages.js'
import {readYamlFields, type FieldSpec} from '../yaml-fields.js'

const source = 'remark-chapter-meta'
const schema: Record<string, FieldSpec> = {
  title: {kind: 'string', required: true},
  description: {kind: 'string'}
}

/** Validate frontmatter (`title` required, `description` optional; other keys are kept as they are). */
export function remarkChapterMeta() {
  return function (tree: Root, file: VFile) {
    const first = tree.children[0]
    if (!first || first.type !== 'yaml') {
      const empty = String(file.value).trim() === ''
      error(
        file,
        empty
          ? 'Unexpected empty chapter, expected frontmatter with a `title` and some prose'
          : 'Missing frontmatter, expected the chapter to start with `---`, a `title: …` line and `---`',
        {line: 1, column: 1},
        empty ? 'empty-chapter' : 'missing-frontmatter',
        source
      )
      file.data.meta = {title: String(file.data.slug ?? 'Untitled')}
      return
    }
    const node = first as Yaml
    const text = String(file.value)
    const start = node.position?.start.offset ?? 0
    const base = text.indexOf(node.value, start)
    const values = readYamlFields(file, node.value, base < 0 ? start : base, schema, {source, what: 'frontmatter', allowUnknown: true})
    const meta: ChapterMeta = {title: String(file.data.slug ?? 'Untitled'), ...values}
    file.data.meta = meta
    if (tree.children.length === 1) {
      error(file, 'Unexpected empty chapter, expected prose after the frontmatter', node.position?.end, 'empty-chapter', source)
    }
  }
}
