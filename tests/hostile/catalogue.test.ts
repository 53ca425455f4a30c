/**
 * The hostile-input catalogue: books written as an attacker or an unlucky
 * author would write them, each built with the real command. Every case
 * asserts the exit code and each message's rule and place. A build that
 * succeeds must carry nothing of the hostile content in any file it wrote
 * (web story, or any entry of the EPUB), and its EPUB must pass epubcheck
 * (run for all cases at the end, two at a time). A build that fails must
 * leave the output directory, holding a good earlier build, byte for byte.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {runCli} from '../helpers/cli.js'
import {treeHash} from '../helpers/tree-hash.js'
import {
  basicBook,
  epubcheckAll,
  filesHolding,
  fixtures,
  goodBuild,
  type PrintedMessage,
  printedMessages,
  writtenFiles
} from './helpers.js'

const run = promisify(execFile)
const env = {SOURCE_DATE_EPOCH: '1700000000', TWOFOLD_CACHE: '0'}

/** A message a case expects: rule, file (relative to the working directory) and, when given, line and column. */
interface Expected {
  rule: string
  file: string
  line?: number
  column?: number
  /** Words the reason must hold. */
  says?: string
}

interface HostileCase {
  name: string
  /** Spoil `book` (a copy of the basic fixture book, in `work`). */
  setup: (book: string, work: string) => Promise<void>
  code: number
  /** Every message printed, in any order (no other message may be printed). */
  messages: Expected[] | ((work: string) => Promise<Expected[]>)
  /** What must be in no file the build wrote. */
  absent?: Array<string | RegExp>
  /** Milliseconds the command may take (default 60 s: the machine may be busy). */
  timeout?: number
}

/** Line and column (1-based) of the first `needle` in `text`. */
function at(text: string, needle: string): {line: number; column: number} {
  const index = text.indexOf(needle)
  if (index === -1) throw new Error(`No \`${needle}\` in the fixture`)
  const before = text.slice(0, index).split('\n')
  return {line: before.length, column: before.at(-1)!.length + 1}
}

const evil = await fs.readFile(path.join(fixtures, 'evil.svg'), 'utf8')

/** The warnings the sanitizer gives for evil.svg, at each element, on `file`. */
const evilPlaces: Array<[string, string, string?]> = [
  ['<svg ', 'onload'],
  ['<title>', 'U+0085', 'forbidden-character'],
  ['<script>', '<script>'],
  ['<style>', '<style>'],
  ['<foreignObject', '<foreignObject>'],
  ['<a xlink', 'javascript:'],
  ['<rect width="10"', 'http://evil.example/fill'],
  ['<image href="http', 'http://evil.example/track.png'],
  ['<image href="data', 'data:image/svg+xml'],
  ['<use href', 'http://evil.example/sprite.svg'],
  ['<rect class="tf-accent" x="1"', 'onclick'],
  ['<rect class="tf-accent" x="1"', '`style`'],
  ['<set', '<set>'],
  ['<html:script', '<html:script>'],
  ['<feImage', 'http://evil.example/feimage.png']
]

/** What of evil.svg must reach no reader: its payloads' own words. */
const evilPayloads = [
  'svg-onload',
  'svg-script',
  'svg-link',
  'svg-click',
  'svg-set',
  'svg-namespaced',
  'evil.example',
  'PHN2Zz48',
  'foreignObject',
  'DOCTYPE svg',
  '@import',
  '\u0085'
]

const invalid = await fs.readFile(path.join(fixtures, 'invalid.svg'), 'utf8')

/** The warnings the sanitizer gives for invalid.svg, which draws in a browser but breaks the EPUB's SVG schema: at each element, and what the warning names. */
const invalidPlaces: Array<[string, string]> = [
  ['<path fill', 'without `d`'],
  ['<rect x="1" width="10"', 'without `height`'],
  ['<circle', 'without `r`'],
  ['<polygon', 'without `points`'],
  ['<image', 'without `height`'],
  ['<stop stop-color', 'without `offset`'],
  ['<stop offset="0"', '`<stop>` inside `<g>`'],
  ['<rect x="1" y="1"', 'attribute `cx`'],
  ['<rect x="1" y="1"', 'fill-rule="sideways"'],
  ['<rect x="1" y="1"', 'id="2nd"'],
  ['<rect id="twice" x="1"', 'used once'],
  ['<rect id="twice" x="1"', 'attribute `vector-effect`'],
  ['<g>Stray', 'text `Stray words`'],
  ['<feBlend', 'without `in2`'],
  ['<fePointLight', 'second `<fePointLight>`'],
  ['<feSpecularLighting', 'without a light source']
]

/** What of invalid.svg must be in no file written. */
const invalidPayloads = [
  'Stray words',
  'fill-rule="sideways"',
  'vector-effect="non-scaling-stroke"',
  'feBlend',
  'feSpecularLighting',
  'fePointLight',
  'id="2nd"'
]

/** Raw HTML whose elements are each allowed, but not where they stand or with those values (line 9 on). */
const misplacedHtml = [
  'Text <div>block</div> inline.',
  '',
  '<span>',
  '',
  'A paragraph in a span.',
  '',
  '</span>',
  '',
  '<details>',
  '',
  'Details without a summary.',
  '',
  '</details>',
  '',
  '[one <a href="https://example.org/b">two</a>](https://example.org/a)',
  '',
  '<img src="figures/bars.svg" alt="Bars" width="50%">'
].join('\n')

const scrollyOf = (graphic: string, states: string[]) =>
  `\n::::scrolly{graphic="${graphic}"}\n${states.map((state) => `:::step{state="${state}"}\nA step [@alpha].\n:::\n`).join('\n')}::::\n`

const appendTo = (file: string, text: string) => fs.appendFile(file, text)
const setField = async (book: string, field: string, value: string) => {
  const file = path.join(book, 'book.yaml')
  const text = (await fs.readFile(file, 'utf8')).replace(new RegExp(`^${field}:.*\\n`, 'm'), '')
  await fs.writeFile(file, `${text}${field}: ${value}\n`)
}
const yamlLine = async (book: string, field: string) =>
  (await fs.readFile(path.join(book, 'book.yaml'), 'utf8')).split('\n').findIndex((l) => l.startsWith(`${field}:`)) + 1
const deepChapter = (body: string) => async (book: string) => {
  await fs.writeFile(path.join(book, '02-second.md'), `---\ntitle: Deep\n---\n\n${body}\n`)
}

const cases: HostileCase[] = [
  {
    name: 'a hand-made graphic with scripts, handlers, foreignObject, external references and CSS',
    setup: async (book) => {
      await fs.copyFile(path.join(fixtures, 'evil.svg'), path.join(book, 'figures/evil.svg'))
      await appendTo(path.join(book, '02-second.md'), scrollyOf('evil', ['one', 'two']))
    },
    code: 0,
    messages: evilPlaces.map(([element, says, rule = 'unsafe-svg']) => ({
      rule,
      file: 'book/figures/evil.svg',
      ...at(evil, element),
      says
    })),
    absent: evilPayloads
  },
  {
    name: 'the same SVG as an image in a chapter',
    setup: async (book) => {
      await fs.copyFile(path.join(fixtures, 'evil.svg'), path.join(book, 'figures/picture.svg'))
      await appendTo(path.join(book, '02-second.md'), '\n![A picture](figures/picture.svg)\n')
    },
    code: 0,
    messages: evilPlaces.map(([element, , rule = 'unsafe-svg']) => ({
      rule,
      file: 'book/02-second.md',
      line: 9,
      column: 1,
      says: `line ${at(evil, element).line}, column ${at(evil, element).column}`
    })),
    absent: evilPayloads
  },
  {
    name: 'a drawing program’s SVG: DOCTYPE, comments, metadata, SVG 1.1 and editors’ attributes go without a word',
    setup: async (book) => {
      await fs.copyFile(path.join(fixtures, 'drawn.svg'), path.join(book, 'figures/drawn.svg'))
      await fs.copyFile(path.join(fixtures, 'drawn.svg'), path.join(book, 'figures/map.svg'))
      await appendTo(path.join(book, '02-second.md'), `${scrollyOf('drawn', ['all'])}\n![A map](figures/map.svg)\n`)
    },
    code: 0,
    messages: [],
    absent: ['DOCTYPE svg', 'sodipodi', 'inkscape', 'rdf:RDF', 'enable-background', 'Created with Inkscape']
  },
  {
    name: 'a graphic epubcheck’s SVG schema refuses: required attributes missing, elements misplaced, odd values',
    setup: async (book) => {
      await fs.copyFile(path.join(fixtures, 'invalid.svg'), path.join(book, 'figures/invalid.svg'))
      await appendTo(path.join(book, '02-second.md'), scrollyOf('invalid', ['one']))
    },
    code: 0,
    messages: invalidPlaces.map(([element, says]) => ({
      rule: 'unsafe-svg',
      file: 'book/figures/invalid.svg',
      ...at(invalid, element),
      says
    })),
    absent: invalidPayloads
  },
  {
    name: 'that SVG as an image in a chapter',
    setup: async (book) => {
      await fs.copyFile(path.join(fixtures, 'invalid.svg'), path.join(book, 'figures/picture.svg'))
      await appendTo(path.join(book, '02-second.md'), '\n![A picture](figures/picture.svg)\n')
    },
    code: 0,
    messages: invalidPlaces.map(([element]) => ({
      rule: 'unsafe-svg',
      file: 'book/02-second.md',
      line: 9,
      column: 1,
      says: `line ${at(invalid, element).line}, column ${at(invalid, element).column}`
    })),
    absent: invalidPayloads
  },
  {
    name: 'raw HTML elements where HTML does not allow them, or with values XHTML refuses',
    setup: (book) => appendTo(path.join(book, '02-second.md'), `\n${misplacedHtml}\n`),
    code: 0,
    messages: [
      {rule: 'raw-html', file: 'book/02-second.md', line: 9, column: 6, says: '`<div>` inside a line of text'},
      {rule: 'raw-html', file: 'book/02-second.md', line: 11, column: 1, says: '`<span>` around blocks'},
      {rule: 'raw-html', file: 'book/02-second.md', line: 17, column: 1, says: '`<details>` without a `<summary>`'},
      {rule: 'raw-html', file: 'book/02-second.md', line: 23, column: 6, says: 'a link inside a link'},
      {rule: 'raw-html', file: 'book/02-second.md', line: 25, column: 1, says: 'width="50%"'}
    ],
    absent: [/<div>block/, /<span>\s*<p>/, /<details>\s*<p>/, /<a [^>]*>[^<]*<a /, /<img [^>]*width="50%"/]
  },
  {
    name: 'TeX whose MathML from Temml the EPUB’s MathML 3 schema refuses: \\boxed, numbered align, \\ref',
    setup: (book) =>
      appendTo(
        path.join(book, '02-second.md'),
        '\nA box $\\boxed{x}$ and a reference $\\ref{a}$.\n\n$$\n\\begin{align}a&=b\\\\c&=d\\end{align}\n$$\n'
      ),
    code: 0,
    // The reference itself is left out, with a warning: Temml's empty link is numbered only by its own CSS.
    messages: [{rule: 'math-reference', file: 'book/02-second.md', line: 9, column: 35, says: '`\\ref{a}` in math'}],
    absent: [/<mrow [^>]*displaystyle/, /<span class="tml-eqn"/, /<a [^>]*class="tml-ref"/]
  },
  {
    name: 'control characters and a noncharacter in book.yaml (title and rights)',
    setup: async (book) => {
      await setField(book, 'title', '"Less \\x01 More \\uFFFE"')
      await setField(book, 'rights', '"R \\x01"')
    },
    code: 0,
    messages: async (work) => {
      const book = path.join(work, 'book')
      const title = await yamlLine(book, 'title')
      const rights = await yamlLine(book, 'rights')
      return [
        {rule: 'forbidden-character', file: 'book/book.yaml', line: title, column: 8, says: 'U+0001'},
        {rule: 'forbidden-character', file: 'book/book.yaml', line: title, column: 8, says: 'U+FFFE'},
        {rule: 'forbidden-character', file: 'book/book.yaml', line: rights, column: 9, says: 'U+0001'}
      ]
    },
    absent: ['\u0001', '\uFFFE', '&#x1;', '&#1;']
  },
  {
    name: 'a bidirectional override in the title',
    setup: (book) => setField(book, 'title', '"Books \\u202Eevil"'),
    code: 0,
    messages: async (work) => [
      {rule: 'bidi-override', file: 'book/book.yaml', line: await yamlLine(path.join(work, 'book'), 'title'), column: 8}
    ]
  },
  {
    name: 'a control character in a reference of references.json',
    setup: async (book) => {
      const file = path.join(book, 'references.json')
      await fs.writeFile(
        file,
        (await fs.readFile(file, 'utf8')).replace('"The Alpha Book"', '"The \\u0001 Alpha Book"')
      )
    },
    code: 0,
    messages: [{rule: 'forbidden-character', file: 'book/references.json', line: 2, column: 44, says: 'U+0001'}],
    absent: ['\u0001', '&#x1;']
  },
  {
    name: 'NUL in a chapter becomes U+FFFD, as the message says',
    setup: async (book) => {
      const file = path.join(book, '02-second.md')
      await fs.writeFile(file, (await fs.readFile(file, 'utf8')).replace('A closing', 'A \u0000closing'))
    },
    code: 0,
    messages: [{rule: 'forbidden-character', file: 'book/02-second.md', line: 5, column: 3, says: 'U+FFFD'}],
    absent: ['\u0000closing']
  },
  {
    name: 'references.json that is not UTF-8 is one error, not one per citation',
    setup: (book) => fs.appendFile(path.join(book, 'references.json'), Buffer.from([0xff, 0xfe, 0x0a])),
    code: 1,
    messages: [{rule: 'invalid-encoding', file: 'book/references.json', line: 5, column: 1}]
  },
  {
    name: 'an image that is a symbolic link out of the book',
    setup: async (book, work) => {
      await fs.writeFile(path.join(work, 'secret.txt'), 'top secret outside the book')
      await fs.symlink(path.join(work, 'secret.txt'), path.join(book, 'figures/map.png'))
      await appendTo(path.join(book, '02-second.md'), '\n![A map](figures/map.png)\n')
    },
    code: 1,
    messages: [{rule: 'image-outside-book', file: 'book/02-second.md', line: 9, column: 1}]
  },
  {
    name: 'a chapter, a graphic and references.json that are links out of the book, and a chapter that is a pipe',
    setup: async (book, work) => {
      await fs.writeFile(path.join(work, 'secret.md'), '---\ntitle: Secret\n---\n\ntop secret outside the book\n')
      await fs.symlink(path.join(work, 'secret.md'), path.join(book, '03-third.md'))
      await fs.writeFile(path.join(work, 'outside.svg'), evil)
      await fs.rm(path.join(book, 'figures/bars.svg'))
      await fs.symlink(path.join(work, 'outside.svg'), path.join(book, 'figures/bars.svg'))
      await fs.rename(path.join(book, 'references.json'), path.join(work, 'references.json'))
      await fs.symlink(path.join(work, 'references.json'), path.join(book, 'references.json'))
      await run('mkfifo', [path.join(book, '04-pipe.md')])
    },
    code: 1,
    timeout: 30_000,
    messages: [
      {rule: 'file-outside-book', file: 'book/03-third.md', says: 'outside the book'},
      {rule: 'file-outside-book', file: 'book/04-pipe.md', says: 'not a regular file'},
      {rule: 'file-outside-book', file: 'book/figures/bars.svg', says: 'outside the book'},
      {rule: 'file-outside-book', file: 'book/references.json', says: 'outside the book'},
      {rule: 'invalid-graphic', file: 'book/01-first.md', line: 11, column: 1},
      {rule: 'image-outside-book', file: 'book/02-second.md', line: 7, column: 1}
    ]
  },
  {
    name: 'an image whose bytes are not the format it claims',
    setup: async (book) => {
      await fs.writeFile(path.join(book, 'figures/photo.png'), '<html><script>alert(1)</script></html>')
      await appendTo(path.join(book, '02-second.md'), '\n![A photo](figures/photo.png)\n')
    },
    code: 1,
    messages: [{rule: 'image-format', file: 'book/02-second.md', line: 9, column: 1, says: 'not a PNG'}]
  },
  {
    name: '3,000 nested block quotes',
    setup: deepChapter(`${'> '.repeat(3000)}deep`),
    code: 1,
    messages: [{rule: 'nesting-too-deep', file: 'book/02-second.md', line: 5, column: 201}]
  },
  {
    name: '2,000 nested list items',
    setup: deepChapter(`${'- '.repeat(2000)}deep`),
    code: 1,
    messages: [{rule: 'nesting-too-deep', file: 'book/02-second.md', line: 5, column: 201}]
  },
  {
    name: '50,000 nested list items (100 KB), which the parser would take minutes over',
    setup: deepChapter(`${'- '.repeat(50_000)}deep`),
    code: 1,
    messages: [{rule: 'nesting-too-deep', file: 'book/02-second.md', line: 5, column: 201}]
  },
  {
    name: '30,000 levels of nested emphasis',
    setup: deepChapter(`${'*a '.repeat(30_000)}b${' c*'.repeat(30_000)}`),
    code: 1,
    messages: [{rule: 'nesting-too-deep', file: 'book/02-second.md', line: 5, column: 301}]
  },
  {
    name: 'lists nested 400 deep by indentation',
    setup: deepChapter(Array.from({length: 400}, (_, i) => `${'  '.repeat(i)}- item`).join('\n')),
    code: 1,
    messages: [{rule: 'nesting-too-deep', file: 'book/02-second.md', line: 105, column: 201}]
  },
  ...['/dev/zero', '/dev/stdin', '../outside.csl', 'linked.csl', 'pipe.csl'].map(
    (style): HostileCase => ({
      name: `citationStyle: ${style}`,
      setup: async (book, work) => {
        await fs.writeFile(path.join(work, 'outside.csl'), '<style xmlns="http://purl.org/net/xbiblio/csl"/>')
        if (style === 'linked.csl') await fs.symlink('/dev/zero', path.join(book, 'linked.csl'))
        if (style === 'pipe.csl') await run('mkfifo', [path.join(book, 'pipe.csl')])
        await setField(book, 'citationStyle', style)
      },
      code: 1,
      timeout: 30_000,
      messages: async (work) => [
        {
          rule: 'invalid-citationStyle',
          file: 'book/book.yaml',
          line: await yamlLine(path.join(work, 'book'), 'citationStyle'),
          column: 16,
          says: style === 'pipe.csl' ? 'not a regular file' : undefined
        }
      ]
    })
  ),
  {
    name: 'an ebook name of 300 characters',
    setup: (book) => setField(book, 'ebook', 'a'.repeat(300)),
    code: 1,
    messages: async (work) => [
      {rule: 'invalid-ebook', file: 'book/book.yaml', line: await yamlLine(path.join(work, 'book'), 'ebook'), column: 8}
    ]
  }
]

describe('hostile and odd input', () => {
  let good = ''
  const epubs = new Map<string, string>()
  const works: string[] = []

  beforeAll(async () => {
    // A good build, copied under each failing case's output to show it is left byte for byte.
    const {work, out} = await goodBuild(env)
    works.push(work)
    good = out
  }, 180_000)

  afterAll(async () => {
    for (const work of works) await fs.rm(work, {recursive: true, force: true})
  })

  for (const hostile of cases) {
    it(hostile.name, async () => {
      const {work, book} = await basicBook()
      works.push(work)
      await hostile.setup(book, work)
      const out = path.join(work, 'dist')
      if (hostile.code !== 0) await fs.cp(good, out, {recursive: true})
      const before = hostile.code !== 0 ? await treeHash(out) : ''
      const started = Date.now()
      const result = await runCli(['build', 'book', '--out', 'dist', '--no-cache'], work, env)
      const took = Date.now() - started
      expect(result.stderr).not.toMatch(/internal error|^\s+at /m)
      expect(result.code, result.stderr).toBe(hostile.code)
      expect(took).toBeLessThan(hostile.timeout ?? 60_000)

      const printed = printedMessages(result.stderr)
      const expected = typeof hostile.messages === 'function' ? await hostile.messages(work) : hostile.messages
      for (const want of expected) {
        const match = printed.find((m) => matches(m, want))
        expect(match, `${JSON.stringify(want)} in\n${result.stderr}`).toBeDefined()
        printed.splice(printed.indexOf(match!), 1)
      }
      expect(printed, 'no other message').toEqual([])

      if (hostile.code !== 0) {
        expect(await treeHash(out)).toBe(before)
        return
      }
      const files = await writtenFiles(out)
      for (const needle of hostile.absent ?? []) expect(filesHolding(files, needle), String(needle)).toEqual([])
      epubs.set(hostile.name, path.join(out, (await fs.readdir(out)).find((name) => name.endsWith('.epub'))!))
    }, 120_000)
  }

  it('every EPUB built from a hostile book passes epubcheck', async () => {
    expect(epubs.size).toBe(cases.filter((c) => c.code === 0).length)
    const results = await epubcheckAll([...epubs.values()])
    for (const [name, epub] of epubs) expect(results.get(epub), name).toEqual([])
  }, 600_000)
})

function matches(message: PrintedMessage, want: Expected): boolean {
  return (
    message.rule === want.rule &&
    message.file === want.file &&
    (want.line === undefined || message.line === want.line) &&
    (want.column === undefined || message.column === want.column) &&
    (want.says === undefined || message.reason.includes(want.says))
  )
}
