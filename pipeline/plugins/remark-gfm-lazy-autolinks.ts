/**
 * remark plugin, right after `remark-gfm`: parse a document without GFM's
 * autolink literals (`www.example.com`, `https://…`, `name@example.org`)
 * when it cannot hold one, with exactly the same result. The autolink
 * literal construct is tried at every letter and digit of the text (it may
 * start an e-mail address), and its tree transform searches every text node
 * afterwards: about half of what parsing a chapter of prose costs. A
 * document holds none when, with backslashes removed, it has no `www.`, no
 * `http://` or `https://`, and no `@` right after a character an address
 * can end its name with, and no character reference (`&#64;` could make
 * one); any other document is parsed with them, as before.
 */
import type {Root} from 'mdast'
import type {Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Construct, Extension as MicromarkExtension} from 'micromark-util-types'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'

const autolinkConstructs = new Set(['wwwAutolink', 'protocolAutolink', 'emailAutolink'])
// What every autolink literal has, in the source or, for escapes, once backslashes are gone.
const mayHold = /www\.|https?:\/\/|[\w+.-]@/i
const reference = /&(?:#\d+|#[xX][\da-fA-F]+|[A-Za-z][A-Za-z\d]*);/

type Parse = (document: string, file: VFile) => Root

/** Parse without GFM autolink literals the documents that cannot hold one (see the module comment). */
export function remarkGfmLazyAutolinks(this: Processor) {
  const data = this.data()
  const parse = this.parser as Parse | undefined
  const micromark = data.micromarkExtensions
  const mdast = data.fromMarkdownExtensions
  if (!parse || !micromark || !mdast) throw new Error('Expected `remark-parse` and `remark-gfm` before `remarkGfmLazyAutolinks`')
  const plainMicromark = micromark.map((extension) => withoutAutolinkConstructs(extension)) as typeof micromark
  const plainMdast = mdast.map((extension) => withoutAutolinkTransform(extension)) as typeof mdast

  this.parser = function (document: string, file: VFile): Root {
    if (reference.test(document) || mayHold.test(document.replaceAll('\\', ''))) return parse(document, file)
    // remark-parse reads the extensions on every parse: lend it the ones without autolink literals.
    data.micromarkExtensions = plainMicromark
    data.fromMarkdownExtensions = plainMdast
    try {
      return parse(document, file)
    } finally {
      data.micromarkExtensions = micromark
      data.fromMarkdownExtensions = mdast
    }
  }
}

/** A micromark extension without the autolink literal constructs (its other constructs are shared, not copied). */
function withoutAutolinkConstructs(extension: MicromarkExtension | MicromarkExtension[]): MicromarkExtension | MicromarkExtension[] {
  if (Array.isArray(extension)) return extension.map((one) => withoutAutolinkConstructs(one) as MicromarkExtension)
  if (!extension.text) return extension
  // Keys are character codes, as strings (and `null` for the end of the text): keep them as they are.
  const text: Record<string, Construct[]> = {}
  for (const [code, constructs] of Object.entries(extension.text)) {
    const list = ([] as Array<Construct | undefined>).concat(constructs as Construct | Construct[]).filter((construct) => !(construct?.name && autolinkConstructs.has(construct.name)))
    if (list.length > 0) text[code] = list as Construct[]
  }
  return {...extension, text: text as MicromarkExtension['text']}
}

/** An mdast-util-from-markdown extension without the autolink literal transform (the one whose extension handles `literalAutolink`). */
function withoutAutolinkTransform(extension: FromMarkdownExtension | FromMarkdownExtension[]): FromMarkdownExtension | FromMarkdownExtension[] {
  if (Array.isArray(extension)) return extension.map((one) => withoutAutolinkTransform(one) as FromMarkdownExtension)
  if (!extension.enter || !('literalAutolink' in extension.enter)) return extension
  return {...extension, transforms: []}
}
