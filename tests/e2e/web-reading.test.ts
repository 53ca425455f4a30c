/**
 * Reading the story as a reader does, in real Chromium at 1440×900 and 360×740,
 * light and dark: the shipped typeface is the one in use, no page is wider than
 * the screen, the header's menu works without JavaScript, the header slides away
 * on scrolling down but never under reduced motion, Previous and Next run
 * through every page, every note links to an entry of the sources that exists,
 * each source's first note in a chapter is its full note and later ones short
 * (in the EPUB's notes too),
 * a backlink never opens a tooltip, and a claim's accounts never cover its
 * passage.
 */
import fs from 'node:fs/promises'
import type {BrowserContext, Page} from 'playwright-core'
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'
import {epubFiles} from '../helpers/epub-zip.js'
import {sitePages, viewports} from '../helpers/story.js'

const builds = inject('builds')
const browser = browserForFile()
const story = builds.story

async function open(context: BrowserContext, file: string): Promise<Page> {
  const page = await context.newPage()
  await page.goto(`${story.url}${file}`)
  await page.evaluate(() => document.fonts.ready)
  return page
}

/** Whether the header is on screen: inside the viewport, not slid away. */
function headerShown(page: Page): Promise<boolean> {
  return page.evaluate(() => {
    const header = document.querySelector('[data-header]')!
    const box = header.getBoundingClientRect()
    return box.bottom > 1 && !header.classList.contains('is-hidden')
  })
}

describe('reading the story', () => {
  for (const viewportName of ['desktop', 'phone'] as const) {
    for (const colorScheme of ['light', 'dark'] as const) {
      const where = `${viewports[viewportName].width} px, ${colorScheme}`

      it(`sets every page in the shipped Literata and fits it to the screen (${where})`, async () => {
        const context = await browser().newContext({viewport: viewports[viewportName], colorScheme})
        const pages = await sitePages(story.out)
        for (const file of pages) {
          const page = await open(context, file)
          const found = await page.evaluate(() => {
            const loaded = [...document.fonts].filter((face) => face.status === 'loaded').map((face) => face.family)
            const families = ['body', 'h1', '.site-title', '.scrolly__figure svg text'].map((selector) => {
              const element = document.querySelector(selector)
              return element ? getComputedStyle(element).fontFamily.split(',')[0]!.trim() : 'Literata'
            })
            return {
              loaded,
              families,
              rendered: document.fonts.check('16px Literata'),
              wider: document.documentElement.scrollWidth - document.documentElement.clientWidth
            }
          })
          expect(found.loaded, file).toContain('Literata')
          expect(found.rendered, file).toBe(true)
          expect(found.families, file).toEqual(['Literata', 'Literata', 'Literata', 'Literata'])
          expect(found.wider, `${file} is wider than the screen`).toBeLessThanOrEqual(0)
          await page.close()
        }
        await context.close()
      }, 180_000)
    }

    it(`opens the chapter menu without JavaScript (${viewportName})`, async () => {
      const context = await browser().newContext({viewport: viewports[viewportName], javaScriptEnabled: false})
      const page = await open(context, 'the-party.html')
      expect(await page.locator('.site-header__where').count()).toBe(1)
      const menu = page.locator('.site-menu')
      await expect.poll(() => menu.locator('.site-menu__panel').isVisible()).toBe(false)
      await menu.locator('summary').click()
      expect(await menu.locator('.site-menu__panel').isVisible()).toBe(true)
      const links = await menu
        .locator('.site-menu__list a')
        .evaluateAll((as) => as.map((a) => [a.getAttribute('href'), a.getAttribute('aria-current')]))
      expect(links).toContainEqual(['the-party.html', 'page'])
      expect(links.map(([href]) => href)).toContain('sources.html')
      expect(links.map(([href]) => href)).toContain('disagreements.html')
      await menu.locator('a[href="inside.html"]').click()
      await page.waitForURL(/inside\.html$/)
      expect(await page.locator('h1').textContent()).toBe('A Hundred and Twenty-Six Days')
      await context.close()
    }, 60_000)

    for (const reducedMotion of ['reduce', 'no-preference'] as const) {
      it(`${reducedMotion === 'reduce' ? 'keeps the header on screen' : 'slides the header away on scrolling down and back on scrolling up'} (${viewportName}, reduced motion: ${reducedMotion})`, async () => {
        const context = await browser().newContext({viewport: viewports[viewportName], reducedMotion})
        const page = await open(context, 'those-who-stayed.html')
        expect(await headerShown(page)).toBe(true)
        for (let i = 0; i < 6; i++) {
          await page.mouse.wheel(0, 300)
          await page.waitForTimeout(120)
        }
        await page.waitForTimeout(400)
        expect(await headerShown(page)).toBe(reducedMotion === 'reduce')
        await page.mouse.wheel(0, -200)
        await page.waitForTimeout(500)
        expect(await headerShown(page)).toBe(true)
        await context.close()
      }, 60_000)
    }

    it(`never covers a contested passage with its accounts (${viewportName})`, async () => {
      const context = await browser().newContext({viewport: viewports[viewportName], reducedMotion: 'reduce'})
      const page = await open(context, 'the-party.html')
      const toggle = page.locator('button.contested__toggle').first()
      await toggle.scrollIntoViewIfNeeded()
      await toggle.click()
      const boxes = await page.evaluate(() => {
        const claim = document.querySelector('.contested')!
        const passage = claim.querySelector('.contested__passage')!.getBoundingClientRect()
        const panel = claim.querySelector('.contested__accounts')!.getBoundingClientRect()
        return {passage: passage.toJSON(), panel: panel.toJSON()}
      })
      expect(boxes.panel.height).toBeGreaterThan(0)
      const overlaps =
        boxes.panel.left < boxes.passage.right &&
        boxes.panel.right > boxes.passage.left &&
        boxes.panel.top < boxes.passage.bottom &&
        boxes.panel.bottom > boxes.passage.top
      expect(overlaps, JSON.stringify(boxes)).toBe(false)
      await context.close()
    }, 60_000)
  }

  it('runs Previous and Next through every page in book order, the back matter included', async () => {
    const context = await browser().newContext({viewport: viewports.desktop})
    const page = await open(context, 'index.html')
    const order: string[] = []
    let href = await page.locator('a.button').first().getAttribute('href')
    while (href && href !== 'index.html' && order.length < 20) {
      order.push(href)
      await page.goto(`${story.url}${href}`)
      href = await page.locator('a.chapter-nav__next').getAttribute('href')
    }
    expect(order).toEqual([
      'live-from-lima.html',
      'the-movement.html',
      'the-party.html',
      'those-who-stayed.html',
      'inside.html',
      'chavin-de-huantar.html',
      'afterwards.html',
      'disagreements.html',
      'sources.html'
    ])
    const back: string[] = []
    for (let current: string | null = 'sources.html'; current && current !== 'index.html' && back.length < 20; ) {
      back.push(current)
      await page.goto(`${story.url}${current}`)
      current = await page.locator('a.chapter-nav__prev').getAttribute('href')
    }
    expect(back).toEqual([...order].reverse())
    await context.close()
  }, 120_000)

  it('links every note to an entry of the sources that exists, and every entry back', async () => {
    const context = await browser().newContext({viewport: viewports.desktop})
    const sources = await open(context, 'sources.html')
    const entries = await sources.locator('li.source').evaluateAll((items) => items.map((item) => item.id))
    const placeLinks = await sources
      .locator('.source__places a[aria-label]')
      .evaluateAll((as) => as.map((a) => a.getAttribute('href')!))
    const pages = (await sitePages(story.out)).filter(
      (file) => !['index.html', 'sources.html', 'disagreements.html'].includes(file)
    )
    let notes = 0
    const cited = new Set<string>()
    for (const file of pages) {
      const page = await open(context, file)
      const found = await page.evaluate(() =>
        [...document.querySelectorAll('li.note')].map((note) => ({
          id: note.id,
          sources: [...note.querySelectorAll('a.note__source')].map((a) => a.getAttribute('href')!),
          backs: [...note.querySelectorAll('a[role="doc-backlink"]')].map((a) => a.getAttribute('href')!.slice(1))
        }))
      )
      for (const note of found) {
        notes++
        expect(note.sources.length, `${file}#${note.id} links to its source`).toBeGreaterThan(0)
        for (const href of note.sources) {
          const [target, anchor] = href.split('#')
          expect(target).toBe('sources.html')
          expect(entries, `${file}#${note.id} → ${href}`).toContain(anchor)
        }
        for (const id of note.backs) {
          expect(await page.locator(`[id="${id}"]`).count(), `${file}: backlink to #${id}`).toBe(1)
          cited.add(`${file}#${id}`)
        }
      }
      await page.close()
    }
    expect(notes).toBeGreaterThan(50)
    // Every place a source lists is a citing place that exists (a note shared by a run links its first place).
    for (const href of placeLinks) expect(cited, href).toContain(href)
    await context.close()
  }, 180_000)

  it('gives each source a full note at its first citation in a chapter and short notes after, in both books', async () => {
    const context = await browser().newContext({viewport: viewports.desktop})
    const zip = epubFiles(await fs.readFile(story.epub))
    const pages = (await sitePages(story.out)).filter(
      (file) => !['index.html', 'sources.html', 'disagreements.html'].includes(file)
    )
    let full = 0
    let short = 0
    for (const file of pages) {
      const page = await open(context, file)
      const notes = await page.evaluate(() =>
        [...document.querySelectorAll('li.note')].map((note) => {
          const back = note.querySelector('a[role="doc-backlink"]')!.getAttribute('href')!.slice(1)
          return {
            text: note.querySelector('.note__text')!.textContent!,
            tip: document.getElementById(`${back}-tip`)!.textContent!,
            sources: [...new Set([...note.querySelectorAll('a.note__source')].map((a) => a.getAttribute('href')!))]
          }
        })
      )
      // Each chapter starts afresh: a source's first note names its medium and kind (the full note), later ones do not.
      const seen = new Set<string>()
      for (const note of notes) {
        expect(note.tip, `${file}: the tooltip is the note`).toBe(note.text)
        const fresh = note.sources.filter((href) => !seen.has(href))
        if (note.sources.length === 1) {
          expect(note.text.includes('web page,'), `${file}: ${note.text}`).toBe(fresh.length === 1)
          if (fresh.length === 1) full++
          else short++
        }
        for (const href of note.sources) seen.add(href)
      }
      // The EPUB's notes document for the chapter has the same notes, in the same forms.
      const xhtml = zip.get(`OEBPS/notes-${file.replace(/\.html$/, '.xhtml')}`)!.toString('utf8')
      const epubNotes = [...xhtml.matchAll(/<li id="note-\d+"[^>]*><p>([\s\S]*?)<\/p><\/li>/g)].map((m) =>
        m[1]!
          .replace(/ <a class="backlink"[\s\S]*$/, '')
          .replace(/<[^>]+>/g, '')
          .replace(/&#x26;|&amp;/g, '&')
      )
      expect(epubNotes, file).toEqual(notes.map((note) => note.text))
      await page.close()
    }
    expect(full).toBeGreaterThanOrEqual(pages.length)
    expect(short).toBeGreaterThan(full)
    await context.close()
  }, 180_000)

  it('opens no tooltip after a backlink', async () => {
    const context = await browser().newContext({viewport: viewports.desktop, reducedMotion: 'reduce'})
    const page = await open(context, 'the-party.html')
    const back = page.locator('li.note a[role="doc-backlink"]').nth(3)
    await back.scrollIntoViewIfNeeded()
    const target = (await back.getAttribute('href'))!.slice(1)
    // Click with the mouse, then let the page settle: the citation lands under a still pointer.
    await back.click()
    await page.waitForTimeout(600)
    expect(page.url()).toContain(`#${target}`)
    expect(await page.locator('.cite__tip:not([hidden])').count()).toBe(0)
    // With the keyboard too.
    await page.goto(`${story.url}the-party.html`)
    await page.locator('li.note a[role="doc-backlink"]').nth(2).focus()
    await page.keyboard.press('Enter')
    await page.waitForTimeout(600)
    expect(await page.locator('.cite__tip:not([hidden])').count()).toBe(0)
    await context.close()
  }, 60_000)
})
