/**
 * The web story in the modes readers bring: JavaScript off (the whole story
 * reads top to bottom with a static figure after every step), reduced motion
 * (states change without animation), a dark colour scheme (the graphics'
 * palette follows, text keeps its contrast) and print (steps with their
 * static figures, no sticky graphic, no controls).
 */

import fs from 'node:fs/promises'
import path from 'node:path'
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'
import {root} from '../helpers/fixture-book.js'
import {
  axe,
  screenshot,
  scrollToRead,
  scrollySections,
  sitePages,
  viewports,
  waitForState,
  watch
} from '../helpers/story.js'

const builds = inject('builds')
const browser = browserForFile()

describe('web story modes', () => {
  for (const viewportName of ['desktop', 'phone'] as const) {
    it(`reads top to bottom with static figures when JavaScript is off, on a ${viewportName}`, async () => {
      const context = await browser().newContext({
        javaScriptEnabled: false,
        viewport: viewports[viewportName]
      })
      const problems = await watch(context, builds.story.url)
      const page = await context.newPage()
      let steps = 0
      for (const file of await sitePages(builds.story.out)) {
        await page.goto(`${builds.story.url}${file}`, {waitUntil: 'load'})
        const report = await page.evaluate(() => {
          const shown = (e: Element | null) =>
            e !== null && getComputedStyle(e).display !== 'none' && e.getClientRects().length > 0
          const figures = Array.from(document.querySelectorAll<HTMLImageElement>('.step__figure img'))
          return {
            stickyShown: Array.from(document.querySelectorAll('.scrolly__graphic')).some(shown),
            progressShown: shown(document.querySelector('.progress')),
            steps: Array.from(document.querySelectorAll('.step')).map((step) => ({
              text: (step.querySelector('.step__text') as HTMLElement).innerText.trim().length,
              figure: shown(step.querySelector('.step__figure')),
              loaded: (step.querySelector('.step__figure img') as HTMLImageElement | null)?.naturalWidth ?? 0,
              alt: step.querySelector('.step__figure img')?.getAttribute('alt') ?? ''
            })),
            // Steps follow one another down the page, each figure below its own text.
            inOrder: Array.from(document.querySelectorAll('.step')).every((step, i, all) => {
              const box = step.getBoundingClientRect()
              const next = all[i + 1]?.getBoundingClientRect()
              const text = (step.querySelector('.step__text') as HTMLElement).getBoundingClientRect()
              const figure = (step.querySelector('.step__figure') as HTMLElement).getBoundingClientRect()
              return figure.top >= text.bottom - 1 && (!next || next.top >= box.bottom - 1)
            }),
            figuresFit: figures.every((img) => img.getBoundingClientRect().right <= window.innerWidth + 1)
          }
        })
        expect(report.stickyShown, file).toBe(false)
        expect(report.progressShown, file).toBe(false)
        expect(report.inOrder, file).toBe(true)
        expect(report.figuresFit, file).toBe(true)
        for (const step of report.steps) {
          expect(step.text).toBeGreaterThan(20)
          expect(step.figure).toBe(true)
          expect(step.loaded).toBeGreaterThan(0)
          expect(step.alt.length).toBeGreaterThan(20)
        }
        steps += report.steps.length
        if (report.steps.length > 0) await screenshot(page, `nojs-${viewportName}-${file.replace('.html', '')}`, true)
      }
      expect(steps).toBeGreaterThanOrEqual(14)
      expect(problems).toEqual({errors: [], csp: [], foreign: []})
      await context.close()
    })
  }

  it('changes states without animation when the reader prefers reduced motion, and animates otherwise', async () => {
    const opacityAfterOneFrame = async (reducedMotion: 'reduce' | 'no-preference') => {
      const page = await browser().newPage({
        viewport: viewports.desktop,
        reducedMotion
      })
      await page.goto(`${builds.layouts.url}compass.html`)
      const [section] = await scrollySections(page)
      await scrollToRead(page, section.steps[0].id)
      await waitForState(page, section.id, section.steps[0].state)
      await page.waitForTimeout(600)
      // Record the newly shown dot's opacity one frame after its class changes.
      const measured = page.evaluate(
        (id) =>
          new Promise<number>((resolve) => {
            const dot = document.getElementById(id) as unknown as SVGElement
            new MutationObserver(() =>
              requestAnimationFrame(() => resolve(Number(getComputedStyle(dot).opacity)))
            ).observe(dot, {attributes: true, attributeFilter: ['class']})
          }),
        `${section.id}-svg-dot-east`
      )
      await scrollToRead(page, section.steps[1].id)
      const opacity = await measured
      const duration = await page.$eval(`#${section.id}-svg-dot-east`, (e) => getComputedStyle(e).transitionDuration)
      await page.close()
      return {opacity, duration}
    }
    expect(await opacityAfterOneFrame('reduce')).toEqual({
      opacity: 1,
      duration: '0s'
    })
    const animated = await opacityAfterOneFrame('no-preference')
    // What arrives fades in after what leaves has faded out (0.2 s), so the two never overlap.
    expect(animated.duration).toBe('0.25s')
    expect(animated.opacity).toBeLessThan(1)
  })

  for (const viewportName of ['desktop', 'phone'] as const) {
    it(`restyles the graphics for a dark colour scheme and keeps contrast, on a ${viewportName}`, async () => {
      const context = await browser().newContext({
        viewport: viewports[viewportName],
        colorScheme: 'dark',
        reducedMotion: 'reduce'
      })
      const problems = await watch(context, builds.story.url)
      const page = await context.newPage()
      for (const file of ['live-from-lima.html', 'inside.html']) {
        await page.goto(`${builds.story.url}${file}`)
        const [section] = await scrollySections(page)
        await scrollToRead(page, section.steps[1].id)
        await waitForState(page, section.id, section.steps[1].state)
        const colours = await page.$eval(`#${section.id} .scrolly__graphic`, (graphic) => {
          const svg = Array.from(graphic.querySelectorAll('svg')).find(
            (s) => s.getClientRects().length > 0
          ) as SVGSVGElement
          const paint = (selector: string, property: 'fill' | 'stroke') => {
            const element = svg.querySelector(selector)
            return element ? getComputedStyle(element)[property] : undefined
          }
          return {
            page: getComputedStyle(document.body).backgroundColor,
            bg: paint('rect.tf-bg', 'fill'),
            ink: paint('text.tf-ink', 'fill'),
            muted: paint('text.tf-muted', 'fill'),
            // No element keeps its light-mode paint: every palette class is restyled.
            light: Array.from(svg.querySelectorAll('[class*="tf-"]')).filter((e) => {
              const style = getComputedStyle(e)
              return (
                ['rgb(255, 255, 255)', 'rgb(26, 26, 26)'].includes(style.fill) ||
                ['rgb(26, 26, 26)'].includes(style.stroke)
              )
            }).length
          }
        })
        expect(colours).toEqual({
          page: 'rgb(18, 18, 18)',
          // Graphics have no background of their own: the page shows through.
          bg: undefined,
          ink: 'rgb(236, 236, 236)',
          muted: 'rgb(179, 179, 179)',
          light: 0
        })
        await screenshot(page, `dark-${viewportName}-${file.replace('.html', '')}`)
        expect(await axe(page)).toEqual([])
      }
      expect(problems).toEqual({errors: [], csp: [], foreign: []})
      await context.close()
    })
  }

  it('prints the steps with their static figures and without the sticky graphic or controls', async () => {
    const context = await browser().newContext({
      viewport: viewports.desktop,
      colorScheme: 'dark'
    })
    const page = await context.newPage()
    await page.goto(`${builds.story.url}inside.html`)
    await page.emulateMedia({media: 'print'})
    await page.waitForFunction(() =>
      Array.from(document.querySelectorAll<HTMLImageElement>('.step__figure img')).every(
        (img) => img.complete && img.naturalWidth > 0
      )
    )
    const report = await page.evaluate(() => {
      const display = (selector: string) =>
        Array.from(document.querySelectorAll(selector)).map((e) => getComputedStyle(e).display)
      return {
        graphic: display('.scrolly__graphic'),
        figures: display('.step__figure'),
        controls: [
          ...display('.step__nav'),
          ...display('.progress'),
          ...display('.chapter-nav'),
          ...display('.site-header')
        ],
        ink: getComputedStyle(document.body).color,
        paper: getComputedStyle(document.body).backgroundColor
      }
    })
    expect(new Set(report.graphic)).toEqual(new Set(['none']))
    expect(report.figures.length).toBeGreaterThanOrEqual(4)
    expect(new Set(report.figures)).toEqual(new Set(['block']))
    expect(new Set(report.controls)).toEqual(new Set(['none']))
    // Dark on screen, black on white on paper.
    expect(report.ink).toBe('rgb(0, 0, 0)')
    expect(report.paper).toBe('rgb(255, 255, 255)')
    const pdf = await page.pdf({format: 'A4', printBackground: true})
    expect(pdf.subarray(0, 4).toString()).toBe('%PDF')
    await fs.mkdir(path.join(root, 'test-results', 'screens'), {
      recursive: true
    })
    await fs.writeFile(path.join(root, 'test-results', 'screens', 'print-inside.pdf'), pdf)
    await screenshot(page, 'print-inside', true)
    await context.close()
  })
})
