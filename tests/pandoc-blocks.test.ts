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

  it('leaves GitHub tables, and paragraphs with other lines, alone', async () => {
    const {html} = await build('# T\n\n| a | b |\n| - | - |\n| 1 | 2 |\n\n| a\nb\n\nx\n| y\n')
    expect(html).toContain('<table>')
    expect(html).toContain('<p>| a\nb</p>')
    expect(html).toContain('<p>x\n| y</p>')
    expect(html).not.toContain('line-block')
  })
})
