/**
 * remark plugin: read and validate a chapter's YAML frontmatter into
 * `file.data.meta`, and find the chapter's title: the frontmatter's `title`,
 * else a `# Title` heading that opens the chapter (right after the
 * frontmatter, if there is one), as Markdown books written for other tools
 * (Quarto, Bookdown, pandoc, mdBook) have it. That heading is the title: it
 * leaves the content, and the page's and the document's `<h1>` show it.
 */
import type {Heading, Root, RootContent, Yaml} from 'mdast'
import {toString} from 'mdast-util-to-string'
import type {VFile} from 'vfile'
import {type FieldSpec, hasErrorFor, readYamlFields} from '../book/yaml-fields.js'
import {error, pointAt} from '../messages.js'
import type {ChapterMeta} from '../types.js'

const source = 'remark-chapter-meta'
const schema: Record<string, FieldSpec> = {
  title: {kind: 'string'},
  description: {kind: 'string'}
}

/** Validate frontmatter (`title` or an opening `# Title`, `description` optional; other keys are kept as they are). */
export function remarkChapterMeta() {
  return (tree: Root, file: VFile) => {
    const text = String(file.value)
    const first = tree.children[0]
    const yaml = first?.type === 'yaml' ? (first as Yaml) : undefined
    const meta: ChapterMeta = {title: String(file.data.slug ?? 'Untitled')}
    file.data.meta = meta
    if (!yaml && text.trim() === '') {
      error(
        file,
        'Unexpected empty chapter, expected a title (frontmatter with `title: …`, or a `# Title` heading) and some prose',
        {line: 1, column: 1},
        'empty-chapter',
        source
      )
      return
    }

    let values: Record<string, unknown> | undefined
    let base = 0
    if (yaml) {
      const start = yaml.position?.start.offset ?? 0
      const found = text.indexOf(yaml.value, start)
      base = found < 0 ? start : found
      values = readYamlFields(file, yaml.value, base, schema, {
        source,
        what: 'frontmatter',
        allowUnknown: true
      })
      // Bookdown's index.Rmd opens with the book's metadata: its `title` is the book's.
      if (values && file.data.bookFrontmatter) delete values.title
      if (values) Object.assign(meta, values)
    }

    // The opening heading may follow author notes (`<!-- … -->`), which neither book shows.
    let at = yaml ? 1 : 0
    while (isComment(tree.children[at])) at++
    const opening = tree.children[at]
    let heading: Heading | undefined
    if (values?.title === undefined && isTitle(opening)) {
      heading = opening
      meta.title = toString(heading).trim()
      // `# Title {-}` (remark-pandoc-attributes): a chapter without a number.
      if (heading.data?.unnumbered) meta.unnumbered = true
      // `# Title {#sec-x}`: a cross-reference to the section is one to the chapter.
      const id = heading.data?.hProperties?.id
      if (typeof id === 'string') file.data.titleId = id
      tree.children.splice(at, 1)
    } else if (values?.title === undefined && file.data.listedTitle) {
      // A file that opens with `## Section` takes the title the book's contents give it (mdBook's SUMMARY.md).
      meta.title = file.data.listedTitle
    } else if (values?.title === undefined && !hasErrorFor(file, 'title')) {
      // (A frontmatter whose `title` has the wrong form already has its message; broken YAML has its own.)
      if (yaml && values) {
        error(
          file,
          'Missing `title` in frontmatter, expected a non-empty string (or a `# Title` heading right after the frontmatter)',
          pointAt(file, base),
          'missing-title',
          source
        )
      } else if (!yaml) {
        error(
          file,
          'Missing chapter title, expected frontmatter with `title: …` (between `---` lines) or a `# Title` heading to open the chapter',
          {line: 1, column: 1},
          'missing-title',
          source
        )
      }
    }

    // Nothing after the frontmatter, or nothing but author notes after a title taken from a heading.
    const rest = tree.children.slice(yaml ? 1 : 0)
    if (rest.length === 0 || (heading && rest.every(isComment))) {
      const end = (heading ?? yaml)?.position?.end
      error(
        file,
        `Unexpected empty chapter, expected prose after the ${heading ? 'title' : 'frontmatter'}`,
        end ?? {line: 1, column: 1},
        'empty-chapter',
        source
      )
    }
  }
}

/** An HTML comment (an author's note) and nothing else. */
function isComment(node: RootContent | undefined): boolean {
  return node?.type === 'html' && /^<!--[\s\S]*-->\s*$/.test(node.value)
}

/** A `# Title` heading with some text. */
function isTitle(node: RootContent | undefined): node is Heading {
  return node?.type === 'heading' && node.depth === 1 && toString(node).trim() !== ''
}
