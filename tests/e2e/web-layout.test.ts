/**
 * The web story's layouts in real Chromium, on a desktop (1440 × 900) and a
 * phone (360 × 740): every scrolly section of the story and of the layouts
 * fixture (one `overlay`, one `side` section) is read step by step, down and
 * back up, as a reader scrolls. At each step the graphic shows exactly that
 * step's state, stays on screen (sticky), and the step's text is not hidden
 * under it. No layout shift, no error, no CSP violation, no foreign request.
 * Resizing and rotating mid-story keeps the right state and the triggers.
 */
import type {Page} from 'playwright-core'
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'
import {
  drawnState,
  layoutShifts,
  recordLayoutShifts,
  screenshot,
  scrollToRead,
  scrollySections,
  sitePages,
  type ViewportName,
  viewports,
  waitForState,
  watch
} from '../helpers/story.js'

const builds = inject('builds')
const browser = browserForFile()

/** Modes each layout takes on each screen. */
const modes: Record<ViewportName, Record<string, string>> = {
  desktop: {side: 'side', overlay: 'overlay'},
  phone: {side: 'above', overlay: 'behind'}
}

/** Where the step's card and the graphic are, and what is drawn on top at the card's text. */
function geometry(page: Page, sectionId: string, stepId: string) {
  return page.evaluate(
    ([sectionId, stepId]) => {
      const section = document.getElementById(sectionId) as HTMLElement
      const step = document.getElementById(stepId) as HTMLElement
      const card = (step.querySelector('.step__text') as HTMLElement).getBoundingClientRect()
      const svg = Array.from(section.querySelectorAll('.scrolly__graphic svg')).find(
        (s) => s.getClientRects().length > 0
      ) as SVGSVGElement
      const figure = svg.getBoundingClientRect()
      // Sample points across the card's first line of text: each must hit the card, not the graphic.
      const first = step.querySelector('.step__text > *') as HTMLElement
      const line = first.getBoundingClientRect()
      const y = line.top + 12
      const xs = [0.2, 0.5, 0.8].map((f) => line.left + line.width * f)
      const hits = xs.map((x) => document.elementFromPoint(x, y))
      const textOnTop = hits.every((hit) => step.contains(hit))
      const onTop = hits.map((hit) => `${hit?.tagName}.${hit?.getAttribute('class') ?? ''}`).join(', ')
      // The smallest type the graphic shows, in CSS pixels on screen.
      const sizes = Array.from(svg.querySelectorAll('text'))
        .filter((t) => Number(getComputedStyle(t).opacity) > 0 && !t.closest('.tf-off'))
        .map((t) => Number.parseFloat(getComputedStyle(t).fontSize) * (t.getScreenCTM()?.a ?? 0))
      const smallestText = Math.min(...sizes)
      return {
        card: card.toJSON() as DOMRect,
        figure: figure.toJSON() as DOMRect,
        height: window.innerHeight,
        textOnTop,
        onTop: `${onTop} at y=${Math.round(y)}`,
        smallestText
      }
    },
    [sectionId, stepId] as const
  )
}

describe('web story layouts', () => {
  for (const viewportName of ['desktop', 'phone'] as const) {
    for (const book of ['story', 'layouts'] as const) {
      it(`reads every scrolly section of the ${book} book on a ${viewportName}, down and up`, async () => {
        const viewport = viewports[viewportName]
        // Reduced motion: a state shows at once, so computed opacity can be checked right away.
        const context = await browser().newContext({
          viewport,
          reducedMotion: 'reduce'
        })
        const problems = await watch(context, builds[book].url)
        await recordLayoutShifts(context)
        const page = await context.newPage()
        let sectionsSeen = 0
        for (const file of await sitePages(builds[book].out)) {
          await page.goto(`${builds[book].url}${file}`)
          const sections = await scrollySections(page)
          for (const section of sections) {
            sectionsSeen++
            const layout = await page.$eval(`#${section.id}`, (e) =>
              e.classList.contains('scrolly--overlay') ? 'overlay' : 'side'
            )
            expect(section.mode).toBe(modes[viewportName][layout])
            const order = [...section.steps, ...section.steps.slice(0, -1).reverse()]
            for (const [index, step] of order.entries()) {
              await scrollToRead(page, step.id)
              await waitForState(page, section.id, step.state)
              const drawn = await drawnState(page, section.id, step.state)
              expect(drawn.shown.sort(), `${file} ${step.id}`).toEqual(drawn.want.sort())
              expect(drawn.hidden.length, `${file} ${step.id}`).toBe(drawn.total - drawn.want.length)
              const alt = await page.$eval(`#${step.id} .step__figure img`, (e) => e.getAttribute('alt'))
              expect(new Set(drawn.descriptions)).toEqual(new Set([alt]))
              const where = await geometry(page, section.id, step.id)
              // The graphic is pinned on screen, whole.
              expect(where.figure.top, `${file} ${step.id} graphic top`).toBeGreaterThanOrEqual(-1)
              expect(where.figure.bottom, `${file} ${step.id} graphic bottom`).toBeLessThanOrEqual(where.height + 1)
              // Readable type in the graphic: 12 px or more on screen.
              expect(where.smallestText, `${file} ${step.id} smallest text in the graphic`).toBeGreaterThanOrEqual(12)
              // The step's text is on top and on screen.
              expect(where.textOnTop, `${file} ${step.id} text on top: ${where.onTop}`).toBe(true)
              expect(where.card.top).toBeGreaterThanOrEqual(0)
              // Beside or above: the card does not cover the graphic either.
              if (section.mode === 'side') expect(where.card.left).toBeGreaterThanOrEqual(where.figure.right)
              if (section.mode === 'above') expect(where.card.top).toBeGreaterThanOrEqual(where.figure.bottom)
              if (index < section.steps.length)
                await screenshot(page, `layout-${book}-${viewportName}-${file.replace('.html', '')}-${step.id}`)
            }
          }
          await page.evaluate(() =>
            window.scrollTo({
              top: document.documentElement.scrollHeight,
              behavior: 'instant'
            })
          )
          await page.waitForTimeout(100)
          const shift = await layoutShifts(page)
          expect(shift.layoutShift, `${file} layout shift of ${shift.shifted.join(' | ')}`).toBe(0)
        }
        expect(sectionsSeen).toBeGreaterThanOrEqual(2)
        expect(problems).toEqual({errors: [], csp: [], foreign: []})
        await context.close()
      })
    }
  }

  for (const [book, file] of [
    ['story', 'the-movement.html'],
    ['layouts', 'compass.html']
  ] as const) {
    it(`keeps the right state and re-aligns the triggers when the window is resized and the phone rotated (${file})`, async () => {
      const context = await browser().newContext({
        viewport: viewports.desktop,
        reducedMotion: 'reduce'
      })
      const problems = await watch(context, builds[book].url)
      const page = await context.newPage()
      await page.goto(`${builds[book].url}${file}`)
      const landscape = {
        width: viewports.phone.height,
        height: viewports.phone.width
      }
      for (const section of await scrollySections(page)) {
        const steps = section.steps
        expect(steps.length).toBeGreaterThanOrEqual(3)
        const read = async (index: number) => {
          await scrollToRead(page, steps[index].id)
          await waitForState(page, section.id, steps[index].state)
          // Steps may share a state: wait for this step itself to be the active one, which a resize lands again.
          await page.waitForFunction(
            ([id, step]) => document.getElementById(id)?.dataset.activeStep === step,
            [section.id, steps[index].id] as const,
            {timeout: 15_000}
          )
        }
        const landed = async (name: string, index: number) => {
          // The resize handler (one animation frame) and the new observers settle within moments, however busy the machine.
          await expect
            .poll(() => page.$eval(`#${section.id}`, (e) => (e as HTMLElement).dataset.activeState), {
              message: name,
              timeout: 5000
            })
            .toBe(steps[index].state)
          await page.waitForTimeout(300)
          const where = await geometry(page, section.id, steps[index].id)
          expect(where.textOnTop, `${name}: text on top: ${where.onTop}`).toBe(true)
          expect(where.card.top, `${name}: card on screen`).toBeLessThan(where.height)
          await screenshot(page, `resize-${book}-${section.id}-${name}`)
        }
        await page.setViewportSize(viewports.desktop)
        await read(1)
        await landed('desktop', 1)
        await page.setViewportSize(viewports.phone)
        await landed('phone-portrait', 1)
        await page.setViewportSize(landscape)
        await landed('phone-landscape', 1)
        // The triggers follow the new screen: reading each step in turn shows its state.
        for (const index of [0, 1, 2, 1]) await read(index)
        await page.setViewportSize(viewports.phone)
        await landed('phone-portrait-again', 1)
        for (const index of [2, 1, 0, 1]) await read(index)
        await page.setViewportSize(viewports.desktop)
        await landed('desktop-again', 1)
        for (const index of [2, 1, 0, 1]) await read(index)
      }
      expect(problems).toEqual({errors: [], csp: [], foreign: []})
      await context.close()
    })
  }
})
