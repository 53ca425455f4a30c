/** Run the `twofold` command as a user would (`node bin/twofold.js …`), without colour. */
import {execFile} from 'node:child_process'
import path from 'node:path'
import {promisify} from 'node:util'
import {root} from './fixture-book.js'

const run = promisify(execFile)

/** The command's path. */
export const bin = path.join(root, 'bin/twofold.js')

/** Run the command with `args` in `cwd` (with `env` added to the environment); resolves to its exit code and output, never rejects on a non-zero exit. */
export async function runCli(
  args: string[],
  cwd: string,
  env: NodeJS.ProcessEnv = {}
): Promise<{code: number; stdout: string; stderr: string}> {
  try {
    const {stdout, stderr} = await run(process.execPath, [bin, ...args], {
      cwd,
      env: {...process.env, NO_COLOR: '1', ...env},
      maxBuffer: 64 * 1024 * 1024
    })
    return {code: 0, stdout, stderr}
  } catch (cause) {
    const {code, stdout, stderr} = cause as {
      code?: number
      stdout?: string
      stderr?: string
    }
    return {
      code: typeof code === 'number' ? code : -1,
      stdout: stdout ?? '',
      stderr: stderr ?? ''
    }
  }
}
