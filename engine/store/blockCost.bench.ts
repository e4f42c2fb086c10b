// Cost per block of the engine's commit path (module store writes + cursor) on a real lmdb store:
// `npm run bench -- block-cost`. A counting module in process, 2 logs a block, from a memory chain:
//   catch-up  the blocks are mined first, the engine runs through them
//   live      one block mined at a time, each awaited before the next
// Each iteration is one engine run over `blocks` blocks; the figures are wall time per block, with
// CPU per block (warm-up included) as a note.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { Bench } from 'tinybench'
import { parseAbiItem, toEventSelector } from 'viem'
import { benchOptions } from '../../harness/bench/benchOptions.ts'
import { defineBenchmark } from '../../harness/bench/defineBenchmark.ts'
import { rowsOf } from '../../harness/bench/rowsOf.ts'
import { createMemoryChainSource, memoryLog } from '../chain/createMemoryChainSource.ts'
import { loadConfig } from '../config/loadConfig.ts'
import { createLogger } from '../host/createLogger.ts'
import { loadModules } from '../module/loadModules.ts'
import { startEngine } from '../startEngine.ts'

const emitter = '0x00000000000000000000000000000000000e0001'
const topic0 = toEventSelector(parseAbiItem('event Ping(uint256 indexed seq, address indexed sender, uint256 value)'))
const countingModule = fileURLToPath(new URL('../testing/countingModule.ts', import.meta.url))

async function run(mode: 'catch-up' | 'live', blocks: number): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-bench-'))
  try {
    const file = join(dir, 'engine.toml')
    writeFileSync(file, `[engine]\nstate_dir = "state"\nlog_level = "error"\n[chains.11155111]\nrpc_url = "ws://127.0.0.1:1"\npoll_interval_ms = 10\nstart_block = 1\n[[modules]]\nname = "counting"\npath = "${countingModule}"\nisolation = "in-process"\n[modules.config]\nemitter = "${emitter}"\n`)
    const config = loadConfig(file)
    const chain = createMemoryChainSource()
    const perBlock = (i: number) => [memoryLog(emitter, topic0, BigInt(2 * i)), memoryLog(emitter, topic0, BigInt(2 * i + 1))]
    if (mode === 'catch-up') chain.mine(Array.from({ length: blocks }, (_, i) => perBlock(i)))
    const engine = await startEngine({ config, modules: await loadModules(config), sources: new Map([[11155111, chain.source]]), isolation: 'in-process', logger: createLogger({ level: 'error', write: () => {} }) })
    const cursor = () => engine.status()[0]?.cursor ?? 0n
    // Bounded waits: a stuck engine fails the run instead of hanging it.
    const until = async (target: bigint) => {
      for (let waited = 0; cursor() < target; waited++) {
        if (waited > 60_000) throw new Error(`block-cost: the engine's cursor stayed at ${cursor()} below ${target} for a minute`)
        await new Promise((r) => setTimeout(r, 1))
      }
    }
    try {
      if (mode === 'catch-up') await until(BigInt(blocks))
      else
        for (let i = 0; i < blocks; i++) {
          const [mined] = chain.mine([perBlock(i)])
          await until(mined!.number)
        }
    } finally {
      await engine.stop()
    }
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
}

export default defineBenchmark({
  name: 'block-cost',
  summary: "The engine's commit path per block (counting module in process, 2 logs a block, lmdb), catching up and live",
  async run({ quick }) {
    const catchUp = quick ? 500 : 2000
    const live = quick ? 100 : 300
    // Samples are wall time; the CPU of every run (this process, all threads) is summed beside them.
    const cpu = { 'catch-up': 0, live: 0 }
    const runs = { 'catch-up': 0, live: 0 }
    const measured = (mode: 'catch-up' | 'live', blocks: number) => async () => {
      const start = process.cpuUsage()
      await run(mode, blocks)
      const used = process.cpuUsage(start)
      cpu[mode] += (used.user + used.system) / 1000
      runs[mode] += blocks
    }
    const catchUpTask = `catch-up ${catchUp} blocks`
    const liveTask = `live ${live} blocks`
    const bench = new Bench(benchOptions(quick, { iterations: 5, timeMs: 0, warmupIterations: 1 }))
      .add(catchUpTask, measured('catch-up', catchUp))
      .add(liveTask, measured('live', live))
    await bench.run()
    const cpuPerBlock = (mode: 'catch-up' | 'live') => Number((cpu[mode] / runs[mode]).toFixed(3))
    return {
      rows: rowsOf(bench, {
        benchmark: 'block-cost',
        unit: 'block',
        opsPerIteration: { [catchUpTask]: catchUp, [liveTask]: live },
        notes: { [catchUpTask]: { cpuMsPerBlock: cpuPerBlock('catch-up') }, [liveTask]: { cpuMsPerBlock: cpuPerBlock('live') } },
      }),
    }
  },
})
