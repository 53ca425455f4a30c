/**
 * remark plugin: typographic punctuation, exactly as `remark-smartypants`
 * (3.x, with its defaults) makes it, without its cost. remark-smartypants
 * joins the chapter's text into one string and parses it with retext to
 * decide each straight quote, then parses every text node again for dashes
 * and ellipses: two natural-language parses of the whole book. This plugin
 * decides from the characters around each quote, in one pass over the same
 * string, wherever the outcome does not depend on how retext would split
 * the text into sentences and words; for the rest (rare: `'s` after a
 * space, `...word`, spaced ellipses `. . .`, characters outside the tables
 * below) it hands the chapter to remark-smartypants itself, so the output is
 * always the same.
 *
 * What changes, in text nodes only (inline code, code and raw HTML keep
 * their characters, but inline code counts, as letters, for the quotes
 * around it):
 * - straight quotes `"` and `'` become curly (`“ ” ‘ ’`), opening or
 *   closing by what surrounds them (a quote doubled, `''`, is left alone);
 * - `--` becomes an em dash `—` (`---` is left alone), three or more dots
 *   `...` an ellipsis `…`, ``` `` ``` and `''` curly double quotes.
 *
 * The rules below follow retext-smartypants 6 on parse-latin 7: a quote is
 * closing when it follows a letter or digit, or is followed by white space
 * or the end of the text; opening when it follows white space or an
 * opening bracket or dash and precedes a word, unless that word is a
 * decade (`'80s`); after or before other punctuation, by what follows
 * that punctuation. `tests/smart-punctuation.test.ts` compares the two on
 * the story, the CommonMark examples and generated text.
 */
import type {Nodes, Root} from 'mdast'
import remarkSmartypants from 'remark-smartypants'
import {unified} from 'unified'

// parse-latin's white space, verbatim.
const whiteSpace = /[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]/
// Characters parse-latin counts as word characters: ASCII letters and digits, and the Latin, Greek and Cyrillic ranges
// of its `word` expression (a subset: the rest is unknown here, and falls back).
const wordCharacter =
  // biome-ignore lint/suspicious/noMisleadingCharacterClass: the class lists UTF-16 code units one by one, combining marks among them, as parse-latin does.
  /[\dA-Za-z\u00AA\u00B2\u00B3\u00B5\u00B9\u00BA\u00BC-\u00BE\u00C0-\u00D6\u00D8-\u00F6\u00F8-\u02C1\u02C6-\u02D1\u02E0-\u02E4\u02EC\u02EE\u0300-\u0374\u0376\u0377\u037A-\u037D\u037F\u0386\u0388-\u038A\u038C\u038E-\u03A1\u03A3-\u03F5\u03F7-\u0481\u0483-\u052F]/
// Punctuation and symbols parse-latin never counts as word characters: ASCII, Latin-1, General Punctuation.
const otherCharacter =
  /[!-/:-@[-`{-~\u00A1-\u00A9\u00AB-\u00B1\u00B4\u00B6-\u00B8\u00BB\u00BF\u00D7\u00F7\u2010-\u2027\u2030-\u205E]/
// Before a quote and a word, these leave the quote opening: retext never merges them into words or sentences.
const openers = new Set(['(', '[', '{', '\u2013', '\u2014', '\u201C'])

type Kind = 'space' | 'word' | 'other' | 'unknown'
/** How retext-smartypants turns a straight quote: opening, closing, or (`unsure`) it depends on retext's sentences. */
export type Quote = 'open' | 'close' | 'unsure'

function kind(char: string | undefined): Kind {
  if (char === undefined) return 'space'
  if (whiteSpace.test(char)) return 'space'
  if (wordCharacter.test(char)) return 'word'
  if (otherCharacter.test(char)) return 'other'
  return 'unknown'
}

/** Whether a straight quote at `index` of `text` opens or closes, as retext-smartypants decides, or `Unsure`. */
export function quoteAt(text: string, index: number): Quote {
  const quote = text[index]
  const before = index > 0 ? text[index - 1] : undefined
  const after = text[index + 1]
  const next = kind(after)
  if (next === 'unknown') return 'unsure'
  // Followed by white space or the end: the next node is white space or nothing.
  if (next === 'space') return 'close'
  if (next === 'word') {
    // Between two words (`it's`): closing, whatever the word.
    if (before !== undefined && kind(before) === 'word') return 'close'
    let end = index + 1
    while (end < text.length && kind(text[end]) === 'word') end++
    const word = text.slice(index + 1, end)
    // A decade (`'80s`) closes, but only if retext's word is exactly that; `'s` depends on sentence breaks.
    if (/^\d\ds$/.test(word)) return end === text.length || kind(text[end]) === 'space' ? 'close' : 'unsure'
    if (quote === "'" && word === 's') return 'unsure'
    if (before !== undefined && (kind(before) === 'space' || openers.has(before))) return 'open'
    return 'unsure'
  }
  // Followed by punctuation: closing unless a word follows that punctuation (then it depends), or it is the other quote.
  if (after === '"' || after === "'") return 'unsure'
  let end = index + 1
  while (end < text.length && text[end] === after) end++
  const then = text[end]
  const following = kind(then)
  if (following === 'space') return 'close'
  if (following === 'other' && then !== '&' && then !== '.') return 'close'
  return 'unsure'
}

/** Curly quotes, dashes and ellipses in text (see the module comment). */
export function remarkSmartPunctuation() {
  // The original, for the text this plugin cannot decide.
  const original = unified().use(remarkSmartypants)
  const exact = (tree: Root) => {
    original.runSync(tree)
  }
  return (tree: Root): undefined => {
    // The text as remark-smartypants joins it: a space before each paragraph, heading and table cell, inline code as letters.
    const parts: string[] = []
    const texts: Array<{node: {value: string}; start: number}> = []
    let length = 0
    const walk = (node: Nodes) => {
      if (!('children' in node)) return
      for (const child of node.children as Nodes[]) {
        if (child.type === 'text') {
          texts.push({node: child, start: length})
          parts.push(child.value)
          length += child.value.length
        } else if (child.type === 'inlineCode') {
          parts.push('A'.repeat(child.value.length))
          length += child.value.length
        } else if (child.type === 'paragraph' || child.type === 'heading' || child.type === 'tableCell') {
          parts.push(' ')
          length += 1
        }
        walk(child)
      }
    }
    walk(tree)
    const text = parts.join('')

    // Pass one: quotes, on the whole text.
    let quoted = text
    if (text.includes('"') || text.includes("'")) {
      const chars = text.split('')
      for (let index = 0; index < text.length; index++) {
        const char = text[index]
        if ((char !== '"' && char !== "'") || text[index - 1] === char || text[index + 1] === char) continue
        const decision = quoteAt(text, index)
        if (decision === 'unsure') {
          exact(tree)
          return
        }
        chars[index] =
          char === '"' ? (decision === 'open' ? '\u201C' : '\u201D') : decision === 'open' ? '\u2018' : '\u2019'
      }
      quoted = chars.join('')
    }

    // Pass two: dashes, ellipses and doubled quotes, per text node. Spaced ellipses (`. . .`) and a backtick pair
    // before an astral character are left to retext.
    const values: string[] = []
    for (const {node, start} of texts) {
      const value = quoted.slice(start, start + node.value.length)
      if (
        /\.[\t-\r \u0085\u00A0\u1680\u2000-\u200A\u2028\u2029\u202F\u205F\u3000]+\./.test(value) ||
        /`[\uD800-\uDFFF]/.test(value)
      ) {
        exact(tree)
        return
      }
      values.push(
        value.replace(/-+|\.+|`+|'+/g, (run) =>
          run === '--'
            ? '\u2014'
            : run === '``'
              ? '\u201C'
              : run === "''"
                ? '\u201D'
                : run[0] === '.' && run.length >= 3
                  ? '\u2026'
                  : run
        )
      )
    }
    texts.forEach(({node}, index) => {
      node.value = values[index]!
    })
  }
}
