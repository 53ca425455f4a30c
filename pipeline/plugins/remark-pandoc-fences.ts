/**
 * remark plugin: Pandoc's fenced divs and labelled display math, read through
 * the directive and math syntax the processor already has.
 *
 * Pandoc writes a div as `::: {.class}` or `::: class` and nests divs whose
 * fences have the same number of colons; remark-directive wants a name right
 * after the colons and an outer fence longer than the inner one. Before the
 * parse, each Pandoc fence line (outside fenced code) is rewritten as a
 * directive: `::: {.callout-note}` becomes `:::div{.callout-note}`, `:::
 * warning` becomes `:::div{.warning}`, and every fence gets as many colons as
 * its nesting needs (our own `::::scrolly`, `:::step` and `:::contested` keep
 * theirs, lengthened only when a Pandoc div sits inside them). Quarto's
 * `$$ {#eq-x}` closing line loses its label, which is recorded on
 * `file.data.equationLabels` by line. After the parse, every position in the
 * tree is mapped back to the text as written, so messages point at the
 * author's lines and columns.
 *
 * A Pandoc div never closed is an error (`unclosed-fenced-div`, reported by
 * `remarkFencedDivs`, which turns the directives into nodes).
 */
import type {Nodes, Root} from 'mdast'
import type {Processor} from 'unified'
import type {Point} from 'unist'
import type {VFile} from 'vfile'

declare module 'vfile' {
  interface DataMap {
    /** Labels of display math written `$$ {#eq-x}`: line of the closing `$$` → label (set by remark-pandoc-fences). */
    equationLabels: Record<number, string>
    /** Lines of Pandoc divs never closed (set by remark-pandoc-fences). */
    unclosedDivs: number[]
  }
}

// `:::` then attributes, or a space and one word, then optional colons: a Pandoc div's opening fence.
const pandocOpen = /^ {0,3}(:{3,})(?:[ \t]*\{([^{}]*)\}|[ \t]+([A-Za-z][\w-]*))[ \t]*:*[ \t]*$/
// Our own directives (and any written `:::name`): an opening fence.
const directiveOpen = /^ {0,3}(:{3,})([A-Za-z][\w-]*)(.*)$/
const close = /^ {0,3}(:{3,})[ \t]*$/
const codeFence = /^ {0,3}(`{3,}|~{3,})/
const quotePrefix = /^(?: {0,3}>[ \t]?)+/
// A list item's marker and the spaces after it (one to four): its content starts after them.
const listMarker = /^ {0,3}(?:[-+*]|\d{1,9}[.)])(?: {1,4}(?=\S)|[ \t]*$)/
const mathLabel = /^( {0,3}\$\$)[ \t]*\{#(eq-[\w-]+)\}[ \t]*$/

interface Fence {
  line: number
  /** The block quote markers and list indentation before the fence, as written. */
  prefix: string
  closePrefix?: string
  kind: 'pandoc' | 'directive'
  /** What follows the colons in the rewritten line. */
  rest: string
  written: number
  close?: number
  height: number
  /** The fewest colons it may have: more than a line of colons in code inside it (see `rewrite`). */
  floor: number
}

type Parse = (document: string, file: VFile) => Root

/** Rewrite Pandoc fences before the parse and map positions back after it (see the module comment). Use after the GFM plugin. */
export function remarkPandocFences(this: Processor) {
  const parse = this.parser as Parse | undefined
  if (!parse) throw new Error('Expected a parser before `remarkPandocFences`')
  this.parser = (document: string, file: VFile): Root => {
    if (!document.includes(':::') && !document.includes('$$')) return parse(document, file)
    const rewritten = rewrite(document, file)
    if (rewritten === undefined) return parse(document, file)
    const tree = parse(rewritten, file)
    mapBack(tree, document, rewritten)
    return tree
  }
}

/** The document with Pandoc fences as directives, or `undefined` when nothing changed. */
function rewrite(document: string, file: VFile): string | undefined {
  const lines = document.split('\n')
  const stack: Fence[] = []
  const fences: Fence[] = []
  const labels: Record<number, string> = {}
  let code: string | undefined
  let changed = false
  // The content column of the list item the lines are in (0: none), after any block quote markers.
  let listContent = 0
  for (const [index, raw] of lines.entries()) {
    // A fence inside block quotes and list items: the containers' markers and indentation stay as written.
    const quotes = quotePrefix.exec(raw)?.[0] ?? ''
    let rest = raw.slice(quotes.length).replace(/\r$/, '')
    const item = listMarker.exec(rest)
    const indent = /^[ \t]*/.exec(rest)?.[0].length ?? 0
    let inner = 0
    if (item && indent < 4 + listContent) {
      listContent = item[0].length
      inner = listContent
    } else if (listContent > 0 && rest.trim() !== '') {
      if (indent >= listContent) inner = listContent
      else listContent = 0
    }
    const prefix = raw.slice(0, quotes.length + inner)
    rest = rest.slice(inner)
    const line = rest
    const fenceOfCode = codeFence.exec(line)?.[1]
    if (code !== undefined) {
      if (fenceOfCode && fenceOfCode[0] === code[0] && fenceOfCode.length >= code.length && /^\s*[`~]+\s*$/.test(line))
        code = undefined
      // A line of colons in code (a Markdown example of a div) would close the directives around the code, whose
      // closing fence is looked for first: those get more colons, each more than the one it holds.
      const colons = /^ {0,3}(:{3,})/.exec(line)?.[1].length
      if (colons)
        for (const [depth, outer] of stack.entries()) outer.floor = Math.max(outer.floor, colons + stack.length - depth)
      continue
    }
    if (fenceOfCode) {
      code = fenceOfCode
      continue
    }
    const label = mathLabel.exec(line)
    if (label) {
      labels[index + 1] = label[2]
      lines[index] = prefix + label[1]
      changed = true
      continue
    }
    if (!line.includes(':::')) continue
    const closing = close.exec(line)
    if (closing) {
      const fence = stack.pop()
      if (fence) {
        fence.close = index
        fence.closePrefix = prefix
      }
      continue
    }
    const pandoc = pandocOpen.exec(line)
    const directive = pandoc ? undefined : directiveOpen.exec(line)
    if (!pandoc && !directive) continue
    const fence: Fence = pandoc
      ? {
          line: index,
          prefix,
          kind: 'pandoc',
          rest: `div{${pandoc[2] ?? `.${pandoc[3]}`}}`,
          written: pandoc[1].length,
          height: 1,
          floor: 0
        }
      : {
          line: index,
          prefix,
          kind: 'directive',
          rest: `${directive?.[2]}${directive?.[3]}`,
          written: directive?.[1].length ?? 3,
          height: 1,
          floor: 0
        }
    // A directive's leaf form (`::name`) never reaches here: it has two colons.
    for (const [depth, outer] of stack.entries()) outer.height = Math.max(outer.height, stack.length - depth + 1)
    stack.push(fence)
    fences.push(fence)
  }
  file.data.unclosedDivs = stack.filter((fence) => fence.kind === 'pandoc').map((fence) => fence.line + 1)
  if (Object.keys(labels).length > 0) file.data.equationLabels = labels
  for (const fence of fences) {
    const colons = Math.max(fence.written, fence.height + 2, fence.floor)
    if (fence.kind === 'directive' && colons === fence.written) continue
    changed = true
    lines[fence.line] = `${fence.prefix}${':'.repeat(colons)}${fence.rest}`
    if (fence.close !== undefined) lines[fence.close] = `${fence.closePrefix ?? ''}${':'.repeat(colons)}`
  }
  return changed ? lines.join('\n') : undefined
}

/** Map every position of the tree, parsed from `rewritten`, back to `document` (the two have the same lines). */
function mapBack(tree: Root, document: string, rewritten: string): void {
  const starts = lineStarts(document)
  const rewrittenStarts = lineStarts(rewritten)
  const point = (p: Point): void => {
    const line = p.line
    const length = (starts[line] ?? document.length + 1) - 1 - starts[line - 1]
    const rewrittenLength = (rewrittenStarts[line] ?? rewritten.length + 1) - 1 - rewrittenStarts[line - 1]
    // A point past the end of a rewritten line stays past the end of the written one.
    const column = p.column > rewrittenLength ? Math.max(1, length + 1) : Math.min(p.column, length + 1)
    p.column = column
    p.offset = starts[line - 1] + column - 1
  }
  const walk = (node: Nodes): void => {
    if (node.position) {
      point(node.position.start)
      point(node.position.end)
    }
    if ('children' in node) for (const child of node.children as Nodes[]) walk(child)
  }
  walk(tree)
}

function lineStarts(text: string): number[] {
  const starts = [0]
  for (let index = text.indexOf('\n'); index !== -1; index = text.indexOf('\n', index + 1)) starts.push(index + 1)
  return starts
}
