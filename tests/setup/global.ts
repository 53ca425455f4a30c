/**
 * Builds the fixture book and the story once, with the real CLI, for the
 * browser and EPUB tests; serves both on 127.0.0.1.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import path from 'node:path'
import {promisify} from 'node:util'
import type {TestProject} from 'vitest/node'
import {serve} from '../helpers/serve.js'

const run = promisify(execFile)
const root = path.resolve(import.meta.dirname, '../..')

declare module 'vitest' {
  export interface ProvidedContext {
    builds: Record<'basic' | 'story' | 'layouts' | 'dialect', {out: string; url: string; epub: string}>
  }
}

export default async function setup(project: TestProject) {
  // TWOFOLD_TEST_BUILDS: another directory, so that runs started side by side do not delete each other's builds.
  const base = process.env.TWOFOLD_TEST_BUILDS
    ? path.resolve(process.env.TWOFOLD_TEST_BUILDS)
    : path.join(root, 'test-results', 'builds')
  await fs.rm(base, {recursive: true, force: true})
  const books = {
    basic: 'tests/fixtures/books/basic',
    story: 'chapters',
    layouts: 'tests/fixtures/books/layouts',
    dialect: 'tests/fixtures/books/dialect'
  } as const
  const builds = {} as Record<keyof typeof books, {out: string; url: string; epub: string}>
  const servers: Array<() => Promise<void>> = []
  for (const [name, dir] of Object.entries(books) as Array<[keyof typeof books, string]>) {
    const out = path.join(base, name)
    try {
      await run(process.execPath, [path.join(root, 'bin/twofold.js'), 'build', dir, '--out', out], {
        cwd: root,
        env: {...process.env, SOURCE_DATE_EPOCH: '1700000000'}
      })
    } catch (cause) {
      const {stdout, stderr} = cause as {stdout?: string; stderr?: string}
      throw new Error(`Building ${dir} for the tests failed:\n${stdout ?? ''}${stderr ?? ''}`)
    }
    const epubName = (await fs.readdir(out)).find((f) => f.endsWith('.epub')) ?? ''
    const server = await serve(path.join(out, 'web'))
    servers.push(server.close)
    builds[name] = {out, url: server.url, epub: path.join(out, epubName)}
  }
  project.provide('builds', builds)
  return async () => {
    for (const close of servers) await close()
  }
}
