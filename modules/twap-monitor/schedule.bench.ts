// Measures the due schedule at 100k watches on the real lmdb store: `npx tsx modules/twap-monitor/schedule.bench.ts`.
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keccak256, toHex } from 'viem'
import { createStore } from '../../engine/store/createStore.ts'
import twapMonitor from './index.ts'
import { twapMonitorConfig } from './config.ts'
import { blockAt, createdLog, pollRevert, twapData, twapParams, timeOf } from './testing/fixtures.ts'
import { createMockHost } from '../sdk/index.ts'

const dir = mkdtempSync(join(tmpdir(), 'twapbench-'))
const store = createStore({ stateDir: dir })
const mock = createMockHost({ module: twapMonitor })
const host = { ...mock.host, store: store.forModule('twap-monitor') }
const config = twapMonitorConfig.parse({})
const N = Number(process.env.N ?? 100_000)
mock.chain.onMulticall({ selector: '0x26e0a196' }, pollRevert('PollTryAtEpoch', [timeOf(1_000_000n), 'later']))
let t = performance.now()
const logs = Array.from({ length: N }, (_, i) => createdLog(twapParams(twapData(), keccak256(toHex(i))), 1n, { logIndex: i }))
console.log('built logs', Math.round(performance.now() - t), 'ms')
t = performance.now()
for (let i = 0; i < N; i += 1000) await twapMonitor.onLogs!({ host, config, block: blockAt(1n), logs: logs.slice(i, i + 1000) })
console.log(`onLogs ${N}`, Math.round(performance.now() - t), 'ms')
t = performance.now()
for (let b = 1n; b <= 20n; b++) await twapMonitor.onBlock!({ host, config, block: blockAt(b) })
console.log(`20 blocks polling all ${N} (5000/block cap)`, Math.round(performance.now() - t), 'ms')
// Now all are scheduled far in the future: an idle block must be cheap.
const idle: number[] = []
for (let b = 21n; b <= 120n; b++) { const s = performance.now(); await twapMonitor.onBlock!({ host, config, block: blockAt(b) }); idle.push(performance.now() - s) }
idle.sort((a, b) => a - b)
console.log(`idle block with ${N} watches: median`, idle[50]!.toFixed(3), 'ms p99', idle[98]!.toFixed(3), 'ms')
t = performance.now(); await twapMonitor.init!({ host, config }); console.log(`init (repair scan) ${N}`, Math.round(performance.now() - t), 'ms')
{ const s = performance.now(); const a = await host.store.list('due:b:', { limit: 64 }); const m = performance.now(); const b2 = await host.store.list('due:t:', { limit: 64 }); console.log('list due:b:', a.length, (m - s).toFixed(2), 'ms; list due:t:', b2.length, (performance.now() - m).toFixed(2), 'ms', b2[0]?.[0]) }
await store.close(); rmSync(dir, { recursive: true, force: true }); mock.dispose()
