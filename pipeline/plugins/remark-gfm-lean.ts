/**
 * remark plugin: GFM, as `remark-gfm` gives it with `singleTilde: false`
 * (use it instead), except that a
 * document which cannot hold an autolink literal is parsed without that
 * extension, to the same tree.
 *
 * micromark tries an autolink literal at every letter and digit (any may
 * start an e-mail address), and its tree transform searches every text node
 * afterwards: on prose that is about as much as the rest of the parse, for
 * links most chapters never have, so it pays more than the 5 % of a build
 * that a piece of our own must pay (issue 17). A document holds none when,
 * with backslashes removed, it has no `www.`, no `http://` or `https://`, no
 * `@` right after a character an address can end its name with, and no
 * character reference (`&#64;` could make one).
 *
 * It is made of the packages remark-gfm is made of, through their documented
 * functions, and parses with remark-parse or, when a document may hold an
 * autolink literal, with mdast-util-from-markdown and the autolink literal
 * extensions added where remark-gfm has them (first of GFM's).
 */
import type {Root} from 'mdast'
import {fromMarkdown} from 'mdast-util-from-markdown'
import {gfmAutolinkLiteralFromMarkdown} from 'mdast-util-gfm-autolink-literal'
import {gfmFootnoteFromMarkdown} from 'mdast-util-gfm-footnote'
import {gfmStrikethroughFromMarkdown} from 'mdast-util-gfm-strikethrough'
import {gfmTableFromMarkdown} from 'mdast-util-gfm-table'
import {gfmTaskListItemFromMarkdown} from 'mdast-util-gfm-task-list-item'
import {gfmAutolinkLiteral} from 'micromark-extension-gfm-autolink-literal'
import {gfmFootnote} from 'micromark-extension-gfm-footnote'
import {gfmStrikethrough} from 'micromark-extension-gfm-strikethrough'
import {gfmTable} from 'micromark-extension-gfm-table'
import {gfmTaskListItem} from 'micromark-extension-gfm-task-list-item'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'

// What every autolink literal has, in the source or, for escapes, once backslashes are gone.
const mayHoldAutolink = /www\.|https?:\/\/|[\w+.-]@/i
const reference = /&(?:#\d+|#[xX][\da-fA-F]+|[A-Za-z][A-Za-z\d]*);/

type Parse = (document: string, file: VFile) => Root

/** Add GFM, with autolink literals only where a document may hold one (see the module comment). Use after `remark-parse`. */
export function remarkGfmLean(this: Processor) {
  const data = this.data()
  const parse = this.parser as Parse | undefined
  if (!parse) throw new Error('Expected `remark-parse` before `remarkGfmLean`')
  const micromark = (data.micromarkExtensions ??= [])
  const mdast = (data.fromMarkdownExtensions ??= [])
  const footnote = gfmFootnote()
  const footnoteFromMarkdown = gfmFootnoteFromMarkdown()
  // One tilde is Pandoc's subscript (`H~2~O`, remark-sub-super), so only `~~x~~` strikes through.
  micromark.push(footnote, gfmStrikethrough({singleTilde: false}), gfmTable(), gfmTaskListItem())
  mdast.push(
    footnoteFromMarkdown,
    gfmStrikethroughFromMarkdown(),
    gfmTableFromMarkdown(),
    gfmTaskListItemFromMarkdown()
  )
  const autolink = gfmAutolinkLiteral()
  const autolinkFromMarkdown = gfmAutolinkLiteralFromMarkdown()

  this.parser = (document: string, file: VFile): Root => {
    if (!reference.test(document) && !mayHoldAutolink.test(document.replaceAll('\\', ''))) return parse(document, file)
    // The lists as they are now (later plugins may have added to them), with autolink literals before footnotes.
    const at = micromark.indexOf(footnote)
    const atFromMarkdown = mdast.indexOf(footnoteFromMarkdown)
    return fromMarkdown(document, {
      ...data.settings,
      extensions: [...micromark.slice(0, at), autolink, ...micromark.slice(at)],
      mdastExtensions: [...mdast.slice(0, atFromMarkdown), autolinkFromMarkdown, ...mdast.slice(atFromMarkdown)]
    })
  }
}
