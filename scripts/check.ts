/**
 * `npm run check`: the web story's budgets, measured on a fresh build of a
 * book (default `chapters/`) served over HTTP with compression, in Debian's
 * Chromium:
 *
 * - JavaScript ≤ 8 KB and CSS ≤ 12 KB, gzipped, in total; the typeface's regular
 *   and bold faces ≤ 60 KB gzipped (its italic is reported beside them);
 * - no request to any host but the site's own (every page, scrolled through);
 * - cumulative layout shift 0 on every page, at 1440 × 900 and 360 × 740, while
 *   the story is scrolled step by step;
 * - axe-core: 0 violations on every page, at both sizes;
 * - no Content-Security-Policy violation and no console error;
 * - Lighthouse (mobile, or desktop with `--desktop`): accessibility, best practices and
 *   SEO 100, performance ≥ 95 on every page.
 *
 * Prints a table and writes test-results/check.json; exits 1 when a budget is
 * missed.
 *
 *   npm run check
 *   npm run check -- --book tests/fixtures/books/layouts
 *   npm run check -- --no-lighthouse          # the browser checks only
 *   npm run check -- --desktop                # Lighthouse in its desktop settings
 *   npm run check -- --pages index.html,inside.html
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {parseArgs, promisify} from 'node:util'
import zlib from 'node:zlib'
import {chromium, type Page} from 'playwright-core'
import {serve} from '../tests/helpers/serve.js'
import {layoutShifts, recordLayoutShifts} from '../tests/helpers/story.js'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '..')
const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** The budgets. */
const budget = {
  jsGzip: 8 * 1024,
  cssGzip: 12 * 1024,
  /** The regular and bold faces the pages preload (pipeline/render/web/fonts.ts). */
  fontsGzip: 60 * 1024,
  cls: 0,
  axe: 0,
  accessibility: 100,
  bestPractices: 100,
  seo: 100,
  performance: 95
}

const viewports = {
  desktop: {width: 1440, height: 900},
  phone: {width: 360, height: 740}
} as const

/** Gzipped size (level 9) of every file under `dir` with extension `ext`. */
async function gzipped(dir: string, ext: string): Promise<{files: Record<string, number>; total: number}> {
  const files: Record<string, number> = {}
  for (const name of await fs.readdir(dir)) {
    if (!name.endsWith(ext)) continue
    files[name] = zlib.gzipSync(await fs.readFile(path.join(dir, name)), {
      level: 9
    }).length
  }
  return {files, total: Object.values(files).reduce((a, b) => a + b, 0)}
}

/** Per page and viewport: layout shift while reading every step, axe violations, CSP violations, errors, foreign requests. */
interface BrowserFigures {
  cls: number
  shifted: string[]
  axe: string[]
  csp: string[]
  errors: string[]
  foreign: string[]
}

async function browserChecks(url: string, pages: string[]): Promise<Record<string, Record<string, BrowserFigures>>> {
  const axeSource = await fs.readFile(path.join(root, 'node_modules/axe-core/axe.min.js'), 'utf8')
  const browser = await chromium.launch({
    executablePath: chromiumPath,
    args: ['--no-sandbox', '--disable-gpu']
  })
  const results: Record<string, Record<string, BrowserFigures>> = {}
  try {
    for (const [name, viewport] of Object.entries(viewports)) {
      const context = await browser.newContext({viewport})
      await recordLayoutShifts(context)
      await context.addInitScript(() => {
        document.addEventListener('securitypolicyviolation', (event) =>
          console.error(`CSP violation: ${event.violatedDirective} ${event.blockedURI}`)
        )
      })
      for (const file of pages) {
        const figures: BrowserFigures = {
          cls: 0,
          shifted: [],
          axe: [],
          csp: [],
          errors: [],
          foreign: []
        }
        const page = await context.newPage()
        await page.route('**/*', (route) => {
          const requested = route.request().url()
          if (requested.startsWith(url) || requested.startsWith('data:')) return route.continue()
          figures.foreign.push(requested)
          return route.abort()
        })
        page.on('console', (message) => {
          if (message.type() !== 'error') return
          if (message.text().startsWith('CSP violation')) figures.csp.push(message.text())
          else figures.errors.push(message.text())
        })
        page.on('pageerror', (error) => figures.errors.push(String(error)))
        await page.goto(`${url}${file}`, {waitUntil: 'load'})
        await readThrough(page)
        const shift = await layoutShifts(page)
        figures.cls = shift.layoutShift
        figures.shifted = shift.shifted
        await page.evaluate(axeSource)
        figures.axe = await page.evaluate(async () => {
          const result = await (
            window as unknown as {
              axe: {
                run: (d: Document) => Promise<{
                  violations: Array<{id: string; nodes: unknown[]}>
                }>
              }
            }
          ).axe.run(document)
          return result.violations.map((v) => `${v.id} (${v.nodes.length})`)
        })
        await page.close()
        ;(results[file] ??= {})[name] = figures
      }
      await context.close()
    }
  } finally {
    await browser.close()
  }
  return results
}

/** Scroll as a reader does: every step of every scrolly section to the middle, then to the end of the page. */
async function readThrough(page: Page): Promise<void> {
  const steps = await page.$$eval('.step', (elements) => elements.map((e) => e.id))
  for (const id of steps) {
    await page.$eval(`#${id}`, (e) => e.scrollIntoView({block: 'center'}))
    await page.waitForTimeout(120)
  }
  const height = await page.evaluate(() => document.documentElement.scrollHeight)
  for (let y = 0; y <= height; y += 500) {
    await page.evaluate((top) => window.scrollTo({top, behavior: 'instant'}), y)
    await page.waitForTimeout(30)
  }
  await page.waitForTimeout(300)
}

/** Lighthouse scores (0–100) and the failing audits, per page, in mobile emulation or Lighthouse's desktop settings. */
async function lighthouseScores(
  url: string,
  pages: string[],
  desktop: boolean
): Promise<
  Record<
    string,
    {
      performance: number
      accessibility: number
      bestPractices: number
      seo: number
      failing: string[]
      metrics: Record<string, number>
    }
  >
> {
  process.env.CHROME_PATH ??= chromiumPath
  const {default: lighthouse} = await import('lighthouse')
  const chromeLauncher = await import('chrome-launcher')
  const config = desktop ? (await import('lighthouse/core/config/desktop-config.js')).default : undefined
  const results: Awaited<ReturnType<typeof lighthouseScores>> = {}
  for (const file of pages) {
    // A fresh browser per page, so one page's cache cannot speed up the next.
    const chrome = await chromeLauncher.launch({
      chromePath: chromiumPath,
      chromeFlags: ['--headless=new', '--no-sandbox', '--disable-gpu']
    })
    try {
      const result = await lighthouse(
        `${url}${file}`,
        {
          port: chrome.port,
          output: 'json',
          logLevel: 'error',
          onlyCategories: ['performance', 'accessibility', 'best-practices', 'seo']
        },
        config
      )
      if (!result) throw new Error(`Lighthouse returned nothing for ${file}`)
      const {lhr} = result
      const score = (id: string) => Math.round((lhr.categories[id]?.score ?? 0) * 100)
      const failing = Object.values(lhr.audits)
        .filter(
          (audit) =>
            audit.score !== null &&
            audit.score < 1 &&
            audit.scoreDisplayMode !== 'informative' &&
            audit.scoreDisplayMode !== 'manual' &&
            audit.scoreDisplayMode !== 'notApplicable'
        )
        .map(
          (audit) =>
            `${audit.id} ${Math.round((audit.score ?? 0) * 100)}${audit.displayValue ? ` (${audit.displayValue})` : ''}`
        )
      const metric = (id: string) => Math.round(Number(lhr.audits[id]?.numericValue ?? Number.NaN))
      results[file] = {
        performance: score('performance'),
        accessibility: score('accessibility'),
        bestPractices: score('best-practices'),
        seo: score('seo'),
        failing,
        metrics: {
          fcpMs: metric('first-contentful-paint'),
          lcpMs: metric('largest-contentful-paint'),
          tbtMs: metric('total-blocking-time'),
          cls: Number(lhr.audits['cumulative-layout-shift']?.numericValue ?? Number.NaN)
        }
      }
    } finally {
      await chrome.kill()
    }
  }
  return results
}

async function main(): Promise<void> {
  const {values} = parseArgs({
    options: {
      book: {type: 'string', default: 'chapters'},
      pages: {type: 'string'},
      'no-lighthouse': {type: 'boolean', default: false},
      desktop: {type: 'boolean', default: false}
    }
  })
  const out = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-check-'))
  console.log(`twofold check: building ${values.book}`)
  await run(process.execPath, [path.join(root, 'bin/twofold.js'), 'build', values.book ?? 'chapters', '--out', out], {
    cwd: root,
    env: {...process.env, SOURCE_DATE_EPOCH: '1700000000'}
  })
  const web = path.join(out, 'web')
  const all = (await fs.readdir(web))
    .filter((f) => f.endsWith('.html'))
    .sort((a, b) => (a === 'index.html' ? -1 : b === 'index.html' ? 1 : a.localeCompare(b)))
  const pages = values.pages ? values.pages.split(',') : all

  const js = await gzipped(path.join(web, 'assets'), '.js')
  const css = await gzipped(path.join(web, 'assets'), '.css')
  const fonts = await gzipped(path.join(web, 'assets'), '.woff2')
  const preloaded = Object.entries(fonts.files)
    .filter(([name]) => /^literata-(?:400|700)\./.test(name))
    .reduce((sum, [, n]) => sum + n, 0)
  const server = await serve(web, {asHost: true})
  const problems: string[] = []
  const report: Record<string, unknown> = {
    book: values.book,
    pages,
    budget,
    js,
    css,
    fonts: {...fonts, regularAndBold: preloaded}
  }
  try {
    console.log(
      `twofold check: Chromium on ${pages.length} pages at ${Object.values(viewports)
        .map((v) => `${v.width}×${v.height}`)
        .join(' and ')}`
    )
    const browser = await browserChecks(server.url, pages)
    report.browser = browser
    let lighthouse: Awaited<ReturnType<typeof lighthouseScores>> | undefined
    if (!values['no-lighthouse']) {
      console.log(`twofold check: Lighthouse (${values.desktop ? 'desktop' : 'mobile'}) on ${pages.length} pages`)
      lighthouse = await lighthouseScores(server.url, pages, values.desktop)
      report.lighthouse = lighthouse
    }

    const kb = (n: number) => `${(n / 1024).toFixed(2)} KB`
    console.log('')
    console.log(
      `JS  gzipped ${kb(js.total)} (budget ${kb(budget.jsGzip)})  ${Object.entries(js.files)
        .map(([f, n]) => `${f} ${kb(n)}`)
        .join(', ')}`
    )
    console.log(
      `CSS gzipped ${kb(css.total)} (budget ${kb(budget.cssGzip)})  ${Object.entries(css.files)
        .map(([f, n]) => `${f} ${kb(n)}`)
        .join(', ')}`
    )
    console.log(
      `Fonts gzipped ${kb(preloaded)} regular and bold (budget ${kb(budget.fontsGzip)})  ${Object.entries(fonts.files)
        .map(([f, n]) => `${f} ${kb(n)}`)
        .join(', ')}`
    )
    if (preloaded > budget.fontsGzip) problems.push(`Fonts ${kb(preloaded)} gzipped > ${kb(budget.fontsGzip)}`)
    if (js.total > budget.jsGzip) problems.push(`JS ${kb(js.total)} gzipped > ${kb(budget.jsGzip)}`)
    if (css.total > budget.cssGzip) problems.push(`CSS ${kb(css.total)} gzipped > ${kb(budget.cssGzip)}`)
    console.log('')
    const header = [
      'page',
      'CLS desk',
      'CLS phone',
      'axe',
      'CSP',
      'errors',
      '3rd-party',
      ...(lighthouse ? ['LH perf', 'LH a11y', 'LH best', 'LH seo', 'LCP ms'] : [])
    ]
    const rows: string[][] = [header]
    for (const file of pages) {
      const figures = browser[file] ?? {}
      const desktop = figures.desktop
      const phone = figures.phone
      const each = [desktop, phone].filter((x): x is BrowserFigures => x !== undefined)
      const axe = each.flatMap((f) => f.axe)
      const csp = each.flatMap((f) => f.csp)
      const errors = each.flatMap((f) => f.errors)
      const foreign = each.flatMap((f) => f.foreign)
      const lh = lighthouse?.[file]
      rows.push([
        file,
        (desktop?.cls ?? Number.NaN).toFixed(4),
        (phone?.cls ?? Number.NaN).toFixed(4),
        String(axe.length),
        String(csp.length),
        String(errors.length),
        String(foreign.length),
        ...(lh
          ? [
              String(lh.performance),
              String(lh.accessibility),
              String(lh.bestPractices),
              String(lh.seo),
              String(lh.metrics.lcpMs)
            ]
          : [])
      ])
      for (const [name, f] of Object.entries(figures)) {
        if (f.cls > budget.cls)
          problems.push(`${file} (${name}): CLS ${f.cls.toFixed(4)} from ${f.shifted.slice(0, 3).join(' | ')}`)
      }
      if (axe.length > budget.axe) problems.push(`${file}: axe ${axe.join(', ')}`)
      if (csp.length > 0) problems.push(`${file}: ${csp.join(', ')}`)
      if (errors.length > 0) problems.push(`${file}: console ${errors.join(', ')}`)
      if (foreign.length > 0) problems.push(`${file}: requests to ${foreign.join(', ')}`)
      if (lh) {
        if (lh.performance < budget.performance)
          problems.push(
            `${file}: Lighthouse performance ${lh.performance} < ${budget.performance} (${lh.failing.join('; ')})`
          )
        if (lh.accessibility < budget.accessibility)
          problems.push(`${file}: Lighthouse accessibility ${lh.accessibility} (${lh.failing.join('; ')})`)
        if (lh.bestPractices < budget.bestPractices)
          problems.push(`${file}: Lighthouse best practices ${lh.bestPractices} (${lh.failing.join('; ')})`)
        if (lh.seo < budget.seo) problems.push(`${file}: Lighthouse SEO ${lh.seo} (${lh.failing.join('; ')})`)
      }
    }
    const widths = header.map((_, i) => Math.max(...rows.map((r) => r[i]?.length ?? 0)))
    for (const row of rows)
      console.log(row.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]) : cell.padStart(widths[i]))).join('  '))
  } finally {
    await server.close()
    await fs.rm(out, {recursive: true, force: true})
  }
  report.problems = problems
  await fs.mkdir(path.join(root, 'test-results'), {recursive: true})
  await fs.writeFile(path.join(root, 'test-results', 'check.json'), `${JSON.stringify(report, null, 2)}\n`)
  console.log('')
  if (problems.length > 0) {
    console.log(`twofold check: ${problems.length} budget(s) missed`)
    for (const problem of problems) console.log(`  ✗ ${problem}`)
    process.exitCode = 1
  } else {
    console.log('twofold check: every budget met (test-results/check.json)')
  }
}

await main()
