/**
 * The pages' serializer (pipeline/html.ts) writes what rehype-stringify
 * writes, byte for byte: on trees made to reach every branch, on the HTML of
 * every CommonMark spec example, and on every file of whole books built both
 * ways (`TWOFOLD_HTML=rehype-stringify` makes rehype-stringify write them).
 */
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import os from 'node:os'
import path from 'node:path'
import type {Nodes, Root} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import type {Options} from 'hast-util-to-html'
import {h, s} from 'hastscript'
import rehypeStringify from 'rehype-stringify'
import {unified} from 'unified'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {htmlSerializer} from '../pipeline/render/html.js'
import {writeSyntheticBook} from '../scripts/synth-book.js'
import {runCli} from './helpers/cli.js'
import {root} from './helpers/fixture-book.js'

const spec = createRequire(import.meta.url)('commonmark-spec') as {tests: Array<{html: string; number: number}>}

/** The targets' settings (web, EPUB), and others the serializer does itself. */
const settings: Array<[string, Options]> = [
  ['web (defaults)', {}],
  ['EPUB', {closeSelfClosing: true, collapseEmptyAttributes: false, characterReferences: {useNamedReferences: false}, tightSelfClosing: false, allowDangerousHtml: false}],
  ['tight self-closing', {closeSelfClosing: true, tightSelfClosing: true}],
  ['closed empty SVG elements', {closeEmptyElements: true}],
  ['collapsed empty attributes', {collapseEmptyAttributes: true}],
  ['dangerous HTML', {allowDangerousHtml: true}],
  ['named references', {characterReferences: {useNamedReferences: true}}],
  ['shortest references', {characterReferences: {useShortestReferences: true}}],
  ['SVG space', {space: 'svg'}],
  ['fewer voids', {voids: ['br']}],
  ['truthy values that are not `true`', {closeSelfClosing: 1, collapseEmptyAttributes: 1, closeEmptyElements: 'yes', voids: false, characterReferences: null} as unknown as Options]
]

/** Trees that reach each branch of hast-util-to-html. */
const edges: Array<[string, Nodes]> = [
  [
    'attributes of every kind',
    h('div', {
      className: ['a', 'b'],
      id: 'x"y\'z&`<>\u0000',
      hidden: true,
      download: '',
      accept: ['image/png', 'image/jpeg'],
      coords: [1, 2, 3],
      tabIndex: 0,
      width: Number.NaN,
      dataFooBar: 'baz',
      ariaLabel: '',
      title: '',
      alt: null,
      checked: false,
      allowFullScreen: 'allowfullscreen',
      'weird name': 'v',
      'x=y': '1'
    })
  ],
  ['an empty class list', h('p', {className: []})],
  ['void elements, empty and not', h('div', [h('br'), h('img', {src: 'a.png', alt: ''}), h('hr', {className: ['x']}), {type: 'element', tagName: 'br', properties: {}, children: [{type: 'text', value: 'in a void'}]}])],
  ['an upper-case void', {type: 'element', tagName: 'BR', properties: {}, children: []}],
  [
    'SVG with an HTML integration point',
    h('figure', [
      s('svg', {viewBox: '0 0 10 10', xmlns: 'http://www.w3.org/2000/svg', xLinkHref: '#a', strokeWidth: 2}, [
        s('title', [h('b', 'bold'), h('br')]),
        s('path', {d: 'M0 0L10 10'}),
        s('g', {transform: 'scale(2)'}, [s('circle', {cx: 1, cy: 1, r: 1}), s('use', {xLinkHref: '#b'})]),
        s('foreignObject', [h('p', [h('img', {src: 'x'})])])
      ])
    ])
  ],
  ['text to encode', h('p', ['a < b & c > d "e" \'f\' `g` \u0000 \u00a0 é 😀'])],
  ['script and style text', h('div', [h('script', 'if (a < b && c) {}'), h('style', 'a > b { content: "&" }'), h('textarea', 'a < b')])],
  [
    'comments, doctype, raw',
    {
      type: 'root',
      children: [
        {type: 'doctype'},
        {type: 'comment', value: '>x'},
        {type: 'comment', value: '->y'},
        {type: 'comment', value: 'a <!-- b --> c --!> d <!-'},
        {type: 'raw', value: '<b>raw</b> & more'},
        h('script', [{type: 'raw', value: 'a < b'}])
      ]
    } as Root
  ],
  ['a template', {type: 'element', tagName: 'template', properties: {}, children: [], content: {type: 'root', children: [h('p', 'in a template'), h('br')]}} as Nodes],
  ['a fragment of text', {type: 'text', value: 'a & b'}],
  ['a template with children but no content', {type: 'element', tagName: 'template', properties: {}, children: [h('p', 'x')]} as Nodes],
  ['nodes without children', {type: 'root', children: [{type: 'element', tagName: 'p', properties: {}}, {type: 'element', tagName: 'br', properties: {}}, h('div', [{type: 'element', tagName: 'svg', properties: {}} as unknown as Nodes])]} as unknown as Nodes],
  ['empty-valued and falsy attributes', h('img', {src: '', alt: '', width: 0, hidden: false, title: undefined})],
  ['an element alone', h('span', {lang: 'pt'}, 'olá')]
]

const reference = (options: Options) => unified().use(rehypeStringify, options)

describe('htmlSerializer', () => {
  for (const [name, options] of settings) {
    it(`writes what rehype-stringify writes, with ${name} settings, on trees that reach every branch`, () => {
      const fast = htmlSerializer(options)
      const slow = reference(options)
      for (const [, tree] of edges) expect(fast(tree)).toBe(slow.stringify(tree as Root))
    })
  }

  it(`writes what rehype-stringify writes on the HTML of all ${spec.tests.length} CommonMark spec examples`, () => {
    for (const [, options] of settings) {
      const fast = htmlSerializer(options)
      const slow = reference(options)
      for (const example of spec.tests) {
        const tree = fromHtml(example.html, {fragment: true})
        expect(fast(tree), `example ${example.number}`).toBe(slow.stringify(tree))
      }
    }
  })

  it('leaves settings it does not do to rehype-stringify', () => {
    const tree = h('p', [h('br'), 'a "b"'])
    for (const [, options] of settings) expect(htmlSerializer(options).by).toBe('twofold')
    for (const options of [{omitOptionalTags: true}, {quote: "'" as const}, {upperDoctype: true}, {characterReferences: {omitOptionalSemicolons: true}}, {preferUnquoted: true}]) {
      const serializer = htmlSerializer(options)
      expect(serializer.by).toBe('rehype-stringify')
      expect(serializer(tree)).toBe(reference(options).stringify({type: 'root', children: [tree]}))
    }
  })

  it('is rehype-stringify with TWOFOLD_HTML=rehype-stringify (the books below are built both ways with it)', () => {
    const before = process.env.TWOFOLD_HTML
    process.env.TWOFOLD_HTML = 'rehype-stringify'
    try {
      expect(htmlSerializer({}).by).toBe('rehype-stringify')
    } finally {
      if (before === undefined) delete process.env.TWOFOLD_HTML
      else process.env.TWOFOLD_HTML = before
    }
  })
})

describe('books built with the serializer and with rehype-stringify', () => {
  let work = ''
  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-html-'))
    await writeSyntheticBook({chapters: 9, out: path.join(work, 'synthetic'), words: 600, scrollyEvery: 3})
  })
  afterAll(async () => {
    if (work) await fs.rm(work, {recursive: true, force: true})
  })

  /** Every file under `dir`, by path relative to it. */
  async function files(dir: string): Promise<Map<string, Buffer>> {
    const found = new Map<string, Buffer>()
    for (const entry of await fs.readdir(dir, {recursive: true, withFileTypes: true})) {
      if (!entry.isFile()) continue
      const file = path.join(entry.parentPath, entry.name)
      found.set(path.relative(dir, file), await fs.readFile(file))
    }
    return found
  }

  const books: Array<[string, string]> = [
    ['the story', path.join(root, 'chapters')],
    ['the basic fixture book', path.join(root, 'tests/fixtures/books/basic')],
    ['the layouts fixture book', path.join(root, 'tests/fixtures/books/layouts')],
    ['a synthetic book', 'synthetic']
  ]
  for (const [name, given] of books) {
    it(`are the same, byte for byte: ${name}`, async () => {
      const dir = path.resolve(work, given)
      const outputs: Array<Map<string, Buffer>> = []
      for (const [out, env] of [
        ['fast', {}],
        ['reference', {TWOFOLD_HTML: 'rehype-stringify'}]
      ] as const) {
        const target = path.join(work, `${path.basename(dir)}-${out}`)
        const result = await runCli(['build', dir, '--out', target, '--no-cache'], root, {SOURCE_DATE_EPOCH: '1700000000', ...env})
        expect(result.code, result.stderr).toBe(0)
        outputs.push(await files(target))
      }
      const [fast, slow] = outputs as [Map<string, Buffer>, Map<string, Buffer>]
      expect([...fast.keys()].sort()).toEqual([...slow.keys()].sort())
      expect(fast.size).toBeGreaterThan(5)
      for (const [file, bytes] of slow) expect(fast.get(file)?.equals(bytes), file).toBe(true)
    })
  }
})
