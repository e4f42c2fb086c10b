import type { ShepherdError } from '../../modules/sdk/errors/base.ts'
import type { ChainGapError } from '../errors/ingest.ts'
import type { HealthBoard } from '../health/createHealthBoard.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { LogHost } from '../../modules/sdk/module/types.ts'

export type CreateChainProblemReporterParameters = {
  chainId: number
  metrics?: EngineMetrics
  /** Where the problems go (`/healthz`), under the source `chain:<id>`. */
  health?: HealthBoard
  log: LogHost
  /** The chain's `max_lookback_blocks`, named in the gap report. */
  maxLookbackBlocks: number
}

/**
 * Reports a chain's lasting problems, each to the metric, `/healthz` and the log at once:
 * `stopped` (no retry fixes it: `shepherd_chain_stopped{chain_id}` = 1, the cause and what to do)
 * and `gap` (blocks skipped under `on_gap = "skip"`: `shepherd_blocks_skipped_total{chain_id}`).
 * Both metrics are exported at zero from creation, so a first stop or skip is seen by `increase()`.
 *
 * @example
 * const problems = createChainProblemReporter({ chainId, metrics, health, log, maxLookbackBlocks: 1000 })
 * problems.gapSkipped(gap) // on_gap = "skip" resumed past a ChainGapError
 * problems.stopped(error) // a ShepherdError of class stop
 */
export function createChainProblemReporter({ chainId, metrics, health, log, maxLookbackBlocks }: CreateChainProblemReporterParameters) {
  const label = { chain_id: String(chainId) }
  const healthSource = `chain:${chainId}`
  metrics?.chainStopped.set(label, 0)
  metrics?.blocksSkipped.inc(label, 0)
  return {
    /** The chain resumed past a gap (on_gap = "skip"): no module sees those blocks. */
    gapSkipped(gap: ChainGapError) {
      const skipped = gap.to - gap.from + 1n
      metrics?.blocksSkipped.inc(label, Number(skipped))
      health?.degraded(healthSource, 'gap', `skipped blocks ${gap.from}..${gap.to} (${skipped}): the cursor was older than max_lookback_blocks (${maxLookbackBlocks}) and on_gap = "skip"`, {
        from: gap.from,
        to: gap.to,
        skipped,
      })
      log.error('skipped blocks older than max_lookback_blocks (on_gap = "skip"): no module sees them', {
        chainId,
        from: gap.from,
        to: gap.to,
        skipped,
        hint: 'Raise max_lookback_blocks (or set on_gap = "halt") so an outage this long delivers every block instead.',
      })
    },
    /** The chain stopped: it keeps its cursor and stays on /healthz until a restart. */
    stopped(error: ShepherdError) {
      metrics?.chainStopped.set(label, 1)
      health?.degraded(healthSource, 'stopped', error.shortMessage, { details: error.details.join('; '), hint: error.hint ?? '' })
      log.error('chain stopped: no retry fixes this; ingestion of this chain waits for a restart', {
        chainId,
        error: error.shortMessage,
        details: error.details,
        hint: error.hint,
      })
    },
  }
}
