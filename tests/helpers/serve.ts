/**
 * A static file server for built sites, on 127.0.0.1 only: for the browser
 * tests, and (with `asHost`) for `npm run check`, which serves the site the
 * way a static host would: gzip for text, long caching for hashed assets.
 */
import fs from 'node:fs/promises'
import http from 'node:http'
import type {AddressInfo} from 'node:net'
import path from 'node:path'
import zlib from 'node:zlib'
import {types} from '../../pipeline/cli/dev.js'

/** Serve `root`; resolves to the base URL and a close function. */
export async function serve(
  root: string,
  options: {asHost?: boolean} = {}
): Promise<{url: string; close: () => Promise<void>}> {
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    let file = path.join(root, decodeURIComponent(url.pathname))
    if (!file.startsWith(root)) {
      response.writeHead(403).end()
      return
    }
    if (file.endsWith('/')) file += 'index.html'
    let data: Buffer
    try {
      data = await fs.readFile(file)
    } catch {
      response.writeHead(404, {'content-type': 'text/plain'}).end('not found')
      return
    }
    const type = types[path.extname(file)] ?? 'application/octet-stream'
    const headers: Record<string, string> = {'content-type': type}
    if (options.asHost) {
      headers['cache-control'] = /\/(assets|figures|media)\//.test(url.pathname)
        ? 'public, max-age=31536000, immutable'
        : 'no-cache'
      if (/text|svg|javascript/.test(type) && /\bgzip\b/.test(String(request.headers['accept-encoding'] ?? ''))) {
        data = zlib.gzipSync(data)
        headers['content-encoding'] = 'gzip'
      }
    }
    response.writeHead(200, headers).end(data)
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}/`,
    close: () => new Promise((resolve) => server.close(() => resolve()))
  }
}
