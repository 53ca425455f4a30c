/**
 * The focus effects in real Chromium: a step's zoom changes the drawn box of
 * its mark (the story's map: Peru, then Lima), a highlight dims the other
 * marks, an inline `:hl` span lights its mark on hover, `progress` reaches 1
 * at the end of its step (the day strip filling), a row that persists slides
 * to its new place, an axis rescales with its ticks (the layouts book's axis),
 * and with reduced motion a zoom or a move applies at once.
 */
import type {Page} from 'playwright-core'
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'

const builds = inject('builds')
const browser = browserForFile()

async function activate(page: Page, step: string, state: string) {
  await page.$eval(`#${step}`, (e) => e.scrollIntoView({block: 'center'}))
  await page.waitForFunction(
    ([id, s]) => document.getElementById(id)?.closest<HTMLElement>('.scrolly')?.dataset.activeState === s,
    [step, state] as const
  )
}

/** The drawn box (in CSS px) of the visible variant's mark `name`. */
function drawnBox(page: Page, name: string) {
  return page.$$eval(`[data-mark="${name}"]`, (marks) => {
    const shown = marks.find((m) => (m as SVGGraphicsElement).getBoundingClientRect().width > 0)
    const box = shown?.getBoundingClientRect()
    return box ? {width: box.width, height: box.height} : undefined
  })
}

describe('focus effects', () => {
  for (const viewport of [
    {width: 1440, height: 900},
    {width: 360, height: 740}
  ])
    it(`zooms the map from South America to Peru to Lima at ${viewport.width} px`, async () => {
      const page = await browser().newPage({viewport})
      await page.goto(`${builds.story.url}live-from-lima.html`)
      const section = await page.$eval('.scrolly', (e) => e.id)
      const before = await drawnBox(page, 'peru')
      await activate(page, `step-live-from-lima-1`, 'peru')
      await page.waitForTimeout(1000)
      const peru = await drawnBox(page, 'peru')
      await activate(page, `step-live-from-lima-2`, 'lima')
      await page.waitForTimeout(1000)
      const lima = await drawnBox(page, 'peru')
      expect(before && peru && lima).toBeTruthy()
      if (!before || !peru || !lima) return
      if (viewport.width === 1440) expect(peru.height).toBeGreaterThan(before.height * 1.3)
      expect(lima.height).toBeGreaterThan(peru.height * 1.3)
      // The map's frame keeps its place and size: only what it shows changes.
      const frame = await page.$eval(`#${section} .scrolly__figure`, (e) => e.getBoundingClientRect().height)
      expect(frame).toBeGreaterThan(0)
      // Back up: the zoom returns to Peru.
      await activate(page, `step-live-from-lima-1`, 'peru')
      await page.waitForTimeout(1000)
      const again = await drawnBox(page, 'peru')
      expect(again?.height).toBeCloseTo(peru.height, 0)
      await page.close()
    })

  for (const reducedMotion of ['no-preference', 'reduce'] as const)
    it(`moves a row that persists to its place in the next state (${reducedMotion === 'reduce' ? 'at once under reduced motion' : 'sliding'})`, async () => {
      const context = await browser().newContext({viewport: {width: 360, height: 740}, reducedMotion})
      const page = await context.newPage()
      await page.goto(`${builds.story.url}those-who-stayed.html`)
      // The Spanish article's row: spread out while the first counts show, moved up for the final figure.
      const row = () =>
        page.$$eval('[data-key="account-1"]', (marks) => {
          const shown = marks.find((m) => !m.closest('.tf-off') && m.getBoundingClientRect().width > 0)
          // From the top of the graphic: the page may scroll between two measures.
          const frame = shown?.closest('.scrolly__figure')?.getBoundingClientRect()
          return shown && frame
            ? {top: shown.getBoundingClientRect().top - frame.top, moving: shown.getAnimations().length > 0}
            : undefined
        })
      await activate(page, 'step-those-who-stayed-1', 'counts')
      await page.waitForTimeout(800)
      const before = await row()
      await activate(page, 'step-those-who-stayed-2', 'remained')
      const during = await row()
      await page.waitForTimeout(1000)
      const after = await row()
      if (!before || !during || !after) throw new Error('no row drawn')
      expect(after.top).toBeLessThan(before.top - 5)
      expect(after.moving).toBe(false)
      if (reducedMotion === 'reduce') {
        expect(during.moving).toBe(false)
        expect(during.top).toBeCloseTo(after.top, 0)
      } else {
        // Mid-change the arriving row is on its way: nearer where the row was than where it goes.
        expect(during.moving).toBe(true)
        expect(during.top).toBeGreaterThan(after.top + 1)
      }
      await context.close()
    })

  it('moves text and never stretches it while a mark that holds it grows', async () => {
    const page = await browser().newPage({viewport: {width: 360, height: 740}})
    await page.goto(`${builds.layouts.url}tally.html`)
    await page.evaluate(() => document.fonts.ready)
    await activate(page, 'tally-members', 'members')
    await page.waitForTimeout(800)
    // Every frame from here: the members' block on screen (it gains a line in the next state) and its headline.
    await page.evaluate(() => {
      const record = window as unknown as {
        samples: Array<{moving: boolean; block: number; width: number; height: number}>
      }
      record.samples = []
      const started = performance.now()
      const sample = () => {
        const block = Array.from(document.querySelectorAll<SVGGElement>('[data-key="members"]')).find(
          (m) => !m.closest('.tf-off') && m.getBoundingClientRect().width > 0
        )
        const headline = block?.querySelector('text')?.getBoundingClientRect()
        if (block && headline)
          record.samples.push({
            moving: block.getAnimations().length > 0,
            block: block.getBoundingClientRect().height,
            width: headline.width,
            height: headline.height
          })
        if (performance.now() - started < 1500) requestAnimationFrame(sample)
      }
      requestAnimationFrame(sample)
    })
    await activate(page, 'tally-guests', 'guests')
    await page.waitForTimeout(1600)
    const samples = await page.evaluate(
      () =>
        (window as unknown as {samples: Array<{moving: boolean; block: number; width: number; height: number}>}).samples
    )
    const moving = samples.filter((s) => s.moving)
    const first = samples[0]
    const last = samples.at(-1)
    if (!first || !last) throw new Error('nothing sampled')
    // The block grew, through sizes between the two…
    expect(last.block).toBeGreaterThan(first.block + 10)
    expect(moving.length).toBeGreaterThan(3)
    expect(moving.some((s) => s.block > first.block + 2 && s.block < last.block - 2)).toBe(true)
    // …and its text kept its size all along.
    for (const s of samples) {
      expect(s.height).toBeCloseTo(first.height, 0)
      expect(s.width).toBeCloseTo(first.width, 0)
    }
    await page.close()
  })

  it('rescales an axis: its ticks and bars slide to the new scale', async () => {
    const page = await browser().newPage({viewport: {width: 1440, height: 900}})
    await page.goto(`${builds.layouts.url}axis.html`)
    const drawn = (key: string) =>
      page.$$eval(`[data-key="${key}"]`, (marks) => {
        const shown = marks.find((m) => !m.closest('.tf-off') && m.getBoundingClientRect().width > 0)
        const box = shown?.getBoundingClientRect()
        // From the top of the graphic: the page may scroll between two measures.
        const frame = shown?.closest('.scrolly__figure')?.getBoundingClientRect()
        return box && frame && shown
          ? {top: box.top - frame.top, height: box.height, moving: shown.getAnimations().length > 0}
          : undefined
      })
    await activate(page, 'axis-one', 'one')
    await page.waitForTimeout(800)
    const [tick, bar] = [await drawn('tick-50'), await drawn('bar-1')]
    // From 0–50 to 0–100: the tick 50 goes from the top of the plot to its middle, the first bar halves.
    await activate(page, 'axis-two', 'two')
    await page.waitForTimeout(150)
    const [tickDuring, barDuring] = [await drawn('tick-50'), await drawn('bar-1')]
    await page.waitForTimeout(1000)
    const [tickAfter, barAfter] = [await drawn('tick-50'), await drawn('bar-1')]
    if (!tick || !bar || !tickDuring || !barDuring || !tickAfter || !barAfter) throw new Error('no axis drawn')
    expect(tickAfter.top).toBeGreaterThan(tick.top + 20)
    expect(barAfter.height).toBeCloseTo(bar.height / 2, 0)
    expect(tickDuring.moving && barDuring.moving).toBe(true)
    expect(tickDuring.top).toBeGreaterThan(tick.top + 1)
    expect(tickDuring.top).toBeLessThan(tickAfter.top - 1)
    expect(barDuring.height).toBeLessThan(bar.height - 1)
    expect(barDuring.height).toBeGreaterThan(barAfter.height + 1)
    await page.close()
  })

  for (const viewport of [
    {width: 1440, height: 900},
    {width: 360, height: 740}
  ])
    it(`rescales the story’s timeline to the four months of the siege at ${viewport.width} px`, async () => {
      const page = await browser().newPage({viewport})
      await page.goto(`${builds.story.url}the-movement.html`)
      const steps = await page.$$eval('.scrolly .step', (e) => e.map((s) => s.id))
      // The tick labels drawn now, and the distance between the takeover's and the raid's marks on the axis.
      const axis = () =>
        page.$eval('.scrolly', (section) => {
          const svg = Array.from(section.querySelectorAll('.scrolly__figure > svg')).find(
            (s) => s.getBoundingClientRect().width > 0
          )
          const on = (e: Element) => !e.closest('.tf-off') && Number(getComputedStyle(e).opacity) > 0.5
          const ticks = Array.from(svg?.querySelectorAll('[data-key^="tick-"]') ?? [])
            .filter(on)
            .map((t) => t.textContent)
          const mark = (key: string) =>
            Array.from(svg?.querySelectorAll(`[data-key="${key}"]`) ?? [])
              .find(on)
              ?.getBoundingClientRect()
          const takeover = mark('event-3')
          const raid = mark('event-4')
          return {ticks, gap: takeover && raid ? raid.x - takeover.x : 0}
        })
      await activate(page, steps.at(-2) ?? '', 'takeover')
      await page.waitForTimeout(1000)
      const whole = await axis()
      await activate(page, steps.at(-1) ?? '', 'siege')
      await page.waitForTimeout(1000)
      const siege = await axis()
      expect(whole.ticks).toContain('1990')
      expect(whole.ticks).not.toContain('Feb')
      expect(siege.ticks).toEqual(expect.arrayContaining(['Dec', '1997', 'Feb', 'Mar', 'Apr']))
      expect(siege.ticks).not.toContain('1990')
      // Four months take most of the axis: the two marks, nearly together on 1982–1997, are far apart.
      expect(whole.gap).toBeLessThan(viewport.width === 1440 ? 30 : 15)
      expect(siege.gap).toBeGreaterThan(whole.gap * 8)
      await page.close()
    })

  for (const viewport of [
    {width: 1440, height: 900},
    {width: 360, height: 740}
  ])
    it(`steps a map’s inset globe aside while a zoomed label runs under it, at ${viewport.width} px`, async () => {
      const page = await browser().newPage({viewport})
      await page.goto(`${builds.layouts.url}map.html`)
      const globe = () =>
        page.$$eval('[data-inset]', (insets) =>
          insets.filter((i) => i.getBoundingClientRect().width > 0).map((i) => Number(getComputedStyle(i).opacity))
        )
      // The layouts book's map has its globe top left: zoomed to Peru, ECUADOR comes under it on a desktop
      // only; zoomed to Lima, Pacific Ocean does on both.
      await activate(page, 'map-peru', 'peru')
      await page.waitForTimeout(1200)
      expect(await globe()).toEqual([viewport.width === 1440 ? 0 : 1])
      await activate(page, 'map-lima', 'lima')
      await page.waitForTimeout(1200)
      expect(await globe()).toEqual([0])
      await page.close()
    })

  it('applies a zoom at once under reduced motion', async () => {
    const context = await browser().newContext({viewport: {width: 1440, height: 900}, reducedMotion: 'reduce'})
    const page = await context.newPage()
    await page.goto(`${builds.story.url}live-from-lima.html`)
    await activate(page, `step-live-from-lima-2`, 'lima')
    await page.waitForTimeout(100)
    const first = await drawnBox(page, 'peru')
    await page.waitForTimeout(800)
    expect(await drawnBox(page, 'peru')).toEqual(first)
    await context.close()
  })

  it('dims every other mark under a highlight, and restores them after', async () => {
    const page = await browser().newPage({viewport: {width: 1440, height: 900}})
    await page.goto(`${builds.story.url}inside.html`)
    const opacities = () =>
      page.$$eval('.scrolly__figure svg.tf-wide [data-mark]', (marks) =>
        Object.fromEntries(marks.map((m) => [m.getAttribute('data-mark'), Number(getComputedStyle(m).opacity)]))
      )
    // The day strip's last step highlights the raid: the takeover, releases and captivity dim.
    await activate(page, 'step-inside-3', 'captivity')
    await page.waitForTimeout(800)
    const before = await opacities()
    expect([before.takeover, before.releases, before.captivity]).toEqual([1, 1, 1])
    await activate(page, 'step-inside-4', 'raid')
    await page.waitForTimeout(800)
    const dimmed = await opacities()
    expect(dimmed.raid).toBe(1)
    for (const other of ['takeover', 'releases', 'captivity']) expect(dimmed[other]).toBeLessThan(0.5)
    await activate(page, 'step-inside-3', 'captivity')
    await page.waitForTimeout(800)
    const after = await opacities()
    expect([after.takeover, after.releases, after.captivity]).toEqual([1, 1, 1])
    await page.close()
  })

  it('lights a mark while its :hl span is hovered or focused, and the step’s own marks otherwise', async () => {
    const page = await browser().newPage({viewport: {width: 1440, height: 900}})
    await page.goto(`${builds.basic.url}first.html`)
    const section = await page.$eval('.scrolly', (e) => e.id)
    // Dimmed marks that are drawn in this state.
    const dim = () =>
      page.$$eval(`#${section} .scrolly__figure [id]`, (marks) =>
        marks
          .filter((m) => m.classList.contains('tf-dim') && !m.classList.contains('tf-off'))
          .map((m) => m.id.replace(/^.*-svg-/, ''))
      )
    const steps = await page.$$eval(`#${section} .step`, (e) => e.map((s) => s.id))
    await activate(page, steps[0] ?? '', 'one')
    expect(await dim()).toEqual([])
    await activate(page, steps[1] ?? '', 'two')
    expect(await dim()).toEqual(['bar-1'])
    // Step three highlights bar-1 and, through its span, bar-3.
    await activate(page, steps[2] ?? '', 'three')
    expect(await dim()).toEqual(['bar-2'])
    await page.hover(`#${steps[2]} .tf-hl`)
    expect(await dim()).toEqual(['bar-1', 'bar-2'])
    expect(await page.$eval(`#${steps[2]} .tf-hl`, (e) => e.classList.contains('is-on'))).toBe(true)
    await page.mouse.move(5, 5)
    expect(await dim()).toEqual(['bar-2'])
    await page.focus(`#${steps[2]} .tf-hl`)
    expect(await dim()).toEqual(['bar-1', 'bar-2'])
    await page.close()
  })

  it('gives a progress step its scroll progress, 1 at its end', async () => {
    const page = await browser().newPage({viewport: {width: 1440, height: 900}})
    await page.goto(`${builds.story.url}inside.html`)
    const step = await page.$eval('.step[data-progress]', (e) => e.id)
    await activate(page, step, 'captivity')
    const progressAt = async (fraction: number) => {
      await page.$eval(
        `#${step} .step__text`,
        (card, f) => {
          const box = card.getBoundingClientRect()
          window.scrollBy(0, box.top + box.height * f - window.innerHeight / 2)
        },
        fraction
      )
      await page.waitForTimeout(150)
      return page.$eval(`#${step}`, (e) => {
        const section = e.closest<HTMLElement>('.scrolly')
        const hidden = section?.querySelectorAll('.scrolly__figure svg.tf-wide .tf-unrevealed').length
        return {progress: Number(section?.dataset.progress), hidden}
      })
    }
    const quarter = await progressAt(0.25)
    expect(quarter.progress).toBeGreaterThan(0.15)
    expect(quarter.progress).toBeLessThan(0.35)
    expect(quarter.hidden).toBeGreaterThan(50)
    const end = await progressAt(1.02)
    expect(end.progress).toBe(1)
    expect(end.hidden).toBe(0)
    await page.close()
  })
})
