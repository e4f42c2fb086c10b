import type { LoadResult } from '../load/loadTypes.ts'
import type { BlockSample, LoadSection } from './types.ts'

/**
 * The report's load section from what `runLoad` returned (counts per kind, per sender, rejections).
 *
 * @example
 * const result: ScenarioResult = { ...rest, load: loadSectionFrom(await runLoad(options)) }
 */
export function loadSectionFrom(load: LoadResult): LoadSection {
  return {
    twap: { ...load.byKind.twap },
    ethFlow: { ...load.byKind.ethFlow },
    senders: load.senders.map(({ address, accepted, mined, reverted, rejected, unconfirmed }) => ({ address, accepted, mined, reverted, rejected, unconfirmed })),
    rejectionsByMessage: { ...load.rejectionsByMessage },
  }
}

export type BlockSeriesParameters = {
  load: Pick<LoadResult, 'minedPerBlock'>
  /** Block number -> its timestamp (seconds), e.g. from the ingested heads. */
  timestamps: ReadonlyMap<bigint, bigint>
  /** Block number -> dispatch latency in ms (from the engine's per-block log or metric). */
  dispatchMs: ReadonlyMap<bigint, number>
  fromBlock: bigint
  toBlock: bigint
}

/**
 * The chart series: one sample per block of [fromBlock, toBlock], with the mined load of that block
 * and its dispatch latency (null when none was recorded, which the chart shows as a gap).
 *
 * @example
 * const series = blockSeries({ load, timestamps, dispatchMs, fromBlock: load.startBlock + 1n, toBlock: load.lastBlock })
 */
export function blockSeries({ load, timestamps, dispatchMs, fromBlock, toBlock }: BlockSeriesParameters): BlockSample[] {
  const mined = new Map(load.minedPerBlock.map((row) => [row.block, row.mined + row.reverted]))
  const start = timestamps.get(fromBlock)
  const samples: BlockSample[] = []
  for (let block = fromBlock; block <= toBlock; block++) {
    const time = timestamps.get(block)
    samples.push({
      block: Number(block),
      timeSeconds: start !== undefined && time !== undefined ? Number(time - start) : Number(block - fromBlock),
      dispatchMs: dispatchMs.get(block) ?? null,
      loadTxs: mined.get(block) ?? 0,
    })
  }
  return samples
}
