/**
 * Room on every screen, in real Chromium, for every scrolly section of the
 * story and of the layouts fixture, at 360 × 740 and 1440 × 900, in every
 * state: no two visible labels of a graphic overlap (the ink of their lines,
 * in the font they are drawn in), and none runs under a map's inset globe
 * (a zoom moves the map's labels, the globe stays put); a step card is never
 * taller than 60 % of the screen; no section has more than a screen of empty
 * scroll before its first card or after its last; on a phone the pinned
 * graphic (credit included) takes at most half the screen; on a desktop a
 * side graphic is at least half the content width.
 */
import type {Page} from 'playwright-core'
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'
import {sitePages, viewports} from '../helpers/story.js'

const builds = inject('builds')
const browser = browserForFile()

interface StateReport {
  state: string
  overlaps: string[]
  graphicHeight: number
  graphicWidth: number
  contentWidth: number
  mode: string
}

/** Measure the section's graphic as drawn now. */
function measure(page: Page, section: string): Promise<StateReport> {
  return page.$eval(`#${section}`, (element) => {
    const section = element as HTMLElement
    const svg = Array.from(section.querySelectorAll<SVGSVGElement>('.scrolly__figure > svg')).find(
      (e) => e.getBoundingClientRect().width > 0
    )
    const pinned = section.querySelector('.scrolly__graphic')?.getBoundingClientRect()
    const main = document.querySelector('main') as HTMLElement
    const style = getComputedStyle(main)
    const contentWidth = main.clientWidth - Number.parseFloat(style.paddingLeft) - Number.parseFloat(style.paddingRight)
    const shown = (node: Element) => {
      for (let e: Element | null = node; e && e !== svg; e = e.parentElement) {
        const css = getComputedStyle(e)
        if (css.display === 'none' || css.visibility === 'hidden' || Number(css.opacity) < 0.5) return false
      }
      return true
    }
    // The box an svg clips to: its viewport (a nested svg's bounding rect is its content's).
    const viewport = (frame: SVGSVGElement | undefined) => {
      const parent = frame?.parentNode
      if (!frame || frame === svg || !(parent instanceof SVGGraphicsElement)) return frame?.getBoundingClientRect()
      const matrix = parent.getScreenCTM()
      if (!matrix) return undefined
      const x = frame.x.baseVal.value
      const y = frame.y.baseVal.value
      const a = new DOMPoint(x, y).matrixTransform(matrix)
      const b = new DOMPoint(x + frame.width.baseVal.value, y + frame.height.baseVal.value).matrixTransform(matrix)
      return {left: a.x, top: a.y, right: b.x, bottom: b.y}
    }
    // Each line of a label, from the start of its first character to the end of its last, and from the top of
    // its ink to the bottom (the glyphs drawn, measured in the label's font: a font's own line box, Literata's
    // 1.49 em, holds room for marks no label has), cut to the (nested) svg that clips it: a label zoomed out of the
    // map is not drawn.
    const ink = document.createElement('canvas').getContext('2d') as CanvasRenderingContext2D
    const boxes = Array.from(svg?.querySelectorAll('text') ?? [])
      .filter(shown)
      .flatMap((text) => {
        const clip = viewport(text.ownerSVGElement ?? svg)
        const matrix = text.getScreenCTM()
        if (!clip || !matrix) return []
        const css = getComputedStyle(text)
        ink.font = `${css.fontStyle} ${css.fontWeight} ${css.fontSize} ${css.fontFamily}`
        const tspans = Array.from(text.querySelectorAll('tspan'))
        return (tspans.length > 0 ? tspans : [text]).flatMap((line) => {
          const value = line.textContent ?? ''
          if (!value.trim()) return []
          const box = line.getBoundingClientRect()
          const baseline = new DOMPoint(0, line.getStartPositionOfChar(0).y).matrixTransform(matrix).y
          const glyphs = ink.measureText(value)
          const left = Math.max(box.left, clip.left)
          const right = Math.min(box.right, clip.right)
          const top = Math.max(baseline - glyphs.actualBoundingBoxAscent * matrix.d, clip.top)
          const bottom = Math.min(baseline + glyphs.actualBoundingBoxDescent * matrix.d, clip.bottom)
          return right - left > 1 && bottom - top > 1 ? [{text: value, label: text, left, right, top, bottom}] : []
        })
      })
    const overlaps: string[] = []
    // A label may not run under a map's inset globe (it stays put while a zoom moves the map's labels), unless the
    // globe has stepped aside.
    for (const inset of Array.from(svg?.querySelectorAll('[data-inset]') ?? []).filter(shown)) {
      const globe = inset.getBoundingClientRect()
      for (const box of boxes)
        if (
          !inset.contains(box.label) &&
          box.left < globe.right - 1 &&
          globe.left < box.right - 1 &&
          box.top < globe.bottom - 1 &&
          globe.top < box.bottom - 1
        )
          overlaps.push(`“${box.text}” × the inset globe`)
    }
    boxes.forEach((a, i) => {
      for (const b of boxes.slice(i + 1)) {
        if (
          a.label !== b.label &&
          a.left < b.right - 1 &&
          b.left < a.right - 1 &&
          a.top < b.bottom - 1 &&
          b.top < a.bottom - 1
        )
          overlaps.push(`“${a.text}” × “${b.text}”`)
      }
    })
    return {
      state: section.dataset.activeState ?? '',
      overlaps,
      graphicHeight: pinned?.height ?? 0,
      graphicWidth: svg?.getBoundingClientRect().width ?? 0,
      contentWidth,
      mode: getComputedStyle(section).getPropertyValue('--tf-mode').trim()
    }
  })
}

describe('graphics fit every screen', () => {
  for (const book of ['story', 'layouts', 'basic'] as const) {
    for (const [name, viewport] of Object.entries(viewports)) {
      it(`${book} at ${viewport.width} px: no overlapping labels, cards and graphics in bounds`, async () => {
        const build = builds[book]
        const context = await browser().newContext({viewport, reducedMotion: 'reduce'})
        const page = await context.newPage()
        const problems: string[] = []
        let states = 0
        for (const file of await sitePages(build.out)) {
          await page.goto(`${build.url}${file}`)
          await page.evaluate(() => document.fonts.ready)
          for (const section of await page.$$eval('.scrolly', (e) => e.map((s) => s.id))) {
            const where = `${file}#${section} at ${name}`
            const geometry = await page.$eval(`#${section}`, (s) => {
              const cards = Array.from(s.querySelectorAll('.step__text')).map((c) => c.getBoundingClientRect())
              const box = s.getBoundingClientRect()
              return {
                before: (cards[0]?.top ?? box.top) - box.top,
                after: box.bottom - (cards.at(-1)?.bottom ?? box.bottom),
                cards: cards.map((c) => c.height)
              }
            })
            if (geometry.before > viewport.height)
              problems.push(`${where}: ${geometry.before} px before the first card`)
            if (geometry.after > viewport.height) problems.push(`${where}: ${geometry.after} px after the last card`)
            geometry.cards.forEach((height, i) => {
              if (height > viewport.height * 0.6)
                problems.push(`${where}: card ${i + 1} is ${Math.round(height)} px tall`)
            })
            for (const step of await page.$$eval(`#${section} .step`, (e) => e.map((s) => s.id))) {
              await page.$eval(`#${step}`, (e) => e.scrollIntoView({block: 'center'}))
              await page.waitForFunction(([s, id]) => document.getElementById(s)?.dataset.activeStep === id, [
                section,
                step
              ] as const)
              await page.waitForTimeout(50)
              const report = await measure(page, section)
              states++
              for (const overlap of report.overlaps) problems.push(`${where}, state ${report.state}: ${overlap}`)
              if (report.mode === 'above' && report.graphicHeight > viewport.height / 2)
                problems.push(`${where}: pinned graphic ${report.graphicHeight} px tall`)
              if (report.mode === 'side' && report.graphicWidth < report.contentWidth / 2)
                problems.push(`${where}: graphic ${report.graphicWidth} px of ${report.contentWidth} px`)
            }
          }
        }
        expect(states).toBeGreaterThan(0)
        expect(problems).toEqual([])
        await context.close()
      })
    }
  }
})
