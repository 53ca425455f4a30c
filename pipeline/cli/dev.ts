/**
 * `twofold dev`: build, serve the web story on 127.0.0.1, watch the book and
 * the templates, rebuild on change, and reload the browser through
 * server-sent events. Build problems print in the terminal and show as an
 * overlay in the page, with file, line and column.
 *
 * Two processes: this one serves files and watches; a worker process
 * (`twofold __dev-worker`) builds. The worker keeps one cache (a store with
 * its memory in front of the disk, see ../output/store.ts) for its whole
 * life, so a rebuild parses only the chapters that changed. A change to
 * `templates/` or to Twofold's own code starts a fresh worker, since the
 * targets cache their templates and code per process; a worker that dies is
 * started again.
 */
import {type ChildProcess, fork} from 'node:child_process'
import fs from 'node:fs'
import fsp from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import {build} from '../build.js'
import {countLine, formatMessages, isInteractive} from '../messages.js'
import {Store} from '../output/store.js'
import {crashed, messagesPerRule, summary} from './report.js'

/** Options of the dev server. */
export interface DevOptions {
  bookDir: string
  outDir: string
  /** Port to listen on; 0 picks a free one (the URL printed says which). */
  port: number
  strict?: boolean
  /** Build without the cache's disk (`--no-cache`): the worker keeps it in memory only. */
  noCache?: boolean
  /** Called once the server listens, with its URL. */
  onListening?: (url: string) => void
  /** Abort to stop the server. */
  signal?: AbortSignal
}

/** What the worker reports after each build. */
interface BuildReport {
  type: 'built'
  ok: boolean
  /** Messages, one per line, without colour (for the overlay). */
  plain: string
  /** The same for the terminal (coloured on a terminal). */
  terminal: string
  /** Summary of a successful build. */
  summary: string
  reused: number
  parsed: number
}

const here = path.dirname(fileURLToPath(import.meta.url))
const bin = path.resolve(here, '../../bin/twofold.js')

/** Content types of the files a build writes, by extension (the dev server's, and the test and check servers'). */
export const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.xhtml': 'application/xhtml+xml; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
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

const devHead =
  '<link rel="stylesheet" href="/__twofold/overlay.css"><script src="/__twofold/reload.js" defer></script>'

/**
 * The file under `root` that the request target `rawUrl` names, or undefined
 * when it names something outside `root` (`..` in any encoding, NUL bytes,
 * malformed escapes). A directory path names its `index.html`.
 */
export function resolveRequestPath(root: string, rawUrl: string): string | undefined {
  const pathname = rawUrl.replace(/[?#].*$/s, '')
  if (!pathname.startsWith('/')) return undefined
  let decoded: string
  try {
    decoded = decodeURIComponent(pathname)
  } catch {
    return undefined
  }
  if (decoded.includes('\0') || decoded.includes('\\')) return undefined
  if (decoded.split('/').some((segment) => segment === '..')) return undefined
  const file = path.resolve(root, `.${decoded.endsWith('/') ? `${decoded}index.html` : decoded}`)
  return file === root || file.startsWith(root + path.sep) ? file : undefined
}

/**
 * Whether a request's `Host` names this server as the browser on this machine reaches it: `127.0.0.1`, `localhost`
 * or `[::1]`, with the server's port. Any other name is a page of another site that had its name resolve to
 * 127.0.0.1 (DNS rebinding); the server answers it 421.
 */
export function localHost(host: string | undefined, port: number): boolean {
  if (!host) return false
  const match = /^(127\.0\.0\.1|localhost|\[::1\]):(\d+)$/i.exec(host)
  return match !== null && Number(match[2]) === port
}

/** Run the dev server until the signal aborts or the process is interrupted; resolves to the exit code. */
export async function dev(options: DevOptions): Promise<number> {
  const outDir = path.resolve(options.outDir)
  const webDir = path.join(outDir, 'web')
  const bookDir = path.resolve(options.bookDir)
  const clients = new Set<http.ServerResponse>()
  const color = isInteractive(process.stderr)
  let lastErrors = ''

  const send = (event: string, data: string) => {
    for (const client of clients) client.write(`event: ${event}\ndata: ${data}\n\n`)
  }

  // The worker: started on demand, replaced when templates or code change.
  let worker: ChildProcess | undefined
  let pending: ((report: BuildReport | undefined) => void) | undefined
  const startWorker = () => {
    const args = [
      '__dev-worker',
      options.bookDir,
      '--out',
      options.outDir,
      ...(options.strict ? ['--strict'] : []),
      ...(options.noCache ? ['--no-cache'] : [])
    ]
    const child = fork(bin, args, {
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: {...process.env, FORCE_COLOR: color ? '1' : '0'}
    })
    child.on('message', (message: BuildReport) => {
      if (child !== worker) return
      pending?.(message)
      pending = undefined
    })
    child.on('exit', () => {
      if (child !== worker) return
      worker = undefined
      pending?.(undefined)
      pending = undefined
    })
    worker = child
  }
  const stopWorker = () => {
    const child = worker
    worker = undefined
    pending?.(undefined)
    pending = undefined
    child?.kill()
  }
  const buildInWorker = () =>
    new Promise<BuildReport | undefined>((resolve) => {
      if (!worker) startWorker()
      pending = resolve
      worker?.send({type: 'build'})
    })

  let building: Promise<void> | undefined
  let again = false
  let changedAt: number | undefined
  const rebuild = async (): Promise<void> => {
    if (building) {
      again = true
      return building
    }
    building = (async () => {
      do {
        again = false
        const triggered = changedAt !== undefined
        const started = changedAt ?? performance.now()
        changedAt = undefined
        const report = await buildInWorker()
        const elapsed = Math.round(performance.now() - started)
        if (!report) {
          // The worker died (a bug, or it was replaced mid-build): try once more with a fresh one.
          if (!again) {
            lastErrors = 'twofold: the build process stopped unexpectedly; see the terminal'
            process.stderr.write(`${lastErrors}\n`)
            send('errors', JSON.stringify({text: lastErrors}))
          }
          continue
        }
        if (report.terminal) process.stderr.write(`${report.terminal}\n`)
        if (report.ok) {
          lastErrors = ''
          process.stdout.write(`${report.summary}\n`)
          if (triggered)
            process.stdout.write(
              `twofold: rebuilt ${elapsed} ms after the change (${report.reused} chapters reused, ${report.parsed} parsed); reloading the page\n`
            )
          send('reload', String(elapsed))
        } else {
          lastErrors = report.plain || 'Build failed'
          process.stderr.write(`twofold: build failed; serving the last good build (${elapsed} ms)\n`)
          send('errors', JSON.stringify({text: lastErrors}))
        }
      } while (again)
    })().finally(() => {
      building = undefined
    })
    return building
  }

  const server = http.createServer((request, response) => {
    void serve(request, response)
  })
  let listening = options.port
  const serve = async (request: http.IncomingMessage, response: http.ServerResponse) => {
    // A page on another site, its name pointed at 127.0.0.1 (DNS rebinding), must not read the unpublished book.
    if (!localHost(request.headers.host, listening)) {
      response.writeHead(421, {'content-type': 'text/plain; charset=utf-8'}).end('Misdirected request')
      return
    }
    const rawUrl = request.url ?? '/'
    const pathname = rawUrl.replace(/[?#].*$/s, '')
    if (request.method !== 'GET' && request.method !== 'HEAD') {
      response.writeHead(405, {allow: 'GET, HEAD'}).end('Method not allowed')
      return
    }
    if (pathname === '/__twofold/events') {
      response.writeHead(200, {
        'content-type': 'text/event-stream',
        'cache-control': 'no-store',
        connection: 'keep-alive'
      })
      response.write(': connected\n\n')
      if (lastErrors) response.write(`event: errors\ndata: ${JSON.stringify({text: lastErrors})}\n\n`)
      clients.add(response)
      request.on('close', () => clients.delete(response))
      return
    }
    if (pathname === '/__twofold/reload.js') {
      response
        .writeHead(200, {
          'content-type': types['.js'],
          'cache-control': 'no-store'
        })
        .end(reloadScript)
      return
    }
    if (pathname === '/__twofold/overlay.css') {
      response
        .writeHead(200, {
          'content-type': types['.css'],
          'cache-control': 'no-store'
        })
        .end(overlayCss)
      return
    }
    const file = resolveRequestPath(webDir, rawUrl)
    if (!file) {
      // Path traversal, or a malformed request target.
      response.writeHead(403, {'content-type': 'text/plain; charset=utf-8'}).end('Forbidden')
      return
    }
    const type = types[path.extname(file)] ?? 'application/octet-stream'
    let data: Buffer | string
    try {
      data = await fsp.readFile(file)
    } catch {
      if (type.startsWith('text/html')) {
        // No page yet (the first build failed): an empty page that shows the overlay and reloads when fixed.
        const page = `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Twofold: not built yet</title>${devHead}</head><body><main><p>Not built yet.</p></main></body></html>`
        response.writeHead(404, {'content-type': type, 'cache-control': 'no-store'}).end(page)
        return
      }
      response.writeHead(404, {'content-type': 'text/plain; charset=utf-8'}).end('Not found')
      return
    }
    if (type.startsWith('text/html')) data = data.toString('utf8').replace('</head>', `${devHead}</head>`)
    response
      .writeHead(200, {'content-type': type, 'cache-control': 'no-store'})
      .end(request.method === 'HEAD' ? undefined : data)
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port, '127.0.0.1', resolve)
  })
  const address = server.address()
  const port = typeof address === 'object' && address ? address.port : options.port
  listening = port
  const url = `http://127.0.0.1:${port}/`
  const keepAlive = setInterval(() => {
    for (const client of clients) client.write(': keep-alive\n\n')
  }, 15_000)

  await rebuild()
  process.stdout.write(
    `twofold: serving ${path.relative(process.cwd(), webDir) || webDir} at ${url} (Ctrl-C to stop)\n`
  )
  options.onListening?.(url)

  let timer: NodeJS.Timeout | undefined
  let restart = false
  const changed = (code: boolean) => (_event: string, name: string | null) => {
    // Editors' swap and backup files are not the book.
    if (name && /(?:^|[/\\])(?:\.[^/\\]*|[^/\\]*~|[^/\\]*\.sw[px])$/.test(name)) return
    changedAt ??= performance.now()
    if (code) restart = true
    clearTimeout(timer)
    timer = setTimeout(() => {
      if (restart) {
        restart = false
        process.stdout.write('twofold: templates or code changed; starting a fresh build process\n')
        stopWorker()
      }
      void rebuild()
    }, 40)
  }
  // Twofold's own sources are watched where they are: an installed package has none (it runs lib/).
  const own = [path.resolve(here, '../../templates'), path.resolve(here, '..')].filter((dir) => fs.existsSync(dir))
  const watchers = [...own.map((dir) => fs.watch(dir, {recursive: true}, changed(true)))]
  // A watch ends with the folder it watches: when the book folder goes (a branch switch, a `git clean`), look for it
  // twice a second and watch it again, and rebuild, when it is back.
  let bookWatcher: fs.FSWatcher | undefined
  let lookForBook: NodeJS.Timeout | undefined
  const onBookChange = changed(false)
  const watchBook = () => {
    try {
      bookWatcher = fs.watch(bookDir, {recursive: true}, (event, name) => {
        if (!fs.existsSync(bookDir)) bookGone()
        onBookChange(event, name)
      })
      bookWatcher.on('error', bookGone)
    } catch {
      bookGone()
    }
  }
  const bookGone = () => {
    bookWatcher?.close()
    bookWatcher = undefined
    if (lookForBook) return
    lookForBook = setInterval(() => {
      if (!fs.existsSync(bookDir)) return
      clearInterval(lookForBook)
      lookForBook = undefined
      watchBook()
      onBookChange('rename', null)
    }, 500)
  }
  watchBook()

  await new Promise<void>((resolve) => {
    const stop = () => resolve()
    options.signal?.addEventListener('abort', stop, {once: true})
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  clearInterval(keepAlive)
  clearTimeout(timer)
  for (const watcher of watchers) watcher.close()
  bookWatcher?.close()
  clearInterval(lookForBook)
  for (const client of clients) client.end()
  // A build stopped below reports to no one: an ended response cannot be written to.
  clients.clear()
  stopWorker()
  await new Promise<void>((resolve) => {
    server.close(() => resolve())
    server.closeAllConnections()
  })
  return 0
}

/**
 * The build side of `twofold dev`, run in its own process: builds the book
 * with one cache each time the server asks, and answers with the messages
 * and summary. Resolves when the server disconnects.
 */
export async function devWorker(options: {
  bookDir: string
  outDir: string
  strict?: boolean
  store?: Store | undefined
}): Promise<number> {
  // Without code to key entries by (sources run through tsx), the store lives in this process's memory only.
  const store = options.store ?? new Store({version: `process ${process.pid}`})
  const color = isInteractive(process.stderr)
  let queue = Promise.resolve()
  process.on('message', (message: {type?: string}) => {
    if (message?.type !== 'build') return
    queue = queue.then(async () => {
      let report: BuildReport
      try {
        const result = await build({
          bookDir: options.bookDir,
          outDir: options.outDir,
          strict: options.strict,
          store
        })
        const reused = result.cached?.chapters ?? 0
        const lines = formatMessages(result.files, {perRule: messagesPerRule})
        const plain = lines ? `${lines}\n${countLine(result.files)}` : ''
        report = {
          type: 'built',
          ok: result.ok,
          plain,
          // Coloured for a terminal; the same text where the terminal takes no colour.
          terminal:
            lines && color
              ? `${formatMessages(result.files, {color, perRule: messagesPerRule})}\n${countLine(result.files, {color})}`
              : plain,
          summary: result.ok ? summary(result, options.outDir) : '',
          reused,
          parsed: (result.book?.chapters.length ?? 0) - reused
        }
      } catch (cause) {
        crashed(cause)
        const text = `twofold: ${cause instanceof Error ? cause.message : String(cause)}`
        report = {
          type: 'built',
          ok: false,
          plain: text,
          terminal: '',
          summary: '',
          reused: 0,
          parsed: 0
        }
      }
      process.send?.(report)
    })
  })
  await new Promise<void>((resolve) => process.once('disconnect', () => resolve()))
  return 0
}
