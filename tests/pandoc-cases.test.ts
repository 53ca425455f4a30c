/**
 * Cases from trying the dialect on Markdown written for Pandoc, each in our
 * own small words, through the real processor and the handlers both targets
 * use: what came out wrong (duplicate ids in a page) stays right.
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
import {chapterFootnotes} from '../pipeline/render/footnotes.js'

const processor = createProcessor({
  graphics: new GraphicRegistry('/nonexistent', process.cwd(), []),
  references: new Map()
})

async function build(markdown: string): Promise<{html: string; problems: string[]; file: VFile}> {
  const file = new VFile({path: 'chapters/01-test.md', value: markdown})
  const tree = processor.parse(file) as Root
  await processor.run(tree, file)
  const footnotes = chapterFootnotes(tree, {language: 'en'})
  const hast = toHast(tree, {handlers: {...dialectHandlers({language: 'en'}), ...footnotes.handlers}}) as HastRoot
  const section = footnotes.section()
  const html = toHtml({type: 'root', children: [...hast.children, ...(section ? [section] : [])]})
  const problems = file.messages
    .filter((m) => m.ruleId !== 'uncited-claim')
    .map((m) => `${m.line}:${m.column} ${m.ruleId}`)
  return {html, problems, file}
}

const ids = (html: string) => [...html.matchAll(/\sid="([^"]*)"/g)].map((match) => match[1])

describe('ids on a page', () => {
  it('never gives a heading the id the author gave a div around it', async () => {
    const {html, problems} = await build('# Title\n\n::: {#intro .section}\n## Intro\n\nText.\n:::\n')
    expect(html).toContain('<div id="intro" class="section">')
    expect(new Set(ids(html)).size).toBe(ids(html).length)
    expect(problems).toEqual([])
  })

  it('reports an id the author gave twice, on headings, code or kept HTML', async () => {
    const {problems} = await build(
      '# Title\n\n## One {#same}\n\n> ## Two {#same}\n\n```js {#code}\nx\n```\n\n<a id="code"></a>Text.\n'
    )
    expect(problems).toEqual(['5:3 duplicate-id', '11:1 duplicate-id'])
  })

  it("reports an author's id that the footnotes use, and keeps slugs off them", async () => {
    const {html, problems} = await build(
      '# Title\n\n## Footnotes title\n\nText.[^a]\n\n## Note {#fn-1}\n\n[^a]: A note.\n'
    )
    expect(problems).toEqual(['7:1 duplicate-id'])
    expect(html).toContain('<h2 id="footnotes-title-1">Footnotes title</h2>')
  })

  it('counts an `<a id>` in kept HTML as an anchor a link can reach', async () => {
    const {file} = await build('# Title\n\nSee [below](#here).\n\n<a id="here"></a>Here.\n')
    expect(file.data.anchors).toContain('here')
  })
})
