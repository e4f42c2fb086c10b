import { BLOCKS_PER_DAY, type SoakEvidence, type SoakSample } from './soakEvidence.ts'

/**
 * A passing soak run for tests and the report's snapshot: a simulated day sampled every 100 blocks,
 * a SIGTERM restart at a quarter and a SIGKILL at 40% (so the second half is one life), flat
 * memory with a little deterministic noise, everything delivered. `change` edits each sample.
 *
 * @example
 * const leaking = exampleSoakEvidence((s) => ({ ...s, rssBytes: s.rssBytes + s.block * 65_536 }))
 */
export function exampleSoakEvidence(change: (s: SoakSample) => SoakSample = (s) => s): SoakEvidence {
  const samples: SoakSample[] = []
  for (let block = 100; block <= BLOCKS_PER_DAY; block += 100) {
    const pid = block <= 1800 ? 1000 : block <= 2880 ? 1001 : 1002
    const wobble = ((block / 100) % 3) - 1
    samples.push(
      change({
        block,
        chainDays: block / BLOCKS_PER_DAY,
        wallMs: block * 15,
        pid,
        rssBytes: 180 * 2 ** 20 + wobble * 4 * 2 ** 20,
        heapBytes: 40 * 2 ** 20 + wobble * 2 ** 20,
        loopP99Seconds: 0.02,
        fds: 40 + (wobble === 1 ? 1 : 0),
        storeBytes: 8 * 2 ** 20,
        watches: 60,
        due: 60,
        markers: 200,
        watchBound: 80,
        markerBound: 260,
        rpcPerBlock: 4,
        submissions: block / 10,
      }),
    )
  }
  return {
    scale: 'ci',
    blocks: BLOCKS_PER_DAY,
    sampleEvery: 100,
    wallMs: BLOCKS_PER_DAY * 15,
    retainFinishedBlocks: 1800,
    samples,
    restarts: [
      { block: 1800, signal: 'SIGTERM', downMs: 4000 },
      { block: 2880, signal: 'SIGKILL', downMs: 5000 },
    ],
    wsDrops: 20,
    load: { twaps: 180, cancelled: 36, completing: 100, ethFlowOrders: 72 },
    delivery: { expectedParts: 500, deliveredParts: 500, missing: [], duplicates: 0, unexplained: 0, ethFlowPlaced: 72, ethFlowObserved: 72 },
    triggers: { oracleDrops: 6, priceAlerts: 6, transfers: 8, balanceAlerts: 8, stopLossPosts: 1 },
  }
}
