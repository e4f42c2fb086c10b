/**
 * Replay speed: blocks per second through the full engine (ingestion, dispatch, five modules) for
 * every committed cassette. Run: `npx tsx harness/replay/replay.bench.ts [runs]`.
 */
import { readdirSync } from 'node:fs'
import { join } from 'node:path'
import { runBacktest } from './replay.ts'

const runs = Number(process.argv[2] ?? 5)
for (const file of readdirSync('fixtures').filter((f) => /\.ndjson(\.gz)?$/.test(f))) {
  const cassette = join('fixtures', file)
  const rates: number[] = []
  let blocks = 0
  for (let i = 0; i < runs; i++) {
    const run = await runBacktest({ cassette })
    blocks = run.blocks
    rates.push(run.blocksPerSecond)
  }
  rates.sort((a, b) => a - b)
  const median = rates[Math.floor(rates.length / 2)]!
  console.log(`${cassette}: ${blocks} blocks, ${runs} runs, blocks/s median ${Math.round(median)} (min ${Math.round(rates[0]!)}, max ${Math.round(rates.at(-1)!)})`)
}
