// Round-trip cost of the worker protocol against the same module in process: `npm run bench -- worker`.
import { Bench } from 'tinybench'
import { benchOptions } from '../../harness/bench/benchOptions.ts'
import { defineBenchmark, type BenchRow } from '../../harness/bench/defineBenchmark.ts'
import { rowsOf } from '../../harness/bench/rowsOf.ts'
import type { BlockRef, Host } from '../../modules/sdk/module/types.ts'
import { loadFixture } from '../testing/fixtures/loadFixture.ts'
import { createInProcessRunner } from './createInProcessRunner.ts'
import { createWorkerRunner } from './createWorkerRunner.ts'

const noop = () => {}
/** A minimal in-memory Host, so the numbers are the protocol's and not a mock's bookkeeping. */
const values = new Map<string, unknown>([['key', { watch: 1n, owner: '0x00000000000000000000000000000000000000aa' }]])
const host: Host = {
  module: 'host-call-loop',
  chain: { request: async () => null, call: async () => '0x', multicall: async () => [], getBalance: async () => 0n },
  cowApi: { submitOrder: async () => '0x', getOrder: async () => null, getAppData: async () => null, request: async () => ({ status: 200, body: null }) },
  store: { get: async <T>(key: string) => values.get(key) as T | undefined, set: async () => {}, delete: async () => {}, list: async () => [] },
  log: { debug: noop, info: noop, warn: noop, error: noop },
  clock: { now: () => Date.now() },
  metrics: { alert: noop, error: noop },
  health: { degraded: noop, ok: noop },
}
const block = (number: bigint): BlockRef => ({ chainId: 11155111, number, hash: '0x01', parentHash: '0x00', timestamp: number })

/** Each iteration: `events` events through the runner, each making `calls` host calls (or none). */
const cases = [
  { label: 'store.get x10k in one event', config: { op: 'store.get', calls: 10_000 }, events: 1, ops: 10_000, unit: 'call' },
  { label: 'clock.now x10k in one event', config: { op: 'clock.now', calls: 10_000 }, events: 1, ops: 10_000, unit: 'call' },
  { label: 'empty block event x2k', config: { op: 'none' }, events: 2_000, ops: 2_000, unit: 'event' },
] as const

export default defineBenchmark({
  name: 'worker',
  summary: 'Host calls and block events through the worker thread protocol, against the same module in process',
  async run({ quick, log }) {
    const rows: BenchRow[] = []
    let blockNumber = 0n
    for (const { label, config, events, ops, unit } of cases) {
      const loaded = await loadFixture('hostCallLoop', config)
      const startedAt = performance.now()
      const worker = createWorkerRunner({ module: loaded.module, host, log: host.log, memoryMb: 128, deadlineMs: 60_000 })
      await worker.init()
      log(`${label}: worker start + init ${Math.round(performance.now() - startedAt)} ms`)
      const inProcess = createInProcessRunner({ name: loaded.name, module: loaded, host, log: host.log })
      const drive = (runner: typeof worker) => async () => {
        for (let i = 0; i < events; i++) await runner.run({ kind: 'block', block: block(blockNumber++) })
      }
      const bench = new Bench(benchOptions(quick, { iterations: 10, timeMs: 500, warmupIterations: 2 }))
        .add(`worker: ${label}`, drive(worker))
        .add(`in-process: ${label}`, drive(inProcess))
      try {
        await bench.run()
      } finally {
        await worker.stop()
      }
      rows.push(...rowsOf(bench, { benchmark: 'worker', unit, opsPerIteration: ops }))
    }
    return { rows }
  },
})
