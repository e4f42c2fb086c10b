import type { LatencySummary } from './types.ts'

/**
 * p50 / p95 / p99 / max of raw samples (nearest-rank), e.g. block-to-submission times computed
 * from the chain and the stub records. Undefined when there are no samples.
 *
 * @example
 * summarizeLatency([12, 40, 9, 300]) // { p50: 12, p95: 300, p99: 300, max: 300, count: 4 }
 */
export function summarizeLatency(samplesMs: readonly number[]): LatencySummary | undefined {
  const sorted = samplesMs.filter(Number.isFinite).sort((a, b) => a - b)
  if (sorted.length === 0) return undefined
  const rank = (q: number) => sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
  return { p50: rank(0.5), p95: rank(0.95), p99: rank(0.99), max: sorted[sorted.length - 1]!, count: sorted.length }
}

/** One cumulative bucket of a prom-client histogram: count of samples <= `le` seconds. */
export type HistogramBucket = { le: number; count: number }

/**
 * Percentiles in milliseconds from a cumulative histogram in seconds (what
 * `shepherd_event_latency_seconds` exposes), interpolated inside buckets like Prometheus'
 * `histogram_quantile`. A histogram has no max: `max` is the upper bound of the highest non-empty
 * bucket (the largest finite bound when samples overflow into +Inf). Undefined when empty.
 *
 * @example
 * latencyFromHistogram([{ le: 0.01, count: 90 }, { le: 0.1, count: 100 }, { le: Infinity, count: 100 }])
 */
export function latencyFromHistogram(buckets: readonly HistogramBucket[]): LatencySummary | undefined {
  const sorted = [...buckets].sort((a, b) => a.le - b.le)
  const total = sorted[sorted.length - 1]?.count ?? 0
  if (total === 0) return undefined
  const finite = sorted.filter((b) => Number.isFinite(b.le))
  const quantile = (q: number): number => {
    const target = q * total
    let previousLe = 0
    let previousCount = 0
    for (const bucket of sorted) {
      if (bucket.count >= target) {
        if (!Number.isFinite(bucket.le)) return finite[finite.length - 1]?.le ?? previousLe
        const inBucket = bucket.count - previousCount
        return inBucket === 0 ? bucket.le : previousLe + ((bucket.le - previousLe) * (target - previousCount)) / inBucket
      }
      previousLe = bucket.le
      previousCount = bucket.count
    }
    return previousLe
  }
  let max = 0
  let previous = 0
  for (const bucket of sorted) {
    if (bucket.count > previous) max = Number.isFinite(bucket.le) ? bucket.le : (finite[finite.length - 1]?.le ?? max)
    previous = bucket.count
  }
  const ms = (seconds: number) => Math.round(seconds * 1e6) / 1e3
  return { p50: ms(quantile(0.5)), p95: ms(quantile(0.95)), p99: ms(quantile(0.99)), max: ms(max), count: total }
}
