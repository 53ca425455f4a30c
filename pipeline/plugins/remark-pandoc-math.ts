/**
 * remark plugin: inline math with one `$`, read by Pandoc's rules rather than
 * remark-math's (which reads it like a code span), so that prose with prices
 * reads as Pandoc reads it. remark-math keeps `$$…$$` and display math; this
 * construct makes the same `inlineMath` nodes (through mdast-util-math).
 *
 * Pandoc's rules (`tex_math_dollars`):
 * - the opening `$` is followed by a character other than white space;
 * - the closing `$` follows a character other than white space, and no digit
 *   follows it: `$20,000 and $30,000` is no math, and `*a lot*` between them
 *   is emphasis;
 * - a backslash escapes the next character, so `\$` inside is a dollar of
 *   the TeX, and `\text{…}` may hold `$` in balanced braces;
 * - a `$` that opens no math is a literal dollar, and reading goes on after
 *   it (the next `$` may open math).
 */
import type {Code, Construct, Effects, State, TokenizeContext} from 'micromark-util-types'
import type {Processor} from 'unified'

declare module 'micromark-util-types' {
  // The tokens of micromark-extension-math (remark-math's), which mdast-util-math turns into `inlineMath`.
  interface TokenTypeMap {
    mathText: 'mathText'
    mathTextData: 'mathTextData'
    mathTextSequence: 'mathTextSequence'
  }
}

const dollar = 36
const backslash = 92
const braceOpen = 123
const braceClose = 125

// micromark's codes: -5, -4 and -3 end lines; -2 is a tab, -1 a tab's virtual space, 32 a space.
const lineEnding = (code: Code) => code !== null && code < -2
const space = (code: Code) => code === -2 || code === -1 || code === 32
const digit = (code: Code) => code !== null && code >= 48 && code <= 57
const letter = (code: Code) => code !== null && ((code >= 65 && code <= 90) || (code >= 97 && code <= 122))

const pandocMathText: Construct = {name: 'pandocMathText', tokenize, previous, add: 'before'}

/** Read `$x$` by Pandoc's rules. Use with `remark-math` told `singleDollarTextMath: false`. */
export function remarkPandocMath(this: Processor) {
  ;(this.data().micromarkExtensions ??= []).push({text: {[dollar]: pandocMathText}})
}

/** Not inside a run of dollars (`$$`), unless the one before was escaped. */
function previous(this: TokenizeContext, code: Code): boolean {
  return code !== dollar || this.events[this.events.length - 1]?.[1].type === 'characterEscape'
}

function tokenize(this: TokenizeContext, effects: Effects, ok: State, nok: State): State {
  let depth = 0
  let name = ''
  return start

  function start(code: Code): State | undefined {
    effects.enter('mathText')
    effects.enter('mathTextSequence')
    effects.consume(code)
    effects.exit('mathTextSequence')
    return open
  }

  /** After the opening `$`: white space, the end, or a second `$` (display math's) make it no math. */
  function open(code: Code): State | undefined {
    if (code === null || code === dollar || space(code) || lineEnding(code)) return nok(code)
    effects.enter('mathTextData')
    return inside(code)
  }

  /** In the TeX, the data token open. */
  function inside(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (code === dollar) {
      effects.exit('mathTextData')
      effects.enter('mathTextSequence')
      effects.consume(code)
      effects.exit('mathTextSequence')
      return close
    }
    if (lineEnding(code)) return eol(code, afterSpace)
    if (space(code)) {
      effects.consume(code)
      return inSpace
    }
    if (code === backslash) {
      effects.consume(code)
      name = ''
      return command
    }
    effects.consume(code)
    return inside
  }

  /** In white space: no `$` may close right after it. */
  function inSpace(code: Code): State | undefined {
    if (space(code)) {
      effects.consume(code)
      return inSpace
    }
    if (lineEnding(code)) return eol(code, afterSpace)
    return afterSpace(code)
  }

  function afterSpace(code: Code): State | undefined {
    if (code === null || code === dollar || lineEnding(code)) return nok(code)
    return inside(code)
  }

  /** After a backslash: `\text{…}` holds anything in balanced braces; otherwise the next character is the TeX's. */
  function command(code: Code): State | undefined {
    if (name === '' && (code === null || lineEnding(code))) return inside(code)
    if (letter(code)) {
      name += String.fromCharCode(code as number)
      effects.consume(code)
      return command
    }
    if (name === 'text' && code === braceOpen) {
      effects.consume(code)
      depth = 1
      return braces
    }
    if (name !== '') return inside(code)
    effects.consume(code)
    return inside
  }

  function braces(code: Code): State | undefined {
    if (code === null) return nok(code)
    if (lineEnding(code)) return eol(code, braces)
    if (code === backslash) {
      effects.consume(code)
      return escapedInBraces
    }
    if (code === braceOpen) depth++
    if (code === braceClose) depth--
    effects.consume(code)
    return depth === 0 ? inside : braces
  }

  function escapedInBraces(code: Code): State | undefined {
    if (code === null || lineEnding(code)) return braces(code)
    effects.consume(code)
    return braces
  }

  /** A line ending in the TeX: its own token, as micromark wants, then the data goes on with `next`. */
  function eol(code: Code, next: State): State | undefined {
    effects.exit('mathTextData')
    effects.enter('lineEnding')
    effects.consume(code)
    effects.exit('lineEnding')
    return (after: Code) => {
      effects.enter('mathTextData')
      return next(after)
    }
  }

  /** After the closing `$`: a digit makes the whole no math (`$5 and $10`). */
  function close(code: Code): State | undefined {
    if (digit(code)) return nok(code)
    effects.exit('mathText')
    return ok(code)
  }
}
