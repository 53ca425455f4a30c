/**
 * remark plugin: content the targets cannot pass through safely. Raw HTML is
 * never passed through (it becomes visible text, with a warning); characters
 * XML forbids are removed with a warning; directives no plugin handled are
 * reported (block ones are errors, inline ones turn back into their text);
 * unclosed container directives are errors; a chapter over
 * `largeChapterBytes` gets a warning to split it.
 */
import type {Root, Text} from 'mdast'
import {SKIP} from 'unist-util-visit'
import type {VFile} from 'vfile'
import {error, pointAt, warn} from '../messages.js'
import {visit} from '../tree.js'

const source = 'remark-content-checks'
// Characters that XML 1.0 forbids (C0 controls but tab/LF/CR, DEL-range C1 are allowed but discouraged; lone surrogates, U+FFFE/FFFF).
const forbidden =
  /[\u0000-\u0008\u000B\u000C\u000E-\u001F\uFFFE\uFFFF]|[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g

/**
 * Chapters larger than this, in bytes of UTF-8, get a `chapter-too-large`
 * warning (and still build). Parsing prose grows with its length, but
 * micromark's time and memory grow faster than that in a long list or block
 * quote: a chapter that is one list of 2 MB takes about three times as long
 * to parse as one of 1 MB, and twice the memory (some 700 MB), and on a
 * small machine past 1 MB a chapter takes seconds. Chapters of a book are
 * rarely over 100 KB, so 1 MB leaves room and catches a file that holds
 * several chapters or a pasted data dump.
 */
export const largeChapterBytes = 1024 * 1024

/** Options of `remarkContentChecks`. */
export interface Options {
  /** Directive names other plugins handle (they must have run before). */
  known?: string[]
}

/** Check raw HTML, forbidden characters, unknown and unclosed directives. */
export function remarkContentChecks(options: Options = {}) {
  const known = new Set(options.known ?? [])
  return (tree: Root, file: VFile) => {
    const text = String(file.value)
    checkSize(file, text)

    for (const match of text.matchAll(forbidden)) {
      const code = match[0].codePointAt(0) ?? 0
      warn(
        file,
        // The Markdown parser turns NUL into U+FFFD, as CommonMark says; every other forbidden character is removed.
        `Unexpected character U+${code.toString(16).toUpperCase().padStart(4, '0')} that XML forbids, expected printable text (${code === 0 ? 'it becomes U+FFFD, as CommonMark says' : 'it is removed'})`,
        pointAt(file, match.index ?? 0),
        'forbidden-character',
        source
      )
    }

    // Character references to forbidden characters: micromark turns them into U+FFFD, which must not pass silently.
    for (const match of text.matchAll(/&#(?:[xX]([\da-fA-F]{1,8})|(\d{1,9}));/g)) {
      const code = match[1] ? Number.parseInt(match[1], 16) : Number(match[2])
      if (
        code === 0 ||
        (code < 0x20 && code !== 0x09 && code !== 0x0a && code !== 0x0d) ||
        (code >= 0xd800 && code <= 0xdfff) ||
        code === 0xfffe ||
        code === 0xffff ||
        code > 0x10ffff
      ) {
        warn(
          file,
          `Unexpected character reference \`${match[0]}\` to a character XML forbids, expected printable text (it becomes U+FFFD)`,
          pointAt(file, match.index ?? 0),
          'forbidden-character',
          source
        )
      }
    }

    visit(tree, (node, index, parent) => {
      if ((node.type === 'text' || node.type === 'inlineCode' || node.type === 'code') && forbidden.test(node.value)) {
        forbidden.lastIndex = 0
        // Characters that arrived through character references (`&#1;`) are not in the raw text.
        // (Text without a place, split off by autolink literals, cannot be told apart: its literal characters were reported above.)
        if (
          node.position &&
          !forbidden.test(text.slice(node.position.start.offset ?? 0, node.position.end.offset ?? 0))
        ) {
          warn(
            file,
            'Unexpected character reference to a character XML forbids, expected printable text (it is removed)',
            node,
            'forbidden-character',
            source
          )
        }
        forbidden.lastIndex = 0
        node.value = node.value.replace(forbidden, '')
      }
      forbidden.lastIndex = 0

      if (node.type === 'html' && parent && index !== undefined) {
        if (/^\s*<!--[\s\S]*-->\s*$/.test(node.value)) {
          // An HTML comment is an author's note: not part of either book.
          parent.children.splice(index, 1)
          return [SKIP, index]
        }
        const script = /<script\b/i.test(node.value)
        warn(
          file,
          `Unexpected raw HTML${script ? ' with a `<script>`' : ''}, expected Markdown (it is shown as text, never run)`,
          node,
          script ? 'raw-html-script' : 'raw-html',
          source
        )
        const replacement: Text = {
          type: 'text',
          value: node.value,
          position: node.position
        }
        const inline =
          parent.type === 'paragraph' ||
          parent.type === 'emphasis' ||
          parent.type === 'strong' ||
          parent.type === 'link' ||
          parent.type === 'heading' ||
          parent.type === 'tableCell' ||
          parent.type === 'delete' ||
          parent.type === 'linkReference'
        parent.children[index] = (
          inline
            ? replacement
            : {
                type: 'paragraph',
                children: [replacement],
                position: node.position
              }
        ) as never
        return SKIP
      }

      if ((node.type === 'containerDirective' || node.type === 'leafDirective') && !known.has(node.name)) {
        const colons = node.type === 'leafDirective' ? '::' : ':::'
        error(
          file,
          `Unexpected unknown directive \`${colons}${node.name}\`, expected one of ${[...known].map((k) => `\`${k}\``).join(', ')}`,
          node,
          'unknown-directive',
          source
        )
        return SKIP
      }
      if (node.type === 'textDirective' && !known.has(node.name) && parent && index !== undefined) {
        const start = node.position?.start.offset
        const end = node.position?.end.offset
        const literal = start !== undefined && end !== undefined ? text.slice(start, end) : `:${node.name}`
        // A bare `:name` (as in `10:30` or `Note:this`) is ordinary text; one with a label or attributes was meant as a directive.
        if (/^:[^\s]*[[{]/.test(literal)) {
          warn(
            file,
            `Unexpected text directive \`:${node.name}\`, expected one of ${[...known].map((k) => `\`${k}\``).join(', ')} (kept as written; escape the colon as \`\\:\` to silence this)`,
            node,
            'unknown-directive',
            source
          )
        }
        parent.children[index] = {
          type: 'text',
          value: literal,
          position: node.position
        } as never
        return SKIP
      }
      if (node.type === 'containerDirective' && node.position) {
        const last = text.slice(node.position.start.offset, node.position.end.offset).trimEnd().split('\n').pop() ?? ''
        const open = /^\s*(:{3,})/.exec(text.slice(node.position.start.offset))?.[1].length ?? 3
        const close = /^\s*(:{3,})\s*$/.exec(last)?.[1].length ?? 0
        if (close < open || node.position.start.line === node.position.end.line) {
          error(
            file,
            `Unclosed directive \`${':'.repeat(open)}${node.name}\`, expected a closing \`${':'.repeat(open)}\` line`,
            node.position.start,
            'unclosed-directive',
            source
          )
        }
      }
    })
  }
}

/** Warn about a chapter over `largeChapterBytes`, at the line where it passes the limit. */
function checkSize(file: VFile, text: string): void {
  // Each UTF-16 code unit is at most 3 bytes of UTF-8.
  if (text.length * 3 <= largeChapterBytes) return
  const bytes = Buffer.from(text)
  if (bytes.length <= largeChapterBytes) return
  // The text up to the limit (a character cut in two there becomes one U+FFFD: the line is the same).
  const offset = bytes.subarray(0, largeChapterBytes).toString('utf8').length
  const line = pointAt(file, offset)?.line ?? 1
  // Rounded up, so that a chapter just over the limit does not read as 1.0 MB.
  const size = (Math.ceil((bytes.length / largeChapterBytes) * 10) / 10).toFixed(1)
  warn(
    file,
    `Unexpected chapter of ${size} MB, expected at most 1 MB (it passes 1 MB on this line): split it into several chapters`,
    {line, column: 1},
    'chapter-too-large',
    source
  )
}
