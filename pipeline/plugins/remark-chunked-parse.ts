/**
 * remark plugin: parse long chapters in pieces. micromark's time grows much
 * faster than the length of a document that has lists or block quotes (a
 * 4 MB chapter takes minutes); parsing it as pieces of a few dozen KB cut at
 * places where a piece boundary cannot change the result keeps it linear.
 *
 * A cut goes before a line that starts at column 0 after a blank line, and
 * cannot continue what came before it (not a list item, block quote, table
 * row, indented line, thematic break, fence or directive fence), while no
 * fenced code, HTML block of kinds 1–5, frontmatter or container directive is
 * open. Link and footnote definitions apply to the whole document, so when
 * there are any, every piece is parsed again with the other pieces'
 * definitions after it. Positions are shifted back into the whole document,
 * so the tree is the one a single parse would give.
 *
 * Use it right after `remark-parse`.
 */
import type {Nodes, Root} from 'mdast'
import type {Processor} from 'unified'
import type {VFile} from 'vfile'

/** Options of `remarkChunkedParse`. */
export interface Options {
  /** Documents shorter than this (in UTF-16 code units) are parsed whole. Default 128 KB. */
  threshold?: number | undefined
  /** Target size of a piece. Default 32 KB. */
  chunkSize?: number | undefined
}

type Parse = (document: string, file: VFile) => Root

/** Parse long documents in pieces (see the module comment). */
export function remarkChunkedParse(this: Processor, options: Options = {}) {
  const threshold = options.threshold ?? 128 * 1024
  const chunkSize = options.chunkSize ?? 32 * 1024
  const parse = this.parser as Parse | undefined
  if (!parse) throw new Error('Expected `remark-parse` before `remarkChunkedParse`')
  this.parser = function (document: string, file: VFile): Root {
    if (document.length < threshold) return parse(document, file)
    const cuts = findCuts(document, chunkSize)
    if (cuts.length === 0) return parse(document, file)
    return parseInPieces(document, file, cuts, parse)
  } as never
}

/** A piece of the document: where it starts (offset, 1-based line) and its text. */
interface Piece {
  offset: number
  line: number
  text: string
}

/** Parse `document` cut at `cuts` (offsets of line starts) and join the trees. */
export function parseInPieces(document: string, file: VFile, cuts: Array<{offset: number; line: number}>, parse: Parse): Root {
  const pieces: Piece[] = []
  let previous = {offset: 0, line: 1}
  for (const cut of [...cuts, {offset: document.length, line: -1}]) {
    pieces.push({offset: previous.offset, line: previous.line, text: document.slice(previous.offset, cut.offset)})
    previous = cut
  }
  let trees = pieces.map((piece) => parse(piece.text, file))

  // Definitions anywhere define labels everywhere: give each piece the others'.
  const definitions: Array<{piece: number; text: string}> = []
  trees.forEach((tree, index) => {
    const stack: Nodes[] = [...tree.children]
    while (stack.length > 0) {
      const node = stack.pop()!
      if ((node.type === 'definition' || node.type === 'footnoteDefinition') && node.position) {
        definitions.push({piece: index, text: pieces[index].text.slice(node.position.start.offset, node.position.end.offset)})
      }
      if ('children' in node && node.type !== 'footnoteDefinition') stack.push(...(node.children as Nodes[]))
    }
  })
  if (definitions.length > 0) {
    trees = pieces.map((piece, index) => {
      const others = definitions.filter((d) => d.piece !== index).map((d) => d.text)
      if (others.length === 0) return trees[index]
      const tree = parse(`${piece.text}\n\n${others.join('\n\n')}\n`, file)
      const own = tree.children.filter((node) => (node.position?.start.offset ?? 0) < piece.text.length)
      // A piece that ends inside an open block (an unclosed fence) would swallow the definitions: keep its own parse.
      if (own.some((node) => (node.position?.end.offset ?? 0) > piece.text.length)) return trees[index]
      tree.children = own
      return tree
    })
  }

  const root: Root = {type: 'root', children: []}
  // micromark drops a byte order mark and counts offsets without it.
  const bom = document.charCodeAt(0) === 0xfeff ? 1 : 0
  trees.forEach((tree, index) => {
    const piece = pieces[index]
    for (const child of tree.children) {
      shift(child, index === 0 ? 0 : piece.offset - bom, piece.line - 1)
      root.children.push(child)
    }
  })
  const end = endPoint(document)
  root.position = {start: {line: 1, column: 1, offset: 0}, end}
  return root
}

/** Move the positions of `node` and its descendants by `offset` code units and `lines` lines. */
function shift(node: Nodes, offset: number, lines: number): void {
  const stack: Nodes[] = [node]
  while (stack.length > 0) {
    const current = stack.pop()!
    const position = current.position
    if (position) {
      position.start = {...position.start, line: position.start.line + lines, offset: (position.start.offset ?? 0) + offset}
      position.end = {...position.end, line: position.end.line + lines, offset: (position.end.offset ?? 0) + offset}
    }
    if ('children' in current) stack.push(...(current.children as Nodes[]))
  }
}

function endPoint(document: string): {line: number; column: number; offset: number} {
  let line = 1
  let lineStart = 0
  for (let index = 0; index < document.length; index++) {
    const code = document.charCodeAt(index)
    if (code === 10 || (code === 13 && document.charCodeAt(index + 1) !== 10)) {
      line++
      lineStart = index + 1
    }
  }
  const bom = document.charCodeAt(0) === 0xfeff ? 1 : 0
  return {line, column: document.length - lineStart + 1 - (line === 1 ? bom : 0), offset: document.length - bom}
}

const htmlStarts: Array<{start: RegExp; end: RegExp}> = [
  {start: /^ {0,3}<(?:script|pre|style|textarea)(?:\s|>|$)/i, end: /<\/(?:script|pre|style|textarea)>/i},
  {start: /^ {0,3}<!--/, end: /-->/},
  {start: /^ {0,3}<\?/, end: /\?>/},
  {start: /^ {0,3}<![A-Za-z]/, end: />/},
  {start: /^ {0,3}<!\[CDATA\[/, end: /\]\]>/}
]

/**
 * Offsets (and 1-based lines) where the document can be cut without changing
 * its parse, at least `chunkSize` apart.
 */
export function findCuts(document: string, chunkSize: number): Array<{offset: number; line: number}> {
  const cuts: Array<{offset: number; line: number}> = []
  let fence: {char: string; length: number} | undefined
  let html: RegExp | undefined
  let directives = 0
  let frontmatter = false
  let previousBlank = false
  let lastCut = 0
  let offset = 0
  let line = 0
  const pattern = /([^\r\n]*)(\r\n|\r|\n|$)/g
  while (offset < document.length) {
    pattern.lastIndex = offset
    const match = pattern.exec(document)
    if (!match) break
    const text = match[1]
    const start = offset
    offset += match[0].length
    line++
    if (match[0].length === 0) break

    if (line === 1 && /^\uFEFF?---[ \t]*$/.test(text)) {
      frontmatter = true
      continue
    }
    if (frontmatter) {
      if (/^---[ \t]*$/.test(text)) frontmatter = false
      previousBlank = false
      continue
    }
    if (html) {
      if (html.test(text)) html = undefined
      previousBlank = false
      continue
    }
    if (fence) {
      const close = /^ {0,3}(`{3,}|~{3,})[ \t]*$/.exec(text)
      if (close && close[1][0] === fence.char && close[1].length >= fence.length) fence = undefined
      previousBlank = false
      continue
    }
    const blank = /^[ \t]*$/.test(text)
    if (
      !blank &&
      previousBlank &&
      directives === 0 &&
      start - lastCut >= chunkSize &&
      /^[^\s>|:`~\-+*=_#\d<[]/.test(text)
    ) {
      cuts.push({offset: start, line})
      lastCut = start
    } else if (!blank && previousBlank && directives === 0 && start - lastCut >= chunkSize && /^#{1,6}(?:[ \t]|$)/.test(text)) {
      cuts.push({offset: start, line})
      lastCut = start
    }
    previousBlank = blank

    const open = /^ {0,3}(`{3,}|~{3,})(.*)$/.exec(text)
    if (open && !(open[1][0] === '`' && open[2].includes('`'))) {
      fence = {char: open[1][0], length: open[1].length}
      continue
    }
    const kind = htmlStarts.find((h) => h.start.test(text))
    if (kind) {
      // The end condition may be on the opening line itself.
      if (!kind.end.test(text.replace(kind.start, ''))) html = kind.end
      continue
    }
    const directive = /^ {0,3}(:{3,})(\S*)/.exec(text)
    if (directive) {
      if (directive[2] === '') directives = Math.max(0, directives - 1)
      else if (/^[A-Za-z]/.test(directive[2])) directives++
    }
  }
  return cuts
}
