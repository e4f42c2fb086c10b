// Cost per block of the engine's commit path (module store writes + cursor), on a real lmdb store.
// Run from a checkout: npx tsx engine/store/blockCost.bench.ts
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { toEventSelector, parseAbiItem } from 'viem'
import { createMemoryChainSource, memoryLog } from '../chain/createMemoryChainSource.ts'
import { loadConfig } from '../config/loadConfig.ts'
import { createLogger } from '../host/createLogger.ts'
import { loadModules } from '../module/loadModules.ts'
import { startEngine } from '../startEngine.ts'

const emitter = '0x00000000000000000000000000000000000e0001'
const topic0 = toEventSelector(parseAbiItem('event Ping(uint256 indexed seq, address indexed sender, uint256 value)'))
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function run(mode: 'catch-up' | 'live', blocks: number) {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-bench-'))
  const file = join(dir, 'engine.toml')
  writeFileSync(file, `[engine]\nstate_dir = "state"\nlog_level = "error"\n[chains.11155111]\nrpc_url = "ws://127.0.0.1:1"\npoll_interval_ms = 10\nstart_block = 1\n[[modules]]\nname = "counting"\npath = "${resolve('engine/testing/countingModule.ts')}"\nisolation = "in-process"\n[modules.config]\nemitter = "${emitter}"\n`)
  const config = loadConfig(file)
  const chain = createMemoryChainSource()
  const perBlock = (i: number) => [memoryLog(emitter, topic0, BigInt(2 * i)), memoryLog(emitter, topic0, BigInt(2 * i + 1))]
  if (mode === 'catch-up') chain.mine(Array.from({ length: blocks }, (_, i) => perBlock(i)))
  const engine = await startEngine({ config, modules: await loadModules(config), sources: new Map([[11155111, chain.source]]), isolation: 'in-process', logger: createLogger({ level: 'error', write: () => {} }) })
  const cpu0 = process.cpuUsage()
  const t0 = performance.now()
  const cursor = () => engine.status()[0]?.cursor ?? 0n
  if (mode === 'catch-up') {
    while (cursor() < BigInt(blocks)) await new Promise((r) => setTimeout(r, 1))
  } else {
    for (let i = 0; i < blocks; i++) {
      const [mined] = chain.mine([perBlock(i)])
      while (cursor() < mined!.number) await new Promise((r) => setTimeout(r, 1))
    }
  }
  const wall = performance.now() - t0
  const cpu = process.cpuUsage(cpu0)
  await engine.stop()
  rmSync(dir, { recursive: true, force: true })
  return { wallMs: wall / blocks, cpuMs: (cpu.user + cpu.system) / 1000 / blocks }
}

for (const [mode, blocks] of [['catch-up', 2000], ['live', 300]] as const) {
  const rounds = [] as Array<{ wallMs: number; cpuMs: number }>
  for (let i = 0; i < 5; i++) rounds.push(await run(mode, blocks))
  const wall = median(rounds.map((r) => r.wallMs))
  console.log(`${mode} (${blocks} blocks, 2 logs each, counting module in process): wall ${wall.toFixed(3)} ms/block (${((wall * blocks) / 1000).toFixed(2)} s in all), cpu ${median(rounds.map((r) => r.cpuMs)).toFixed(3)} ms/block (median of 5)`)
}
