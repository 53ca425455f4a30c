/**
 * `npm run fuzz [-- --runs 2000 --seed 42 --epubcheck 5 --limit 10000]`:
 * the fuzzer of tests/fuzz.test.ts at a larger scale. Random chapters go
 * through the whole pipeline; any exception, slow run (over --limit ms),
 * malformed page or document, duplicate id or unplaced message is a failure,
 * which fast-check shrinks to a small input and prints with the seed and
 * path to replay it. Then --epubcheck random books (five random chapters
 * that build, each) go through epubcheck. Exits 1 on any failure.
 */
import fs from 'node:fs/promises'
import os from 'node:os'
import path from 'node:path'
import {parseArgs} from 'node:util'
import fc from 'fast-check'
import {chapter} from '../tests/fixtures/fuzz/arbitraries.js'
import {checkBook, checkChapter} from '../tests/fixtures/fuzz/check.js'
import {epubcheck} from '../tests/helpers/epubcheck.js'

const {values} = parseArgs({
  options: {
    runs: {type: 'string', default: '2000'},
    seed: {type: 'string'},
    path: {type: 'string'},
    epubcheck: {type: 'string', default: '3'},
    limit: {type: 'string', default: '10000'}
  }
})
const runs = Number(values.runs)
const seed = values.seed === undefined ? Math.floor(Math.random() * 2 ** 31) : Number(values.seed)
const limitMs = Number(values.limit)
process.stdout.write(`twofold fuzz: ${runs} chapters, seed ${seed}, limit ${limitMs} ms per build\n`)

const times: number[] = []
let built = 0
let done = 0
const started = performance.now()
const result = await fc.check(
  fc.asyncProperty(chapter, async (text) => {
    const outcome = await checkChapter(text, {limitMs})
    times.push(outcome.ms)
    if (outcome.built) built++
    done++
    if (process.stdout.isTTY && done % 25 === 0) process.stdout.write(`\r${done}/${runs}…`)
    if (outcome.problems.length > 0) throw new Error(outcome.problems.join('\n'))
  }),
  {seed, numRuns: runs, ...(values.path ? {path: values.path} : {})}
)
if (process.stdout.isTTY) process.stdout.write('\r\u001B[2K')
times.sort((a, b) => a - b)
const at = (q: number) => Math.round(times[Math.min(times.length - 1, Math.floor(q * times.length))] ?? 0)
process.stdout.write(
  `ran ${times.length} builds in ${((performance.now() - started) / 1000).toFixed(1)} s: ${built} built, ${times.length - built} stopped by errors in the chapter; ms per build: median ${at(0.5)}, p99 ${at(0.99)}, max ${at(1)}\n`
)

let failed = false
if (result.failed) {
  failed = true
  const input = result.counterexample?.[0] ?? ''
  const file = path.join(os.tmpdir(), `twofold-fuzz-failure-${seed}.md`)
  await fs.writeFile(file, input)
  process.stdout.write(
    `FAILED after ${result.numRuns} runs (shrunk ${result.numShrinks} times). Replay: npm run fuzz -- --seed ${seed} --path "${result.counterexamplePath}" --runs ${runs}\n` +
      `input (also in ${file}):\n${JSON.stringify(input)}\n${String((result.errorInstance as Error | undefined)?.message ?? '')}\n`
  )
}

const wanted = Number(values.epubcheck)
if (wanted > 0 && !failed) {
  // epubcheck takes seconds to start: each book it reads holds five random chapters that build.
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'twofold-fuzz-epub-'))
  let checked = 0
  let pending: string[] = []
  for (const text of fc.sample(chapter, {
    seed: seed + 1,
    numRuns: wanted * 50
  })) {
    if (checked === wanted) break
    if ((await checkChapter(text)).built) pending.push(text)
    if (pending.length < 5) continue
    const outcome = await checkBook(pending)
    const file = path.join(dir, `random-${checked}.epub`)
    checked++
    if (!outcome.built || !outcome.epub || outcome.problems.length > 0) {
      failed = true
      process.stdout.write(
        `a book of five chapters that build alone failed together: ${outcome.problems.join('\n') || 'errors'}\n`
      )
    } else {
      await fs.writeFile(file, outcome.epub)
      const errors = (await epubcheck(file)).filter((m) => m.severity === 'ERROR' || m.severity === 'FATAL')
      if (errors.length > 0) {
        failed = true
        await fs.writeFile(file.replace(/\.epub$/, '.json'), JSON.stringify(pending, null, 2))
        process.stdout.write(
          `epubcheck: ${file} has ${errors.length} errors (its chapters are beside it):\n${errors.map((m) => `  ${m.ID} ${m.message} ${JSON.stringify(m.locations[0] ?? {})}`).join('\n')}\n`
        )
      }
    }
    pending = []
  }
  process.stdout.write(`epubcheck: ${checked} random books of five chapters checked${failed ? '' : ', no errors'}\n`)
  if (!failed) await fs.rm(dir, {recursive: true, force: true})
}

process.stdout.write(failed ? 'twofold fuzz: FAILED\n' : 'twofold fuzz: passed\n')
process.exitCode = failed ? 1 : 0
