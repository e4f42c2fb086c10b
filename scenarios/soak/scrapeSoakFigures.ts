import { parsePrometheus, sumOf, type Sample } from '../../harness/scenario/prometheus.ts'

/** The figures a soak sample reads from the engine's `/metrics`; undefined where the scrape has no such series. */
export type SoakFigures = {
  cursor: number | undefined
  heapBytes: number | undefined
  loopP99Seconds: number | undefined
  rpcRequests: number | undefined
}

const has = (samples: readonly Sample[], name: string) => samples.some((s) => s.name === name)
const read = (samples: readonly Sample[], name: string) => (has(samples, name) ? sumOf(samples, name) : undefined)

/**
 * Scrapes the engine once for what a soak sample needs: its cursor, V8 heap in use (prom-client's
 * `nodejs_heap_size_used_bytes`, else the engine's own `shepherd_heap_used_bytes`), event-loop delay
 * p99 (`nodejs_eventloop_lag_p99_seconds`) and RPC calls so far (`shepherd_chain_request_total`).
 * A series the engine does not export stays undefined ("not measured"), never 0.
 *
 * @example
 * const { heapBytes, loopP99Seconds } = await scrapeSoakFigures(engine.metricsUrl)
 */
export async function scrapeSoakFigures(metricsUrl: string): Promise<SoakFigures> {
  const response = await fetch(`${metricsUrl}/metrics`, { signal: AbortSignal.timeout(5_000) })
  if (!response.ok) throw new Error(`GET ${metricsUrl}/metrics answered HTTP ${response.status}`)
  const samples = parsePrometheus(await response.text())
  return {
    cursor: has(samples, 'shepherd_cursor_block') ? Math.max(...samples.filter((s) => s.name === 'shepherd_cursor_block').map((s) => s.value)) : undefined,
    heapBytes: read(samples, 'nodejs_heap_size_used_bytes') ?? read(samples, 'shepherd_heap_used_bytes'),
    loopP99Seconds: read(samples, 'nodejs_eventloop_lag_p99_seconds'),
    rpcRequests: read(samples, 'shepherd_chain_request_total'),
  }
}
