/**
 * The one shared parse: a single remark processor that turns each chapter
 * into an mdast, enriched by the format-neutral plugins. Each chapter is
 * parsed exactly once per build; both targets render the resulting tree.
 */
import type {Nodes, Root} from 'mdast'
import remarkDirective from 'remark-directive'
import remarkFrontmatter from 'remark-frontmatter'
import remarkParse from 'remark-parse'
import {type Processor, unified} from 'unified'
import type {VFile} from 'vfile'
import type {ChapterSource, GraphicRegistry} from '../book/load.js'
import {remarkChapterMeta} from '../plugins/remark-chapter-meta.js'
import {remarkCitations} from '../plugins/remark-citations.js'
import {remarkContentChecks} from '../plugins/remark-content-checks.js'
import {remarkContested} from '../plugins/remark-contested.js'
import {remarkGfmLean} from '../plugins/remark-gfm-lean.js'
import {remarkLinks} from '../plugins/remark-links.js'
import {remarkLocalImages} from '../plugins/remark-local-images.js'
import {remarkScrolly} from '../plugins/remark-scrolly.js'
import {remarkSmartPunctuation} from '../plugins/remark-smart-punctuation.js'
import {remarkXmlChars} from '../plugins/remark-xml-chars.js'
import type {Chapter, CslItem} from '../types.js'

/** What the shared plugins need from the book. */
export interface ParseOptions {
  graphics: GraphicRegistry
  references: Map<string, CslItem>
}

/** The shared processor: parse plus every format-neutral plugin. */
export function createProcessor(options: ParseOptions): Processor<Root, Root, Root> {
  const {graphics, references} = options
  return unified()
    .use(remarkParse)
    .use(remarkFrontmatter, ['yaml'])
    .use(remarkDirective)
    .use(remarkGfmLean)
    .use(remarkSmartPunctuation)
    .use(remarkChapterMeta)
    .use(remarkContentChecks, {known: ['scrolly', 'step', 'contested', 'hl']})
    .use(remarkLocalImages)
    .use(remarkCitations, {items: references})
    .use(remarkScrolly, {
      getGraphic: (name: string) => graphics.get(name),
      hasGraphic: (name: string) => graphics.has(name),
      graphicNames: () => graphics.names()
    })
    .use(remarkContested)
    .use(remarkXmlChars)
    .use(remarkLinks) as unknown as Processor<Root, Root, Root>
}

/** Parse one chapter (once) and run the shared plugins on its tree. */
export async function parseChapter(processor: Processor<Root, Root, Root>, source: ChapterSource): Promise<Chapter> {
  const file: VFile = source.file
  const tree = processor.parse(file)
  try {
    await processor.run(tree, file)
  } catch (cause) {
    // A plugin's `file.fail` already recorded its message; anything else is a bug with a place.
    if (!(cause instanceof Error && file.messages.includes(cause as never))) throw cause
  }
  forgetPositions(tree)
  return {
    number: source.number,
    slug: source.slug,
    title: String(file.data.meta?.title ?? source.slug),
    file,
    tree
  }
}

/**
 * Drop the source positions the plugins no longer need, once they have run:
 * a third of a tree's memory (a 1,000-chapter book keeps every tree until
 * both targets are rendered). Links keep theirs: the book-wide link check
 * reports at them. Targets render no positions.
 */
function forgetPositions(node: Nodes): void {
  if (node.type !== 'link') delete node.position
  if ('children' in node) for (const child of node.children as Nodes[]) forgetPositions(child)
}
