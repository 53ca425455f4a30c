/**
 * Pandoc's block constructs beyond CommonMark, through the real processor
 * and the handlers both targets use: line blocks, fancy list markers and
 * example lists, `~` definitions, and the tables and raw LaTeX that are
 * shown as written, each with its warning.
 */
import type {Root as HastRoot} from 'hast'
import {toHtml} from 'hast-util-to-html'
import type {Root} from 'mdast'
import {toHast} from 'mdast-util-to-hast'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {GraphicRegistry} from '../pipeline/book/load.js'
import {createProcessor} from '../pipeline/parse/processor.js'
import {dialectHandlers} from '../pipeline/render/dialect.js'

const processor = createProcessor({
  graphics: new GraphicRegistry('/nonexistent', process.cwd(), []),
  references: new Map()
})

async function build(markdown: string, epub = false): Promise<{html: string; problems: string[]}> {
  const file = new VFile({path: 'chapters/01-test.md', value: markdown})
  const tree = processor.parse(file) as Root
  await processor.run(tree, file)
  const hast = toHast(tree, {handlers: dialectHandlers({language: 'en', epub})}) as HastRoot
  const html = toHtml(hast, epub ? {space: 'html', closeSelfClosing: true} : {})
  const problems = file.messages
    .filter((m) => m.ruleId !== 'uncited-claim')
    .map((m) => `${m.line}:${m.column} ${m.ruleId}`)
  return {html, problems}
}

describe('line blocks', () => {
  it('keeps each line and its leading spaces, as Pandoc does', async () => {
    const {html, problems} = await build(
      '# T\n\n| But can a *bee* be said to be\n|     or not to be an entire bee,\n|\n| Continuation\n  line\n|   and\n       another\n'
    )
    expect(html).toContain(
      '<div class="line-block">But can a <em>bee</em> be said to be<br>\n\u00a0\u00a0\u00a0\u00a0or not to be an entire bee,<br>\n<br>\nContinuation\nline<br>\n\u00a0\u00a0and\nanother</div>'
    )
    expect(problems).toEqual([])
  })

  it('reads lines in a block quote, ended by a hard break too', async () => {
    const {html} = await build('# T\n\n> | one  \n> |   two\n')
    expect(html).toContain('<blockquote>\n<div class="line-block">one<br>\n\u00a0\u00a0two</div>\n</blockquote>')
  })

  it('keeps the places of what its lines hold, for messages', async () => {
    const {problems} = await build('# T\n\n| One line\n|   as [@nokey] says\n')
    expect(problems).toEqual(['4:9 unknown-cite-key'])
  })

  it('leaves GitHub tables, and paragraphs with other lines, alone', async () => {
    const {html} = await build('# T\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n| a\nb\n\nx\n| y\n')
    expect(html).toContain('<table>')
    expect(html).toContain('<p>| a\nb</p>')
    expect(html).toContain('<p>x\n| y</p>')
    expect(html).not.toContain('line-block')
  })
})

describe('fancy list markers', () => {
  it('reads letters and roman numerals with their start and style', async () => {
    const {html, problems} = await build(
      '# T\n\nc. three\nd. four\n\n(ii) two\n(iii) three\n\nA)  one\n\nIV.  four\n\n#. one\n#. two\n\n(3) three\n'
    )
    expect(html).toContain('<ol start="3" type="a">\n<li>three</li>\n<li>four</li>\n</ol>')
    expect(html).toContain('<ol start="2" type="i">\n<li>two</li>\n<li>three</li>\n</ol>')
    expect(html).toContain('<ol type="A">\n<li>one</li>\n</ol>')
    expect(html).toContain('<ol start="4" type="I">\n<li>four</li>\n</ol>')
    expect(html).toContain('<ol>\n<li>one</li>\n<li>two</li>\n</ol>')
    expect(html).toContain('<ol start="3" type="1">\n<li>three</li>\n</ol>')
    expect(problems).toEqual([])
  })

  it('nests them, loose, with the next level read inside', async () => {
    const {html} = await build('# T\n\na. one\n\n    i. sub\n    ii. sub two\n\nb. two\n')
    expect(html).toContain(
      '<ol type="a">\n<li>\n<p>one</p>\n<ol type="i">\n<li>sub</li>\n<li>sub two</li>\n</ol>\n</li>\n<li>\n<p>two</p>\n</li>\n</ol>'
    )
  })

  it('starts a nested list on a line of an item, as Pandoc does', async () => {
    const {html} = await build('# T\n\nD.  Upper\n    I.  Roman\n        (1) Decimal\n            a)  Lower\n')
    expect(html).toContain(
      '<ol start="4" type="A">\n<li>Upper\n<ol type="I">\n<li>Roman\n<ol type="1">\n<li>Decimal\n<ol type="a">\n<li>Lower</li>\n</ol>'
    )
  })

  it('parts a list where the markers change style, as Pandoc does', async () => {
    const {html} = await build('# T\n\na. one\n\nb. two\n\n1. three\n\nii. four\n')
    expect(html).toContain(
      '<ol type="a">\n<li>\n<p>one</p>\n</li>\n<li>\n<p>two</p>\n</li>\n</ol>\n<ol>\n<li>three</li>\n</ol>'
    )
    expect(html).toContain('<ol start="2" type="i">\n<li>four</li>\n</ol>')
  })

  it('keeps the places of what its items hold, for messages', async () => {
    const {problems} = await build('# T\n\n(iv) one [@nokey]\n(v) two\n    [@other]\n')
    expect(problems).toEqual(['3:11 unknown-cite-key', '5:6 unknown-cite-key'])
  })

  it('leaves names, pages, prose and code alone', async () => {
    const {html} = await build(
      '# T\n\nB. Russell wrote it.\n\np. 3 of the book.\n\nSo we\na. did not list.\n\n```\na. code\n```\n\nI. Newton.\n'
    )
    expect(html).not.toContain('<ol')
    expect(html).toContain('<p>B. Russell wrote it.</p>')
    expect(html).toContain('<p>So we\na. did not list.</p>')
    expect(html).toContain('<code>a. code\n</code>')
  })

  it('numbers example lists on through the chapter, and their labels in the text', async () => {
    const {html, problems} = await build(
      '# T\n\n(@) First.\n(@good) Second.\n\nAs (@good) shows, and [this (@good)](#t).\n\n(@) Third.\n\n(@averyverylonglabel) Long.\n'
    )
    expect(html).toContain('<ol class="example" type="1">\n<li>First.</li>\n<li>Second.</li>\n</ol>')
    expect(html).toContain('<p>As (2) shows, and <a href="#t">this (2)</a>.</p>')
    expect(html).toContain('<ol start="3" class="example" type="1">\n<li>Third.</li>\n</ol>')
    // Read as a citation, as before: its key is unknown.
    expect(problems).toEqual(['10:1 unread-list-marker', '10:2 unknown-cite-key'])
  })
})

describe('definitions marked with `~`', () => {
  it('reads `~` as Pandoc does, tight and loose, indented', async () => {
    const markdown = '# T\n\nApple\n~ A fruit.\n\nOrange\n\n  ~ Orange fruit.\n\n  ~ A colour.\n'
    const {html, problems} = await build(markdown)
    expect(html).toContain('<dl>\n<dt>Apple</dt>\n<dd>A fruit.\n</dd>\n<dt>Orange</dt>\n<dd>Orange fruit.\n</dd>')
    // The same list as with `:`.
    expect(html).toBe((await build(markdown.replaceAll('~', ':'))).html)
    expect(problems).toEqual([])
  })

  it('leaves a `~` that defines nothing as written, and code alone', async () => {
    const {html} = await build('# T\n\n~ not a definition\n\n```\nTerm\n~ code\n```\n\nH~2~O\n')
    expect(html).toContain('<p>~ not a definition</p>')
    expect(html).toContain('<code>Term\n~ code\n</code>')
    expect(html).not.toContain('<dl>')
  })
})

describe('tables and LaTeX shown as written', () => {
  it('reports a simple table, with or without its header, once', async () => {
    const {problems} = await build(
      '# T\n\n  Right     Left\n-------     ------\n     12     12\n    123     123\n\nText.\n\n-------     ------\n     12     12\n-------     ------\n\nA break:\n\n- - -\n\nEnd.\n'
    )
    expect(problems).toEqual(['3:3 unrendered-simple-table', '10:1 unrendered-simple-table'])
  })

  it('reports a multiline table once', async () => {
    const {problems} = await build(
      '# T\n\n-------------------------------\n Centered   Left\n  Header    Aligned\n----------- -------------------\n   First    row text\n            goes on.\n\n  Second    row.\n-------------------------------\n\nEnd.\n\n---\n\nNot a table.\n'
    )
    expect(problems).toEqual(['3:1 unrendered-multiline-table'])
    const headerless = await build(
      '# T\n\n----- ----------\n foo  bar\n\n foo  this is\n      long\n----- ----------\n\n- - -\nNo table.\n'
    )
    expect(headerless.problems).toEqual(['3:1 unrendered-multiline-table'])
  })

  it('reports a raw LaTeX environment outside math, once a paragraph', async () => {
    const {html, problems} = await build(
      '# T\n\n\\begin{center}\n\\begin{tabular}{ll}\na & b\n\\end{tabular}\n\\end{center}\n\n$$\\begin{aligned}a\\end{aligned}$$\n\n`\\begin{x}` and \\\\begin{y}\n'
    )
    expect(problems).toEqual(['3:1 unrendered-latex'])
    expect(html).toContain('<p>\\begin{center}')
  })
})
