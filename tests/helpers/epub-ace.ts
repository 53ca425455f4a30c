/**
 * DAISY Ace (the npm package `@daisy/ace`, a dev dependency) on an EPUB,
 * through its Puppeteer runner and Debian's Chromium. A missing Ace or
 * Chromium fails the test; it never skips.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import {chromiumPath} from './browser.js'
import {root} from './fixture-book.js'

const run = promisify(execFile)

/** One failed check in Ace's report. */
export interface AceViolation {
  /** The document checked (`OEBPS/content.opf`, `first.xhtml`, …). */
  document: string
  rule: string
  impact: string
  description: string
}

/** What the tests read of Ace's `report.json`. */
export interface AceReport {
  'earl:result': {'earl:outcome': string}
  assertions: Array<{
    'earl:testSubject': {url: string}
    assertions: Array<{
      'earl:test': {
        'dct:title': string
        'earl:impact': string
        'dct:description'?: string
      }
      'earl:result': {'earl:outcome': string; 'dct:description'?: string}
    }>
  }>
  'a11y-metadata': {missing: string[]; empty: string[]; present: string[]}
  data: {images?: Array<{src: string; alt?: string}>}
}

/** Run Ace on `epubPath`, writing its reports to `reportDir`; resolves to its violations and the full report. */
export async function ace(
  epubPath: string,
  reportDir: string
): Promise<{violations: AceViolation[]; report: AceReport}> {
  const bin = path.join(root, 'node_modules/.bin/ace-puppeteer')
  await fs.access(bin).catch(() => {
    throw new Error('DAISY Ace not found at node_modules/.bin/ace-puppeteer: run `npm ci` (it is a dev dependency)')
  })
  await fs.access(chromiumPath).catch(() => {
    throw new Error(
      `Chromium not found at ${chromiumPath}: run \`apt-get install -y chromium\` (npm test does it as root)`
    )
  })
  await fs.rm(reportDir, {recursive: true, force: true})
  await fs.mkdir(path.dirname(reportDir), {recursive: true})
  let output = ''
  try {
    const result = await run(process.execPath, [bin, '--force', '--outdir', reportDir, epubPath], {
      cwd: root,
      env: {
        ...process.env,
        PUPPETEER_EXECUTABLE_PATH: chromiumPath,
        PUPPETEER_SKIP_DOWNLOAD: '1'
      },
      maxBuffer: 64 * 1024 * 1024,
      timeout: 280_000
    })
    output = result.stdout + result.stderr
  } catch (cause) {
    const {stdout = '', stderr = ''} = cause as {
      stdout?: string
      stderr?: string
    }
    output = stdout + stderr
  }
  const report = JSON.parse(
    await fs.readFile(path.join(reportDir, 'report.json'), 'utf8').catch(() => {
      throw new Error(`Ace wrote no report for ${epubPath}:\n${output}`)
    })
  ) as AceReport
  const violations: AceViolation[] = []
  for (const subject of report.assertions) {
    for (const assertion of subject.assertions) {
      if (assertion['earl:result']['earl:outcome'] === 'pass') continue
      violations.push({
        document: subject['earl:testSubject'].url,
        rule: assertion['earl:test']['dct:title'],
        impact: assertion['earl:test']['earl:impact'],
        description: assertion['earl:result']['dct:description'] ?? assertion['earl:test']['dct:description'] ?? ''
      })
    }
  }
  return {violations, report}
}
