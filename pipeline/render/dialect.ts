/**
 * mdast → hast handlers, both targets, for the Pandoc, Quarto and GitHub
 * dialect the shared plugins read: fenced divs, callouts (labelled asides),
 * subscript and superscript, highlighted code and tables (pipe and grid) that
 * scroll inside their own box. What differs in the EPUB comes in as an option.
 */
import {mdast2hastGridTablesHandler} from '@adobe/mdast-util-gridtables'
import type {Element, ElementContent} from 'hast'
import {h} from 'hastscript'
import type {Code, List, Paragraph, Table} from 'mdast'
import {defListHastHandlers} from 'mdast-util-definition-list'
import type {Math} from 'mdast-util-math'
import {defaultHandlers, type Handler, type State} from 'mdast-util-to-hast'
import {toString} from 'mdast-util-to-string'
import {labelsFor} from '../labels/index.js'
import type {ExampleReference} from '../plugins/remark-fancy-lists.js'
import type {Callout, CalloutKind, FencedDiv} from '../plugins/remark-fenced-divs.js'
import type {ImplicitFigure} from '../plugins/remark-figures.js'
import type {GridTable} from '../plugins/remark-grid-tables.js'
import type {HtmlElement} from '../plugins/remark-raw-html.js'
import type {Subscript, Superscript} from '../plugins/remark-sub-super.js'

/** Options of `dialectHandlers`. */
export interface DialectOptions {
  /** Render for the EPUB: tips get `epub:type="tip"`. Default `false`. */
  epub?: boolean | undefined
  /** The book's language (BCP 47), for the titles of callouts without their own and captions' words. Default `en`. */
  language?: string | undefined
}

const listTypes = {decimal: '1', 'lower-alpha': 'a', 'upper-alpha': 'A', 'lower-roman': 'i', 'upper-roman': 'I'}

/** The handlers of the dialect's nodes (and of `code` and `table`), for one document. */
export function dialectHandlers(options: DialectOptions = {}): Record<string, Handler> {
  let callouts = 0
  let uncaptioned = 0
  const gridTableHandler = mdast2hastGridTablesHandler()
  const labels = labelsFor(options.language ?? 'en')
  const calloutTitles: Record<CalloutKind, string> = labels.callout

  const fencedDiv: Handler = (state: State, node: FencedDiv) => {
    const data: Record<string, string> = {}
    for (const [key, value] of Object.entries(node.attributes))
      if (/^[a-z][\w-]*$/i.test(key) && !/^on/i.test(key) && key !== 'style') data[`data-${key.toLowerCase()}`] = value
    const properties = {id: node.id, className: node.classes.length > 0 ? node.classes : undefined, ...data}
    // A Quarto figure or table div that a number reaches: a figure, captioned by its last paragraph.
    const last = node.children.at(-1)
    if (node.numbered && last?.type === 'paragraph') {
      const result = h('figure', properties, [
        ...state.all({...node, children: node.children.slice(0, -1)}),
        h('figcaption', [node.numbered + labels.captionSeparator, ...state.all(last)])
      ])
      state.patch(node, result)
      return result
    }
    const result = h('div', properties, [...state.all(node)])
    state.patch(node, result)
    return result
  }

  const callout: Handler = (state: State, node: Callout) => {
    callouts++
    const id = node.id ?? `callout-${callouts}`
    const titleId = `${id}-title`
    const title: ElementContent[] = node.title
      ? state.all({type: 'paragraph', children: node.title})
      : [{type: 'text', value: calloutTitles[node.kind]}]
    // A tip is `doc-tip` to reading systems (with its `epub:type`). Browsers and axe do not know that role and
    // make the aside a complementary landmark, which two tips would share a name as: `note` on the web.
    const tip = node.kind === 'tip' && options.epub
    const result = h(
      `aside.callout.callout--${node.kind}`,
      {
        id,
        role: tip ? 'doc-tip' : 'note',
        'epub:type': tip ? 'tip' : undefined,
        ariaLabelledBy: titleId
      },
      [h('p.callout__title', {id: titleId}, title), ...state.all(node)]
    )
    state.patch(node, result)
    return result
  }

  const subscript: Handler = (state: State, node: Subscript) => h('sub', state.all(node))
  const superscript: Handler = (state: State, node: Superscript) => h('sup', state.all(node))

  const code: Handler = (state: State, node: Code) => {
    const language = node.lang?.split(/\s/)[0]
    const value = node.value ? `${node.value}\n` : ''
    // Highlighted at the parse (remark-highlight): `applyData` puts its spans in.
    const element: Element = h('code', {className: language ? [`language-${language}`] : undefined}, value)
    state.patch(node, element)
    // tabindex: a block wider than the page scrolls inside itself, by keyboard too.
    return h('pre', {tabIndex: 0}, [state.applyData(node, element)])
  }

  const table: Handler = (state: State, node: Table) =>
    scrolling(state, defaultHandlers.table(state, node) as Element, node)

  // A Pandoc grid table (remark-grid-tables): its cells hold blocks and span rows and columns.
  const gridTable: Handler = (state: State, node: GridTable) =>
    scrolling(state, state.applyData(node, gridTableHandler(state, node)), node)

  /** A table with its caption, in a box of its own. */
  const scrolling = (state: State, element: Element, node: Table | GridTable): Element => {
    const caption = node.data?.caption ?? []
    const numbered = node.data?.numbered
    const words = toString({type: 'paragraph', children: caption}).trim()
    // A caption of attributes alone (`: {.striped}`) is none.
    if (words || numbered)
      element.children.unshift(
        h('caption', [
          numbered ? numbered + (words ? labels.captionSeparator : '') : '',
          ...state.all({type: 'paragraph', children: caption})
        ])
      )
    // A header cell the author left empty heads nothing: a plain cell, which screen readers do not announce as one.
    for (const section of element.children)
      if (section.type === 'element' && section.tagName === 'thead')
        for (const row of section.children)
          if (row.type === 'element')
            for (const cell of row.children)
              if (cell.type === 'element' && cell.tagName === 'th' && cell.children.length === 0) cell.tagName = 'td'
    // A table wider than the page scrolls inside its own box, which keyboards reach and screen readers name: by its
    // caption, or, without one, by its place among the chapter's other tables without one (names of regions differ).
    return h(
      'div.table-scroll',
      {role: 'region', tabIndex: 0, ariaLabel: words || numbered || `${labels.numbered.tbl} (${++uncaptioned})`},
      [element]
    )
  }

  const implicitFigure: Handler = (state: State, node: ImplicitFigure) => {
    const result = h('figure', {id: node.id}, [
      ...state.all(node),
      h('figcaption', [
        node.numbered ? node.numbered + labels.captionSeparator : '',
        ...state.all({type: 'paragraph', children: node.caption})
      ])
    ])
    state.patch(node, result)
    return result
  }

  // Display math as remark-mathml made it; a labelled equation shows its number, as text, beside it.
  const math: Handler = (state: State, node: Math) => {
    const children: ElementContent[] = [{type: 'text', value: node.value}]
    const result = state.applyData(node, {type: 'element', tagName: 'div', properties: {}, children}) as Element
    const number = node.data?.number
    if (number !== undefined) {
      const className = [...((result.properties.className as string[] | undefined) ?? []), 'math-display--numbered']
      result.properties.className = className
      result.children = [...result.children, h('span.math-display__number', `(${number})`)]
    }
    state.patch(node, result)
    return result
  }

  // A list with Pandoc's markers (remark-fancy-lists): the numbering style as Pandoc writes it, `type="a"`.
  const list: Handler = (state: State, node: List) => {
    const result = defaultHandlers.list(state, node) as Element
    const style = node.data?.listStyle
    if (style === 'example') result.properties = {...result.properties, className: ['example'], type: '1'}
    else if (style) result.properties = {...result.properties, type: listTypes[style]}
    return result
  }

  // An example's number where the text cites its label (remark-fancy-lists).
  const exampleReference: Handler = (_: State, node: ExampleReference) => ({type: 'text', value: node.value})

  // A Pandoc line block (remark-line-blocks) as Pandoc writes it: its lines in a `div.line-block`, parted by `<br>`s.
  const paragraph: Handler = (state: State, node: Paragraph) => {
    if (!node.data?.lineBlock) return defaultHandlers.paragraph(state, node)
    // Each line's leading spaces, which HTML would collapse (and mdast-util-to-hast trims after a break), as
    // no-break spaces: on a copy, since both books render the one tree.
    let lineStart = true
    const children = node.children.map((child) => {
      const starts = lineStart
      lineStart = child.type === 'break'
      if (!starts || child.type !== 'text') return child
      return {...child, value: child.value.replace(/^[ \t]+/, (spaces) => '\u00a0'.repeat(spaces.length))}
    })
    const result = h('div.line-block', state.all({...node, children}))
    state.patch(node, result)
    return result
  }

  // Raw HTML the allow-list kept (remark-raw-html): the element as written, its content as Markdown renders it.
  const htmlElement: Handler = (state: State, node: HtmlElement) => {
    const result = h(node.tagName, node.properties, state.all(node))
    state.patch(node, result)
    return result
  }

  return {
    ...defListHastHandlers,
    fencedDiv,
    callout,
    implicitFigure,
    htmlElement,
    math,
    paragraph,
    list,
    exampleReference,
    subscript,
    superscript,
    code,
    table,
    gridTable
  } as Record<string, Handler>
}
