/**
 * Accessibility of every page of the built web stories (the story, the basic
 * and the layouts fixture books) in real Chromium, on a desktop and a phone:
 * axe-core finds no violation (before and after scrolling through the
 * scrolly sections), headings never skip a level, every page has a `lang`,
 * and each sticky graphic has an accessible name and a description that
 * follows the active step, with no live region announcing every step.
 */
import {describe, expect, inject, it} from 'vitest'
import {browserForFile} from '../helpers/browser.js'
import {axe, scrollToRead, scrollySections, sitePages, viewports, waitForState} from '../helpers/story.js'

const builds = inject('builds')
const browser = browserForFile()

describe('web story accessibility', () => {
  for (const viewportName of ['desktop', 'phone'] as const) {
    for (const book of ['story', 'basic', 'layouts'] as const) {
      it(`has no axe violations on any page of the ${book} book on a ${viewportName}`, async () => {
        const context = await browser().newContext({
          viewport: viewports[viewportName],
          reducedMotion: 'reduce'
        })
        const page = await context.newPage()
        const pages = await sitePages(builds[book].out)
        expect(pages.length).toBeGreaterThanOrEqual(3)
        for (const file of pages) {
          await page.goto(`${builds[book].url}${file}`)
          expect(await axe(page), `${file} on load`).toEqual([])

          const outline = await page.evaluate(() => ({
            lang: document.documentElement.lang,
            levels: Array.from(document.querySelectorAll('h1, h2, h3, h4, h5, h6')).map((h) => Number(h.tagName[1])),
            live: document.querySelectorAll('.scrolly [aria-live], .scrolly [role="status"], .scrolly [role="alert"]')
              .length
          }))
          expect(outline.lang, file).toMatch(/^[a-z]{2,3}(-[A-Za-z0-9]+)*$/)
          expect(outline.levels[0], `${file} opens with its h1`).toBe(1)
          expect(
            outline.levels.filter((level) => level === 1),
            `${file} has one h1`
          ).toHaveLength(1)
          outline.levels.forEach((level, i) => {
            if (i > 0)
              expect(
                level - outline.levels[i - 1],
                `${file}: h${outline.levels[i - 1]} then h${level}`
              ).toBeLessThanOrEqual(1)
          })
          expect(outline.live, `${file}: no live region in a scrolly section`).toBe(0)

          for (const section of await scrollySections(page)) {
            for (const step of section.steps) {
              await scrollToRead(page, step.id)
              await waitForState(page, section.id, step.state)
              // The graphic on screen is an image named by its title and described by the active state.
              const graphic = await page.$eval(`#${section.id} .scrolly__graphic`, (element) => {
                const svg = Array.from(element.querySelectorAll('svg')).find(
                  (s) => s.getClientRects().length > 0
                ) as SVGSVGElement
                const text = (ids: string | null) =>
                  (ids ?? '')
                    .split(/\s+/)
                    .map((id) => document.getElementById(id)?.textContent ?? '')
                    .join(' ')
                    .trim()
                return {
                  role: svg.getAttribute('role'),
                  name: text(svg.getAttribute('aria-labelledby')),
                  description: text(svg.getAttribute('aria-describedby'))
                }
              })
              const alt = await page.$eval(`#${step.id} .step__figure img`, (e) => e.getAttribute('alt'))
              expect(graphic.role).toBe('img')
              expect(graphic.name.length).toBeGreaterThan(3)
              expect(graphic.description).toBe(alt)
            }
            expect(await axe(page), `${file} after reading ${section.id}`).toEqual([])
          }
        }
        await context.close()
      })
    }
  }
})
