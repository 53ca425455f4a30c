/**
 * What `npm pack` ships (run as `prepack`): the command and the programmatic interface as compiled
 * JavaScript in lib/ (lib/twofold.mjs, made by esbuild with the packages left to npm), and their types
 * (lib/types/, by tsc). No TypeScript loader runs in an installed package: bin/twofold.js loads
 * lib/twofold.mjs there.
 *
 * Each module finds its templates from where its source file sits (`import.meta.url`): in the bundle, that
 * is the source's place in the package (`<package>/pipeline/render/epub/index.ts`), reckoned from the
 * bundle's own URL, so `../../../templates/epub` still leads to the package's templates.
 */
import {execFileSync} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {fileURLToPath} from 'node:url'
import * as esbuild from 'esbuild'

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..')
const lib = path.join(root, 'lib')
// Spelled in parts, as in bin/bundle.js.
const meta = ['import', 'meta'].join('.')

await fs.rm(lib, {recursive: true, force: true})

const placed = {
  name: 'place-import-meta',
  setup(build) {
    build.onLoad({filter: /\.[cm]?[jt]s$/}, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined
      const text = await fs.readFile(args.path, 'utf8')
      // The source's place relative to lib/, where the bundle is.
      const from = JSON.stringify(path.relative(lib, args.path).split(path.sep).join('/'))
      const contents = text
        .replaceAll(`${meta}.url`, `new URL(${from}, ${meta}.url).href`)
        .replaceAll(`${meta}.dirname`, `__twofoldDirname(new URL(${from}, ${meta}.url))`)
        .replaceAll(`${meta}.filename`, `__twofoldFilename(new URL(${from}, ${meta}.url))`)
      return {contents, loader: /\.[cm]?ts$/.test(args.path) ? 'ts' : 'js'}
    })
  }
}

const shared = {
  bundle: true,
  platform: 'node',
  format: 'esm',
  target: 'node20',
  packages: 'external',
  logLevel: 'warning',
  plugins: [placed],
  banner: {
    js: [
      "import {createRequire as __twofoldRequire} from 'node:module'",
      "import {dirname as __twofoldDir} from 'node:path'",
      "import {fileURLToPath as __twofoldPath} from 'node:url'",
      `const require = __twofoldRequire(${meta}.url)`,
      'const __twofoldFilename = (url) => __twofoldPath(url)',
      'const __twofoldDirname = (url) => __twofoldDir(__twofoldPath(url))'
    ].join('; ')
  }
}

await esbuild.build({
  ...shared,
  entryPoints: [path.join(root, 'pipeline/api.ts')],
  outfile: path.join(lib, 'twofold.mjs')
})

// The types of the programmatic interface.
const tsc = path.join(root, 'node_modules/.bin/tsc')
execFileSync(tsc, ['-p', 'tsconfig.pack.json'], {cwd: root, stdio: 'inherit'})
process.stdout.write(`twofold: packed lib/ (${(await fs.readdir(lib)).join(', ')})\n`)
