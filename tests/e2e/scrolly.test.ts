/**
 * The built web story in real Chromium: scrolling a scrolly section changes
 * the graphic's state at each step; with JavaScript off every step's text and
 * static figure is there; deep links show their step's state.
 */
import type {Page} from 'playwright-core'
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'

const builds = inject('builds')
const browser = browserForFile()

/** The ids of the graphic's elements that are visible (not `tf-off`) in a section. */
async function visibleStateElements(page: Page, section: string): Promise<string[]> {
  return page.$$eval(`#${section} .scrolly__graphic [data-states]`, (elements) =>
    elements.filter((e) => !e.classList.contains('tf-off')).map((e) => e.id)
  )
}

describe('web story in Chromium', () => {
  it('drives the graphic through every state while scrolling', async () => {
    const page = await browser().newPage({viewport: {width: 1440, height: 900}})
    const errors: string[] = []
    page.on('pageerror', (e) => errors.push(String(e)))
    page.on('console', (m) => {
      if (m.type() === 'error') errors.push(m.text())
    })
    await page.goto(`${builds.basic.url}first.html`)
    const section = await page.$eval('.scrolly', (e) => e.id)
    const steps = await page.$$eval(`#${section} .step`, (elements) =>
      elements.map((e) => ({id: e.id, state: e.getAttribute('data-state')}))
    )
    expect(steps.map((s) => s.state)).toEqual(['one', 'two', 'three'])
    const expected: Record<string, string[]> = {
      one: [],
      two: ['svg-bar-2'],
      three: ['svg-bar-2', 'svg-bar-3']
    }
    for (const step of steps) {
      await page.$eval(`#${step.id}`, (e) => e.scrollIntoView({block: 'center'}))
      await page.waitForFunction(
        ([sectionId, state]) => document.getElementById(sectionId)?.dataset.activeState === state,
        [section, step.state ?? ''] as const
      )
      const visible = await visibleStateElements(page, section)
      expect(visible.map((id) => id.replace(`${section}-`, ''))).toEqual(expected[step.state ?? ''])
      const description = await page.$eval(`#${section} .tf-state-desc`, (e) => e.textContent)
      expect(description).toBe(await page.$eval(`#${step.id} .step__figure img`, (e) => e.getAttribute('alt')))
    }
    // Graphic stays in view (sticky) while the last step is centred.
    const box = await page.$eval(`#${section} .scrolly__figure`, (e) => e.getBoundingClientRect().toJSON())
    expect(box.top).toBeGreaterThanOrEqual(0)
    expect(box.bottom).toBeLessThanOrEqual(900)
    expect(errors).toEqual([])
    await page.close()
  })

  it('shows every step and its static figure with JavaScript off', async () => {
    const context = await browser().newContext({
      javaScriptEnabled: false,
      viewport: {width: 360, height: 740}
    })
    const page = await context.newPage()
    await page.goto(`${builds.basic.url}first.html`)
    const steps = await page.$$eval('.step', (elements) =>
      elements.map((e) => ({
        text: (e.querySelector('.step__text') as HTMLElement).innerText.trim(),
        figure: getComputedStyle(e.querySelector('.step__figure') as Element).display,
        alt: e.querySelector('.step__figure img')?.getAttribute('alt')
      }))
    )
    expect(steps).toHaveLength(3)
    for (const step of steps) {
      expect(step.text.length).toBeGreaterThan(10)
      expect(step.figure).not.toBe('none')
      expect(step.alt).toMatch(/bar/)
    }
    expect(await page.$eval('.scrolly__graphic', (e) => getComputedStyle(e).display)).toBe('none')
    const images = await page.$$eval('.step__figure img', (elements) =>
      elements.map((e) => (e as HTMLImageElement).naturalWidth)
    )
    expect(images.every((w) => w > 0)).toBe(true)
    await context.close()
  })

  it('loads a deep link to a step with that step’s state shown', async () => {
    const page = await browser().newPage({viewport: {width: 360, height: 740}})
    await page.goto(`${builds.basic.url}first.html#second-bar`)
    await page.waitForFunction(() => document.querySelector<HTMLElement>('.scrolly')?.dataset.activeState === 'two')
    await page.close()
  })

  it('has a cover page with contents and an EPUB download', async () => {
    const page = await browser().newPage()
    await page.goto(builds.basic.url)
    expect(await page.textContent('h1')).toBe('A Test of Two Books')
    const links = await page.$$eval('.contents a', (elements) => elements.map((e) => e.getAttribute('href')))
    expect(links).toEqual(['first.html', 'second.html'])
    const epub = await page.$eval('a[download]', (e) => e.getAttribute('href'))
    const response = await page.request.get(`${builds.basic.url}${epub}`)
    expect(response.status()).toBe(200)
    expect((await response.body()).subarray(0, 2).toString()).toBe('PK')
    await page.close()
  })
})
