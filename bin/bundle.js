/**
 * One ES module of a TypeScript entry and everything it imports, made with
 * esbuild and kept on disk: made again only when one of its input files
 * changed (size or modification time), or the options, esbuild or this file
 * did. Each module keeps its own `import.meta` URL, directory and file name,
 * so files still find their templates and packages next to themselves. Used
 * for the `twofold` command (./twofold.js: Node loads one file instead of
 * compiling a hundred through tsx), the bench, and the worker threads
 * (../pipeline/parallel.ts, ../pipeline/citations/worker.ts). Plain
 * JavaScript: it runs before any TypeScript can.
 *
 * In `dir`, `<name>.json` names the bundle (`<name>-<content hash>.mjs`,
 * never changed once written) and what it was made from; it is replaced in
 * one rename, so a reader always finds a bundle and the inputs it was made
 * from together, even while other processes make theirs.
 */
import {createHash} from 'node:crypto'
import {readFileSync, statSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

// Spelled in parts: this file is itself bundled (into the command), and a bundle's `import.meta`s are rewritten.
const meta = ['import', 'meta'].join('.')
const self = fileURLToPath(import.meta.url)

/**
 * @typedef {{entry: string, dir: string, name: string, packages: 'bundle' | 'external', external?: string[]}} BundleOptions
 * `packages`: `bundle` puts packages in the bundle too (it can then live
 * anywhere), `external` leaves them to Node (so `dir` must be where Node
 * finds them, inside the project); `external` names packages to leave out of
 * a bundle with packages (ones with native binaries).
 */

/** What a bundle was made from: options, esbuild's version, this file, and every input with its size and time. */
function recipe(options) {
  let esbuildVersion = ''
  try {
    esbuildVersion = JSON.parse(
      readFileSync(path.join(path.dirname(fileURLToPath(import.meta.resolve('esbuild'))), '..', 'package.json'), 'utf8')
    ).version
  } catch {}
  const stat = statSync(self, {throwIfNoEntry: false})
  return JSON.stringify({
    entry: options.entry,
    packages: options.packages,
    external: options.external ?? [],
    esbuild: esbuildVersion,
    maker: stat ? [stat.size, stat.mtimeMs] : []
  })
}

/**
 * The bundle `bundle` would give, if it is there and nothing it was made
 * from changed; else `undefined` (nothing is made).
 *
 * @param {BundleOptions} options
 * @returns {Promise<string | undefined>}
 */
async function freshBundle(options) {
  try {
    /** @type {{recipe: string, file: string, inputs: Array<[string, number, number]>}} */
    const made = JSON.parse(await fs.readFile(path.join(options.dir, `${options.name}.json`), 'utf8'))
    if (made.recipe !== recipe(options) || made.inputs.length === 0) return undefined
    // Synchronous: hundreds of stats through the thread pool took a second, these take milliseconds.
    for (const [input, size, mtime] of made.inputs) {
      const stat = statSync(input, {throwIfNoEntry: false})
      if (stat === undefined || stat.size !== size || stat.mtimeMs !== mtime) return undefined
    }
    const file = path.join(options.dir, made.file)
    await fs.access(file)
    return file
  } catch {
    return undefined
  }
}

/**
 * The bundle of `entry` in `dir`, made or reused; resolves to its path.
 * Rejects when it cannot be made or kept (a read-only directory).
 *
 * @param {BundleOptions} options
 * @returns {Promise<string>}
 */
export async function bundle(options) {
  const fresh = await freshBundle(options)
  if (fresh) return fresh
  const {entry, dir, name, packages, external = []} = options
  // Where it cannot be kept, it is not made (the caller falls back at once).
  await fs.mkdir(dir, {recursive: true})
  await fs.access(dir, fs.constants.W_OK)
  const made = recipe(options)
  const esbuild = await import('esbuild')
  /** @type {Map<string, [number, number]>} */
  const read = new Map()
  const result = await esbuild.build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'esm',
    target: 'node20',
    packages,
    external,
    // ES module builds first: a UMD build (jsonc-parser's) hides its `require`s from the bundler.
    mainFields: ['module', 'main'],
    write: false,
    metafile: true,
    logLevel: 'silent',
    // Packages in CommonJS `require` Node's built-ins: give the module a `require`.
    banner: {
      js: `import {createRequire as __twofoldRequire} from 'node:module'; const require = __twofoldRequire(${meta}.url);`
    },
    plugins: [
      {
        name: 'import-meta',
        setup(build) {
          // Read synchronously: esbuild asks for hundreds of files at once, and as many reads under way hold as many
          // files open, past a low limit (`ulimit -n`) and while a build reads its own files beside a bundle being made.
          build.onLoad({filter: /.*/}, (args) => {
            // The size and time of every input, taken before it is read: an edit during the build makes it again next time.
            const stat = statSync(args.path)
            read.set(args.path, [stat.size, stat.mtimeMs])
            // Other files (JSON) load as esbuild loads them.
            if (!/\.[cm]?[jt]s$/.test(args.path)) return undefined
            const text = readFileSync(args.path, 'utf8')
            const contents = text
              .replaceAll(`${meta}.url`, JSON.stringify(pathToFileURL(args.path).href))
              .replaceAll(`${meta}.dirname`, JSON.stringify(path.dirname(args.path)))
              .replaceAll(`${meta}.filename`, JSON.stringify(args.path))
            return {
              contents,
              loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js'
            }
          })
        }
      }
    ]
  })
  const inputs = Object.keys(result.metafile.inputs).map((input) => {
    const absolute = path.resolve(input)
    const [size, mtime] = read.get(absolute) ?? [-1, -1]
    return [absolute, size, mtime]
  })
  const code = result.outputFiles[0].contents
  const file = `${name}-${createHash('sha256').update(code).digest('hex').slice(0, 16)}.mjs`
  // Written under temporary names and renamed: another process may be reading the last ones.
  const temporary = (target) => `${target}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`
  const bundlePath = path.join(dir, file)
  const bundleTemporary = temporary(bundlePath)
  await fs.writeFile(bundleTemporary, code)
  await fs.rename(bundleTemporary, bundlePath)
  const manifest = path.join(dir, `${name}.json`)
  const manifestTemporary = temporary(manifest)
  await fs.writeFile(manifestTemporary, JSON.stringify({recipe: made, file, inputs}))
  await fs.rename(manifestTemporary, manifest)
  // Earlier bundles of this name: another process may still be loading one, so only those an hour old go.
  for (const other of await fs.readdir(dir)) {
    if (other === file || !other.startsWith(`${name}-`) || !other.endsWith('.mjs')) continue
    const stat = await fs.stat(path.join(dir, other)).catch(() => undefined)
    if (stat && Date.now() - stat.mtimeMs > 3_600_000) await fs.rm(path.join(dir, other), {force: true})
  }
  return bundlePath
}
