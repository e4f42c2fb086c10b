import { histogramDelta, histogramOf, histogramQuantile, labelValues, parsePrometheus, sumOf, type HistogramSnapshot, type Sample } from './prometheus.ts'

export type BlockSample = {
  block: bigint
  /** ms since the epoch, when the sample was taken. */
  at: number
  /** Mean handling time per event over the block, per module (ms); undefined when idle. */
  dispatchMs: Record<string, number | undefined>
  /** p99 of handling time over everything observed so far, per module (ms). */
  p99Ms: Record<string, number | undefined>
  logsDelivered: number
  submissions: number
}

/** Scrapes the engine's /metrics. */
export async function scrape(metricsUrl: string): Promise<Sample[]> {
  const response = await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })
  return parsePrometheus(await response.text())
}

/**
 * Scrapes the engine's metrics once per new block, so the report can chart dispatch latency per
 * block. Failed scrapes are skipped (counted), never fatal.
 */
export function startMetricsSampler(metricsUrl: string) {
  const samples: BlockSample[] = []
  const previous = new Map<string, HistogramSnapshot>()
  let failures = 0
  let last: Promise<void> = Promise.resolve()
  return {
    samples: samples as readonly BlockSample[],
    failures: () => failures,
    /** Call on every new block; scrapes are serialised. */
    onBlock(block: bigint) {
      last = last.then(async () => {
        try {
          const metrics = await scrape(metricsUrl)
          const dispatchMs: BlockSample['dispatchMs'] = {}
          const p99Ms: BlockSample['p99Ms'] = {}
          for (const module of labelValues(metrics, 'shepherd_event_latency_seconds_count', 'module')) {
            const total = histogramOf(metrics, 'shepherd_event_latency_seconds', { module })
            const window = histogramDelta(total, previous.get(module))
            previous.set(module, total)
            dispatchMs[module] = window.count > 0 ? (window.sum / window.count) * 1000 : undefined
            const p99 = histogramQuantile(total, 0.99)
            p99Ms[module] = p99 === undefined ? undefined : p99 * 1000
          }
          samples.push({
            block,
            at: Date.now(),
            dispatchMs,
            p99Ms,
            logsDelivered: sumOf(metrics, 'shepherd_logs_delivered_total'),
            submissions: sumOf(metrics, 'shepherd_cow_api_submit_total', { outcome: 'accepted' }),
          })
        } catch {
          failures++
        }
      })
    },
    async stop() {
      await last
    },
  }
}
