// Loaded with `node --import` by `npm run bench` (scripts/bench.ts) into the `twofold` command: as the process exits,
// writes its CPU time (all threads) and peak RSS to the file `TWOFOLD_BENCH_USAGE` names.
import {writeFileSync} from 'node:fs'

const file = process.env.TWOFOLD_BENCH_USAGE
if (file) {
  process.on('exit', () => {
    const usage = process.resourceUsage()
    writeFileSync(
      file,
      JSON.stringify({
        cpuMs: (usage.userCPUTime + usage.systemCPUTime) / 1000,
        maxRssMb: usage.maxRSS / 1024
      })
    )
  })
}
