/**
 * Helpers for the web story's browser tests: the two viewports, the pages of
 * a built site, screenshots as test artifacts, problem collection (page
 * errors, console errors, CSP violations, requests to other hosts), reading
 * positions in scrolly sections, the graphic's state as drawn, and axe.
 */
import fs from 'node:fs/promises'
import path from 'node:path'
import type {BrowserContext, Page} from 'playwright-core'
import {root} from './fixture-book.js'

/** The two screens every layout test runs on. */
export const viewports = {
  desktop: {width: 1440, height: 900},
  phone: {width: 360, height: 740}
} as const

export type ViewportName = keyof typeof viewports

const screens = path.join(root, 'test-results', 'screens')

/** The HTML pages of a built web story, cover first. */
export async function sitePages(out: string): Promise<string[]> {
  const files = (await fs.readdir(path.join(out, 'web'))).filter((f) => f.endsWith('.html')).sort()
  return ['index.html', ...files.filter((f) => f !== 'index.html')]
}

/** Save a screenshot under test-results/screens/ (a test artifact to look at). */
export async function screenshot(page: Page, name: string, fullPage = false): Promise<void> {
  await fs.mkdir(screens, {recursive: true})
  await page.screenshot({path: path.join(screens, `${name}.png`), fullPage})
}

/** What went wrong on a page, collected from its first byte. */
export interface Problems {
  errors: string[]
  /** CSP violations, as `directive blocked-uri`. */
  csp: string[]
  /** Requests to any host other than the test server. */
  foreign: string[]
}

/**
 * Watch a context for page errors, console errors, CSP violations and
 * requests to other hosts. Call before opening pages.
 */
export async function watch(context: BrowserContext, origin: string): Promise<Problems> {
  const problems: Problems = {errors: [], csp: [], foreign: []}
  // Init scripts run through the DevTools protocol, outside the page's CSP.
  await context.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (event) => {
      console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`)
    })
  })
  await context.route('**/*', (route) => {
    const url = route.request().url()
    if (!url.startsWith(origin) && !url.startsWith('data:')) {
      problems.foreign.push(url)
      return route.abort()
    }
    return route.continue()
  })
  context.on('page', (page) => {
    page.on('pageerror', (error) => problems.errors.push(`${page.url()}: ${String(error)}`))
    page.on('console', (message) => {
      if (message.type() !== 'error') return
      if (message.text().startsWith('CSP violation')) problems.csp.push(`${page.url()}: ${message.text()}`)
      else problems.errors.push(`${page.url()}: ${message.text()}`)
    })
  })
  return problems
}

/** One scrolly section of a page, as the browser lays it out. */
export interface SectionInfo {
  id: string
  mode: string
  steps: Array<{id: string; state: string}>
}

/** The scrolly sections of the open page, with their current layout mode. */
export function scrollySections(page: Page): Promise<SectionInfo[]> {
  return page.$$eval('.scrolly', (sections) =>
    sections.map((section) => ({
      id: section.id,
      mode: getComputedStyle(section).getPropertyValue('--tf-mode').trim(),
      steps: Array.from(section.querySelectorAll<HTMLElement>('.step')).map((step) => ({
        id: step.id,
        state: step.dataset.state ?? ''
      }))
    }))
  )
}

/**
 * Scroll the way a reader would to read a step: its card's top just below a
 * graphic pinned at the top of the screen (`above`, `behind`), or at 40% of
 * the screen (`side`, `overlay`).
 */
export async function scrollToRead(page: Page, stepId: string): Promise<void> {
  await page.evaluate((id) => {
    const step = document.getElementById(id) as HTMLElement
    const section = step.closest('.scrolly') as HTMLElement
    const mode = getComputedStyle(section).getPropertyValue('--tf-mode').trim()
    const card = step.querySelector('.step__text') as HTMLElement
    const graphic = (section.querySelector('.scrolly__graphic') as HTMLElement).getBoundingClientRect()
    const figure = (section.querySelector('.scrolly__figure') as HTMLElement).getBoundingClientRect()
    const at = mode === 'above' || mode === 'behind' ? figure.bottom - graphic.top + 24 : window.innerHeight * 0.4
    window.scrollTo({
      top: window.scrollY + card.getBoundingClientRect().top - at,
      behavior: 'instant'
    })
  }, stepId)
}

/**
 * Wait until a section shows `state`. The wait is long (15 s): what is
 * checked is which state shows, not how soon, and a CI machine running the
 * other test files at the same time can hold the browser up for seconds.
 */
export async function waitForState(page: Page, sectionId: string, state: string): Promise<void> {
  await page.waitForFunction(
    ([id, expected]) => document.getElementById(id)?.dataset.activeState === expected,
    [sectionId, state] as const,
    {timeout: 15_000}
  )
}

/** The graphic of a section as drawn: which state elements are visible (by computed opacity) and which should be. */
export function drawnState(page: Page, sectionId: string, state: string) {
  return page.$eval(
    `#${sectionId}`,
    (section, expected) => {
      const elements = Array.from(section.querySelectorAll<SVGElement>('.scrolly__graphic [data-states]'))
        // Only the graphic on screen (a section may carry a wide and a narrow variant).
        .filter((e) => (e.ownerSVGElement?.getClientRects().length ?? 0) > 0)
      // A mark a step's highlight dims is still drawn (at a quarter of its opacity).
      const shown = elements
        .filter((e) => {
          const opacity = Number(getComputedStyle(e).opacity)
          return opacity > 0.99 || (e.classList.contains('tf-dim') && opacity > 0.2)
        })
        .map((e) => e.id || e.getAttribute('data-states'))
      const hidden = elements
        .filter((e) => Number(getComputedStyle(e).opacity) < 0.01)
        .map((e) => e.id || e.getAttribute('data-states'))
      const want = elements
        .filter((e) => (e.getAttribute('data-states') ?? '').split(/\s+/).includes(expected))
        .map((e) => e.id || e.getAttribute('data-states'))
      const descriptions = Array.from(section.querySelectorAll('.scrolly__graphic .tf-state-desc')).map(
        (d) => d.textContent
      )
      return {shown, hidden, want, total: elements.length, descriptions}
    },
    state
  )
}

/** Run axe-core on the open page (evaluated through DevTools, so the page's CSP does not block it). */
export async function axe(page: Page): Promise<string[]> {
  const source = await fs.readFile(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8')
  await page.evaluate(source)
  const violations = await page.evaluate(async () => {
    const result = await (
      window as unknown as {
        axe: {
          run: (
            context: Document,
            options: object
          ) => Promise<{
            violations: Array<{
              id: string
              impact: string
              nodes: Array<{target: unknown[]; failureSummary?: string}>
            }>
          }>
        }
      }
    ).axe.run(document, {
      resultTypes: ['violations']
    })
    return result.violations
  })
  return violations.flatMap((v) =>
    v.nodes.map((n) => `${v.id} (${v.impact}) ${JSON.stringify(n.target)}: ${n.failureSummary ?? ''}`)
  )
}

/** Record layout shifts on every page of `context` as CLS counts them (none right after input), with what moved. Read them with `layoutShifts`. */
export async function recordLayoutShifts(context: BrowserContext): Promise<void> {
  await context.addInitScript(() => {
    const record = window as unknown as {layoutShift: number; shifted: string[]}
    record.layoutShift = 0
    record.shifted = []
    type Shift = PerformanceEntry & {
      value: number
      hadRecentInput: boolean
      sources: Array<{node: Node | null}>
    }
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries() as Shift[]) {
        if (entry.hadRecentInput) continue
        record.layoutShift += entry.value
        for (const source of entry.sources)
          record.shifted.push(
            (source.node as Element | null)?.outerHTML?.slice(0, 100) ?? String(source.node?.nodeName)
          )
      }
    }).observe({type: 'layout-shift', buffered: true})
  })
}

/** The layout shift `page` has recorded since it loaded (see `recordLayoutShifts`), and the start of each element that moved. */
export function layoutShifts(page: Page): Promise<{layoutShift: number; shifted: string[]}> {
  return page.evaluate(() => {
    const {layoutShift, shifted} = window as unknown as {
      layoutShift: number
      shifted: string[]
    }
    return {layoutShift, shifted}
  })
}
