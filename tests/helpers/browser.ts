/** Debian's Chromium through playwright-core. A missing browser fails the test; it never skips. */
import fs from 'node:fs'
import {type Browser, chromium} from 'playwright-core'
import {afterAll, beforeAll} from 'vitest'

export const chromiumPath = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'

/** Launch headless Chromium. */
export async function launch(): Promise<Browser> {
  if (!fs.existsSync(chromiumPath)) {
    throw new Error(
      `Chromium not found at ${chromiumPath}: run \`apt-get install -y chromium\` (npm test does it as root)`
    )
  }
  return chromium.launch({
    executablePath: chromiumPath,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync'
    ]
  })
}

/**
 * One browser for a test file, launched before its tests and closed after
 * them. Call it at the top level of the file; the tests call the getter.
 */
export function browserForFile(): () => Browser {
  let browser: Browser | undefined
  beforeAll(async () => {
    browser = await launch()
  })
  afterAll(async () => {
    await browser?.close()
  })
  return () => {
    if (!browser)
      throw new Error('Expected the browser to be launched, by `browserForFile()` at the top level of the test file')
    return browser
  }
}
