// Round-trip cost of the worker protocol. Run: npx tsx engine/runner/worker.bench.ts
// Prints medians over a few rounds; numbers are for the report, not assertions.
import type { Host } from '../../modules/sdk/module/types.ts'
import type { BlockRef } from '../../modules/sdk/module/types.ts'
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
const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!

async function measure(label: string, config: Record<string, unknown>, events: number, perEventUnits: number, unit: string) {
  const loaded = await loadFixture('hostCallLoop', config)
  const startedAt = performance.now()
  const worker = createWorkerRunner({ module: loaded.module, host, log: host.log, memoryMb: 128, deadlineMs: 60_000 })
  await worker.init()
  const startMs = performance.now() - startedAt
  const inProcess = createInProcessRunner({ name: loaded.name, module: loaded, host, log: host.log })
  const result: Record<string, number> = {}
  for (const [name, runner] of [['worker', worker], ['in-process', inProcess]] as const) {
    const rounds: number[] = []
    for (let round = 0; round < 5; round++) {
      const t0 = performance.now()
      for (let i = 0; i < events; i++) await runner.run({ kind: 'block', block: block(BigInt(i)) })
      rounds.push(((performance.now() - t0) * 1000) / (events * perEventUnits))
    }
    result[name] = median(rounds)
  }
  await worker.stop()
  console.log(`${label}: worker ${result.worker!.toFixed(2)} us/${unit}, in-process ${result['in-process']!.toFixed(2)} us/${unit} (worker start + init ${startMs.toFixed(0)} ms)`)
}

await measure('store.get x10k in one event', { op: 'store.get', calls: 10_000 }, 1, 10_000, 'call')
await measure('clock.now x10k in one event', { op: 'clock.now', calls: 10_000 }, 1, 10_000, 'call')
await measure('empty block event x2k', { op: 'none' }, 2_000, 1, 'event')
