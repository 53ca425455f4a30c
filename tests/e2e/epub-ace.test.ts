/**
 * The built EPUBs through DAISY Ace (axe-core in Chromium, plus Ace's own
 * EPUB checks): no violations of any impact. A deliberately broken copy shows
 * that the check can fail.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, inject, it} from 'vitest'
import {ace} from '../helpers/epub-ace.js'
import {readZip, writeZip} from '../helpers/epub-zip.js'
import {root} from '../helpers/fixture-book.js'

const builds = inject('builds')
const reports = path.join(root, 'test-results', 'ace')

describe('DAISY Ace', () => {
  for (const name of ['basic', 'story'] as const) {
    it(`reports 0 violations for the ${name} book`, async () => {
      const {violations, report} = await ace(builds[name].epub, path.join(reports, name))
      expect(violations.map((v) => `${v.impact} ${v.rule} in ${v.document}: ${v.description}`)).toEqual([])
      expect(report['earl:result']['earl:outcome']).toBe('pass')
      // The accessibility metadata Ace looks for is all there, none of it empty.
      expect(report['a11y-metadata'].empty).toEqual([])
      expect(report['a11y-metadata'].present).toEqual(
        expect.arrayContaining([
          'schema:accessMode',
          'schema:accessibilityFeature',
          'schema:accessibilityHazard',
          'schema:accessibilitySummary',
          'schema:accessModeSufficient',
          'dcterms:conformsTo',
          'a11y:certifiedBy'
        ])
      )
      // Ace saw every image, and each has its text alternative.
      const images = report.data.images ?? []
      expect(images.length).toBeGreaterThan(0)
      for (const image of images) expect(image.alt, image.src).toBeTruthy()
    }, 300_000)
  }

  it('finds the violations in a copy with an image without alt text and no accessibility metadata', async () => {
    const entries = readZip(await fs.readFile(builds.basic.epub))
    const broken = entries.map(({name, data}) => {
      let text = data.toString('utf8')
      if (name === 'OEBPS/cover.xhtml') text = text.replace(/ alt="[^"]*"/, '')
      else if (name === 'OEBPS/content.opf')
        text = text.replace(/\s*<meta property="(?:schema|dcterms|a11y):[^"]+">[^<]*<\/meta>/g, '')
      else return {name, data}
      return {name, data: text}
    })
    const file = path.join(reports, 'broken.epub')
    await fs.mkdir(reports, {recursive: true})
    await fs.writeFile(file, writeZip(broken))
    const {violations, report} = await ace(file, path.join(reports, 'broken'))
    expect(report['earl:result']['earl:outcome']).toBe('fail')
    const rules = violations.map((v) => `${v.document} ${v.rule}`)
    expect(rules).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/cover\.xhtml image-alt/),
        expect.stringMatching(/content\.opf metadata-accessmode/)
      ])
    )
  }, 300_000)
})
