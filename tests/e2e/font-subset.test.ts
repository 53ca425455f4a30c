/**
 * The shipped typeface holds what it sets: every character of the built
 * pages' text that Literata has, the generated graphics' labels included, is
 * in the subset regular and bold faces (read back from the WOFF2 files with
 * fontkit); and a page makes one stylesheet request, the faces' `@font-face`
 * rules included.
 */
import fs from 'node:fs/promises'
import {createRequire} from 'node:module'
import path from 'node:path'
import * as fontkit from 'fontkit'
import type {Element} from 'hast'
import {fromHtml} from 'hast-util-from-html'
import {visit} from 'unist-util-visit'
import {describe, expect, inject, it} from 'vitest'

const require = createRequire(import.meta.url)
const builds = inject('builds')

async function characterSet(file: string): Promise<Set<number>> {
  return new Set((fontkit.create(await fs.readFile(file)) as fontkit.Font).characterSet)
}

/** The text of `node`'s descendants. */
function textOf(node: Element): string {
  let text = ''
  visit(node, 'text', (child) => {
    text += child.value
  })
  return text
}

describe('the shipped typeface', () => {
  for (const name of ['story', 'layouts'] as const) {
    it(`holds every character of the ${name}'s pages and graphics' labels`, async () => {
      const web = path.join(builds[name].out, 'web')
      const assets = await fs.readdir(path.join(web, 'assets'))
      const faces = await Promise.all(
        [
          ['literata-400.', '400Regular/Literata_400Regular.ttf'],
          ['literata-700.', '700Bold/Literata_700Bold.ttf']
        ].map(async ([prefix, source]) => {
          const file = assets.find((f) => f.startsWith(prefix!) && f.endsWith('.woff2'))
          if (!file) throw new Error(`no ${prefix}*.woff2 in ${web}/assets`)
          return {
            subset: await characterSet(path.join(web, 'assets', file)),
            full: await characterSet(require.resolve(`@expo-google-fonts/literata/${source}`))
          }
        })
      )
      const labels = new Set<string>()
      const missing = new Set<string>()
      const check = (char: string) => {
        const point = char.codePointAt(0)!
        for (const face of faces) if (face.full.has(point) && !face.subset.has(point)) missing.add(char)
      }
      for (const page of (await fs.readdir(web)).filter((f) => f.endsWith('.html'))) {
        const tree = fromHtml(await fs.readFile(path.join(web, page), 'utf8'))
        const stylesheets: string[] = []
        visit(tree, 'element', (node, _, parent) => {
          if (node.tagName === 'link' && String(node.properties.rel) === 'stylesheet') {
            if (!(parent?.type === 'element' && parent.tagName === 'noscript'))
              stylesheets.push(String(node.properties.href))
          }
          if (node.tagName === 'text') for (const char of textOf(node)) labels.add(char)
          if (node.tagName === 'body') for (const char of textOf(node)) check(char)
        })
        expect(stylesheets, `${page}: one stylesheet`).toHaveLength(1)
        expect(await fs.readFile(path.join(web, stylesheets[0]!), 'utf8')).toMatch(/^@font-face\{font-family:Literata;/)
      }
      for (const char of labels) check(char)
      if (name === 'story') expect(labels.size).toBeGreaterThan(40)
      expect([...missing]).toEqual([])
    })
  }
})
