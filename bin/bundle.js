/**
 * One ES module of a TypeScript entry and everything it imports, made with
 * esbuild and kept on disk: made again only when one of its input files
 * changed (size or modification time). Each module keeps its own
 * `import.meta.url` (and `dirname`, `filename`), so files still find their templates and packages next
 * to themselves. Used for the `twofold` command (./twofold.js: Node loads one
 * file instead of compiling a hundred through tsx) and for the parse worker
 * threads (../pipeline/parallel.ts). Plain JavaScript: it runs before any
 * TypeScript can.
 */
import {createHash} from 'node:crypto'
import {statSync} from 'node:fs'
import fs from 'node:fs/promises'
import path from 'node:path'
import {pathToFileURL} from 'node:url'

/**
 * The bundle `bundle` would give, if it is there and none of its inputs
 * changed; else `undefined` (nothing is made).
 *
 * @param {{dir: string, name: string}} options
 * @returns {Promise<string | undefined>}
 */
export async function freshBundle(options) {
  const file = path.join(options.dir, `${options.name}.mjs`)
  try {
    /** @type {Array<[string, number, number]>} */
    const inputs = JSON.parse(await fs.readFile(path.join(options.dir, `${options.name}.inputs.json`), 'utf8'))
    // Synchronous: hundreds of stats through the thread pool took a second, these take milliseconds.
    const same = ([input, size, mtime]) => {
      const stat = statSync(input, {throwIfNoEntry: false})
      return stat !== undefined && stat.size === size && stat.mtimeMs === mtime
    }
    if (inputs.length > 0 && inputs.every(same)) {
      await fs.access(file)
      return file
    }
  } catch {}
  return undefined
}

/**
 * The bundle of `entry` in `dir` (as `<name>.mjs`), made or reused; resolves
 * to its path. `packages`: `bundle` puts packages in it too (it can then live
 * anywhere), `external` leaves them to Node (so `dir` must be where Node
 * finds them, inside the project); `external` names packages to leave out
 * of a bundle with packages (ones with native binaries), as `external` does.
 *
 * @param {{entry: string, dir: string, name: string, packages: 'bundle' | 'external', external?: string[]}} options
 * @returns {Promise<string>}
 */
export async function bundle(options) {
  const fresh = await freshBundle(options)
  if (fresh) return fresh
  const {entry, dir, name, packages, external = []} = options
  const file = path.join(dir, `${name}.mjs`)
  const inputsFile = path.join(dir, `${name}.inputs.json`)

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
    // (Spelled in two parts: this file may itself be bundled, and its `import.meta.url`s are rewritten.)
    banner: {js: `import {createRequire as __twofoldRequire} from 'node:module'; const require = __twofoldRequire(${'import.meta'}.url);`},
    plugins: [
      {
        name: 'import-meta-url',
        setup(build) {
          build.onLoad({filter: /.*/}, async (args) => {
            // The size and time of every input, taken before it is read: an edit during the build makes it again next time.
            const stat = await fs.stat(args.path)
            read.set(args.path, [stat.size, stat.mtimeMs])
            // Other files (JSON) load as esbuild loads them.
            if (!/\.[cm]?[jt]s$/.test(args.path)) return undefined
            const text = await fs.readFile(args.path, 'utf8')
            const loader = /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js'
            const contents = text
              .replaceAll('import.meta.url', JSON.stringify(pathToFileURL(args.path).href))
              .replaceAll('import.meta.dirname', JSON.stringify(path.dirname(args.path)))
              .replaceAll('import.meta.filename', JSON.stringify(args.path))
            return {contents, loader}
          })
        }
      }
    ]
  })
  await fs.mkdir(dir, {recursive: true})
  const inputs = Object.keys(result.metafile.inputs).map((input) => {
    const absolute = path.resolve(input)
    const [size, mtime] = read.get(absolute) ?? [-1, -1]
    return [absolute, size, mtime]
  })
  // Written under temporary names and renamed: another process may be reading the last ones.
  const suffix = `.${process.pid}.${createHash('sha256').update(String(Math.random())).digest('hex').slice(0, 8)}.tmp`
  await fs.writeFile(file + suffix, result.outputFiles[0].contents)
  await fs.rename(file + suffix, file)
  await fs.writeFile(inputsFile + suffix, JSON.stringify(inputs))
  await fs.rename(inputsFile + suffix, inputsFile)
  return file
}
