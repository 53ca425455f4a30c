/**
 * The one shared parse: a single remark processor that turns each chapter
 * into an mdast, enriched by the format-neutral plugins. Each chapter is
 * parsed exactly once per build; both targets render the resulting tree.
 */
import type {Nodes, Root} from 'mdast'
import {toString} from 'mdast-util-to-string'
import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import remarkMath from 'remark-math'
import remarkParse from 'remark-parse'
import {type Processor, unified} from 'unified'
import type {VFile} from 'vfile'
import type {ChapterSource} from '../book/files.js'
import type {GraphicRegistry} from '../book/load.js'
import {remarkChapterMeta} from '../plugins/remark-chapter-meta.js'
import {remarkCitations} from '../plugins/remark-citations.js'
import {remarkContentChecks} from '../plugins/remark-content-checks.js'
import {remarkContested} from '../plugins/remark-contested.js'
import {remarkCrossReferences} from '../plugins/remark-cross-references.js'
import {remarkDefinitionLists} from '../plugins/remark-definition-lists.js'
import {remarkFancyLists} from '../plugins/remark-fancy-lists.js'
import {remarkFencedDivs} from '../plugins/remark-fenced-divs.js'
import {remarkFigures} from '../plugins/remark-figures.js'
import {remarkGfmLean} from '../plugins/remark-gfm-lean.js'
import {remarkGridTables} from '../plugins/remark-grid-tables.js'
import {remarkHighlight} from '../plugins/remark-highlight.js'
import {remarkInlineNotes} from '../plugins/remark-inline-notes.js'
import {remarkLineBlocks} from '../plugins/remark-line-blocks.js'
import {remarkLinks} from '../plugins/remark-links.js'
import {remarkLocalImages} from '../plugins/remark-local-images.js'
import {remarkMathml} from '../plugins/remark-mathml.js'
import {remarkPandocAttributes} from '../plugins/remark-pandoc-attributes.js'
import {remarkPandocFences} from '../plugins/remark-pandoc-fences.js'
import {remarkPandocMath} from '../plugins/remark-pandoc-math.js'
import {remarkPartMarkers} from '../plugins/remark-part-markers.js'
import {remarkRawHtml} from '../plugins/remark-raw-html.js'
import {remarkScrolly} from '../plugins/remark-scrolly.js'
import {remarkSmartPunctuation} from '../plugins/remark-smart-punctuation.js'
import {remarkSubSuper} from '../plugins/remark-sub-super.js'
import {remarkUnrendered} from '../plugins/remark-unrendered.js'
import {remarkUnrenderedPandoc} from '../plugins/remark-unrendered-pandoc.js'
import {remarkXmlChars} from '../plugins/remark-xml-chars.js'
import type {Chapter, CslItem} from '../types.js'
import {checkSourceNesting, checkTreeNesting} from './limits.js'

/** What the shared plugins need from the book. */
export interface ParseOptions {
  graphics: GraphicRegistry
  references: Map<string, CslItem>
  /** Whether references.json could be read (see remarkCitations' `checkKeys`). Default `true`. */
  referencesReadable?: boolean | undefined
  /** The bibliography's file name, for messages (default `references.json`). */
  bibliographyName?: string | undefined
  /** Whether numbers want a citation (remarkCitations' `claims`). Default: when `references` has entries. */
  claims?: boolean | undefined
}

/** The shared processor: parse plus every format-neutral plugin. */
export function createProcessor(options: ParseOptions): Processor<Root, Root, Root> {
  const {graphics, references, bibliographyName} = options
  return (
    unified()
      .use(remarkParse)
      .use(remarkFrontmatter, ['yaml'])
      .use(remarkDirective)
      .use(remarkGfmLean)
      .use(remarkGridTables)
      // `$$…$$` is remark-math's; `$x$` is read by Pandoc's rules (remark-pandoc-math).
      .use(remarkMath, {singleDollarTextMath: false})
      .use(remarkPandocMath)
      .use(remarkDefinitionLists)
      .use(remarkLineBlocks)
      // The Pandoc and Quarto dialect: definition lists, fenced divs, attributes, callouts, notes, sub/superscript, math.
      .use(remarkPandocFences)
      // Pandoc's list markers (`a.`, `(iv)`, `(@)`) as CommonMark's: it wraps the parsers above, so it comes after them.
      .use(remarkFancyLists)
      .use(remarkPandocAttributes)
      .use(remarkFencedDivs)
      .use(remarkFigures)
      .use(remarkInlineNotes)
      .use(remarkSubSuper)
      .use(remarkMathml)
      .use(remarkCrossReferences, {keys: references})
      .use(remarkUnrendered)
      .use(remarkUnrenderedPandoc)
      .use(remarkSmartPunctuation)
      // After the typographic quotes: raw HTML shown as text keeps the quotes it was written with.
      .use(remarkRawHtml)
      .use(remarkPartMarkers)
      .use(remarkChapterMeta)
      .use(remarkContentChecks, {known: ['scrolly', 'step', 'contested', 'hl']})
      .use(remarkLocalImages)
      // Claims want a citation only in a book that has sources to cite.
      .use(remarkCitations, {
        items: references,
        claims: options.claims ?? references.size > 0,
        checkKeys: options.referencesReadable,
        bibliography: bibliographyName
      })
      .use(remarkScrolly, {
        getGraphic: (name: string) => graphics.get(name),
        hasGraphic: (name: string) => graphics.has(name),
        graphicNames: () => graphics.names()
      })
      .use(remarkContested)
      .use(remarkXmlChars)
      .use(remarkHighlight)
      .use(remarkLinks) as unknown as Processor<Root, Root, Root>
  )
}

/** Parse one chapter (once) and run the shared plugins on its tree. */
export async function parseChapter(processor: Processor<Root, Root, Root>, source: ChapterSource): Promise<Chapter> {
  const file: VFile = source.file
  // A chapter nested too deep is one error, found before the parse or walk that it would make too slow or overflow.
  const tree = checkSourceNesting(file) ? processor.parse(file) : undefined
  if (!tree || !checkTreeNesting(tree, file))
    return {number: source.number, slug: source.slug, title: source.slug, file, tree: {type: 'root', children: []}}
  try {
    await processor.run(tree, file)
  } catch (cause) {
    // A plugin's `file.fail` already recorded its message; anything else is a bug with a place.
    if (!(cause instanceof Error && file.messages.includes(cause as never))) throw cause
  }
  file.data.words = wordCount(tree)
  forgetPositions(tree)
  return chapterOf(source, file, tree)
}

/**
 * Words a reader reads in a chapter: runs of characters other than white
 * space in the text of each top-level node (frontmatter, code and
 * definitions and images' alt text aside), as mdast-util-to-string gives
 * it. Nodes are counted one by one so that two paragraphs never join into
 * one word. Counted once, at the parse, so a chapter from the cache has it.
 */
export function wordCount(tree: Root): number {
  let count = 0
  for (const node of tree.children) {
    if (node.type === 'yaml' || node.type === 'code' || node.type === 'definition') continue
    count += toString(node, {includeImageAlt: false}).split(/\s+/).filter(Boolean).length
  }
  return count
}

/**
 * Drop the source positions the plugins no longer need, once they have run:
 * a third of a tree's memory (a 1,000-chapter book keeps every tree until
 * both targets are rendered). Links keep theirs: the book-wide link check
 * reports at them. Targets render no positions.
 */
function forgetPositions(node: Nodes): void {
  if (node.type !== 'link' && node.type !== 'crossReference') delete node.position
  if ('children' in node) for (const child of node.children as Nodes[]) forgetPositions(child)
}

/** The chapter of a source, from its file (messages, front matter) and its tree, parsed now or read back. */
export function chapterOf(source: ChapterSource, file: VFile, tree: Root): Chapter {
  return {
    number: source.number,
    slug: source.slug,
    title: String(file.data.meta?.title ?? source.slug),
    place: source.place,
    file,
    tree
  }
}
