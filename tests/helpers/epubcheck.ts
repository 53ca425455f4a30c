/**
 * Run epubcheck on an EPUB and return its JSON report: the jar named by
 * `EPUBCHECK_JAR`, or else Debian's epubcheck 4.2.6, whose /usr/bin/epubcheck
 * is the jar itself. A missing epubcheck fails; it never skips.
 */
import {execFile} from 'node:child_process'
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {promisify} from 'node:util'

const run = promisify(execFile)

export interface EpubcheckMessage {
  ID: string
  severity: string
  message: string
  locations: Array<{path: string; line: number; column: number}>
}

/** epubcheck's messages for `epubPath` (all severities). */
export async function epubcheck(epubPath: string): Promise<EpubcheckMessage[]> {
  const jar = process.env.EPUBCHECK_JAR || '/usr/bin/epubcheck'
  await fs.access(jar).catch(() => {
    throw new Error(
      process.env.EPUBCHECK_JAR
        ? `epubcheck not found: EPUBCHECK_JAR=${jar} is not a file`
        : 'epubcheck not found: run `apt-get install -y epubcheck default-jre-headless` (npm test does it as root), or set EPUBCHECK_JAR to an epubcheck jar'
    )
  })
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'epubcheck-'))
  const out = path.join(dir, 'report.json')
  await run('java', ['-jar', jar, epubPath, '--json', out], {
    maxBuffer: 64 * 1024 * 1024
  }).catch((cause: {stdout?: string; stderr?: string}) => {
    // epubcheck exits non-zero when it finds errors; the JSON report says which.
    if (!cause.stdout && !cause.stderr) throw cause
  })
  const report = JSON.parse(await fs.readFile(out, 'utf8')) as {
    messages: EpubcheckMessage[]
  }
  await fs.rm(dir, {recursive: true, force: true})
  return report.messages
}
