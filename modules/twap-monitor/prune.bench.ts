// Measures marker pruning on the real lmdb store: `N=100000 npx tsx modules/twap-monitor/prune.bench.ts`.
// Disk per marker (marker + index entry), and the cost of one block's prune pass when nothing is
// due, when PRUNE_PER_BLOCK retentions start, and when PRUNE_PER_BLOCK markers are deleted.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { keccak256, toHex } from 'viem'
import { createStore } from '../../engine/store/createStore.ts'
import { PRUNE_PER_BLOCK, pruneFinished, setFinishedMarker } from '../sdk/index.ts'
import { OWNER } from './testing/fixtures.ts'
import { submittedKey } from './watchStore.ts'

const N = Number(process.env.N ?? 100_000)
const RETAIN = 50_400
const dir = mkdtempSync(join(tmpdir(), 'prunebench-'))
const engineStore = createStore({ stateDir: dir })
const store = engineStore.forModule('twap-monitor')
const sizeOf = () => statSync(join(dir, 'data.mdb'), { throwIfNoEntry: false })?.size ?? Number.NaN
const median = (values: number[]) => [...values].sort((a, b) => a - b)[Math.floor(values.length / 2)]!

// N parts posted over N/100 blocks (100 a block), each valid 1 hour from block 1's time; 12 s blocks.
const at = (number: bigint) => ({ number, timestamp: 1_700_000_000n + number * 12n })
const before = sizeOf()
let t = performance.now()
for (let i = 0; i < N; i += 1000) {
  const writes: Array<Promise<void>> = []
  for (let j = i; j < Math.min(N, i + 1000); j++) {
    const uid = `${keccak256(toHex(j))}${OWNER.slice(2).toLowerCase()}6553f1ef`
    const block = 1n + BigInt(Math.floor(j / 100))
    const validTo = Number(at(block).timestamp) + 3600
    const marker = { watchId: keccak256(toHex(`w${j}`)), owner: OWNER, validTo, part: 0n, block, timestamp: at(block).timestamp }
    writes.push(setFinishedMarker(store, { key: submittedKey(uid), value: marker, block, validTo }))
  }
  store.begin()
  await Promise.all(writes)
  await store.commit()
}
console.log(`wrote ${N} markers with their index entries in`, Math.round(performance.now() - t), 'ms')
await engineStore.flush()
const after = sizeOf()
console.log(`data.mdb grew ${((after - before) / 1e6).toFixed(1)} MB: ~${Math.round((after - before) / N)} bytes per marker (marker + index entry)`)

async function pass(block: bigint) {
  store.begin()
  const s = performance.now()
  const result = await pruneFinished({ store, block: at(block), retainBlocks: RETAIN })
  await store.commit()
  return { ms: performance.now() - s, ...result }
}
// Nothing due: every validTo is in the future.
const idle: number[] = []
for (let b = 2n; b <= 101n; b++) idle.push((await pass(b)).ms)
console.log(`idle pass (${N} markers waiting for their validTo): median ${median(idle).toFixed(3)} ms`)
// Every validTo has passed: each pass starts PRUNE_PER_BLOCK retentions.
const starting: number[] = []
let started = 0
for (let b = 10_000n; started < N; b++) {
  const r = await pass(b)
  started += r.started
  starting.push(r.ms)
}
console.log(`start pass (${PRUNE_PER_BLOCK} entries moved to the block stage): median ${median(starting).toFixed(3)} ms, ${starting.length} blocks for ${N}`)
// Retention over: each pass deletes PRUNE_PER_BLOCK markers.
const deleting: number[] = []
let pruned = 0
for (let b = 10_000n + BigInt(RETAIN) + BigInt(starting.length); pruned < N; b++) {
  const r = await pass(b)
  pruned += r.pruned
  deleting.push(r.ms)
}
console.log(`delete pass (${PRUNE_PER_BLOCK} markers deleted): median ${median(deleting).toFixed(3)} ms, ${deleting.length} blocks for ${N}`)
const left = await store.list('', { limit: 10 })
console.log('keys left:', left.length)
await engineStore.close()
rmSync(dir, { recursive: true, force: true })
