/**
 * The installable package: `npm pack` gives a tarball of compiled JavaScript (no TypeScript loader at run
 * time), which installs into an empty project from the npm cache alone, with no network; there
 * `npx twofold new` and `npx twofold build` work, `import {build} from 'twofold'` loads, and its types
 * check a caller's code.
 *
 * npm needs each package's registry document to resolve a version range offline, and the cache holds only
 * the tarballs: the project gets a lockfile made from Twofold's own (its production packages, each with its
 * registry address), so `npm ci --offline` takes every tarball from the cache by its integrity.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {root} from '../helpers/fixture-book.js'

const run = promisify(execFile)
let tmp: string
let project: string

/** Run `command` in the project, without network; its output, or the failure with its output. */
async function inProject(command: string, args: string[]): Promise<{stdout: string; stderr: string}> {
  return run(command, args, {
    cwd: project,
    env: {
      ...process.env,
      NO_COLOR: '1',
      npm_config_offline: 'true',
      npm_config_audit: 'false',
      npm_config_fund: 'false'
    },
    maxBuffer: 64 * 1024 * 1024
  })
}

beforeAll(async () => {
  tmp = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-package-'))
  project = path.join(tmp, 'project')
  await fs.mkdir(project)
  // The project's .npmrc sets ignore-scripts (no dependency runs an install script), so `prepack` is run here.
  await run(process.execPath, ['scripts/pack.mjs'], {cwd: root, maxBuffer: 64 * 1024 * 1024})
  const {stdout} = await run('npm', ['pack', '--pack-destination', tmp, '--silent'], {
    cwd: root,
    maxBuffer: 64 * 1024 * 1024
  })
  const tarball = stdout.trim().split('\n').at(-1) ?? ''
  const spec = `file:../${tarball}`
  const own = JSON.parse(await fs.readFile(path.join(root, 'package.json'), 'utf8'))
  const lock = JSON.parse(await fs.readFile(path.join(root, 'package-lock.json'), 'utf8'))
  const packages: Record<string, Record<string, unknown>> = {
    '': {name: 'project', dependencies: {twofold: spec}},
    'node_modules/twofold': {
      version: own.version,
      resolved: spec,
      dependencies: own.dependencies,
      bin: own.bin,
      engines: own.engines
    }
  }
  for (const [at, entry] of Object.entries(lock.packages as Record<string, Record<string, unknown>>)) {
    if (at === '' || entry.dev || entry.link) continue
    const name = at.slice(at.lastIndexOf('node_modules/') + 'node_modules/'.length)
    packages[at] = {
      ...entry,
      resolved: entry.resolved ?? `https://registry.npmjs.org/${name}/-/${name.split('/').at(-1)}-${entry.version}.tgz`
    }
  }
  await fs.writeFile(
    path.join(project, 'package.json'),
    JSON.stringify({name: 'project', private: true, type: 'module', dependencies: {twofold: spec}})
  )
  await fs.writeFile(
    path.join(project, 'package-lock.json'),
    JSON.stringify({name: 'project', lockfileVersion: 3, requires: true, packages})
  )
  await inProject('npm', ['ci', '--offline', '--no-audit', '--no-fund', '--loglevel=error'])
}, 600_000)

afterAll(async () => {
  if (tmp) await fs.rm(tmp, {recursive: true, force: true})
})

describe('the npm package', () => {
  it('ships compiled JavaScript, types and templates, and no TypeScript sources', async () => {
    const installed = path.join(project, 'node_modules/twofold')
    const files = (await fs.readdir(installed, {recursive: true})).map(String)
    expect(files).toEqual(
      expect.arrayContaining([
        'bin/twofold.js',
        'lib/twofold.mjs',
        'lib/types/pipeline/api.d.ts',
        'templates/epub/content.opf.ejs',
        'templates/new/book.yaml',
        'README.md'
      ])
    )
    expect(files.filter((file) => file.startsWith('pipeline'))).toEqual([])
    // No TypeScript loader among what it needs.
    const manifest = JSON.parse(await fs.readFile(path.join(installed, 'package.json'), 'utf8'))
    expect(Object.keys(manifest.dependencies)).not.toContain('tsx')
    await expect(fs.access(path.join(project, 'node_modules/tsx'))).rejects.toThrow()
  })

  it('runs `npx twofold new` and `npx twofold build --strict` in the project', async () => {
    await inProject('npx', ['twofold', 'new', 'book'])
    const {stdout, stderr} = await inProject('npx', ['twofold', 'build', 'book', '--out', 'out', '--strict'])
    expect(stderr).toBe('')
    expect(stdout).toContain('built “My First Book”')
    expect((await fs.stat(path.join(project, 'out/my-first-book.epub'))).size).toBeGreaterThan(10_000)
    expect(await fs.readFile(path.join(project, 'out/web/a-graphic.html'), 'utf8')).toContain('data-step')
    // A book in another layout builds there too.
    const quarto = await inProject('npx', [
      'twofold',
      'build',
      path.join(root, 'tests/fixtures/formats/quarto'),
      '--out',
      'out-quarto'
    ])
    expect(quarto.stdout).toContain('built “Tides and Harbours”')
  }, 300_000)

  it('gives `import {build} from "twofold"`, with types that check the caller', async () => {
    const {stdout} = await inProject(process.execPath, [
      '--input-type=module',
      '-e',
      "const {build, main} = await import('twofold'); console.log(typeof build, typeof main)"
    ])
    expect(stdout.trim()).toBe('function function')
    await fs.writeFile(
      path.join(project, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: {
          module: 'nodenext',
          moduleResolution: 'nodenext',
          strict: true,
          noEmit: true,
          skipLibCheck: true,
          types: []
        },
        files: ['check.ts']
      })
    )
    const tsc = path.join(root, 'node_modules/.bin/tsc')
    await fs.writeFile(
      path.join(project, 'check.ts'),
      "import {type BuildResult, build} from 'twofold'\nconst result: Promise<BuildResult> = build({bookDir: 'book', outDir: 'out', strict: true})\nvoid result\n"
    )
    await inProject(tsc, ['-p', '.'])
    // The types are real: a wrong option is an error.
    await fs.writeFile(
      path.join(project, 'check.ts'),
      "import {build} from 'twofold'\nvoid build({bookDir: 'book', outDir: 'out', strict: 'yes'})\n"
    )
    await expect(inProject(tsc, ['-p', '.'])).rejects.toMatchObject({stdout: expect.stringContaining('TS2322')})
  }, 120_000)
})
