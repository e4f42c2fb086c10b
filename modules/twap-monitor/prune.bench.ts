// Marker pruning on the real lmdb store: `npm run bench -- prune` (BENCH_PRUNE_MARKERS=100000 for
// the 100k figure; default 20,000, --quick 2,000). Disk per marker (marker + index entry), and one
// block's prune pass when nothing is due, when PRUNE_PER_BLOCK retentions start, and when
// PRUNE_PER_BLOCK markers are deleted.
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { Bench } from 'tinybench'
import { keccak256, toHex } from 'viem'
import { createStore } from '../../engine/store/createStore.ts'
import { stepOptions } from '../../harness/bench/benchOptions.ts'
import { defineBenchmark, type BenchRow } from '../../harness/bench/defineBenchmark.ts'
import { rowsOf } from '../../harness/bench/rowsOf.ts'
import { PRUNE_PER_BLOCK, pruneFinished, setFinishedMarker } from '../sdk/index.ts'
import { OWNER } from './testing/fixtures.ts'
import { submittedKey } from './watchStore.ts'

const RETAIN = 50_400
// 12 s blocks; N parts posted over N/100 blocks (100 a block), each valid 1 hour from its block's time.
const at = (number: bigint) => ({ number, timestamp: 1_700_000_000n + number * 12n })

export default defineBenchmark({
  name: 'prune',
  summary: "twap-monitor's finished-marker pruning on lmdb: disk per marker, and one block's pass when idle, starting retentions, deleting markers",
  async run({ quick, log }) {
    const N = Number(process.env.BENCH_PRUNE_MARKERS ?? (quick ? 2_000 : 20_000))
    const dir = mkdtempSync(join(tmpdir(), 'prunebench-'))
    const engineStore = createStore({ stateDir: dir })
    const store = engineStore.forModule('twap-monitor')
    const sizeOf = () => statSync(join(dir, 'data.mdb'), { throwIfNoEntry: false })?.size ?? Number.NaN
    try {
      const before = sizeOf()
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
      await engineStore.flush()
      const bytesPerMarker = Math.round((sizeOf() - before) / N)
      log(`${N} markers written, ~${bytesPerMarker} bytes each on disk (marker + index entry)`)
      let started = 0
      let pruned = 0
      const pass = async (block: bigint) => {
        store.begin()
        const result = await pruneFinished({ store, block: at(block), retainBlocks: RETAIN })
        await store.commit()
        started += result.started
        pruned += result.pruned
      }
      const passes = Math.ceil(N / PRUNE_PER_BLOCK)
      // Each phase is one tinybench iteration holding all its passes (per-op figures = per pass): a
      // pass changes the store, so the phases must run once each, in order, on blocks far apart.
      let block = 10_000n
      const phases = new Bench(stepOptions(1))
        .add(`idle pass, ${N} markers waiting for their validTo`, async () => {
          for (let i = 0; i < passes; i++) await pass(2n)
        })
        .add(`pass moving up to ${PRUNE_PER_BLOCK} entries to the block stage`, async () => {
          for (let i = 0; i < passes; i++) await pass(block++)
        })
        .add(`pass deleting up to ${PRUNE_PER_BLOCK} markers`, async () => {
          block += BigInt(RETAIN)
          for (let i = 0; i < passes; i++) await pass(block++)
        })
      await phases.run()
      const leftKeys = (await store.list('', { limit: 10 })).map(([key]) => key)
      if (started !== N || pruned !== N || leftKeys.length > 0)
        throw new Error(`prune: ${started} retentions started and ${pruned} markers pruned of ${N}; keys left: ${leftKeys.join(' ')}`)
      const rows: BenchRow[] = [
        ...rowsOf(phases, { benchmark: 'prune', unit: 'block', opsPerIteration: passes, notes: { [phases.tasks[0]!.name]: { bytesPerMarker } } }),
      ]
      return { rows }
    } finally {
      await engineStore.close()
      rmSync(dir, { recursive: true, force: true })
    }
  },
})
