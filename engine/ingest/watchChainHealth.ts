import type { HealthBoard } from '../health/createHealthBoard.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'

/**
 * Poll intervals without a fetched head before the chain is unhealthy: 5. A healthy loop fetches a
 * head at least once per interval (also during a long catch-up and while waiting on slow
 * modules), and a failed pass is retried after 0.2, 0.4, 0.8 and 1.6 s: a fault that one or two
 * retries absorb does not flip /healthz, an outage does within seconds.
 */
export const HEAD_STALE_POLLS = 5
/** Floor of the head check, ms: a devnet-speed poll interval (25 ms) must not flap on a busy 2-core machine. */
export const HEAD_STALE_FLOOR_MS = 5_000

/**
 * The head-staleness limit for a poll interval: `max(HEAD_STALE_POLLS x poll, HEAD_STALE_FLOOR_MS)`.
 *
 * @example
 * headStaleAfterMs(1_000) // 5_000
 * headStaleAfterMs(25) // 5_000 (the floor)
 * headStaleAfterMs(12_000) // 60_000
 */
export function headStaleAfterMs(pollIntervalMs: number) {
  return Math.max(HEAD_STALE_POLLS * pollIntervalMs, HEAD_STALE_FLOOR_MS)
}

/** What the ingestor knows right now, read at each /healthz request and each scrape. */
export type ChainHealthState = {
  /** When the ingestor was created (a chain with no head yet is measured from it). */
  createdAt: number
  lastHeadAt: number | undefined
  /** The confirmed head (head - confirmations) last fetched. */
  safeHead: bigint | undefined
  /** The block every module has finished, or where ingestion resumed. */
  position: bigint | undefined
  /** When the lag was first seen over the limit at a head fetch. */
  lagSince: number | undefined
  lastError: string | undefined
  /** The chain stopped: its own problem says why, the other checks stay quiet. */
  halted: boolean
}

export type WatchChainHealthParameters = {
  chainId: number
  health?: HealthBoard
  metrics?: EngineMetrics
  staleAfterMs: number
  maxLagBlocks: bigint
  read: () => ChainHealthState
  now: () => number
}

/**
 * Blocks between the confirmed head (`safeHead`: the head less `confirmations`) and the position
 * (the last block every module finished): 0 while either is unknown, or when the position is
 * ahead (a node that answered a lower head than before). This is the `lag` of `/healthz` and of
 * `shepherd_chain_lag_blocks`.
 *
 * @param state - the confirmed head and the position, as the ingestor knows them
 * @returns the lag in blocks, never negative
 *
 * @example
 * chainLag({ safeHead: 120n, position: 100n }) // 20n
 * chainLag({ safeHead: 120n, position: undefined }) // 0n (not started yet)
 * chainLag({ safeHead: 99n, position: 100n }) // 0n (the head went backwards: a lagging node)
 */
export function chainLag({ safeHead, position }: Pick<ChainHealthState, 'safeHead' | 'position'>): bigint {
  return safeHead === undefined || position === undefined || safeHead <= position ? 0n : safeHead - position
}

/**
 * Registers a chain's conditions over time on the health board and the lag gauge: `head` (no head
 * fetched yet, or none for `staleAfterMs`, with the last error) and `lag` (the cursor more than
 * `maxLagBlocks` behind the confirmed head). Both are read when asked (a /healthz request, a
 * scrape), so following a block costs nothing here. Returns a function that removes them.
 *
 * @example
 * const unwatch = watchChainHealth({ chainId, health, metrics, staleAfterMs: 5_000, maxLagBlocks: 50n, read: () => state, now: Date.now })
 */
export function watchChainHealth({ chainId, health, metrics, staleAfterMs, maxLagBlocks, read, now }: WatchChainHealthParameters): () => void {
  const source = `chain:${chainId}`
  const lastError = (state: ChainHealthState) => (state.lastError ? `; last error: ${state.lastError}` : '')
  metrics?.readChainLag(String(chainId), () => {
    const state = read()
    return state.safeHead === undefined ? undefined : Number(chainLag(state))
  })
  const unwatchLag = health?.watch(source, 'lag', () => {
    const state = read()
    const lag = chainLag(state)
    if (state.halted || lag <= maxLagBlocks) return undefined
    return {
      reason: `cursor ${state.position} is ${lag} blocks behind the confirmed head ${state.safeHead} (max_lag_blocks ${maxLagBlocks})`,
      since: state.lagSince,
      fields: { cursor: state.position, head: state.safeHead, lag },
    }
  })
  const unwatchHead = health?.watch(source, 'head', () => {
    const state = read()
    if (state.halted) return undefined
    const age = now() - (state.lastHeadAt ?? state.createdAt)
    if (state.lastHeadAt === undefined) return { reason: `no chain head fetched yet (${(age / 1000).toFixed(1)} s since start)${lastError(state)}`, since: state.createdAt }
    if (age <= staleAfterMs) return undefined
    return {
      reason: `no chain head for ${(age / 1000).toFixed(1)} s (limit ${(staleAfterMs / 1000).toFixed(1)} s: ${HEAD_STALE_POLLS} poll intervals, at least ${HEAD_STALE_FLOOR_MS / 1000} s)${lastError(state)}`,
      since: state.lastHeadAt + staleAfterMs,
    }
  })
  return () => {
    unwatchLag?.()
    unwatchHead?.()
  }
}
