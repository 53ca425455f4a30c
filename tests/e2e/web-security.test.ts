/**
 * Security and metadata of the built web stories in real Chromium: a strict
 * Content-Security-Policy that no page violates, no request to any other
 * host, raw HTML in a chapter shown as text and never run; and each page's
 * title, description, language, canonical URL, Open Graph tags (with the
 * generated 1200 × 630 PNG) and favicon.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'
import {root} from '../helpers/fixture-book.js'
import {sitePages, viewports, watch} from '../helpers/story.js'

const builds = inject('builds')
const browser = browserForFile()

/** Width and height of a PNG, from its IHDR chunk. */
function pngSize(data: Buffer): {width: number; height: number} {
  expect(data.subarray(1, 4).toString()).toBe('PNG')
  return {width: data.readUInt32BE(16), height: data.readUInt32BE(20)}
}

describe('web story security', () => {
  for (const book of ['story', 'basic', 'layouts'] as const) {
    it(`serves every page of the ${book} book under a strict CSP with no violation, error or foreign request`, async () => {
      const context = await browser().newContext({viewport: viewports.phone})
      const problems = await watch(context, builds[book].url)
      const page = await context.newPage()
      for (const file of await sitePages(builds[book].out)) {
        await page.goto(`${builds[book].url}${file}`, {waitUntil: 'load'})
        const policy = await page.$eval(
          'meta[http-equiv="Content-Security-Policy"]',
          (e) => e.getAttribute('content') ?? ''
        )
        expect(policy).toContain("script-src 'self'")
        expect(policy).toContain("style-src 'self'")
        expect(policy).toContain("default-src 'none'")
        expect(policy).not.toMatch(/unsafe-|https?:|\*/)
        // Nothing inline in the served page that the policy would have to allow (the client later sets
        // custom properties through the CSSOM, which the policy permits).
        const inline = await page.evaluate(async (url) => {
          const source = new DOMParser().parseFromString(await (await fetch(url)).text(), 'text/html')
          return {
            scripts: Array.from(source.scripts).filter((s) => !s.getAttribute('src')).length,
            styles: source.querySelectorAll('style, [style]').length,
            handlers: Array.from(source.querySelectorAll('*')).filter((e) =>
              Array.from(e.attributes).some((a) => a.name.startsWith('on'))
            ).length
          }
        }, page.url())
        expect(inline, file).toEqual({scripts: 0, styles: 0, handlers: 0})
        // Scroll through, so that every lazy image and every state change happens under the policy.
        await page.evaluate(async () => {
          for (let y = 0; y < document.documentElement.scrollHeight; y += window.innerHeight / 2) {
            window.scrollTo({top: y, behavior: 'instant'})
            await new Promise((resolve) => requestAnimationFrame(() => setTimeout(resolve, 30)))
          }
        })
      }
      expect(problems).toEqual({errors: [], csp: [], foreign: []})
      await context.close()
    })
  }

  it('reports a CSP violation when a page breaks the policy (the check can fail)', async () => {
    const context = await browser().newContext()
    const problems = await watch(context, builds.basic.url)
    const page = await context.newPage()
    await page.goto(`${builds.basic.url}first.html`)
    await page.evaluate(() => {
      const script = document.createElement('script')
      script.textContent = 'window.ranInline = true'
      document.body.append(script)
      document.body.setAttribute('style', 'color: red')
    })
    await page.waitForTimeout(100)
    expect(await page.evaluate(() => 'ranInline' in window)).toBe(false)
    expect(problems.csp.some((v) => v.includes('script-src'))).toBe(true)
    expect(problems.csp.some((v) => v.includes('style-src'))).toBe(true)
    await context.close()
  })

  it('shows raw HTML in a chapter as text and never runs it', async () => {
    const context = await browser().newContext()
    const problems = await watch(context, builds.layouts.url)
    const page = await context.newPage()
    await page.goto(`${builds.layouts.url}raw-html.html`, {waitUntil: 'load'})
    const result = await page.evaluate(() => ({
      pwned: 'pwned' in window,
      title: document.title,
      text: (document.querySelector('main') as HTMLElement).innerText,
      scripts: document.querySelectorAll('main script').length,
      images: document.querySelectorAll('main img').length
    }))
    expect(result.pwned).toBe(false)
    expect(result.title).toBe('Raw HTML Stays Text · Layouts on Every Screen')
    expect(result.scripts).toBe(0)
    expect(result.images).toBe(0)
    expect(result.text).toContain('<script>window.pwned = true</script>')
    expect(result.text).toContain('<img src="x" onerror="window.pwned = true">')
    expect(problems).toEqual({errors: [], csp: [], foreign: []})
    await context.close()
  })
})

describe('web story metadata', () => {
  it('gives every page a title, description, language, Open Graph tags and a favicon; canonical URLs when the book has a url', async () => {
    const page = await browser().newPage()
    for (const book of ['story', 'basic', 'layouts'] as const) {
      const yaml = await fs.readFile(
        path.join(root, book === 'story' ? 'chapters' : `tests/fixtures/books/${book}`, 'book.yaml'),
        'utf8'
      )
      const language = /^language:\s*(\S+)/m.exec(yaml)?.[1]
      const url = /^url:\s*(\S+)/m.exec(yaml)?.[1]?.replace(/\/?$/, '/')
      const titles = new Set<string>()
      for (const file of await sitePages(builds[book].out)) {
        await page.goto(`${builds[book].url}${file}`)
        const head = await page.evaluate(() => {
          const meta = (selector: string) => document.querySelector(selector)?.getAttribute('content') ?? undefined
          return {
            lang: document.documentElement.lang,
            title: document.title,
            description: meta('meta[name="description"]'),
            canonical: document.querySelector('link[rel="canonical"]')?.getAttribute('href') ?? undefined,
            ogTitle: meta('meta[property="og:title"]'),
            ogDescription: meta('meta[property="og:description"]'),
            ogType: meta('meta[property="og:type"]'),
            ogUrl: meta('meta[property="og:url"]'),
            ogImage: meta('meta[property="og:image"]'),
            ogImageAlt: meta('meta[property="og:image:alt"]'),
            ogSize: [meta('meta[property="og:image:width"]'), meta('meta[property="og:image:height"]')],
            card: meta('meta[name="twitter:card"]'),
            icon: (document.querySelector('link[rel="icon"]') as HTMLLinkElement | null)?.href
          }
        })
        expect(head.lang, file).toBe(language)
        expect(head.title.length).toBeGreaterThan(3)
        expect(titles.has(head.title), `${book} ${file}: unique title`).toBe(false)
        titles.add(head.title)
        expect(head.description?.length ?? 0).toBeGreaterThan(10)
        expect(head.ogTitle).toBe(head.title)
        expect(head.ogDescription).toBe(head.description)
        expect(['article', 'website']).toContain(head.ogType)
        expect(head.ogSize).toEqual(['1200', '630'])
        expect(head.ogImageAlt?.length ?? 0).toBeGreaterThan(5)
        expect(head.card).toBe('summary_large_image')
        const ogPath = (head.ogImage ?? '').replace(url ?? '', '')
        if (url) {
          const expected = `${url}${file === 'index.html' ? '' : file}`
          expect(head.canonical, `${book} ${file}`).toBe(expected)
          expect(head.ogUrl).toBe(expected)
          expect(head.ogImage?.startsWith(url)).toBe(true)
        } else {
          expect(head.canonical).toBeUndefined()
          expect(head.ogUrl).toBeUndefined()
        }
        const image = await page.request.get(`${builds[book].url}${ogPath}`)
        expect(image.status(), ogPath).toBe(200)
        expect(pngSize(await image.body())).toEqual({width: 1200, height: 630})
        const icon = await page.request.get(head.icon ?? '')
        expect(icon.status()).toBe(200)
        expect((await icon.body()).toString()).toContain('<svg')
      }
    }
    await page.close()
  })
})
