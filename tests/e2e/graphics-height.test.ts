/**
 * A graphic whose states differ in height, in real Chromium on a 360 × 740
 * phone: the pinned frame ends where the state on screen ends, so no blank
 * is kept for a group not reached yet, and the page never shifts (CLS 0)
 * while the frame grows. The layouts book's tally: a unit chart whose second
 * group comes in its last state.
 */
import type {Page} from 'playwright-core'
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'
import {layoutShifts, recordLayoutShifts, waitForState} from '../helpers/story.js'

const builds = inject('builds')
const browser = browserForFile()

/**
 * How far down from its top the pinned graphic reaches, as the reader's pointer finds it (a column of the page
 * left of the step cards): the lowest point that hits the graphic, and the bottom of its lowest text.
 */
function reach(page: Page) {
  return page.$eval('#tally-members', (step) => {
    const section = step.closest('.scrolly') as HTMLElement
    const graphic = section.querySelector('.scrolly__graphic') as HTMLElement
    let bottom = 0
    for (let y = 0; y < window.innerHeight; y++) if (graphic.contains(document.elementFromPoint(3, y))) bottom = y + 1
    const svg = Array.from(section.querySelectorAll('.scrolly__figure > svg')).find(
      (s) => s.getBoundingClientRect().width > 0
    )
    const texts = Array.from(svg?.querySelectorAll('text') ?? []).filter(
      (t) => !t.closest('.tf-off') && t.getBoundingClientRect().height > 0
    )
    // From the graphic's top: it may not be pinned yet.
    const top = graphic.getBoundingClientRect().top
    return {bottom: bottom - top, text: Math.max(...texts.map((t) => t.getBoundingClientRect().bottom)) - top}
  })
}

describe('a graphic as tall as the state it shows', () => {
  it('ends the pinned frame at each state’s own bottom, with no layout shift, at 360 px', async () => {
    const context = await browser().newContext({viewport: {width: 360, height: 740}})
    await recordLayoutShifts(context)
    const page = await context.newPage()
    await page.goto(`${builds.layouts.url}tally.html`)
    await page.evaluate(() => document.fonts.ready)
    const section = await page.$eval('#tally-members', (e) => e.closest('.scrolly')?.id ?? '')
    // Scroll down as a reader would, a quarter screen at a time, into each step.
    const scrollTo = async (step: string) => {
      const goal = await page.$eval(`#${step} .step__text`, (card) => card.getBoundingClientRect().top - 500)
      for (let done = 0; done < goal; done += 180) {
        await page.mouse.wheel(0, Math.min(180, goal - done))
        await page.waitForTimeout(60)
      }
    }
    await scrollTo('tally-members')
    await waitForState(page, section, 'members')
    await page.waitForTimeout(900)
    const members = await reach(page)
    await scrollTo('tally-guests')
    await waitForState(page, section, 'guests')
    await page.waitForTimeout(900)
    const guests = await reach(page)
    // The first state shows one group of two: its frame ends far above the second state's, just below its credit.
    expect(members.bottom).toBeGreaterThan(100)
    expect(members.bottom).toBeLessThan(guests.bottom - 60)
    expect(members.bottom - members.text).toBeLessThan(24)
    expect(guests.bottom - guests.text).toBeLessThan(24)
    expect(members.text).toBeGreaterThan(0)
    // Back up: the frame is short again.
    await page.$eval('#tally-members', (e) => e.scrollIntoView({block: 'center'}))
    await waitForState(page, section, 'members')
    await page.waitForTimeout(900)
    expect((await reach(page)).bottom).toBeCloseTo(members.bottom, -1)
    expect((await layoutShifts(page)).layoutShift).toBe(0)
    await context.close()
  })
})
