/**
 * `twofold dev` against a hostile page and an unlucky author: a request whose
 * Host names another site (DNS rebinding) gets 421 for pages and for the event
 * stream; after the book folder is deleted and made again, an edit is built.
 */
import {type ChildProcess, spawn} from 'node:child_process'
import fs from 'node:fs/promises'
import net from 'node:net'
import path from 'node:path'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {bin} from '../helpers/cli.js'
import {basicBook} from './helpers.js'

/** A raw request with the Host header `host`; resolves to the status code. */
function statusFor(port: number, target: string, host: string | undefined): Promise<number> {
  return new Promise((resolve, reject) => {
    const socket = net.connect(port, '127.0.0.1', () => {
      const hostLine = host === undefined ? '' : `Host: ${host}\r\n`
      socket.write(`GET ${target} HTTP/1.1\r\n${hostLine}Connection: close\r\n\r\n`)
    })
    let data = ''
    socket.setEncoding('latin1')
    socket.on('data', (chunk) => {
      data += chunk
      // The event stream never ends: the status line is enough.
      if (/^HTTP\/1\.1 \d{3}/.test(data)) socket.destroy()
    })
    socket.on('close', () => resolve(Number(/^HTTP\/1\.1 (\d{3})/.exec(data)?.[1] ?? 0)))
    socket.on('error', reject)
  })
}

describe('twofold dev, hostile requests and a book folder that comes back', () => {
  let work = ''
  let book = ''
  let server: ChildProcess | undefined
  let port = 0
  let stdout = ''
  let stderr = ''

  const waitFor = async (pattern: RegExp, from: number, timeout = 90_000) => {
    const started = Date.now()
    while (!pattern.test(stdout.slice(from))) {
      if (Date.now() - started > timeout) throw new Error(`Timed out waiting for ${pattern}:\n${stdout}\n${stderr}`)
      await new Promise((resolve) => setTimeout(resolve, 100))
    }
  }

  beforeAll(async () => {
    ;({work, book} = await basicBook())
    server = spawn(process.execPath, [bin, 'dev', 'book', '--out', 'dist', '--port', '0', '--no-cache'], {
      cwd: work,
      env: {...process.env, NO_COLOR: '1'}
    })
    server.stdout!.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    server.stderr!.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    await waitFor(/at http:\/\/127\.0\.0\.1:\d+\//, 0, 120_000)
    port = Number(/127\.0\.0\.1:(\d+)/.exec(stdout)![1])
  }, 180_000)

  afterAll(async () => {
    server?.kill('SIGINT')
    if (work) await fs.rm(work, {recursive: true, force: true})
  })

  it('answers 421 to any Host but 127.0.0.1, localhost and [::1] with its port', async () => {
    // Without a Host at all, Node's server answers 400 before the request reaches Twofold's.
    expect(await statusFor(port, '/first.html', undefined)).toBe(400)
    for (const host of ['evil.example', `evil.example:${port}`, '127.0.0.1', `127.0.0.1:${port + 1}`]) {
      expect(await statusFor(port, '/', host), String(host)).toBe(421)
      expect(await statusFor(port, '/__twofold/events', host), String(host)).toBe(421)
      expect(await statusFor(port, '/first.html', host), String(host)).toBe(421)
    }
    for (const host of [`127.0.0.1:${port}`, `localhost:${port}`, `LOCALHOST:${port}`, `[::1]:${port}`]) {
      expect(await statusFor(port, '/first.html', host), host).toBe(200)
      expect(await statusFor(port, '/__twofold/events', host), host).toBe(200)
    }
  })

  it('builds again after the book folder is deleted and made again', async () => {
    const copy = path.join(work, 'book-copy')
    await fs.cp(book, copy, {recursive: true})
    await fs.rm(book, {recursive: true})
    let from = stdout.length
    await new Promise((resolve) => setTimeout(resolve, 1500))
    await fs.rename(copy, book)
    await waitFor(/built/, from)
    from = stdout.length
    const chapter = path.join(book, '01-first.md')
    await fs.writeFile(
      chapter,
      (await fs.readFile(chapter, 'utf8')).replace('This chapter opens', 'This chapter, back, opens')
    )
    await waitFor(/built/, from)
    await expect(fs.readFile(path.join(work, 'dist/web/first.html'), 'utf8')).resolves.toContain(
      'This chapter, back, opens'
    )
  }, 180_000)
})
