// Replay speed through the full engine (ingestion, dispatch, five modules) for every committed
// cassette: `npm run bench -- replay`. Each iteration is one backtest; the figures are per block.
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import { benchOptions } from '../bench/benchOptions.ts'
import { defineBenchmark } from '../bench/defineBenchmark.ts'
import { rowsOf } from '../bench/rowsOf.ts'
import { runBacktest } from './replay.ts'

const fixtures = fileURLToPath(new URL('../../fixtures/', import.meta.url))

export default defineBenchmark({
  name: 'replay',
  summary: 'Backtest speed: blocks per second through the full engine for each committed cassette',
  async run({ quick }) {
    const blocks: Record<string, number> = {}
    const bench = new Bench(benchOptions(quick, { iterations: 5, timeMs: 0, warmupIterations: 1 }))
    for (const file of readdirSync(fixtures).filter((f) => /\.ndjson(\.gz)?$/.test(f))) {
      const cassette = join(fixtures, file)
      bench.add(file, async () => {
        const run = await runBacktest({ cassette })
        blocks[file] = run.blocks
      })
    }
    await bench.run()
    return { rows: rowsOf(bench, { benchmark: 'replay', unit: 'block', opsPerIteration: blocks }) }
  },
})
