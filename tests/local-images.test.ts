/**
 * remark-local-images through the real processor: an image reference finds
 * its definition as remark-links and CommonMark do, the first of two
 * definitions with the same label.
 */
import path from 'node:path'
import {VFile} from 'vfile'
import {describe, expect, it} from 'vitest'
import {GraphicRegistry} from '../pipeline/book/load.js'
import {createProcessor} from '../pipeline/parse/processor.js'
import {root} from './helpers/fixture-book.js'

const basic = path.join(root, 'tests/fixtures/books/basic')
const processor = createProcessor({
  graphics: new GraphicRegistry('/nonexistent', process.cwd(), []),
  references: new Map()
})

async function imagesOf(markdown: string): Promise<{images: unknown; rules: string[]}> {
  const file = new VFile({path: path.join(basic, '03-test.md'), value: markdown, cwd: basic})
  file.data.bookDir = basic
  await processor.run(processor.parse(file), file)
  return {images: file.data.images, rules: file.messages.map((m) => `${m.line}:${m.column} ${m.ruleId}`)}
}

describe('image references', () => {
  it('take the first of two definitions with the same label', async () => {
    const {images, rules} = await imagesOf(
      '---\ntitle: T\n---\n\n![Bars][chart]\n\n[chart]: figures/bars.svg\n[chart]: figures/nowhere.png\n'
    )
    expect(rules).toEqual([])
    expect(images).toEqual({'figures/bars.svg': path.join(basic, 'figures/bars.svg')})
  })

  it('report the first definition when it is the one missing', async () => {
    const {rules} = await imagesOf(
      '---\ntitle: T\n---\n\n![Bars][chart]\n\n[chart]: figures/nowhere.png\n[chart]: figures/bars.svg\n'
    )
    expect(rules).toEqual(['5:1 missing-image'])
  })
})
