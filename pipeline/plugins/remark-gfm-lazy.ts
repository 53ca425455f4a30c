/**
 * remark plugin, right after `remark-gfm`: parse a document without the GFM
 * constructs it cannot hold, with exactly the same result.
 *
 * - Autolink literals (`www.example.com`, `https://…`, `name@example.org`)
 *   are tried at every letter and digit of the text (one may start an e-mail
 *   address), and their tree transform searches every text node afterwards:
 *   about half of what parsing a chapter of prose costs. A document holds
 *   none when, with backslashes removed, it has no `www.`, no `http://` or
 *   `https://`, no `@` right after a character an address can end its name
 *   with, and no character reference (`&#64;` could make one).
 * - Tables are tried at the start of every paragraph line. A table has a `|`
 *   or, for a table of one column without pipes (`a` over `-:`), an
 *   alignment colon beside a hyphen in its delimiter row, written as is
 *   (escapes and character references make neither): a document with no `|`,
 *   `:-` or `-:` holds none.
 *
 * Any other document is parsed with them, as before.
 */
import type {Root} from 'mdast'
import type {Extension as FromMarkdownExtension} from 'mdast-util-from-markdown'
import type {Construct, Extension as MicromarkExtension} from 'micromark-util-types'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'

const autolinkConstructs = ['wwwAutolink', 'protocolAutolink', 'emailAutolink']
// What every autolink literal has, in the source or, for escapes, once backslashes are gone.
const mayHoldAutolink = /www\.|https?:\/\/|[\w+.-]@/i
const mayHoldTable = /:-|-:/
const reference = /&(?:#\d+|#[xX][\da-fA-F]+|[A-Za-z][A-Za-z\d]*);/

type Parse = (document: string, file: VFile) => Root
interface Extensions {
  micromark: Array<MicromarkExtension | MicromarkExtension[]>
  mdast: Array<FromMarkdownExtension | FromMarkdownExtension[]>
}

/** Parse each document without the GFM constructs it cannot hold (see the module comment). */
export function remarkGfmLazy(this: Processor) {
  const data = this.data()
  const parse = this.parser as Parse | undefined
  const micromark = data.micromarkExtensions
  const mdast = data.fromMarkdownExtensions
  if (!parse || !micromark || !mdast) throw new Error('Expected `remark-parse` and `remark-gfm` before `remarkGfmLazy`')
  // The extensions without autolink literals, without tables, or without both: made when first needed.
  const variants = new Map<string, Extensions>()
  const variant = (autolinks: boolean, tables: boolean): Extensions => {
    const key = `${autolinks}${tables}`
    let found = variants.get(key)
    if (!found) {
      const dropped = new Set([...(autolinks ? [] : autolinkConstructs), ...(tables ? [] : ['table'])])
      found = {
        micromark: micromark.map((extension) => withoutConstructs(extension, dropped)),
        mdast: autolinks ? mdast : mdast.map((extension) => withoutAutolinkTransform(extension))
      }
      variants.set(key, found)
    }
    return found
  }

  this.parser = function (document: string, file: VFile): Root {
    const autolinks = reference.test(document) || mayHoldAutolink.test(document.replaceAll('\\', ''))
    const tables = document.includes('|') || mayHoldTable.test(document)
    if (autolinks && tables) return parse(document, file)
    // remark-parse reads the extensions on every parse: lend it the ones without what the document cannot hold.
    const lent = variant(autolinks, tables)
    data.micromarkExtensions = lent.micromark as typeof micromark
    data.fromMarkdownExtensions = lent.mdast as typeof mdast
    try {
      return parse(document, file)
    } finally {
      data.micromarkExtensions = micromark
      data.fromMarkdownExtensions = mdast
    }
  }
}

/** A micromark extension without the named constructs (its other constructs are shared, not copied). */
function withoutConstructs(extension: MicromarkExtension | MicromarkExtension[], dropped: Set<string>): MicromarkExtension | MicromarkExtension[] {
  if (Array.isArray(extension)) return extension.map((one) => withoutConstructs(one, dropped) as MicromarkExtension)
  const result: MicromarkExtension = {...extension}
  for (const kind of ['flow', 'text'] as const) {
    const map = extension[kind]
    if (!map) continue
    // Keys are character codes, as strings (and `null` for any character): keep them as they are.
    const kept: Record<string, Construct[]> = {}
    for (const [code, constructs] of Object.entries(map)) {
      const list = ([] as Array<Construct | undefined>).concat(constructs as Construct | Construct[]).filter((construct) => !(construct?.name && dropped.has(construct.name)))
      if (list.length > 0) kept[code] = list as Construct[]
    }
    result[kind] = kept as MicromarkExtension['text']
  }
  return result
}

/** An mdast-util-from-markdown extension without the autolink literal transform (the one whose extension handles `literalAutolink`). */
function withoutAutolinkTransform(extension: FromMarkdownExtension | FromMarkdownExtension[]): FromMarkdownExtension | FromMarkdownExtension[] {
  if (Array.isArray(extension)) return extension.map((one) => withoutAutolinkTransform(one) as FromMarkdownExtension)
  if (!extension.enter || !('literalAutolink' in extension.enter)) return extension
  return {...extension, transforms: []}
}
