/**
 * Temml's MathML as the EPUB's MathML 3 schema accepts it. Temml writes for
 * MathML Core and browsers: `scriptlevel` and `displaystyle` on an `<mrow>`
 * (`\boxed`), an empty HTML `<span>` in numbered environments (`align`,
 * `gather`, `multline`; Temml's own CSS numbers them, which the books do not
 * load) and an HTML `<a>` for `\ref` and `\eqref`, all in MathML's
 * namespace, where epubcheck refuses them. The `<mrow>` becomes the
 * `<mstyle>` MathML 3 has for those attributes, the `<span>` goes with its
 * content kept, and the `<a>` becomes an `<mrow>` (the books number
 * equations and link to them through `@eq-…` cross-references).
 */
import type {Element, ElementContent} from 'hast'

/**
 * Make `element` (Temml's output: a `<math>`, or for a lone `\ref` an HTML
 * `<a>`) and its descendants fit MathML 3, in place; returns the `<math>`.
 */
export function validMathml(element: Element): Element {
  adapt(element)
  if (element.tagName === 'math') return element
  return {type: 'element', tagName: 'math', properties: {}, children: [element]}
}

function adapt(element: Element): void {
  if (element.tagName === 'mrow' && ('scriptlevel' in element.properties || 'displaystyle' in element.properties))
    element.tagName = 'mstyle'
  if (element.tagName === 'a') {
    element.tagName = 'mrow'
    delete element.properties.href
  }
  element.children = element.children.flatMap((child): ElementContent[] => {
    if (child.type !== 'element') return [child]
    adapt(child)
    return child.tagName === 'span' ? child.children : [child]
  })
}
