/**
 * remark plugin: TeX math (`$…$`, `$$…$$`, read by remark-math) as MathML,
 * converted once at build time by Temml, for both books: no script and no
 * web font. The MathML goes on the node's `data.hChildren`, so both targets
 * render it as they render any node; Temml's `style` attributes are dropped
 * (the web page's Content-Security-Policy forbids them; the stylesheets set
 * `display: block math` instead). `$$…$$` within a line is display math in
 * a span. A label written `$$ {#eq-x}` (see
 * remark-pandoc-fences) becomes the block's id and `data.label`.
 *
 * Messages (source `remark-mathml`): `math-error` (error), TeX that Temml
 * cannot read, with the TeX and Temml's reason; `math-reference` (warning),
 * `\ref` or `\eqref` in math, which Temml draws as an empty link for its own
 * CSS to number, so the books leave it out (`@eq-label` refers to equations).
 */
import type {Element, ElementContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Nodes, Root} from 'mdast'
import type {VFile} from 'vfile'
import {error, warn} from '../messages.js'
import {visit} from '../tree.js'
import {validMathml} from './mathml-valid.js'

const source = 'remark-mathml'

declare module 'mdast-util-math' {
  interface MathData {
    /** The equation's label (`eq-x`), for cross-references. */
    label?: string | undefined
    /** Its number, shown beside it (set by `resolveCrossReferences`). */
    number?: number | undefined
  }
}

/** Convert every math node to MathML, or report the TeX that does not convert. */
export function remarkMathml() {
  return async (tree: Root, file: VFile) => {
    const text = String(file.value)
    if (!text.includes('$')) return
    // Temml is loaded by the first chapter that may hold math, not by every build.
    const {renderToString} = (await import('temml')).default
    const labels = file.data.equationLabels ?? {}
    // The chapter's macros: `\newcommand` in one equation serves those after it, as in Pandoc (and MathJax).
    const macros: Record<string, unknown> = {}
    const defines = text.includes('newcommand')
    visit(tree, (node, index, parent) => {
      // Pandoc's raw LaTeX definitions, a paragraph of nothing but `\newcommand`s, serve the same way (its source is
      // read only in a chapter that defines macros).
      const written =
        node.type === 'paragraph'
          ? defines
            ? text.slice(node.position?.start.offset ?? 0, node.position?.end.offset ?? 0)
            : ''
          : 'value' in node
            ? node.value
            : ''
      if (node.type !== 'math' && node.type !== 'inlineMath' && !(node.type === 'paragraph' && written)) return
      const tex = globalDefinitions(written)
      if (tex !== written && onlyDefinitions(tex) && parent && index !== undefined) {
        // Nothing to show: its macros are kept for the equations after it.
        if (convert(renderToString, node, written, tex, false, file, macros)) parent.children.splice(index, 1)
        return index
      }
      if (node.type === 'paragraph') return
      // `$$…$$` in a line of text is display math too, as in Pandoc: in a span, as the paragraph holds it.
      const start = node.position?.start.offset
      const display = node.type === 'math' || (start !== undefined && text.startsWith('$$', start))
      const math = convert(renderToString, node, node.value, tex, display, file, macros)
      if (!math) return
      // Temml draws `\ref` and `\eqref` as empty links that its own CSS numbers, which the books do not load.
      for (const reference of tex.matchAll(/(?<!\\)\\(?:eq)?ref\s*\{[^}]*\}/g))
        warn(
          file,
          `Unexpected \`${reference[0]}\` in math, expected a cross-reference outside the math (\`@eq-label\`): it is left out`,
          node,
          'math-reference',
          source
        )
      const label = node.type === 'math' && node.position ? labels[node.position.end.line] : undefined
      node.data = {
        hName: node.type === 'math' ? 'div' : 'span',
        // A wide equation scrolls inside its block, which keyboards reach (tabindex).
        hProperties: {
          className: [display ? 'math-display' : 'math-inline'],
          id: label,
          tabIndex: display ? 0 : undefined
        },
        hChildren: [math]
      }
      if (label && node.type === 'math') node.data.label = label
    })
  }
}

const definition = /\\(?:re)?newcommand\s*(?:\{\s*(\\[A-Za-z@]+)\s*\}|(\\[A-Za-z@]+))\s*(?:\[(\d)\])?/g

/** The TeX with `\newcommand{\x}[2]{…}` written `\gdef\x#1#2{…}`, which Temml keeps in `macros` after the equation. */
function globalDefinitions(tex: string): string {
  if (!tex.includes('newcommand')) return tex
  return tex.replace(
    definition,
    (_, braced: string | undefined, bare: string | undefined, count: string | undefined) => {
      const parameters = Array.from({length: Number(count ?? 0)}, (_, at) => `#${at + 1}`).join('')
      return `\\gdef${braced ?? bare}${parameters}`
    }
  )
}

/** Whether the TeX is nothing but `\gdef\x#1{…}` definitions. */
function onlyDefinitions(tex: string): boolean {
  let rest = tex.trim()
  while (rest !== '') {
    const head = /^\\gdef\s*\\[A-Za-z@]+(?:#\d)*\s*\{/.exec(rest)
    if (!head) return false
    let depth = 1
    let at = head[0].length
    for (; at < rest.length && depth > 0; at++) {
      if (rest[at] === '\\') at++
      else if (rest[at] === '{') depth++
      else if (rest[at] === '}') depth--
    }
    if (depth > 0) return false
    rest = rest.slice(at).trim()
  }
  return true
}

function convert(
  renderToString: typeof import('temml').renderToString,
  node: Nodes,
  written: string,
  tex: string,
  display: boolean,
  file: VFile,
  macros: Record<string, unknown>
): Element | undefined {
  let markup: string
  try {
    markup = renderToString(tex, {displayMode: display, throwOnError: true, annotate: true, macros})
  } catch (cause) {
    const reason =
      cause instanceof Error
        ? cause.message.replace(/^(?:Temml )?(?:ParseError|parse error):?/i, '').trim()
        : String(cause)
    error(
      file,
      `Unexpected TeX \`${written}\` that does not convert to MathML (${reason}), expected TeX that Temml reads`,
      node,
      'math-error',
      source
    )
    return undefined
  }
  const math = fromHtml(markup, {fragment: true}).children[0]
  if (math?.type !== 'element') return undefined
  const clean = (element: Element): void => {
    delete element.properties.style
    for (const child of element.children as ElementContent[]) if (child.type === 'element') clean(child)
  }
  clean(math)
  return validMathml(math)
}
