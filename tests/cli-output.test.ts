/**
 * What the CLI prints: in a pipe and in CI, plain text (no colour, no
 * progress line); on a terminal (a real pseudo-terminal, through Python's
 * pty module), coloured messages and a progress line for a long build,
 * cleared when it ends; and the one-screen summary of a build.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'
import {afterAll, beforeAll, describe, expect, it} from 'vitest'
import {bin} from './helpers/cli.js'
import {root} from './helpers/fixture-book.js'

const run = promisify(execFile)
const basic = path.join(root, 'tests/fixtures/books/basic')
const ansi = /\u001B\[/

/** The environment of a person's shell: no CI, no colour settings. */
function plainEnv(extra: Record<string, string> = {}): NodeJS.ProcessEnv {
  const env = {...process.env, ...extra}
  for (const name of ['CI', 'NO_COLOR', 'FORCE_COLOR', 'TERM']) if (!(name in extra)) delete env[name]
  return env
}

/** Run the CLI on a pseudo-terminal; resolves to everything it wrote (stdout and stderr mixed, as a terminal shows them). */
async function onTerminal(args: string[], cwd: string, env: NodeJS.ProcessEnv): Promise<string> {
  const script = [
    'import os, pty, sys',
    'pid, fd = pty.fork()',
    'if pid == 0:',
    '    os.execvp(sys.argv[1], sys.argv[1:])',
    'out = b""',
    'while True:',
    '    try:',
    '        data = os.read(fd, 65536)',
    '    except OSError:',
    '        break',
    '    if not data:',
    '        break',
    '    out += data',
    'os.waitpid(pid, 0)',
    'sys.stdout.buffer.write(out)'
  ].join('\n')
  const {stdout} = await run('python3', ['-c', script, process.execPath, bin, ...args], {
    cwd,
    env: {...env, TERM: 'xterm-256color'},
    maxBuffer: 64 * 1024 * 1024
  })
  return stdout
}

describe('CLI output', () => {
  let work = ''
  beforeAll(async () => {
    work = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-output-'))
    await fs.cp(basic, path.join(work, 'basic'), {recursive: true})
    // A book with a warning.
    await fs.cp(basic, path.join(work, 'warned'), {recursive: true})
    await fs.appendFile(path.join(work, 'warned/02-second.md'), '\nSee [nowhere](#nowhere).\n')
    // A long book, for the progress line.
    const long = path.join(work, 'long')
    await fs.cp(basic, long, {recursive: true})
    for (let n = 3; n <= 150; n++) {
      await fs.writeFile(
        path.join(long, `${String(n).padStart(3, '0')}-more-${n}.md`),
        `---\ntitle: More ${n}\n---\n\n${'A sentence that cites its source [@alpha]. '.repeat(40)}\n`
      )
    }
  })
  afterAll(async () => {
    await fs.rm(work, {recursive: true, force: true})
  })

  it('prints plain text and a one-screen summary in a pipe', async () => {
    const {stdout, stderr} = await run(process.execPath, [bin, 'build', 'warned', '--out', 'out-pipe'], {
      cwd: work,
      env: plainEnv()
    })
    expect(stdout + stderr).not.toMatch(ansi)
    expect(stderr).toContain('warned/02-second.md:9:5  warning  Missing anchor `#nowhere` in this chapter')
    expect(stderr).toContain('1 warning')
    const lines = stdout.trim().split('\n')
    expect(lines.length).toBeLessThanOrEqual(10)
    // Chapters an earlier run parsed are read from the cache (see tests/store.test.ts).
    expect(lines[0]).toMatch(
      /^twofold: built “A Test of Two Books” in \d+\.\d\d s( \(\d+ of \d+ chapters unchanged, read from the cache\))?$/
    )
    expect(lines[1]).toMatch(
      /^ {2}chapters 2, words \d+, citations 8, graphics 1 \(3 static figures\), images 1, warnings 1$/
    )
    expect(lines[2]).toMatch(/^ {2}web {2}out-pipe\/web\/ \(\d+ files, \d+ KB\)$/)
    expect(lines[3]).toMatch(/^ {2}epub out-pipe\/test-book\.epub \(\d+ KB\)$/)
  })

  it('prints 50 messages of one rule in a file, then how many more, and counts them all', async () => {
    const book = path.join(work, 'flooded')
    await fs.cp(basic, book, {recursive: true})
    await fs.appendFile(path.join(book, '02-second.md'), '\nSee [nowhere](#nowhere).\n'.repeat(120))
    const {stdout, stderr} = await run(process.execPath, [bin, 'build', 'flooded', '--out', 'out-flooded'], {
      cwd: work,
      env: plainEnv()
    })
    const lines = stderr.trim().split('\n')
    expect(lines.filter((line) => line.includes('Missing anchor `#nowhere`'))).toHaveLength(50)
    expect(lines).toContain(
      'flooded/02-second.md  warning  and 70 more like the 50 above  missing-anchor  remark-links'
    )
    expect(lines.at(-1)).toBe('120 warnings')
    expect(stdout).toMatch(/warnings 120$/m)
  })

  it('colours messages on a terminal, and shows then clears a progress line on a long build', async () => {
    const warned = await onTerminal(['build', 'warned', '--out', 'out-tty'], work, plainEnv())
    expect(warned).toMatch(/\u001B\[33mwarning\u001B\[39m/)
    const long = await onTerminal(['build', 'long', '--out', 'out-long'], work, plainEnv())
    expect(long).toMatch(/\r\u001B\[2Kparsing \d+\/150…/)
    // The progress line is cleared before the summary.
    expect(long).toMatch(/\r\u001B\[2Ktwofold: built/)
  }, 120_000)

  it('prints no colour and no progress in CI or with NO_COLOR, even on a terminal', async () => {
    const settings: Array<Record<string, string>> = [{CI: 'true'}, {NO_COLOR: '1'}]
    for (const extra of settings) {
      const output = await onTerminal(['build', 'long', '--out', 'out-ci'], work, plainEnv(extra))
      expect(output).toContain('twofold: built')
      expect(output).not.toMatch(ansi)
    }
  }, 120_000)
})
