/** A static file server for built sites, on 127.0.0.1 only, for the browser tests. */
import fs from 'node:fs/promises'
import http from 'node:http'
import path from 'node:path'
import type {AddressInfo} from 'node:net'

const types: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.jpg': 'image/jpeg',
  '.epub': 'application/epub+zip',
  '.xhtml': 'application/xhtml+xml; charset=utf-8'
}

/** Serve `root`; resolves to the base URL and a close function. */
export async function serve(root: string): Promise<{url: string; close: () => Promise<void>}> {
  const server = http.createServer(async (request, response) => {
    const url = new URL(request.url ?? '/', 'http://127.0.0.1')
    let file = path.join(root, decodeURIComponent(url.pathname))
    if (!file.startsWith(root)) {
      response.writeHead(403).end()
      return
    }
    if (file.endsWith('/')) file += 'index.html'
    try {
      const data = await fs.readFile(file)
      response.writeHead(200, {'content-type': types[path.extname(file)] ?? 'application/octet-stream'})
      response.end(data)
    } catch {
      response.writeHead(404).end('not found')
    }
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  const {port} = server.address() as AddressInfo
  return {url: `http://127.0.0.1:${port}/`, close: () => new Promise((resolve) => server.close(() => resolve()))}
}
