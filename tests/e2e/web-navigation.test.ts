/**
 * Getting around the web story in real Chromium, on a desktop and a phone:
 * keyboard only (Tab reaches every step; Next and Previous move between steps,
 * move focus and show the state; focus is visible and never hidden under a
 * pinned graphic), deep links to every step (the page loads with that step's
 * state and its text readable), in-page jumps that skip steps (the state is
 * that of the step landed on, whole), and the reading-progress bar.
 */
import type {Page} from 'playwright-core'
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'
import {drawnState, screenshot, scrollySections, sitePages, viewports, waitForState, watch} from '../helpers/story.js'

const builds = inject('builds')
const browser = browserForFile()

/** The focused element: where it is, whether it is on top and visibly outlined, and the step it is in. */
function focused(page: Page) {
  return page.evaluate(() => {
    const element = document.activeElement as HTMLElement | null
    if (!element || element === document.body) return undefined
    const box = element.getBoundingClientRect()
    const x = box.left + Math.min(box.width / 2, 8)
    const y = box.top + box.height / 2
    const hit = document.elementFromPoint(x, y)
    const step = element.closest<HTMLElement>('.step')
    // A step takes focus as a whole; its card shows the ring.
    const ringed = step === element ? (element.querySelector('.step__text') as HTMLElement) : element
    const style = getComputedStyle(ringed)
    return {
      tag: element.tagName,
      className: element.className,
      text: element.textContent?.trim().slice(0, 40) ?? '',
      step: step?.id,
      onScreen: box.top >= 0 && box.bottom <= window.innerHeight,
      onTop: hit !== null && (element === hit || element.contains(hit) || hit.contains(element)),
      outline: style.outlineStyle !== 'none' && Number.parseFloat(style.outlineWidth) >= 2
    }
  })
}

describe('web story navigation', () => {
  for (const viewportName of ['desktop', 'phone'] as const) {
    for (const [book, file] of [
      ['layouts', 'compass.html'],
      ['story', 'those-who-stayed.html']
    ] as const) {
      it(`moves through ${file} with the keyboard alone on a ${viewportName}`, async () => {
        const context = await browser().newContext({
          viewport: viewports[viewportName],
          reducedMotion: 'reduce'
        })
        const problems = await watch(context, builds[book].url)
        const page = await context.newPage()
        await page.goto(`${builds[book].url}${file}`)
        const sections = await scrollySections(page)
        const allSteps = sections.flatMap((s) => s.steps.map((step) => ({...step, section: s.id})))

        // Tab from the top of the page: every step is reached, and each focused control is visible and on top.
        const reached = new Set<string>()
        for (let i = 0; i < 200; i++) {
          await page.keyboard.press('Tab')
          const now = await focused(page)
          if (!now) break
          expect(now.outline, `focus ring on ${now.tag}.${now.className} “${now.text}”`).toBe(true)
          if (now.step) {
            reached.add(now.step)
            const step = allSteps.find((s) => s.id === now.step)
            if (!step) throw new Error(`unknown step ${now.step}`)
            await waitForState(page, step.section, step.state)
            const again = await focused(page)
            expect(again?.onScreen, `${now.step}: “${now.text}” on screen`).toBe(true)
            expect(again?.onTop, `${now.step}: “${now.text}” not covered`).toBe(true)
          }
          if (now.tag === 'A' && now.className.includes('chapter-nav__next')) break
        }
        expect([...reached].sort()).toEqual(allSteps.map((s) => s.id).sort())

        // Next, then Previous, from the first step of each section: focus moves to the step, the state follows.
        for (const section of sections) {
          await page.focus(`#${section.steps[0].id} .step__link--next`)
          await waitForState(page, section.id, section.steps[0].state)
          for (const [index, step] of section.steps.entries()) {
            if (index === 0) continue
            await page.keyboard.press('Enter')
            await waitForState(page, section.id, step.state)
            const now = await focused(page)
            expect(now?.step).toBe(step.id)
            expect(now?.tag).toBe('DIV')
            expect(await page.evaluate(() => location.hash)).toBe(`#${step.id}`)
            // The landed card is readable: its first line is on top and on screen.
            const card = await page.$eval(`#${step.id} .step__text > *`, (e) => {
              const box = e.getBoundingClientRect()
              const hit = document.elementFromPoint(box.left + 20, box.top + 10)
              return {
                top: box.top,
                onTop: hit !== null && e.contains(hit),
                height: window.innerHeight
              }
            })
            expect(card.onTop, `${step.id} card on top`).toBe(true)
            expect(card.top).toBeLessThan(card.height * 0.75)
            if (index === 1) await screenshot(page, `keyboard-${book}-${viewportName}-${step.id}`)
            // From the focused step, Tab goes on inside it: its links, then its Next link.
            if (index < section.steps.length - 1) {
              for (let i = 0; i < 20; i++) {
                await page.keyboard.press('Tab')
                if ((await focused(page))?.className.includes('step__link--next')) break
              }
              expect((await focused(page))?.step).toBe(step.id)
            }
          }
          // Back up one step with Previous.
          const last = section.steps.length - 1
          await page.focus(`#${section.steps[last].id} .step__link--prev`)
          await page.keyboard.press('Enter')
          await waitForState(page, section.id, section.steps[last - 1].state)
          expect((await focused(page))?.step).toBe(section.steps[last - 1].id)
        }
        expect(problems).toEqual({errors: [], csp: [], foreign: []})
        await context.close()
      })
    }
  }

  for (const viewportName of ['desktop', 'phone'] as const) {
    it(`loads a deep link to every step with its state shown and its text readable, on a ${viewportName}`, async () => {
      const context = await browser().newContext({
        viewport: viewports[viewportName],
        reducedMotion: 'reduce'
      })
      let count = 0
      for (const book of ['story', 'layouts'] as const) {
        const problems = await watch(context, builds[book].url)
        for (const file of await sitePages(builds[book].out)) {
          const probe = await context.newPage()
          await probe.goto(`${builds[book].url}${file}`)
          const sections = await scrollySections(probe)
          await probe.close()
          for (const section of sections) {
            for (const step of section.steps) {
              const page = await context.newPage()
              await page.goto(`${builds[book].url}${file}#${step.id}`)
              await waitForState(page, section.id, step.state)
              // Wait for load (late fragment re-scrolls) and check the state held.
              await page.waitForLoadState('load')
              await page.waitForTimeout(150)
              expect(
                await page.$eval(`#${section.id}`, (e) => (e as HTMLElement).dataset.activeState),
                `${file}#${step.id}`
              ).toBe(step.state)
              const drawn = await drawnState(page, section.id, step.state)
              expect(drawn.shown.sort()).toEqual(drawn.want.sort())
              const card = await page.$eval(`#${step.id} .step__text > *`, (e) => {
                const box = e.getBoundingClientRect()
                const hit = document.elementFromPoint(box.left + 20, box.top + 10)
                return {
                  top: box.top,
                  onTop: hit !== null && e.contains(hit),
                  height: window.innerHeight
                }
              })
              expect(card.onTop, `${file}#${step.id}: text on top`).toBe(true)
              expect(card.top, `${file}#${step.id}: text on screen`).toBeGreaterThanOrEqual(0)
              expect(card.top).toBeLessThan(card.height * 0.75)
              if (count % 5 === 0) await screenshot(page, `deeplink-${book}-${viewportName}-${step.id}`)
              count++
              await page.close()
            }
          }
        }
        expect(problems).toEqual({errors: [], csp: [], foreign: []})
      }
      expect(count).toBeGreaterThanOrEqual(20)
      await context.close()
    })
  }

  it('never skips a state when an in-page link jumps over steps, and follows Back', async () => {
    const context = await browser().newContext({
      viewport: viewports.phone,
      reducedMotion: 'reduce'
    })
    const page = await context.newPage()
    await page.goto(`${builds.layouts.url}compass.html#bar-one`)
    await waitForState(page, 'scrolly-compass-2', 'one')
    // The chapter's own link to the third bar, below the section.
    await page.click('a[href="#bar-three"]:not(.step__link)')
    await waitForState(page, 'scrolly-compass-2', 'three')
    const drawn = await drawnState(page, 'scrolly-compass-2', 'three')
    expect(drawn.shown.sort()).toEqual(['scrolly-compass-2-svg-bar-2', 'scrolly-compass-2-svg-bar-3'])
    await page.goBack()
    await waitForState(page, 'scrolly-compass-2', 'one')
    expect((await drawnState(page, 'scrolly-compass-2', 'one')).shown).toEqual([])
    // A link to an element inside a step shows that step's state too.
    await page.goto(`${builds.story.url}inside.html`)
    const [section] = await scrollySections(page)
    const inner = await page.$eval(`#${section.steps[2].id} [id]`, (e) => e.id)
    await page.goto(`${builds.story.url}inside.html#${inner}`)
    await waitForState(page, section.id, section.steps[2].state)
    await context.close()
  })

  it('shows reading progress without moving the layout', async () => {
    const page = await browser().newPage({viewport: viewports.phone})
    await page.goto(`${builds.story.url}the-party.html`)
    const bar = () =>
      page.$eval('.progress__bar', (e) => ({
        scale: new DOMMatrix(getComputedStyle(e).transform).a,
        hidden: e.closest('[aria-hidden="true"]') !== null,
        position: getComputedStyle(e.parentElement as Element).position
      }))
    expect(await bar()).toEqual({scale: 0, hidden: true, position: 'fixed'})
    await page.evaluate(() =>
      window.scrollTo({
        top: (document.documentElement.scrollHeight - window.innerHeight) / 2,
        behavior: 'instant'
      })
    )
    await page.waitForFunction(
      () => new DOMMatrix(getComputedStyle(document.querySelector('.progress__bar') as Element).transform).a > 0.4
    )
    expect((await bar()).scale).toBeLessThan(0.6)
    await page.evaluate(() =>
      window.scrollTo({
        top: document.documentElement.scrollHeight,
        behavior: 'instant'
      })
    )
    await page.waitForFunction(
      () => new DOMMatrix(getComputedStyle(document.querySelector('.progress__bar') as Element).transform).a === 1
    )
    await page.close()
  })
})
