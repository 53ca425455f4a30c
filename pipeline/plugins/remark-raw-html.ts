/**
 * remark plugin: a safe subset of raw HTML, kept in both books. Format-neutral.
 *
 * Each element written as raw HTML is checked by hast-util-sanitize against
 * an allow-list: `img` (a local file, with `alt`; `class`), `figure`,
 * `figcaption`, `a` (`id`, `name`, `href`, `title`), `kbd`, `sub`, `sup`,
 * `br`, `details`, `summary`, `abbr` (`title`), `mark`, `small`, `span` and
 * `div` (`class`), `p`, and the phrasing elements Markdown books write by
 * hand: `em`, `strong`, `i`, `b`, `code`, `cite`, `q`, `s`, `del`, `ins`,
 * `var` and `samp`. An allowed element becomes an `htmlElement` node (an `img`, an
 * mdast `image`, so that it is found and copied as any image is), whose
 * children stay Markdown: `<kbd>Ctrl</kbd>`, or `<details>` around
 * paragraphs. Anything else (every other element, `<script>`, a `style`
 * attribute, an event handler, a remote image) stays visible as text, with
 * one `raw-html` warning (`raw-html-script` for a script) per element, not
 * per tag. An attribute value XHTML refuses (an `<img>` width that is not a
 * number of pixels, an id with spaces) counts as a refused attribute. An
 * element kept where HTML does not allow it (see ./raw-html-structure.ts)
 * loses its tags. HTML comments are left to remark-content-checks, which
 * drops them.
 */
import type {Element, Nodes as HastNodes} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {type Schema, sanitize} from 'hast-util-sanitize'
import type {Html, Image, Link, Paragraph, Parent, Parents, PhrasingContent, Root, RootContent, Text} from 'mdast'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {positionAt, warn} from '../messages.js'
import {visit} from '../tree.js'
import {blockTags, unwrapMisplaced} from './raw-html-structure.js'

const source = 'remark-raw-html'

/** An element written as raw HTML that the allow-list keeps; its children are Markdown. */
export interface HtmlElement extends Parent {
  type: 'htmlElement'
  tagName: string
  properties: Record<string, string | number | boolean | string[]>
  children: RootContent[]
}

declare module 'mdast' {
  interface PhrasingContentMap {
    htmlElement: HtmlElement
  }
  interface BlockContentMap {
    htmlElement: HtmlElement
  }
  interface RootContentMap {
    htmlElement: HtmlElement
  }
}

const schema: Schema = {
  tagNames: [
    'img',
    'figure',
    'figcaption',
    'a',
    'kbd',
    'sub',
    'sup',
    'br',
    'details',
    'summary',
    'abbr',
    'mark',
    'small',
    'span',
    'div',
    'p',
    'em',
    'strong',
    'i',
    'b',
    'code',
    'cite',
    'q',
    's',
    'del',
    'ins',
    'var',
    'samp'
  ],
  attributes: {
    a: ['id', 'name', 'href', 'title'],
    img: ['src', 'alt', 'title', 'width', 'height', 'className'],
    abbr: ['title'],
    details: ['open'],
    span: ['className'],
    div: ['className']
  },
  // Images of the book only; links to the web or mail, or within the book.
  protocols: {href: ['http', 'https', 'mailto'], src: []},
  clobber: [],
  clobberPrefix: '',
  strip: [],
  required: {},
  ancestors: {}
}

const voids = new Set(['br', 'img', 'hr', 'input', 'meta', 'link', 'wbr', 'source', 'col', 'area', 'embed'])
const tag = /^<(\/)?([A-Za-z][\w-]*)\b[^>]*?(\/)?>$/
const phrasingParents = new Set([
  'paragraph',
  'heading',
  'tableCell',
  'emphasis',
  'strong',
  'delete',
  'link',
  'linkReference',
  'htmlElement',
  'subscript',
  'superscript'
])

/** Keep the allowed raw HTML as nodes; show the rest as text with one warning per element. */
export function remarkRawHtml() {
  return (tree: Root, file: VFile) => {
    const text = String(file.value)
    if (!text.includes('<')) return
    // Closing tags of elements already reported: shown as text without a second warning.
    const reported = new WeakSet<Html>()

    visit(tree, (node, index, parent) => {
      if (node.type !== 'html' || !parent || index === undefined) return
      if (/^\s*<!--[\s\S]*-->\s*$/.test(node.value)) return
      const inline = phrasingParents.has(parent.type)
      const siblings = parent.children as RootContent[]
      const single = tag.exec(node.value.trim())

      if (single) {
        const [, closing, rawName, selfClosing] = single
        const name = rawName.toLowerCase()
        if (closing) {
          // A closing tag whose element was kept is gone already; one left over is stray.
          if (!reported.has(node)) report(file, node, `\`${node.value.trim()}\` without its opening tag`, false)
          return asText(parent, index, node, inline)
        }
        const element = elementOf(node.value.trim())
        const problem = element ? check(element) : 'unreadable'
        const closer = voids.has(name) || selfClosing ? -1 : findCloser(siblings, index, name)
        if (problem || !element || (closer === undefined && !voids.has(name))) {
          const why = problem ?? `\`<${name}>\` without its closing tag`
          report(file, node, why, name === 'script')
          const end = closer === undefined || closer === -1 ? undefined : siblings[closer]
          if (end?.type === 'html') reported.add(end)
          return asText(parent, index, node, inline)
        }
        if (closer === -1 || closer === undefined) {
          const nodes = toMdast(element, false, node.position)
          siblings.splice(index, 1, ...(nodes as never[]))
          return [SKIP, index + nodes.length]
        }
        const wrapped = elementNode(name, properties(element), siblings.slice(index + 1, closer), node.position)
        siblings.splice(index, closer - index + 1, wrapped as never)
        return [SKIP, index]
      }

      // A block of HTML, or inline HTML of several tags: each element is checked.
      const fragment = fromHtml(node.value, {fragment: true})
      const problems: Array<{element: Element; why: string}> = []
      visit(fragment, 'element', (element) => {
        const why = check(element)
        if (why) problems.push({element, why})
      })
      // HTML that reads as nothing (a doctype, a tag never finished) is shown as it is written.
      if (!fragment.children.some((child) => child.type === 'element' || (child.type === 'text' && child.value.trim())))
        problems.push({
          element: {type: 'element', tagName: 'html', properties: {}, children: []},
          why: 'unreadable HTML'
        })
      if (problems.length > 0) {
        for (const {element, why} of problems) {
          const start = (node.position?.start.offset ?? 0) + (element.position?.start.offset ?? 0)
          const end = (node.position?.start.offset ?? 0) + (element.position?.end.offset ?? 0)
          const place = element.position ? positionAt(file, start, end) : undefined
          warnAt(file, place ?? node.position, why, element.tagName === 'script')
        }
        return asText(parent, index, node, inline)
      }
      // `<details><summary>…</summary>` whose `</details>` closes after Markdown blocks.
      const open = /^\s*<([A-Za-z][\w-]*)\b[^>]*>/.exec(node.value)
      const name = open?.[1].toLowerCase()
      const closer = name && !balanced(node.value, name) ? findCloser(siblings, index, name) : undefined
      if (open && name && closer !== undefined) {
        const element = elementOf(`${open[0]}</${name}>`)
        const inner = fromHtml(node.value.slice(open.index + open[0].length), {fragment: true})
        if (element) {
          const wrapped: HtmlElement = {
            type: 'htmlElement',
            tagName: name,
            properties: properties(element),
            children: [
              ...inner.children.flatMap((child) => toMdast(child, false, node.position)),
              ...siblings.slice(index + 1, closer)
            ],
            position: node.position
          }
          siblings.splice(index, closer - index + 1, wrapped as never)
          return [SKIP, index + 1]
        }
      }
      const made = fragment.children.flatMap((child) => toMdast(child, !inline, node.position))
      const nodes = inline ? made : inParagraphs(made, node.position)
      siblings.splice(index, 1, ...(nodes as never[]))
      return [SKIP, index + nodes.length]
    })
    unwrapMisplaced(tree, file)
  }
}

/**
 * A block of raw HTML's nodes with each run of phrasing content (`<!-- c -->
 * text`, `<div>…</div> text`) in a paragraph at the HTML's place: text is no
 * block of its own, and a message about it needs a place.
 */
function inParagraphs(nodes: RootContent[], position: Html['position']): RootContent[] {
  const result: RootContent[] = []
  let run: Paragraph | undefined
  for (const node of nodes) {
    if (node.type === 'htmlElement' && blockTags.has(node.tagName)) {
      result.push(node)
      run = undefined
      continue
    }
    if (!run) {
      run = {type: 'paragraph', children: []}
      if (position) run.position = structuredClone(position)
      result.push(run)
    }
    run.children.push(node as PhrasingContent)
  }
  return result
}

/** What is wrong with an element, or `undefined` when the allow-list keeps it as written. */
function check(element: Element): string | undefined {
  const shallow: Element = {...element, children: []}
  const clean = sanitize({type: 'root', children: [shallow]}, schema)
  const kept = clean.type === 'root' ? clean.children[0] : undefined
  const name = `<${element.tagName}>`
  if (kept?.type !== 'element' || kept.tagName !== element.tagName) return `element \`${name}\``
  for (const key of Object.keys(element.properties)) {
    if (!(key in kept.properties)) return `attribute \`${attributeName(key)}\` on \`${name}\``
  }
  if (element.tagName === 'img' && typeof element.properties.alt !== 'string') return '`<img>` without `alt` text'
  return badValue(element)
}

/** An attribute value XHTML refuses (the EPUB is checked against it), said as the problem; `undefined` when none. */
function badValue(element: Element): string | undefined {
  const name = `<${element.tagName}>`
  for (const key of ['width', 'height']) {
    const value = element.properties[key]
    if (value !== undefined && !/^\d+$/.test(String(value)))
      return `\`${key}="${value}"\` on \`${name}\` (a number of pixels, such as \`${key}="300"\`)`
  }
  const {id, open} = element.properties
  if (id !== undefined && !/^\S+$/.test(String(id))) return `\`id="${id}"\` on \`${name}\` (an id has no spaces)`
  if (open !== undefined && open !== true && open !== '' && open !== 'open')
    return `\`open="${open}"\` on \`${name}\` (\`open\` takes no value)`
  return undefined
}

function attributeName(key: string): string {
  if (key === 'className') return 'class'
  if (/^on[A-Z]/.test(key)) return key.toLowerCase()
  return key.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)
}

function elementOf(html: string): Element | undefined {
  const first = fromHtml(html, {fragment: true}).children.find((child) => child.type === 'element')
  return first?.type === 'element' ? first : undefined
}

function properties(element: Element): HtmlElement['properties'] {
  const result: HtmlElement['properties'] = {}
  for (const [key, value] of Object.entries(element.properties)) {
    if (value !== null && value !== undefined && !(Array.isArray(value) && value.length === 0))
      result[key] = Array.isArray(value) ? value.map(String) : value
  }
  return result
}

/** Whether `html` closes every `<name>` it opens. */
function balanced(html: string, name: string): boolean {
  const opens = html.match(new RegExp(`<${name}\\b`, 'gi'))?.length ?? 0
  const closes = html.match(new RegExp(`</${name}\\s*>`, 'gi'))?.length ?? 0
  return opens <= closes
}

/** The index of the sibling html node that closes `<name>` opened at `index`, counting nested ones. */
function findCloser(siblings: RootContent[], index: number, name: string): number | undefined {
  let depth = 0
  for (let at = index + 1; at < siblings.length; at++) {
    const sibling = siblings[at]
    if (sibling.type !== 'html') continue
    const value = sibling.value.trim().toLowerCase()
    if (value.startsWith(`</${name}`)) {
      if (depth === 0) return at
      depth--
    } else if (new RegExp(`^<${name}\\b`).test(value) && !balanced(value, name)) depth++
  }
  return undefined
}

/** hast of raw HTML as mdast: elements as `htmlElement`, images as `image`, text as text. */
function toMdast(node: HastNodes, block = false, position?: Html['position']): RootContent[] {
  if (node.type === 'text') return block && node.value.trim() === '' ? [] : [{type: 'text', value: node.value}]
  if (node.type !== 'element') return []
  if (node.tagName === 'img') {
    const {src, alt, title, ...rest} = node.properties
    const image: Image = {
      type: 'image',
      url: String(src ?? ''),
      alt: String(alt ?? ''),
      title: title ? String(title) : null
    }
    if (Object.keys(rest).length > 0) image.data = {hProperties: properties({...node, properties: rest})}
    // Messages about the image (missing, remote) point at the raw HTML it came from.
    if (position) image.position = structuredClone(position)
    return [image]
  }
  const children = node.children.flatMap((child) => toMdast(child as HastNodes, false, position))
  return [elementNode(node.tagName, properties(node), children, position)]
}

/**
 * A kept element as mdast: `<a href>` is a link, which the book's link rules check and resolve (a link to a
 * chapter, an anchor, a missing file); any other element an `htmlElement`.
 */
function elementNode(
  tagName: string,
  props: HtmlElement['properties'],
  children: RootContent[],
  position: Html['position']
): HtmlElement | Link {
  if (tagName === 'a' && typeof props.href === 'string') {
    const {href, title, ...rest} = props
    const link: Link = {
      type: 'link',
      url: href,
      title: typeof title === 'string' ? title : null,
      children: children as Link['children']
    }
    if (Object.keys(rest).length > 0) link.data = {hProperties: rest}
    // The book-wide link check reports at a link's place.
    if (position) link.position = structuredClone(position)
    return link
  }
  const element: HtmlElement = {type: 'htmlElement', tagName, properties: props, children}
  // A message about the element (one in a scrolly section, say) points at the raw HTML it came from.
  if (position) element.position = structuredClone(position)
  return element
}

function report(file: VFile, node: Html, why: string, script: boolean): void {
  warnAt(file, node.position, why, script)
}

function warnAt(file: VFile, place: Html['position'], why: string, script: boolean): void {
  warn(
    file,
    `Unexpected raw HTML: ${why}, expected Markdown or an element and attributes the books keep (it is shown as text, never run)`,
    place,
    script ? 'raw-html-script' : 'raw-html',
    source
  )
}

/** Show the html node as its text: in place when inline, as a paragraph among blocks. */
function asText(parent: Parents, index: number, node: Html, inline: boolean): typeof SKIP {
  const replacement: Text = {type: 'text', value: node.value, position: node.position}
  parent.children[index] = (
    inline ? replacement : {type: 'paragraph', children: [replacement], position: node.position}
  ) as never
  return SKIP
}
