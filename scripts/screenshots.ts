/**
 * Strips of screenshots through each graphic of the story, for docs/screenshots/:
 * one frame per state (the state's first step, read as a reader would), at
 * 360 × 740 and 1440 × 900, side by side and scaled down, reduced to a
 * 64-colour palette when ImageMagick's `convert` is installed.
 *
 *   node --import tsx scripts/screenshots.ts                 # builds chapters into test-results/screens-build
 *   node --import tsx scripts/screenshots.ts --out dist      # an existing build
 */
import {execFile, spawnSync} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {parseArgs, promisify} from 'node:util'
import {chromium} from 'playwright-core'
import {chromiumPath} from '../tests/helpers/browser.js'
import {serve} from '../tests/helpers/serve.js'

const root = path.resolve(import.meta.dirname, '..')
const {values} = parseArgs({options: {out: {type: 'string'}, to: {type: 'string', default: 'docs/screenshots'}}})
let out = values.out ? path.resolve(values.out) : path.join(root, 'test-results', 'screens-build')
if (!values.out) {
  await promisify(execFile)(process.execPath, [path.join(root, 'bin/twofold.js'), 'build', 'chapters', '--out', out], {
    cwd: root
  })
}
out = path.join(out, 'web')
const target = path.resolve(root, values.to ?? 'docs/screenshots')
await fs.mkdir(target, {recursive: true})

/** Each graphic's page. */
const graphics = {
  locator: 'live-from-lima.html',
  timeline: 'the-movement.html',
  'contested-range': 'those-who-stayed.html',
  'day-strip': 'inside.html',
  'unit-chart': 'chavin-de-huantar.html'
}
const screens = [
  {width: 360, height: 740, scale: 0.6},
  {width: 1440, height: 900, scale: 0.4}
]

const server = await serve(out)
const browser = await chromium.launch({executablePath: chromiumPath, args: ['--no-sandbox', '--disable-gpu']})
try {
  for (const [name, html] of Object.entries(graphics)) {
    for (const screen of screens) {
      const page = await browser.newPage({viewport: {width: screen.width, height: screen.height}})
      await page.goto(`${server.url}${html}`)
      await page.evaluate(() => document.fonts.ready)
      // The first step of each state, in order.
      const steps = await page.$$eval('.scrolly .step', (elements) => {
        const seen = new Set<string>()
        return elements
          .filter((e) => {
            const state = (e as HTMLElement).dataset.state ?? ''
            if (seen.has(state)) return false
            seen.add(state)
            return true
          })
          .map((e) => e.id)
      })
      const frames: string[] = []
      for (const step of steps) {
        // The card's top just below a pinned graphic, or at 40 % of the screen beside it.
        await page.$eval(`#${step}`, (element) => {
          const section = element.closest('.scrolly') as HTMLElement
          const mode = getComputedStyle(section).getPropertyValue('--tf-mode').trim()
          const card = element.querySelector('.step__text') as HTMLElement
          const figure = (section.querySelector('.scrolly__figure') as HTMLElement).getBoundingClientRect()
          const graphic = (section.querySelector('.scrolly__graphic') as HTMLElement).getBoundingClientRect()
          const at = mode === 'above' ? figure.bottom - graphic.top + 24 : window.innerHeight * 0.4
          window.scrollTo({top: window.scrollY + card.getBoundingClientRect().top - at, behavior: 'instant'})
        })
        await page.waitForFunction((id) => document.getElementById(id)?.classList.contains('is-active'), step)
        await page.waitForTimeout(1200)
        frames.push((await page.screenshot()).toString('base64'))
      }
      await page.close()
      // The frames side by side, scaled down, on a grey ground.
      const width = Math.round(screen.width * screen.scale)
      const strip = await browser.newPage({viewport: {width: 200, height: 200}})
      await strip.setContent(
        `<body style="margin:0"><div id="strip" style="display:inline-flex;gap:6px;padding:6px;background:#888">${frames
          .map((frame) => `<img width="${width}" src="data:image/png;base64,${frame}">`)
          .join('')}</div></body>`
      )
      const file = path.join(target, `${name}-${screen.width}.png`)
      await (await strip.$('#strip'))?.screenshot({path: file})
      await strip.close()
      // A 64-colour palette keeps a strip small.
      spawnSync('convert', [file, '-dither', 'None', '-colors', '64', `PNG8:${file}`])
      console.log(`${path.relative(root, file)}: ${frames.length} states, ${(await fs.stat(file)).size} bytes`)
    }
  }
} finally {
  await browser.close()
  await server.close()
}
