#!/usr/bin/env node
// Entry of the `twofold` command. The TypeScript CLI runs from one ES module bundled by esbuild (./bundle.js),
// kept in node_modules/.cache/twofold/ and made again when a source file changes: Node then loads one file
// instead of compiling every module through tsx (about a second less at every start). An installed package
// runs the JavaScript it ships in lib/ instead (scripts/pack.mjs). Where the bundle cannot
// be made or kept (a read-only install), or with TWOFOLD_TSX=1, the sources run through tsx's loader.
import {existsSync, statSync} from 'node:fs'
import path from 'node:path'
import {fileURLToPath, pathToFileURL} from 'node:url'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const entry = path.join(root, 'pipeline/cli/index.ts')

async function load() {
  // An installed package ships no sources, but their compiled JavaScript in lib/ (see scripts/pack.mjs).
  const packaged = path.join(root, 'lib/twofold.mjs')
  if (!existsSync(entry) && existsSync(packaged)) {
    const {size, mtimeMs} = statSync(packaged)
    return {...(await import(pathToFileURL(packaged).href)), version: `lib-${size}-${mtimeMs}`}
  }
  if (process.env.TWOFOLD_TSX !== '1') {
    let file
    try {
      const {bundle} = await import('./bundle.js')
      // Packages are in it but those with native binaries or WebAssembly files (resvg, esbuild, subset-font), which
      // Node finds from where it lives.
      file = await bundle({
        entry,
        dir: path.join(root, 'node_modules/.cache/twofold'),
        name: 'cli',
        packages: 'bundle',
        external: ['@resvg/resvg-js', 'esbuild', 'subset-font', 'tsx']
      })
    } catch {
      // No bundle: tsx below.
    }
    if (file) {
      try {
        return {
          ...(await import(pathToFileURL(file).href)),
          version: path.basename(file)
        }
      } catch {
        // A bundle that does not load: tsx below.
      }
    }
  }
  const {register} = await import('tsx/esm/api')
  register()
  return import(pathToFileURL(entry).href)
}

// The bundle's name (its content hash) names the code, for the cache (see pipeline/output/store.ts).
const {main, version} = await load()
process.exitCode = await main(process.argv.slice(2), {version})
