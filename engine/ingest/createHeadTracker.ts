import type { ChainSource } from '../chain/types.ts'
import type { LogHost } from '../../modules/sdk/module/types.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import { chainLag } from './watchChainHealth.ts'

export type CreateHeadTrackerParameters = {
  source: Pick<ChainSource, 'chainId' | 'getBlockNumber'>
  confirmations: bigint
  maxLagBlocks: bigint
  /** The block every module has finished (or where ingestion resumed): lag is measured from it. */
  position: () => bigint | undefined
  metrics?: EngineMetrics
  log: LogHost
  now: () => number
}

/**
 * Fetches a chain's head and keeps what health needs of it: the last head, when it was fetched,
 * and since when the lag (confirmed head less the position) has been over `maxLagBlocks`, as seen
 * at a head fetch (once per poll interval, not per block). A head lower than the last one is a
 * lagging node, not a reorg: it is logged and waited out.
 *
 * @example
 * const head = createHeadTracker({ source, confirmations: 2n, maxLagBlocks: 50n, position: () => position, log, now: Date.now })
 * const safe = await head.fetch() // head - confirmations
 * head.lagSince // undefined while the lag is within max_lag_blocks
 */
export function createHeadTracker({ source, confirmations, maxLagBlocks, position, metrics, log, now }: CreateHeadTrackerParameters) {
  const chainId = source.chainId
  const label = { chain_id: String(chainId) }
  let lastHead: bigint | undefined
  let lastHeadAt: number | undefined
  let lagSince: number | undefined
  const safeHead = () => (lastHead === undefined ? undefined : lastHead - confirmations)
  const lag = () => chainLag({ safeHead: safeHead(), position: position() })
  return {
    /** Fetches the head; returns the confirmed head (head less confirmations). */
    async fetch(): Promise<bigint> {
      const head = await source.getBlockNumber()
      lastHeadAt = now()
      metrics?.headBlock.set(label, Number(head))
      if (lastHead !== undefined && head < lastHead) log.debug('head went backwards (lagging node); waiting, not a reorg', { chainId, head, previous: lastHead })
      lastHead = head
      if (lag() <= maxLagBlocks) lagSince = undefined
      else lagSince ??= lastHeadAt
      return head - confirmations
    },
    /** The last head fetched. */
    get head() {
      return lastHead
    },
    /** When the last head was fetched. */
    get fetchedAt() {
      return lastHeadAt
    },
    /** The last head less confirmations. */
    get safeHead() {
      return safeHead()
    },
    /** When the lag was first seen over `maxLagBlocks` (cleared once it is within). */
    get lagSince() {
      return lagSince
    },
    /** Blocks between the confirmed head and the position now. */
    lag,
  }
}

export type HeadTracker = ReturnType<typeof createHeadTracker>
