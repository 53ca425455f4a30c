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
 * cannot read, with the TeX and Temml's reason.
 */
import type {Element, ElementContent} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Root} from 'mdast'
import type {InlineMath, Math} from 'mdast-util-math'
import type {VFile} from 'vfile'
import {error} from '../messages.js'
import {visit} from '../tree.js'

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
    visit(tree, (node) => {
      if (node.type !== 'math' && node.type !== 'inlineMath') return
      // `$$…$$` in a line of text is display math too, as in Pandoc: in a span, as the paragraph holds it.
      const start = node.position?.start.offset
      const display = node.type === 'math' || (start !== undefined && text.startsWith('$$', start))
      const math = convert(renderToString, node, display, file)
      if (!math) return
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

function convert(
  renderToString: typeof import('temml').renderToString,
  node: Math | InlineMath,
  display: boolean,
  file: VFile
): Element | undefined {
  let markup: string
  try {
    markup = renderToString(node.value, {displayMode: display, throwOnError: true, annotate: true})
  } catch (cause) {
    const reason =
      cause instanceof Error
        ? cause.message.replace(/^(?:Temml )?(?:ParseError|parse error):?/i, '').trim()
        : String(cause)
    error(
      file,
      `Unexpected TeX \`${node.value}\` that does not convert to MathML (${reason}), expected TeX that Temml reads`,
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
  return math
}
