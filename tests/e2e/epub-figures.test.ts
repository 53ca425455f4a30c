/**
 * The EPUB's figure sequences, in real Chromium on a 600 px page: each
 * scrolly section is the graphic's title once, a captioned figure per state
 * (“2 of 4: The releases. …”), the credit once; every figure's smallest text
 * is at least 0.8 of the body's size; figures have no background of their
 * own and draw text in colours that keep 3:1 on white, sepia and black pages,
 * with the light and dark palettes for readers that honour
 * `prefers-color-scheme`. A step's zoom and highlight show in its static
 * figure, in the EPUB and on the web page without JavaScript.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'
import type {Element} from 'xast'
import {fromXml} from 'xast-util-from-xml'
import {browserForFile} from '../helpers/browser.js'
import {readZip} from '../helpers/epub-zip.js'
import {serve} from '../helpers/serve.js'

const builds = inject('builds')
const browser = browserForFile()
let dir = ''
let server: {url: string; close: () => Promise<void>} | undefined

beforeAll(async () => {
  dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-epub-figures-'))
  for (const entry of readZip(await fs.readFile(builds.story.epub))) {
    if (entry.name.endsWith('/')) continue
    const file = path.join(dir, entry.name)
    await fs.mkdir(path.dirname(file), {recursive: true})
    await fs.writeFile(file, entry.data)
  }
  server = await serve(dir)
})
afterAll(async () => {
  await server?.close()
  await fs.rm(dir, {recursive: true, force: true})
})

function all(node: Element, found: Element[] = []): Element[] {
  found.push(node)
  for (const child of node.children) if (child.type === 'element') all(child, found)
  return found
}

/** Relative luminance and contrast ratio (WCAG 2). */
function luminance(hex: string): number {
  const [r, g, b] = [1, 3, 5].map((i) => {
    const c = Number.parseInt(hex.slice(i, i + 2), 16) / 255
    return c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4
  })
  return 0.2126 * (r ?? 0) + 0.7152 * (g ?? 0) + 0.0722 * (b ?? 0)
}
function contrast(a: string, b: string): number {
  const [x, y] = [luminance(a), luminance(b)].sort((m, n) => n - m)
  return ((x ?? 0) + 0.05) / ((y ?? 0) + 0.05)
}
const pages = {white: '#ffffff', sepia: '#f4ecd8', black: '#000000'}

describe('EPUB figure sequences', () => {
  it('captions each state once, with the title and credit once per section', async () => {
    const text = await fs.readFile(path.join(dir, 'OEBPS/inside.xhtml'), 'utf8')
    const section = text.slice(text.indexOf('class="scrolly"'), text.indexOf('class="sequence-credit"') + 400)
    expect(section.match(/class="sequence-title"/g)).toHaveLength(1)
    expect(section.match(/class="sequence-credit"/g)).toHaveLength(1)
    const captions = [...section.matchAll(/<strong>([^<]*)<\/strong>/g)].map((m) => m[1])
    expect(captions).toEqual([
      '1 of 4: The takeover.',
      '2 of 4: The releases.',
      '3 of 4: The captivity.',
      '4 of 4: The raid.'
    ])
    expect(section).toContain(
      '<figcaption><strong>1 of 4: The takeover.</strong> Day one was 17 December 1996, when 14 MRTA members blew open the wall and took the residence.</figcaption>'
    )
    // The key sentence is prose: the citations stay in the step.
    expect(section).not.toMatch(/<figcaption>[^<]*<strong>[^<]*<\/strong>[^<]*\[@/)
    // A state’s steps in a row share one figure: the timeline’s eleven steps show five.
    const timeline = await fs.readFile(path.join(dir, 'OEBPS/the-movement.xhtml'), 'utf8')
    expect(timeline.match(/<figure class="state">/g)).toHaveLength(5)
    expect(timeline.match(/class="step"/g)).toHaveLength(11)
  })

  it('gives every graphic its data table: under the section on the web, after the sequence in the EPUB', async () => {
    for (const build of [builds.story, builds.basic]) {
      for (const file of (await fs.readdir(path.join(build.out, 'web'))).filter((f) => f.endsWith('.html'))) {
        const html = await fs.readFile(path.join(build.out, 'web', file), 'utf8')
        const sections = html.split('<section class="scrolly').length - 1
        const tables = html.match(
          /<\/section>\s*<details class="data-details"><summary>[^<]+<\/summary><table class="data-table">/g
        )
        expect(tables?.length ?? 0, file).toBe(sections)
      }
    }
    for (const file of (await fs.readdir(path.join(dir, 'OEBPS'))).filter((f) => f.endsWith('.xhtml'))) {
      const xhtml = await fs.readFile(path.join(dir, 'OEBPS', file), 'utf8')
      const sequences = xhtml.split('class="sequence-title"').length - 1
      expect(xhtml.match(/<table class="data-table">/g)?.length ?? 0, file).toBe(sequences)
    }
    const inside = await fs.readFile(path.join(dir, 'OEBPS/inside.xhtml'), 'utf8')
    expect(inside).toContain(
      '<th scope="row">Hostages held for four months</th><td>17 Dec 1996 – 22 Apr 1997 · 126 days</td>'
    )
  })

  it('draws the web story’s static figures in the dark palette when the reader prefers dark, JavaScript or not', async () => {
    const figures = path.join(builds.story.out, 'web/figures')
    const name = (await fs.readdir(figures)).find((f) => f.startsWith('raid-toll-deaths-'))
    const serveFigures = await serve(figures)
    try {
      for (const [scheme, ink] of [
        ['dark', 'rgb(236, 236, 236)'],
        ['light', 'rgb(107, 107, 107)']
      ] as const) {
        const context = await browser().newContext({javaScriptEnabled: false, colorScheme: scheme})
        const page = await context.newPage()
        await page.goto(`${serveFigures.url}${name}`)
        expect(await page.$eval('.tf-ink', (e) => getComputedStyle(e).fill)).toBe(ink)
        await context.close()
      }
    } finally {
      await serveFigures.close()
    }
  })

  it('sets figure text at 0.8 of the body size or more on a 600 px page, zoomed or not', async () => {
    const page = await browser().newPage({viewport: {width: 600, height: 900}})
    const figurePage = await browser().newPage()
    const checked: string[] = []
    const small: string[] = []
    for (const file of (await fs.readdir(path.join(dir, 'OEBPS'))).filter((f) => f.endsWith('.xhtml'))) {
      const xhtml = await fs.readFile(path.join(dir, 'OEBPS', file), 'utf8')
      if (!xhtml.includes('figure class="state"')) continue
      await page.goto(`${server?.url}OEBPS/${file}`)
      const figures = await page.$$eval('figure.state img', async (images) => {
        await Promise.all(images.map((i) => (i as HTMLImageElement).decode().catch(() => undefined)))
        const body = Number.parseFloat(getComputedStyle(document.body).fontSize)
        return images.map((i) => ({src: i.getAttribute('src') ?? '', width: i.getBoundingClientRect().width, body}))
      })
      for (const figure of figures) {
        // The figure alone at the width the chapter gives it: each text's size on screen, through every
        // viewBox and transform (a zoomed map, a label scaled back to its size).
        await figurePage.setViewportSize({width: Math.round(figure.width), height: 3000})
        await figurePage.goto(`${server?.url}OEBPS/${figure.src}`)
        const smallest = await figurePage.$$eval('text', (texts) =>
          Math.min(
            ...texts.map(
              (t) =>
                Number.parseFloat(getComputedStyle(t).fontSize) * ((t as SVGGraphicsElement).getScreenCTM()?.a ?? 0)
            )
          )
        )
        checked.push(figure.src)
        if (smallest < 0.8 * figure.body) small.push(`${figure.src}: ${smallest.toFixed(1)} px of ${figure.body} px`)
      }
    }
    expect(checked.length).toBeGreaterThanOrEqual(14)
    expect(checked.filter((src) => src.includes('-focus-'))).toHaveLength(3)
    expect(small).toEqual([])
    await page.close()
    await figurePage.close()
  })

  it('draws a zoom step’s figure zoomed: the locator’s map around Lima, the label whole', async () => {
    const xhtml = await fs.readFile(path.join(dir, 'OEBPS/live-from-lima.xhtml'), 'utf8')
    const sources = [...xhtml.matchAll(/<figure class="state"><img src="([^"]+)"/g)].map((m) => m[1] ?? '')
    expect(sources).toHaveLength(2)
    const page = await browser().newPage({viewport: {width: 400, height: 3000}})
    const views: number[] = []
    for (const src of sources) {
      await page.goto(`${server?.url}OEBPS/${src}`)
      const drawn = await page.evaluate(() => {
        const map = document.querySelector('svg svg') as SVGSVGElement
        const lima = [...document.querySelectorAll('text')].find((t) => t.textContent === 'Lima')
        const frame = map.getBoundingClientRect()
        const label = lima?.getBoundingClientRect()
        return {
          width: map.viewBox.baseVal.width,
          inside: label ? label.left >= frame.left && label.right <= frame.right && label.top >= frame.top : null
        }
      })
      views.push(drawn.width)
      if (src.includes('lima')) expect(drawn.inside).toBe(true)
    }
    // Peru (on the narrow map, Peru nearly fills it), then Lima, closer than the whole map.
    const whole = await fs.readFile(path.join(builds.story.out, 'web/live-from-lima.html'), 'utf8')
    const start = Number(/class="tf-narrow">[\s\S]*?<svg[^>]*viewBox="[-\d.]+ [-\d.]+ ([\d.]+)/.exec(whole)?.[1])
    expect(views[0]).toBeLessThanOrEqual(start)
    expect(views[1]).toBeLessThan(views[0] ?? 0)
    await page.close()
  })

  it('shows each step’s zoom and highlight in the web story without JavaScript', async () => {
    const context = await browser().newContext({javaScriptEnabled: false, viewport: {width: 1000, height: 900}})
    const page = await context.newPage()
    const opacities = async (url: string, step: string) => {
      await page.goto(url)
      const src = await page.$eval(`#${step} .step__figure img`, (img) => {
        const box = img.getBoundingClientRect()
        return box.width > 0 && box.height > 0 ? (img as HTMLImageElement).currentSrc : ''
      })
      expect(src, step).not.toBe('')
      await page.goto(src)
      return page.$$eval('[id^="bar-"]', (bars) => bars.map((b) => `${b.id} ${getComputedStyle(b).opacity}`))
    }
    const first = `${builds.basic.url}first.html`
    const steps = await page.goto(first).then(() => page.$$eval('.step', (all) => all.map((s) => s.id)))
    expect(await opacities(first, steps[0] ?? '')).toEqual(['bar-1 1'])
    // highlight="bar-2"
    expect(await opacities(first, steps[1] ?? '')).toEqual(['bar-1 0.25', 'bar-2 1'])
    // highlight="bar-1" and :hl[third bar]{target="bar-3"}
    expect(await opacities(first, steps[2] ?? '')).toEqual(['bar-1 1', 'bar-2 0.25', 'bar-3 1'])
    await context.close()
  })

  it('draws every figure without a background, legible on white, sepia and black', async () => {
    const images = (await fs.readdir(path.join(dir, 'OEBPS/images'))).filter((f) => f.includes('-book-'))
    expect(images.length).toBeGreaterThanOrEqual(14)
    const problems: string[] = []
    for (const name of images) {
      const svg = await fs.readFile(path.join(dir, 'OEBPS/images', name), 'utf8')
      const root = fromXml(svg).children.find((n): n is Element => n.type === 'element')
      if (!root) throw new Error(`no svg in ${name}`)
      const [, , width, height] = String(root.attributes.viewBox).split(/\s+/).map(Number)
      for (const element of all(root)) {
        const fill = String(element.attributes.fill ?? '')
        // No opaque box over most of the figure: the page shows through.
        if (
          (element.name === 'rect' || element.name === 'path') &&
          fill !== 'none' &&
          Number(element.attributes.width ?? 0) * Number(element.attributes.height ?? 0) >
            0.5 * (width ?? 0) * (height ?? 0)
        )
          problems.push(`${name}: a background ${element.name} filled ${fill}`)
        if (element.name === 'text' && /^#[0-9a-f]{6}$/i.test(fill)) {
          for (const [page, colour] of Object.entries(pages)) {
            if (contrast(fill, colour) < 3) problems.push(`${name}: text in ${fill} on a ${page} page`)
          }
        }
      }
      const style = all(root).find((e) => e.name === 'style')
      const css = style?.children.map((c) => ('value' in c ? c.value : '')).join('') ?? ''
      if (!css.includes('prefers-color-scheme: dark')) problems.push(`${name}: no dark palette`)
      if (/url\(|@import/.test(css)) problems.push(`${name}: the style loads something`)
    }
    expect(problems).toEqual([])
  })
})
