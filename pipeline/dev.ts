/**
 * `twofold dev`: build, serve the web story on 127.0.0.1, watch the book and
 * the templates, rebuild on change, and reload the browser through
 * server-sent events. Build errors show in the terminal and as an overlay.
 */
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {reporter} from 'vfile-reporter'
import {build, type BuildResult} from './build.js'
import {summary} from './cli.js'

/** Options of the dev server. */
export interface DevOptions {
  bookDir: string
  outDir: string
  port: number
  strict?: boolean
  /** Host to bind; always loopback. */
  host?: '127.0.0.1'
  /** Called after every build (for tests). */
  onBuild?: (result: BuildResult) => void
  /** Abort to stop the server. */
  signal?: AbortSignal
}

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.gif': 'image/gif',
  '.webp': 'image/webp',
  '.epub': 'application/epub+zip'
}

const reloadScript = `(() => {
  const events = new EventSource('/__twofold/events')
  events.addEventListener('reload', () => location.reload())
  events.addEventListener('errors', (event) => {
    let box = document.getElementById('twofold-overlay')
    if (!box) {
      box = document.createElement('pre')
      box.id = 'twofold-overlay'
      box.setAttribute('role', 'alert')
      box.className = 'twofold-overlay'
      document.body.prepend(box)
    }
    box.textContent = JSON.parse(event.data).text
  })
})()`

const overlayCss = `.twofold-overlay{position:fixed;inset:0 0 auto 0;max-height:60vh;overflow:auto;z-index:99;margin:0;padding:1rem;background:#2b0000;color:#ffd7d7;font:14px/1.4 ui-monospace,monospace;white-space:pre-wrap}`

/** Run the dev server until the signal aborts or the process ends; resolves to the exit code. */
export async function dev(options: DevOptions): Promise<number> {
  const outDir = path.resolve(options.outDir)
  const webDir = path.join(outDir, 'web')
  const clients = new Set<http.ServerResponse>()
  let lastErrors = ''

  const send = (event: string, data: string) => {
    for (const client of clients) client.write(`event: ${event}\ndata: ${data}\n\n`)
  }

  let building: Promise<void> | undefined
  let again = false
  const rebuild = async () => {
    if (building) {
      again = true
      return building
    }
    building = (async () => {
      do {
        again = false
        const started = performance.now()
        const result = await build({bookDir: options.bookDir, outDir: options.outDir, strict: options.strict})
        const withMessages = result.files.filter((f) => f.messages.length > 0)
        const text = withMessages.length > 0 ? reporter(withMessages, {quiet: true, color: false}) : ''
        if (result.ok) {
          lastErrors = ''
          if (text) process.stderr.write(`${text}\n`)
          process.stdout.write(`${summary(result, options.outDir)}\n`)
          send('reload', String(Math.round(performance.now() - started)))
        } else {
          lastErrors = text || 'Build failed'
          process.stderr.write(`${lastErrors}\ntwofold: build failed; serving the last good build\n`)
          send('errors', JSON.stringify({text: lastErrors}))
        }
        options.onBuild?.(result)
      } while (again)
    })().finally(() => {
      building = undefined
    })
    return building
  }

  await rebuild()

  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    if (url.pathname === '/__twofold/events') {
      response.writeHead(200, {'content-type': 'text/event-stream', 'cache-control': 'no-store', connection: 'keep-alive'})
      response.write(': connected\n\n')
      if (lastErrors) response.write(`event: errors\ndata: ${JSON.stringify({text: lastErrors})}\n\n`)
      clients.add(response)
      request.on('close', () => clients.delete(response))
      return
    }
    if (url.pathname === '/__twofold/reload.js') {
      response.writeHead(200, {'content-type': types['.js'], 'cache-control': 'no-store'}).end(reloadScript)
      return
    }
    if (url.pathname === '/__twofold/overlay.css') {
      response.writeHead(200, {'content-type': types['.css'], 'cache-control': 'no-store'}).end(overlayCss)
      return
    }
    let pathname: string
    try {
      pathname = decodeURIComponent(url.pathname)
    } catch {
      response.writeHead(400).end('Bad request')
      return
    }
    const file = path.resolve(webDir, `.${pathname.endsWith('/') ? `${pathname}index.html` : pathname}`)
    // Refuse anything outside the web output (path traversal).
    if (file !== webDir && !file.startsWith(webDir + path.sep)) {
      response.writeHead(403).end('Forbidden')
      return
    }
    try {
      let data: Buffer | string = await fsp.readFile(file)
      const type = types[path.extname(file)] ?? 'application/octet-stream'
      if (type.startsWith('text/html')) {
        data = data
          .toString('utf8')
          .replace('</head>', '<link rel="stylesheet" href="/__twofold/overlay.css"><script src="/__twofold/reload.js" defer></script></head>')
      }
      response.writeHead(200, {'content-type': type, 'cache-control': 'no-store'}).end(data)
    } catch {
      response.writeHead(404, {'content-type': 'text/plain'}).end('Not found')
    }
  })
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  process.stdout.write(`twofold: serving ${webDir} at http://127.0.0.1:${port}/ (Ctrl-C to stop)\n`)

  const templates = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../templates')
  let timer: NodeJS.Timeout | undefined
  const watchers = [path.resolve(options.bookDir), templates].map((dir) =>
    fs.watch(dir, {recursive: true}, () => {
      clearTimeout(timer)
      timer = setTimeout(() => void rebuild(), 30)
    })
  )

  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    options.signal?.addEventListener('abort', stop, {once: true})
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  for (const watcher of watchers) watcher.close()
  for (const client of clients) client.end()
  await new Promise<void>((resolve) => server.close(() => resolve()))
  return 0
}
