/**
 * `twofold dev` for real: the CLI serves a copy of the fixture book on a free
 * port of 127.0.0.1 and prints its URL; raw HTTP requests with `..` in every
 * encoding get nothing outside the web output; in Chromium, editing a
 * chapter reloads the page with the change (the edit-to-reload time is
 * printed), breaking it shows the overlay with file, line and column (and
 * the terminal prints the same line), and fixing it brings the page back.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import os from 'node:os'
import path from 'node:path'
import type {Browser, Page} from 'playwright-core'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {launch} from './helpers/browser.js'
import {root} from './helpers/fixture-book.js'

/** Send `target` as the raw request target (no client-side normalisation); resolves to the status and body. */
function rawGet(port: number, target: string): Promise<{status: number; body: string}> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      socket.write(`GET ${target} HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nConnection: close\r\n\r\n`)
    })
    let data = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk) => (data += chunk))
    socket.on('end', () =>
      resolve({
        status: Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0),
        body: data.split('\r\n\r\n').slice(1).join('\r\n\r\n')
      })
    )
    socket.on('error', reject)
  })
}

describe('twofold dev', () => {
  let work = ''
  let chapter = ''
  let original = ''
  let server: ChildProcess | undefined
  let url = ''
  let port = 0
  let stdout = ''
  let stderr = ''
  let browser: Browser
  let page: Page

  /** Wait until the dev server's output matches `pattern` (after `from` characters). */
  const waitFor = async (
    stream: () => string,
    pattern: RegExp,
    from = 0,
    timeout = 60_000
  ): Promise<RegExpExecArray> => {
    const started = Date.now()
    for (;;) {
      const match = pattern.exec(stream().slice(from))
      if (match) return match
      if (Date.now() - started > timeout)
        throw new Error(`Timed out waiting for ${pattern}; stdout:\n${stdout}\nstderr:\n${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  }

  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-dev-'))
    await fs.cp(path.join(root, 'tests/fixtures/books/basic'), path.join(work, 'book'), {recursive: true})
    await fs.writeFile(path.join(work, 'secret.txt'), 'top secret')
    chapter = path.join(work, 'book/01-first.md')
    original = await fs.readFile(chapter, 'utf8')
    server = spawn(
      process.execPath,
      [path.join(root, 'bin/twofold.js'), 'dev', 'book', '--out', 'dist', '--port', '0'],
      {cwd: work, env: {...process.env, NO_COLOR: '1'}}
    )
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    const match = await waitFor(() => stdout, /at (http:\/\/127\.0\.0\.1:(\d+)\/)/, 0, 120_000)
    url = match[1]
    port = Number(match[2])
    browser = await launch()
    page = await browser.newPage()
  }, 180_000)

  afterAll(async () => {
    await browser?.close()
    if (server && server.exitCode === null) {
      const exited = new Promise((resolve) => server!.once('exit', resolve))
      server.kill('SIGINT')
      await exited
    }
    if (work) await fs.rm(work, {recursive: true, force: true})
  })

  it('listens on 127.0.0.1 only, on the port it prints', async () => {
    expect(port).toBeGreaterThan(0)
    expect((await rawGet(port, '/first.html')).status).toBe(200)
    const outside = Object.values(os.networkInterfaces())
      .flat()
      .find((i) => i && i.family === 'IPv4' && !i.internal)
    if (outside) {
      const refused = await new Promise<boolean>((resolve) => {
        const socket = net.connect(port, outside.address, () => {
          socket.destroy()
          resolve(false)
        })
        socket.on('error', () => resolve(true))
      })
      expect(refused).toBe(true)
    }
  })

  it('refuses paths outside the web output, however they are encoded', async () => {
    const targets = [
      '/../secret.txt',
      '/../../secret.txt',
      '/..%2f..%2fsecret.txt',
      '/..%2F..%2Fsecret.txt',
      '/%2e%2e/%2e%2e/secret.txt',
      '/%2E%2E%2F%2E%2E%2Fsecret.txt',
      '/.%2e/.%2e/secret.txt',
      '/..%5c..%5csecret.txt',
      '/..\\..\\secret.txt',
      '/%252e%252e%252f%252e%252e%252fsecret.txt',
      '/..%2f..%2fbook/book.yaml',
      '/first.html%00.txt',
      '//etc/passwd',
      '/%2fetc%2fpasswd',
      '/..%c0%af..%c0%afsecret.txt',
      '/..%'
    ]
    for (const target of targets) {
      const {status, body} = await rawGet(port, target)
      expect([400, 403, 404], target).toContain(status)
      expect(body, target).not.toContain('top secret')
      expect(body, target).not.toContain('title:')
      expect(body, target).not.toContain('root:')
    }
  })

  it('reloads the page after an edit, shows a broken chapter as an overlay with file and line, and recovers', async () => {
    await page.goto(`${url}first.html`)
    expect(await page.textContent('main')).toContain('This chapter opens with a cited sentence')
    // The reload script must be connected before the edit.
    await page.waitForFunction(() => document.querySelector('script[src="/__twofold/reload.js"]') !== null)
    await page.waitForTimeout(300)

    let from = stdout.length
    const started = performance.now()
    await fs.writeFile(
      chapter,
      original.replace('This chapter opens with a cited sentence', 'This chapter opens with an edited sentence')
    )
    await page.waitForFunction(
      () => document.querySelector('main')?.textContent?.includes('an edited sentence'),
      undefined,
      {timeout: 60_000}
    )
    const reload = performance.now() - started
    const rebuilt = await waitFor(
      () => stdout,
      /rebuilt (\d+) ms after the change \((\d+) chapters reused, (\d+) parsed\)/,
      from
    )
    process.stdout.write(
      `dev: edit to reloaded page in ${Math.round(reload)} ms (server: rebuilt ${rebuilt[1]} ms after the change, ${rebuilt[2]} chapters reused, ${rebuilt[3]} parsed)\n`
    )
    expect(Number(rebuilt[2])).toBeGreaterThanOrEqual(1)
    expect(Number(rebuilt[3])).toBe(1)

    // Break it: an unknown citation key on line 7, column 5 of the chapter.
    from = stderr.length
    const broken = original.replace('should be honest.', 'should be honest.\n\nAn [@unknown-key] here.')
    await fs.writeFile(chapter, broken)
    const line = broken.split('\n').findIndex((l) => l.includes('@unknown-key')) + 1
    const where = `book/01-first.md:${line}:5`
    await page.waitForSelector('#twofold-overlay', {timeout: 60_000})
    const overlay = (await page.textContent('#twofold-overlay')) ?? ''
    expect(overlay).toContain(`${where}  error  `)
    expect(overlay).toContain('unknown-cite-key')
    // The terminal shows the same line.
    const terminalLine = (await waitFor(() => stderr, new RegExp(`^${where.replace(/[.]/g, '\\.')} .*$`, 'm'), from))[0]
    expect(overlay).toContain(terminalLine)
    // The last good build is still served.
    expect(await page.textContent('main')).toContain('an edited sentence')

    // Fix it: the page reloads with the fixed text and without the overlay.
    await fs.writeFile(chapter, original.replace('should be honest.', 'should be honest and fixed.'))
    await page.waitForFunction(
      () =>
        document.querySelector('main')?.textContent?.includes('honest and fixed') &&
        !document.getElementById('twofold-overlay'),
      undefined,
      {timeout: 60_000}
    )
  }, 240_000)

  it('stops on SIGINT', async () => {
    const exited = new Promise<number | null>((resolve) => server!.once('exit', (code) => resolve(code)))
    server!.kill('SIGINT')
    expect(await exited, `${stdout}\n${stderr}`).toBe(0)
  }, 30_000)
})
