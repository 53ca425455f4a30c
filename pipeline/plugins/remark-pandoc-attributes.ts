/**
 * remark plugin: Pandoc attributes, `{#id .class key=value}`, on headings,
 * fenced code, images and links. Format-neutral.
 *
 * - Heading: `## Title {#id .class}`; the id replaces the generated slug
 *   (remark-links keeps it), `.unnumbered` or `-` mark it `data.unnumbered`.
 * - Fenced code: ```` ```{.python #id} ```` or ```` ```python {#id} ````.
 *   Quarto's and R Markdown's executable chunks (```` ```{r} ````) are shown
 *   as code with an `executable-chunk` warning: nothing runs them.
 * - Image and link: `![alt](x.png){#fig-x width=50%}`. An image's `width`
 *   of 25, 33, 50, 66, 75 or 100 % becomes a class the stylesheets size
 *   (`img-w50`); any other size gets an `image-size` warning and is dropped
 *   (a `style` attribute would break the web page's Content-Security-Policy).
 *
 * Ids and classes go on `node.data.hProperties`, which both targets render.
 */
import type {Nodes, Parent, Root} from 'mdast'
import type {VFile} from 'vfile'
import {warn} from '../messages.js'
import {visit} from '../tree.js'

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
        last.value = last.value.slice(0, match.index)
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
      if ((node.type === 'image' || node.type === 'link') && parent && index !== undefined) {
        const next = parent.children[index + 1]
        const match = next?.type === 'text' ? leading.exec(next.value) : null
        const written = match?.[1] ?? spreadAttributes(parent, index, text)
        const attributes = written === undefined ? undefined : parseAttributes(written)
        if (written === undefined || !attributes) return
        if (match && next?.type === 'text') {
          next.value = next.value.slice(match[0].length)
          if (next.value === '') parent.children.splice(index + 1, 1)
        } else takeSpread(parent, index, text)
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
  }
}

/**
 * Attributes written right after the image or link at `index` whose text the parse split into several nodes: a
 * quoted value with backticks or emphasis in it (Quarto's `{#fig-x fig-alt="A `code` word"}`) is inline code
 * there. Read from the source; `undefined` when the source has no `{…}` there or the next node holds it whole.
 */
function spreadAttributes(parent: Parent, index: number, text: string): string | undefined {
  const end = parent.children[index]?.position?.end.offset
  const next = parent.children[index + 1]
  if (end === undefined || !next?.position) return undefined
  const match = leading.exec(text.slice(end))
  if (!match || (next.position.start.offset ?? -1) !== end) return undefined
  // Only when the attributes end between two of the paragraph's nodes, which can then leave it whole.
  const stop = end + match[0].length
  const covered = parent.children.slice(index + 1).findIndex((child) => child.position?.end.offset === stop)
  return covered === -1 ? undefined : match[1]
}

/** Remove the nodes after `index` that `spreadAttributes` read as attributes. */
function takeSpread(parent: Parent, index: number, text: string): void {
  const end = parent.children[index]?.position?.end.offset ?? 0
  const stop = end + (leading.exec(text.slice(end))?.[0].length ?? 0)
  const covered = parent.children.slice(index + 1).findIndex((child) => child.position?.end.offset === stop)
  parent.children.splice(index + 1, covered + 1)
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
