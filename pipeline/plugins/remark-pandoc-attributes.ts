/**
 * remark plugin: Pandoc attributes, `{#id .class key=value}`, on headings,
 * fenced code, images and links. Format-neutral.
 *
 * - Heading: `## Title {#id .class}`, also `## Title ## {#id}` (the closing
 *   `#`s go, as Pandoc reads them); the id replaces the generated slug
 *   (remark-links keeps it), `.unnumbered` or `-` mark it `data.unnumbered`.
 * - Fenced code: ```` ```{.python #id} ```` or ```` ```python {#id} ````.
 *   Quarto's and R Markdown's executable chunks (```` ```{r} ````) are shown
 *   as code with an `executable-chunk` warning: nothing runs them.
 * - Inline code: `` `x <- 1`{.r} ``.
 * - Bracketed span: `[some *text*]{.mark #id}`, a `<span>` (an `htmlElement`
 *   node, as kept raw HTML is).
 * - Image and link: `![alt](x.png){#fig-x width=50%}`. An image's `width`
 *   of 25, 33, 50, 66, 75 or 100 % becomes a class the stylesheets size
 *   (`img-w50`); any other size gets an `image-size` warning and is dropped
 *   (a `style` attribute would break the web page's Content-Security-Policy).
 *
 * Ids and classes go on `node.data.hProperties`, which both targets render.
 */
import type {Nodes, Parent, PhrasingContent, Root, Text} from 'mdast'
import type {VFile} from 'vfile'
import {mapSource, type SourceMap} from '../citations/source-map.js'
import {positionAt, warn} from '../messages.js'
import {visit} from '../tree.js'
import type {HtmlElement} from './remark-raw-html.js'

const source = 'remark-pandoc-attributes'

/** Parsed Pandoc attributes. */
export interface Attributes {
  id?: string | undefined
  classes: string[]
  values: Record<string, string>
}

declare module 'mdast' {
  interface HeadingData {
    /** `{.unnumbered}` or `{-}`: the heading takes no number. */
    unnumbered?: boolean | undefined
  }
  interface CodeData {
    /** An executable chunk's label (`#| label: fig-x`, knitr's `{r fig-x}`): what references to its output name. */
    chunkLabel?: string | undefined
  }
}

const token = /\s*(?:#([^\s#.{}=]+)|\.([^\s#.{}=]+)|(-)(?=\s|$)|([\w-]+)=(?:"([^"]*)"|'([^']*)'|([^\s"']*)))/y

/**
 * An executable chunk's label: a `#| label: x` option among the cell's opening `#|` lines (Quarto), or knitr's
 * `{r x, …}` or `{r label="x"}` in its braces.
 */
function chunkLabel(header: string, code: string): string | undefined {
  for (const line of code.split('\n')) {
    if (!line.startsWith('#|')) break
    const option = /^#\|\s*label:\s*["']?([^"'\s]+)["']?\s*$/.exec(line)
    if (option) return option[1]
  }
  return (
    /(?:^|[\s,])label\s*=\s*["']([^"']+)["']/.exec(header)?.[1] ??
    /^[A-Za-z]\w*[\s,]+([^\s,=]+)\s*(?:,|$)/.exec(header)?.[1]
  )
}

/** Parse `#id .class key=value key="v"` (without braces); `undefined` when it is not attributes. */
export function parseAttributes(text: string): Attributes | undefined {
  const result: Attributes = {classes: [], values: {}}
  token.lastIndex = 0
  let at = 0
  while (at < text.length) {
    if (/^\s*$/.test(text.slice(at))) break
    token.lastIndex = at
    const match = token.exec(text)
    if (!match) return undefined
    at = token.lastIndex
    if (match[1]) result.id = match[1]
    else if (match[2]) result.classes.push(match[2])
    else if (match[3]) result.classes.push('unnumbered')
    else if (match[4]) result.values[match[4]] = match[5] ?? match[6] ?? match[7] ?? ''
  }
  return result
}

const trailing = /[ \t]*\{([^{}]*)\}[ \t]*$/
const leading = /^\{([^{}\n]*)\}/
const widths = new Set(['25', '33', '50', '66', '75', '100'])

/** Read Pandoc attributes on headings, fenced code, images and links. */
export function remarkPandocAttributes() {
  return (tree: Root, file: VFile) => {
    const text = String(file.value)
    if (!text.includes('{')) return
    visit(tree, (node, index, parent) => {
      if (node.type === 'heading') {
        const last = node.children.at(-1)
        const match = last?.type === 'text' ? trailing.exec(last.value) : null
        const attributes = match ? parseAttributes(match[1]) : undefined
        if (!match || !attributes || last?.type !== 'text') return
        const atx = text
          .slice(node.position?.start.offset ?? 0)
          .trimStart()
          .startsWith('#')
        last.value = atx ? withoutClosingSequence(last, match.index, text) : last.value.slice(0, match.index)
        if (last.value === '') node.children.pop()
        if (attributes.classes.includes('unnumbered')) {
          node.data ??= {}
          node.data.unnumbered = true
        }
        apply(node, attributes, ['unnumbered'])
        return
      }
      if (node.type === 'code') {
        const written = `${node.lang ?? ''} ${node.meta ?? ''}`.trim()
        const braced = /^(\S*?)\s*\{([^{}]*)\}$/.exec(written)
        if (!braced) return
        const chunk = /^([A-Za-z][\w]*)(?=[\s,]|$)/.exec(braced[2])
        if (!braced[1] && chunk) {
          warn(
            file,
            `Unexpected executable chunk \`{${braced[2]}}\`, expected plain fenced code (it is shown as code, never run)`,
            node,
            'executable-chunk',
            source
          )
          node.lang = chunk[1].toLowerCase()
          node.meta = null
          const label = chunkLabel(braced[2], node.value)
          if (label) {
            node.data ??= {}
            node.data.chunkLabel = label
          }
          return
        }
        const attributes = parseAttributes(braced[2])
        if (!attributes) return
        const language = braced[1] || attributes.classes.shift()
        node.lang = language ?? null
        node.meta = null
        apply(node, attributes, [])
        return
      }
      if (
        (node.type === 'image' || node.type === 'link' || node.type === 'inlineCode') &&
        parent &&
        index !== undefined
      ) {
        const next = parent.children[index + 1]
        const match = next?.type === 'text' ? leading.exec(next.value) : null
        const spread = match ? undefined : spreadAttributes(parent, index, text)
        const written = match?.[1] ?? spread?.written
        const attributes = written === undefined ? undefined : parseAttributes(written)
        if (written === undefined || !attributes) return
        if (match && next?.type === 'text') {
          next.value = next.value.slice(match[0].length)
          if (next.value === '') parent.children.splice(index + 1, 1)
        } else if (spread) parent.children.splice(index + 1, spread.nodes)
        const width = attributes.values.width
        if (node.type === 'image' && width !== undefined) {
          const percent = /^(\d+)%$/.exec(width)?.[1]
          if (percent && widths.has(percent)) attributes.classes.push(`img-w${percent}`)
          else
            warn(
              file,
              `Unexpected image width \`${width}\`, expected 25%, 33%, 50%, 66%, 75% or 100% (the width is ignored)`,
              node,
              'image-size',
              source
            )
        }
        apply(node, attributes, [])
      }
      return undefined
    })
    if (!text.includes(']{')) return
    visit(tree, (node) => {
      if (!('children' in node) || node.type === 'link' || node.type === 'linkReference') return undefined
      if ((node.children as Nodes[]).some((child) => child.type === 'text' && child.value.includes(']{')))
        spans(node as Parent, file, text)
      return undefined
    })
  }
}

/**
 * Attributes written right after the image or link at `index` whose text the parse split into several nodes: a
 * quoted value with backticks or emphasis in it (Quarto's `{#fig-x fig-alt="A `code` word"}`) is inline code
 * there. Read from the source: what is inside the braces, and how many nodes after `index` hold it (which go);
 * `undefined` when the source has no `{…}` there or the next node holds it whole.
 */
function spreadAttributes(parent: Parent, index: number, text: string): {written: string; nodes: number} | undefined {
  const end = parent.children[index]?.position?.end.offset
  const next = parent.children[index + 1]
  if (end === undefined || !next?.position) return undefined
  const match = leading.exec(text.slice(end))
  if (!match || (next.position.start.offset ?? -1) !== end) return undefined
  // Only when the attributes end between two of the paragraph's nodes, which can then leave it whole.
  const stop = end + match[0].length
  const covered = parent.children.slice(index + 1).findIndex((child) => child.position?.end.offset === stop)
  return covered === -1 ? undefined : {written: match[1], nodes: covered + 1}
}

const spanEnd = /\]\{([^{}\n]*)\}/g

/**
 * Bracketed spans among a parent's children: `[` in a text node, then any
 * inline nodes, then `]{attributes}` in a text node (neither bracket written
 * escaped), become `htmlElement` spans.
 */
function spans(parent: Parent, file: VFile, text: string): void {
  const children = parent.children as PhrasingContent[]
  for (let index = 0; index < children.length; index++) {
    const close = children[index]
    if (close.type !== 'text' || !close.value.includes(']{')) continue
    const closeMap = mapSource(close, text)
    if (!closeMap) continue
    for (const match of close.value.matchAll(spanEnd)) {
      const attributes = parseAttributes(match[1])
      if (!attributes || closeMap.escaped(match.index)) continue
      // The opening `[`: in this text before the `]`, or in an earlier text node.
      let from = index
      let openMap: SourceMap | undefined = closeMap
      let at = lastBracket(close.value, match.index, closeMap)
      while (at < 0 && from > 0) {
        const node = children[--from]
        if (node.type !== 'text') continue
        openMap = mapSource(node, text)
        at = openMap ? lastBracket(node.value, node.value.length, openMap) : -1
      }
      if (at < 0 || !openMap) continue
      const open = children[from] as Text
      const piece = (node: Text, map: SourceMap, start: number, end: number): Text => ({
        type: 'text',
        value: node.value.slice(start, end),
        position: positionAt(file, map.offset(start), map.offset(end))
      })
      const end = match.index + match[0].length
      const inner: PhrasingContent[] =
        from === index
          ? [piece(close, closeMap, at + 1, match.index)]
          : [
              piece(open, openMap, at + 1, open.value.length),
              ...children.slice(from + 1, index),
              piece(close, closeMap, 0, match.index)
            ]
      const span: HtmlElement = {
        type: 'htmlElement',
        tagName: 'span',
        properties: {},
        children: inner.filter((node) => node.type !== 'text' || node.value !== ''),
        position: positionAt(file, openMap.offset(at), closeMap.offset(end))
      }
      apply(span, attributes, [])
      span.properties = {...(span.data?.hProperties as HtmlElement['properties'])}
      delete span.data
      const replacement = [piece(open, openMap, 0, at), span, piece(close, closeMap, end, close.value.length)]
      children.splice(from, index - from + 1, ...(replacement as PhrasingContent[]))
      parent.children = children.filter((node) => node.type !== 'text' || node.value !== '') as never
      // The rest of this parent, with the text after the span, again.
      spans(parent, file, text)
      return
    }
  }
}

/** Where the last `[` before `end` is that was not written escaped, or -1. */
function lastBracket(value: string, end: number, map: SourceMap): number {
  let at = value.lastIndexOf('[', end - 1)
  while (at >= 0 && map.escaped(at)) at = at > 0 ? value.lastIndexOf('[', at - 1) : -1
  return at
}

/**
 * The heading text before its attributes (at `end`), without an ATX
 * heading's closing `#`s (`## Title ## {#id}`): those after a space, or
 * alone, and not written escaped (`\\#`).
 */
function withoutClosingSequence(last: Text, end: number, text: string): string {
  const value = last.value.slice(0, end)
  const closing = /(?:^|[ \t])(#+)[ \t]*$/.exec(value)
  if (!closing) return value
  const at = closing.index + closing[0].indexOf('#')
  const map = mapSource(last, text)
  if (!map || map.escaped(at)) return value
  return value.slice(0, at).trimEnd()
}

/** Put the id, the classes (but `skip`) and `data-*` values on the node's hast properties. */
function apply(node: Nodes, attributes: Attributes, skip: string[]): void {
  const classes = attributes.classes.filter((name) => !skip.includes(name))
  const properties: Record<string, string | string[]> = {}
  if (attributes.id) properties.id = attributes.id
  if (classes.length > 0) properties.className = classes
  for (const [key, value] of Object.entries(attributes.values)) {
    if (key === 'width' || key === 'height' || key === 'style' || /^on/i.test(key)) continue
    if (/^[a-z][\w-]*$/i.test(key)) properties[`data-${key.toLowerCase()}`] = value
  }
  if (Object.keys(properties).length === 0) return
  node.data ??= {}
  node.data.hProperties = {...node.data.hProperties, ...properties}
}
