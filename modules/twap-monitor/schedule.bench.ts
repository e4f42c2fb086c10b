// The due schedule at many watches on the real lmdb store: `npm run bench -- schedule`
// (BENCH_SCHEDULE_WATCHES=100000 for the 100k figure; default 50,000, --quick 5,000).
// The chain is a mock answering PollTryAtEpoch far ahead, so each polled watch leaves the hot
// schedule: the figures are the module's and the store's, not a node's.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bench } from 'tinybench'
import { keccak256, toHex } from 'viem'
import { createStore } from '../../engine/store/createStore.ts'
import { stepOptions } from '../../harness/bench/benchOptions.ts'
import { defineBenchmark, type BenchRow } from '../../harness/bench/defineBenchmark.ts'
import { rowsOf } from '../../harness/bench/rowsOf.ts'
import { createMockHost } from '../sdk/index.ts'
import { twapMonitorConfig } from './config.ts'
import twapMonitor from './index.ts'
import { blockAt, createdLog, pollRevert, timeOf, twapData, twapParams } from './testing/fixtures.ts'


export default defineBenchmark({
  name: 'schedule',
  summary: "twap-monitor's due schedule on lmdb: ingest N watches, poll blocks of 5,000 due, an idle block, the repair scan",
  async run({ quick, log }) {
    const N = Number(process.env.BENCH_SCHEDULE_WATCHES ?? (quick ? 5_000 : 50_000))
    const dir = mkdtempSync(join(tmpdir(), 'twapbench-'))
    const store = createStore({ stateDir: dir })
    const mock = createMockHost({ module: twapMonitor })
    try {
      const host = { ...mock.host, store: store.forModule('twap-monitor') }
      const config = twapMonitorConfig.parse({})
      mock.chain.onMulticall({ selector: '0x26e0a196' }, pollRevert('PollTryAtEpoch', [timeOf(1_000_000n), 'later']))
      const logs = Array.from({ length: N }, (_, i) => createdLog(twapParams(twapData(), keccak256(toHex(i))), 1n, { logIndex: i }))
      log(`${N} ConditionalOrderCreated logs built`)
      const rows: BenchRow[] = []
      const cap = config.maxPollsPerBlock
      let block = 1n
      let polled = 0
      const ingest = new Bench(stepOptions(1)).add(`ingest ${N} watches (onLogs, 1,000 logs a call)`, async () => {
        for (let i = 0; i < N; i += 1000) await twapMonitor.onLogs!({ host, config, block: blockAt(1n), logs: logs.slice(i, i + 1000) })
      })
      await ingest.run()
      rows.push(...rowsOf(ingest, { benchmark: 'schedule', unit: 'watch', opsPerIteration: N }))
      const busyBlocks = Math.ceil(N / cap)
      const busy = new Bench(stepOptions(busyBlocks)).add(`block polling ${Math.min(cap, N)} due of ${N}`, async () => {
        const before = mock.chain.multicalls.length
        await twapMonitor.onBlock!({ host, config, block: blockAt(block++) })
        for (const multicall of mock.chain.multicalls.slice(before)) polled += multicall.calls.length
      })
      await busy.run()
      rows.push(...rowsOf(busy, { benchmark: 'schedule', unit: 'poll', opsPerIteration: Math.min(cap, N) }))
      // Now every watch is scheduled far ahead: a block with none due must be cheap.
      const idle = new Bench(stepOptions(quick ? 50 : 200)).add(`idle block, ${N} watches`, async () => {
        await twapMonitor.onBlock!({ host, config, block: blockAt(block++) })
      })
      await idle.run()
      rows.push(...rowsOf(idle, { benchmark: 'schedule', unit: 'block' }))
      const scans = new Bench(stepOptions(quick ? 1 : 3))
        .add(`init repair scan of ${N} watches`, async () => {
          await twapMonitor.init!({ host, config })
        })
      await scans.run()
      rows.push(...rowsOf(scans, { benchmark: 'schedule', unit: 'watch', opsPerIteration: N }))
      const lists = new Bench({ iterations: quick ? 20 : 100, time: 0, warmupIterations: 5, throws: true })
        .add('list due:b: (64, none due)', () => host.store.list('due:b:', { limit: 64 }))
        .add('list due:t: (64)', () => host.store.list('due:t:', { limit: 64 }))
      await lists.run()
      rows.push(...rowsOf(lists, { benchmark: 'schedule', unit: 'list' }))
      if (polled !== N) throw new Error(`schedule: ${polled} polls in ${busyBlocks} busy blocks, expected one per watch (${N})`)
      return { rows }
    } finally {
      await store.close()
      rmSync(dir, { recursive: true, force: true })
      mock.dispose()
    }
  },
})
