/**
 * Citations, notes, sources and disagreements in the built books: the web
 * story in real Chromium (note tooltips by mouse, keyboard and touch, the
 * contested-claim popover, backlinks, the no-JavaScript fallback) and both
 * books' sources, which must link back to every place that cites each entry.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {Browser, BrowserContext, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, inject, it} from 'vitest'
import {parseBook} from '../../pipeline/build.js'
import {type CitingPlace, citingPlaces, placesByKey} from '../../pipeline/citations/places.js'
import type {Book} from '../../pipeline/types.js'
import {browserForFile} from '../helpers/browser.js'
import {epubFiles} from '../helpers/epub-zip.js'
import {root} from '../helpers/fixture-book.js'

const builds = inject('builds')
const browser = browserForFile()
let story: Book

beforeAll(async () => {
  const parsed = await parseBook('chapters', root)
  if (!parsed.book) throw new Error('The story does not parse')
  story = parsed.book
})
afterAll(async () => {})

/** A new page that records page errors and console errors (a CSP violation is one). */
async function open(context: Browser | BrowserContext, url: string, viewport = {width: 1280, height: 800}) {
  const page = await context.newPage({viewport})
  const problems: string[] = []
  page.on('pageerror', (error) => problems.push(String(error)))
  page.on('console', (message) => {
    if (message.type() === 'error') problems.push(message.text())
  })
  await page.goto(url)
  return {page, problems}
}

const tipState = (page: Page, link: string) =>
  page.$eval(link, (element) => {
    const tip = document.getElementById(element.getAttribute('aria-describedby') ?? '')
    if (!tip) return undefined
    const box = tip.getBoundingClientRect()
    return {
      role: tip.getAttribute('role'),
      visible: !tip.hidden && box.width > 0 && box.height > 0,
      text: tip.textContent?.trim() ?? ''
    }
  })

/** Whether an element is inside the viewport. */
const inView = (page: Page, selector: string) =>
  page.$eval(selector, (element) => {
    const box = element.getBoundingClientRect()
    return box.width > 0 && box.top >= 0 && box.bottom <= window.innerHeight
  })

describe('note tooltips in Chromium', () => {
  // A work's first note in a chapter is its full note (`Ann Alpha, …, 2001`), later ones short.
  it('open on mouse hover with the formatted note, stay while the pointer moves onto them, and close after', async () => {
    const {page, problems} = await open(browser(), `${builds.basic.url}first.html`)
    expect(await tipState(page, '#cite-1')).toEqual({
      role: 'tooltip',
      visible: false,
      text: 'Ann Alpha, The Alpha Book, 2001, 3.'
    })
    await page.hover('#cite-1')
    await page.waitForFunction(() => document.getElementById('cite-1-tip')?.hidden === false)
    const state = await tipState(page, '#cite-1')
    expect(state).toEqual({
      role: 'tooltip',
      visible: true,
      text: 'Ann Alpha, The Alpha Book, 2001, 3.'
    })
    // The same text as the note at the end of the chapter, with its markup (the title in italics).
    expect(await page.$eval('#note-1 .note__text', (e) => e.textContent)).toBe(state!.text)
    expect(await page.$eval('#cite-1-tip i', (e) => e.textContent)).toBe('The Alpha Book')
    // Hoverable: the pointer can move onto the tooltip without it closing.
    await page.hover('#cite-1-tip')
    await page.waitForTimeout(400)
    expect((await tipState(page, '#cite-1'))?.visible).toBe(true)
    await page.mouse.move(5, 790)
    await page.waitForFunction(() => document.getElementById('cite-1-tip')?.hidden === true)
    // An in-text citation shows the author before its number.
    expect(await page.$eval('#cite-2', (e) => e.closest('.cite')?.textContent?.replace(/“.*$/, ''))).toBe('Beta Notes2')
    expect(problems).toEqual([])
    await page.close()
  })

  it('open on keyboard focus (Tab to the link) and close with Escape', async () => {
    const {page, problems} = await open(browser(), `${builds.basic.url}first.html`)
    let focused = ''
    for (let i = 0; i < 20 && focused !== 'cite-1'; i++) {
      await page.keyboard.press('Tab')
      focused = await page.evaluate(() => document.activeElement?.id ?? '')
    }
    expect(focused).toBe('cite-1')
    await page.waitForFunction(() => document.getElementById('cite-1-tip')?.hidden === false)
    expect(await tipState(page, '#cite-1')).toEqual({
      role: 'tooltip',
      visible: true,
      text: 'Ann Alpha, The Alpha Book, 2001, 3.'
    })
    await page.keyboard.press('Escape')
    await page.waitForFunction(() => document.getElementById('cite-1-tip')?.hidden === true)
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cite-1')
    // The next note link shows its own note, and only that one.
    await page.keyboard.press('Tab')
    expect(await page.evaluate(() => document.activeElement?.id)).toBe('cite-2')
    expect(await tipState(page, '#cite-2')).toEqual({
      role: 'tooltip',
      visible: true,
      text: '“Beta Notes,” n.d.'
    })
    expect((await tipState(page, '#cite-1'))?.visible).toBe(false)
    expect(problems).toEqual([])
    await page.close()
  })

  it('open on a first tap; a second tap follows the link to the note', async () => {
    const context = await browser().newContext({
      hasTouch: true,
      isMobile: true,
      viewport: {width: 360, height: 740}
    })
    const {page, problems} = await open(context, `${builds.basic.url}first.html`, {width: 360, height: 740})
    await page.tap('#cite-1')
    await page.waitForFunction(() => document.getElementById('cite-1-tip')?.hidden === false)
    expect(new URL(page.url()).hash).toBe('')
    expect((await tipState(page, '#cite-1'))?.text).toBe('Ann Alpha, The Alpha Book, 2001, 3.')
    await page.tap('#cite-1')
    await page.waitForFunction(() => location.hash === '#note-1')
    expect(await inView(page, '#note-1')).toBe(true)
    expect(problems).toEqual([])
    await context.close()
  })
})

describe('contested claims in Chromium', () => {
  it('open a popover that lists every source’s account with its citation', async () => {
    const {page, problems} = await open(browser(), `${builds.story.url}the-party.html`)
    const claim = story.chapters.flatMap((c) => c.file.data.contested ?? []).find((c) => c.id === 'party-size')!
    const button = '#party-size button.contested__toggle'
    expect(
      await page.$eval(button, (e) => ({
        expanded: e.getAttribute('aria-expanded'),
        controls: e.getAttribute('aria-controls'),
        name: e.textContent
      }))
    ).toEqual({
      expanded: 'false',
      controls: 'party-size-accounts',
      name: `Sources disagree: ${claim.topic}`
    })
    expect(await page.isVisible('#party-size-accounts')).toBe(false)
    await page.click(button)
    expect(await page.getAttribute(button, 'aria-expanded')).toBe('true')
    expect(await page.isVisible('#party-size-accounts')).toBe(true)
    const accounts = await page.$$eval('#party-size-accounts .contested__list > li', (items) =>
      items.map((item) => ({
        text: (item as HTMLElement).innerText,
        cites: [...item.querySelectorAll('a[role="doc-noteref"]')].map((a) => a.getAttribute('href'))
      }))
    )
    expect(accounts).toHaveLength(claim.accounts.length)
    expect(accounts.map((a) => a.text)).toEqual([
      expect.stringMatching(/^800 hostages/),
      expect.stringMatching(/^500 guests/),
      expect.stringMatching(/^over 400 people/)
    ])
    for (const account of accounts) expect(account.cites).toEqual([expect.stringMatching(/^#note-\d+$/)])
    // A note link inside the popover shows its own tooltip.
    await page.hover('#party-size-accounts .cite__ref')
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLElement>('#party-size-accounts .cite__tip')].some((tip) => !tip.hidden)
    )
    await page.mouse.move(5, 5)
    await page.waitForFunction(() =>
      [...document.querySelectorAll<HTMLElement>('#party-size-accounts .cite__tip')].every((tip) => tip.hidden)
    )
    // Escape closes it and gives focus back to the button.
    await page.focus(button)
    await page.keyboard.press('Escape')
    expect(await page.getAttribute(button, 'aria-expanded')).toBe('false')
    expect(await page.isVisible('#party-size-accounts')).toBe(false)
    expect(await page.evaluate(() => document.activeElement?.classList.contains('contested__toggle'))).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })

  it('is a details element with every account without JavaScript, and links to the disagreements page', async () => {
    const context = await browser().newContext({javaScriptEnabled: false})
    const {page} = await open(context, `${builds.story.url}the-party.html`)
    expect(await page.isVisible('#party-size button.contested__toggle')).toBe(false)
    await page.click('#party-size-accounts > summary')
    expect(await page.$$eval('#party-size-accounts .contested__list > li', (items) => items.length)).toBe(3)
    await page.click('#party-size-accounts .contested__more a')
    await page.waitForURL(/disagreements\.html#party-size$/)
    expect(await inView(page, '#party-size')).toBe(true)
    await context.close()
  })
})

describe('notes and backlinks in Chromium', () => {
  it('a note’s backlink lands on its citation, scrolled into view', async () => {
    const {page, problems} = await open(browser(), `${builds.basic.url}first.html`)
    // Citation 4 is in a scrolly step, far from the notes.
    await page.click('#note-4 a[role="doc-backlink"]')
    await page.waitForFunction(() => location.hash === '#cite-4')
    expect(await page.$eval('#note-4 a[role="doc-backlink"]', (e) => e.getAttribute('aria-label'))).toBe(
      'Back to citation 4'
    )
    expect(await inView(page, '#cite-4')).toBe(true)
    // A citation inside a contested claim's accounts: its popover opens to show it.
    await page.click('#note-6 a[role="doc-backlink"]')
    await page.waitForFunction(() => location.hash === '#cite-6')
    expect(await page.isVisible('#how-many-accounts')).toBe(true)
    expect(await inView(page, '#cite-6')).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })

  it('with JavaScript off, a citation is a link to its note', async () => {
    const context = await browser().newContext({
      javaScriptEnabled: false,
      viewport: {width: 1280, height: 800}
    })
    const {page} = await open(context, `${builds.basic.url}first.html`)
    expect(await tipState(page, '#cite-3')).toMatchObject({visible: false})
    await page.click('#cite-3')
    await page.waitForURL(/#note-3$/)
    expect(await inView(page, '#note-3')).toBe(true)
    expect(
      await page.$eval('#note-3', (e) => ({
        value: e.getAttribute('value'),
        list: e.closest('section')?.getAttribute('role')
      }))
    ).toEqual({value: '3', list: 'doc-endnotes'})
    await context.close()
  })
})

describe('sources and disagreements pages', () => {
  it('links the sources and disagreements pages from the contents and every chapter’s footer', async () => {
    const {page} = await open(browser(), builds.story.url)
    expect(await page.$$eval('.contents-back a', (links) => links.map((a) => a.getAttribute('href')))).toEqual([
      'disagreements.html',
      'sources.html'
    ])
    for (const chapter of story.chapters) {
      await page.goto(`${builds.story.url}${chapter.slug}.html`)
      expect(await page.$$eval('.site-footer nav a', (links) => links.map((a) => a.getAttribute('href')))).toEqual([
        'index.html',
        'disagreements.html',
        'sources.html'
      ])
    }
    await page.close()
  })

  it('gathers every contested claim on the disagreements page, with each account and a link to its place', async () => {
    const {page, problems} = await open(browser(), `${builds.story.url}disagreements.html`)
    const claims = story.chapters.flatMap((chapter) =>
      (chapter.file.data.contested ?? []).map((claim) => ({chapter, claim}))
    )
    const shown = await page.$$eval('section.disagreement', (sections) =>
      sections.map((s) => ({
        id: s.id,
        topic: s.querySelector('h2')?.textContent,
        accounts: s.querySelectorAll('.disagreement__table tbody tr').length,
        cites: s.querySelectorAll('.disagreement__table a[role="doc-noteref"]').length,
        place: s.querySelector('.disagreement__place a')?.getAttribute('href')
      }))
    )
    expect(shown).toEqual(
      claims.map(({chapter, claim}) => ({
        id: claim.id,
        topic: claim.topic,
        accounts: claim.accounts.length,
        cites: claim.accounts.length,
        place: `${chapter.slug}.html#${claim.id}`
      }))
    )
    expect(problems).toEqual([])
    await page.close()
  })

  it('links every bibliography entry of the web story back to every place that cites it', async () => {
    const byKey = placesByKey(citingPlaces(story))
    const {page, problems} = await open(browser(), `${builds.story.url}sources.html`)
    const entries = await page.$$eval('.sources__list > li', (items) =>
      items.map((item) => ({
        id: item.id,
        links: [...item.querySelectorAll('.source__places a[aria-label]')].map((a) => ({
          href: a.getAttribute('href'),
          label: a.getAttribute('aria-label')
        }))
      }))
    )
    expect(entries.map((e) => e.id).sort()).toEqual(story.references.map((item) => `source-${item.id}`).sort())
    for (const item of story.references) {
      const places = notesOnly(byKey.get(item.id) ?? [])
      const links = entries.find((e) => e.id === `source-${item.id}`)!.links
      // en-siege alone is cited in dozens of places: every one of them has its link.
      expect(places.length).toBeGreaterThan(5)
      expect(links).toHaveLength(places.length)
      expect(links).toEqual(
        places.map((p) => ({
          href: `${p.chapter.slug}.html#${p.citation.id}`,
          label: `ch. ${p.chapterNumber}, note ${p.citation.number}`
        }))
      )
    }
    // Every link's target is there.
    const ids = new Map<string, Set<string>>()
    for (const chapter of story.chapters) {
      const html = await fs.readFile(path.join(builds.story.out, 'web', `${chapter.slug}.html`), 'utf8')
      ids.set(`${chapter.slug}.html`, new Set([...html.matchAll(/\sid="([^"]+)"/g)].map((m) => m[1]!)))
    }
    for (const {links} of entries)
      for (const link of links)
        expect(ids.get(link.href!.split('#')[0]!)?.has(link.href!.split('#')[1]!), link.href!).toBe(true)
    expect(problems).toEqual([])
    await page.close()
  })

  it('links every bibliography entry of the EPUB back to every place that cites it', async () => {
    const byKey = placesByKey(citingPlaces(story))
    const files = epubFiles(await fs.readFile(builds.story.epub))
    const doc = (name: string) => files.get(`OEBPS/${name}`)?.toString('utf8') ?? ''
    const sources = doc('sources.xhtml')
    for (const item of story.references) {
      const entry = new RegExp(`<li id="source-${item.id}"[^>]*>([\\s\\S]*?)</li>`).exec(sources)?.[1]
      expect(entry, item.id).toBeDefined()
      const links = [...entry!.matchAll(/<a href="([^"]+)" aria-label="([^"]+)">/g)].map((m) => ({
        href: m[1],
        label: m[2]
      }))
      const places = notesOnly(byKey.get(item.id) ?? [])
      expect(links).toHaveLength(places.length)
      // A citation in a contested claim's accounts is cited in the notes, where its note lists the accounts.
      expect(links).toEqual(
        places.map((p) => ({
          href: `${p.account ? `notes-${p.chapter.slug}.xhtml` : `${p.chapter.slug}.xhtml`}#${p.citation.id}`,
          label: `ch. ${p.chapterNumber}, note ${p.citation.number}`
        }))
      )
      for (const link of links) {
        const [file, id] = link.href!.split('#')
        expect(doc(file!)).toContain(` id="${id}"`)
      }
    }
    // Every noteref points at the element that carries epub:type="endnote" (what Apple Books and Kobo pop up), in the
    // chapter's own notes document.
    let noterefs = 0
    for (const chapter of story.chapters) {
      const notes = doc(`notes-${chapter.slug}.xhtml`)
      for (const [, href] of doc(`${chapter.slug}.xhtml`).matchAll(/<a href="([^"]+)"[^>]*epub:type="noteref"/g)) {
        const [file, id] = href!.split('#')
        expect(file, href).toBe(`notes-${chapter.slug}.xhtml`)
        expect(notes, href).toMatch(new RegExp(`<(?:li|div)(?: class="[^"]*")? id="${id}" epub:type="endnote"`))
        noterefs++
      }
      expect(notes).not.toContain('doc-endnote"')
    }
    expect(noterefs).toBeGreaterThan(90)
  })
})

/** Citing places as the sources list them: a run of citations that share a note is listed once, at its first place. */
function notesOnly(places: CitingPlace[]): CitingPlace[] {
  return places.filter((place, index) => index === 0 || places[index - 1]!.citation.number !== place.citation.number)
}
