/**
 * Every content document of the EPUBs in real Chromium, as XHTML (served as
 * application/xhtml+xml, so the XML parser reads it and a parse error fails):
 * no error, every image loaded and on screen, nothing wider than a phone.
 * Screenshots go to test-results/epub-screens/<book>/. A second check plays
 * the reader: with another default font and size, the text follows them.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'
import {type Epub, openEpub} from '../helpers/epub-package.js'
import {root} from '../helpers/fixture-book.js'
import {serve} from '../helpers/serve.js'

const builds = inject('builds')
const screens = path.join(root, 'test-results', 'epub-screens')
const phone = {width: 390, height: 844}
const browser = browserForFile()
const servers: Array<() => Promise<void>> = []

afterAll(async () => {
  for (const close of servers) await close()
})

/** Unzip the EPUB into test-results and serve it; resolves to the URL of the package's folder. */
async function unpack(name: string, epub: Epub): Promise<string> {
  const dir = path.join(root, 'test-results', 'epub-unzipped', name)
  await fs.rm(dir, {recursive: true, force: true})
  for (const [file, data] of epub.files) {
    if (file.endsWith('/')) continue
    await fs.mkdir(path.dirname(path.join(dir, file)), {recursive: true})
    await fs.writeFile(path.join(dir, file), data)
  }
  const server = await serve(dir)
  servers.push(server.close)
  return server.url
}

/** Open one content document and check it the way the tests below need. */
async function open(page: Page, url: string) {
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(`page error: ${String(error)}`))
  page.on('console', (message) => {
    // A failed load of the document's own resources is caught below with its URL; this console line also
    // comes from the browser's own favicon request, which no EPUB document makes.
    if (message.type() === 'error' && !message.text().startsWith('Failed to load resource'))
      problems.push(`console: ${message.text()}`)
  })
  page.on('requestfailed', (request) => problems.push(`failed: ${request.url()}`))
  page.on('response', (response) => {
    if (response.status() >= 400) problems.push(`${response.status()}: ${response.url()}`)
  })
  const response = await page.goto(url, {waitUntil: 'load'})
  return {response, problems}
}

for (const name of ['basic', 'story'] as const) {
  describe(`the ${name} EPUB in Chromium`, () => {
    let epub: Epub
    let base: string

    beforeAll(async () => {
      epub = await openEpub(builds[name].epub)
      base = await unpack(name, epub)
      await fs.rm(path.join(screens, name), {recursive: true, force: true})
      await fs.mkdir(path.join(screens, name), {recursive: true})
    })

    it('opens every content document as XHTML, with its images, within a phone’s width', async () => {
      const documents = epub.manifest.filter((item) => item.mediaType === 'application/xhtml+xml')
      expect(documents.length).toBeGreaterThanOrEqual(5)
      const context = await browser().newContext({
        viewport: phone,
        deviceScaleFactor: 1
      })
      for (const item of documents) {
        const page = await context.newPage()
        const {response, problems} = await open(page, `${base}${item.path}`)
        expect(response?.headers()['content-type'], item.path).toMatch(/^application\/xhtml\+xml/)
        const state = await page.evaluate(() => ({
          contentType: document.contentType,
          // The XML parser keeps tag names as written (`html`); the HTML parser upper-cases them (`HTML`).
          xml: document.documentElement.tagName === 'html',
          parseErrors:
            document.getElementsByTagName('parsererror').length +
            document.getElementsByTagNameNS('*', 'parsererror').length,
          overflow: document.documentElement.scrollWidth - window.innerWidth,
          images: [...document.images].map((img) => {
            const box = img.getBoundingClientRect()
            return {
              src: img.getAttribute('src'),
              loaded: img.complete && img.naturalWidth > 0,
              width: box.width,
              height: box.height,
              right: box.right,
              inFigure: Boolean(img.closest('figure, .cover'))
            }
          }),
          text: document.body.innerText.trim().length
        }))
        expect(state.contentType, item.path).toBe('application/xhtml+xml')
        expect(state.xml, item.path).toBe(true)
        expect(state.parseErrors, item.path).toBe(0)
        expect(state.overflow, `${item.path} is wider than the screen`).toBeLessThanOrEqual(0)
        for (const image of state.images) {
          expect(image.loaded, `${item.path}: ${image.src}`).toBe(true)
          expect(image.right, `${item.path}: ${image.src}`).toBeLessThanOrEqual(phone.width)
          expect(image.width, `${item.path}: ${image.src}`).toBeGreaterThan(0)
          // A figure fits on one screen, so a paginating reader never has to split it.
          if (image.inFigure) expect(image.height, `${item.path}: ${image.src}`).toBeLessThanOrEqual(phone.height)
        }
        if (!item.properties.includes('nav') && item.href !== 'cover.xhtml')
          expect(state.text, item.path).toBeGreaterThan(0)
        expect(problems, item.path).toEqual([])
        await page.screenshot({
          path: path.join(screens, name, `${item.href.replace(/[^A-Za-z0-9._-]+/g, '_')}.png`),
          fullPage: true
        })
        await page.close()
      }
      await context.close()
    })

    it('fails on a content document that is not well-formed', async () => {
      // The same check on a broken copy of a chapter: Chromium's XML parser must reject it.
      const chapter = epub.spine[3]!
      const dir = path.join(root, 'test-results', 'epub-unzipped', name)
      const broken = path.join(dir, path.dirname(chapter.path), 'broken.xhtml')
      await fs.writeFile(broken, String(epub.files.get(chapter.path)).replace('</p>', '</i></p>'))
      const page = await browser().newPage()
      await page.goto(`${base}${path.posix.join(path.posix.dirname(chapter.path), 'broken.xhtml')}`)
      expect(
        await page.evaluate(
          () =>
            document.getElementsByTagName('parsererror').length +
            document.getElementsByTagNameNS('*', 'parsererror').length
        )
      ).toBeGreaterThan(0)
      await page.close()
      await fs.rm(broken)
    })

    it('lets the reader’s font and size settings win', async () => {
      const chapter = epub.spine[3]!
      /** A chapter in a reader set to `family` at `size` px: the computed sizes and face of its text. */
      const read = async (family: string, size: number, screenshot?: string) => {
        const page = await browser().newPage({viewport: phone})
        const session = await page.context().newCDPSession(page)
        await session.send('Page.setFontFamilies', {
          fontFamilies: {standard: family, serif: family, sansSerif: family}
        })
        await session.send('Page.setFontSizes', {fontSizes: {standard: size}})
        await page.goto(`${base}${chapter.path}`)
        const sample = await page.evaluate(() => {
          const p = document.querySelector('p:not([class])')!
          return {
            body: getComputedStyle(document.body).fontSize,
            p: getComputedStyle(p).fontSize,
            h1: Number.parseFloat(getComputedStyle(document.querySelector('h1')!).fontSize),
            // Width of the same sentence in the paragraph's face: changes with the reader's face.
            width: (() => {
              const probe = document.createElementNS('http://www.w3.org/1999/xhtml', 'span')
              probe.textContent = 'Hamburgefonstiv Quick Brown Fox'
              p.append(probe)
              const width = probe.getBoundingClientRect().width
              probe.remove()
              return width
            })()
          }
        })
        if (screenshot) await page.screenshot({path: path.join(screens, name, screenshot)})
        await page.close()
        return sample
      }
      const normal = await read('DejaVu Sans', 16)
      const large = await read('DejaVu Sans', 26, 'reader-settings-26px.png')
      const otherFace = await read('DejaVu Serif', 16)
      expect([normal.body, normal.p]).toEqual(['16px', '16px'])
      expect([large.body, large.p]).toEqual(['26px', '26px'])
      // Headings keep their proportion to the reader's size.
      expect(large.h1 / normal.h1).toBeCloseTo(26 / 16, 2)
      // No font family of the book's own: the text is set in the reader's face.
      expect(Math.abs(otherFace.width - normal.width)).toBeGreaterThan(5)
    })
  })
}
