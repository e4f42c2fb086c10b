import type { LogHost } from '../../modules/sdk/module/types.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'

export type CreateReorgRecorderParameters = {
  chainId: number
  metrics?: EngineMetrics
  log: LogHost
}

export type RecordReorgParameters = {
  /** The newest block both branches share. */
  ancestor: bigint
  /** The tip delivered before the reorg (undefined before anything was delivered: depth 0). */
  tip: bigint | undefined
  /** How many delivered logs the reorg removes. */
  removedLogs: number
  /** False when blocks after the ancestor were delivered before a restart (their logs are not known). */
  logsKnown: boolean
}

/**
 * Counts and logs a chain's reorgs: `shepherd_reorgs_total{chain_id}` and the depth (old tip back
 * to the common ancestor) in `shepherd_reorg_depth_blocks{chain_id}`. Both series are exported at
 * zero from creation: a series born at its first reorg has no earlier sample, so Prometheus'
 * `increase()` would not see that first (possibly deep) reorg. Call `record` once the ancestor
 * walk succeeded: a failed walk is retried and must not count twice.
 *
 * @example
 * const reorgs = createReorgRecorder({ chainId, metrics, log })
 * const depth = reorgs.record({ ancestor: 97n, tip: 100n, removedLogs: 4, logsKnown: true }) // 3
 */
export function createReorgRecorder({ chainId, metrics, log }: CreateReorgRecorderParameters) {
  const label = { chain_id: String(chainId) }
  metrics?.reorgs.inc(label, 0)
  metrics?.reorgDepth.zero(label)
  return {
    /** Counts one reorg and observes its depth; returns the depth in blocks. */
    record({ ancestor, tip, removedLogs, logsKnown }: RecordReorgParameters): number {
      if (!logsKnown)
        log.warn('reorg reaches blocks delivered before the engine restarted: their removed logs are not known to it; the new branch is delivered from the fork point', { chainId, fromBlock: ancestor + 1n })
      const depth = Number((tip ?? ancestor) - ancestor)
      metrics?.reorgs.inc(label)
      metrics?.reorgDepth.observe(label, depth)
      log.warn('reorg detected', { chainId, fromBlock: ancestor + 1n, depth, removedLogs })
      return depth
    },
  }
}

export type ReorgRecorder = ReturnType<typeof createReorgRecorder>
