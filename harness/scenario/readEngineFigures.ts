import { histogramDelta, histogramOf, histogramQuantile, labelValues, sumOf } from './prometheus.ts'
import { allSamples, counterDelta, counterTotals, gaugeEver, total, type Evidence, type LabelledValue, type RunMetrics } from './runMetrics.ts'

/** Per module: handling time quantiles (ms) over the load window, from the histogram's bucket deltas. */
export type DispatchLatency = { module: string; events: number; p50: number | undefined; p95: number | undefined; p99: number | undefined; max: number | undefined }

/** The engine's figures for one run, from its metrics (every engine process of the run). */
export type EngineFigures = {
  /** Dispatch latency per module, windowed to the load (delta of histogram buckets between the scrapes before and after it). */
  latency: DispatchLatency[]
  /** Traps by module and kind over the whole run (`shepherd_module_traps_total{module,kind}`). */
  traps: Evidence<Array<{ module: string; kind: string; count: number }>>
  /** Restarts after a trap, by module, over the whole run (`shepherd_module_restarts_total`). */
  restarts: Evidence<Array<{ module: string; count: number }>>
  /** Errors modules reported and handled themselves, by module and kind, over the whole run (`shepherd_module_errors_total`). */
  moduleErrors: Evidence<Array<{ module: string; kind: string; count: number }>>
  /** Host calls that rejected to a module, by module and capability, over the whole run (`shepherd_module_host_failures_total`). */
  hostFailures: Evidence<Array<{ module: string; capability: string; count: number }>>
  /** Modules parked at the end of any engine process of the run, or now (`shepherd_module_poisoned`). */
  poisoned: Evidence<string[]>
  /**
   * Chain requests that failed, over the whole run (`shepherd_chain_request_total{outcome="error"}`).
   * A revert is the node's answer, not a failure: the engine labels it `outcome="revert"`.
   */
  failedChainRequests: Evidence<number>
  /** Chain requests of every outcome, over the whole run (`shepherd_chain_request_total`). */
  chainRequests: Evidence<number>
  /**
   * Block events each module handled, over the whole run and every engine process
   * (`shepherd_event_latency_seconds_count{event_kind="block"}`; an attempt that trapped counts too).
   */
  blockEvents: Evidence<Array<{ module: string; count: number }>>
  /** `shepherd_cursor_block` of the live process at the end (the last block every module has processed); not measured when absent. */
  cursorAtEnd: Evidence<number>
  /** Alerts per module over the whole run. */
  alerts: Record<string, number>
  /** Chain requests per method over the load window. */
  requestsByMethod: Record<string, number>
  /** Over the whole run (informational; the chaos bars read them as evidence). */
  reconnects: Evidence<number>
  reorgs: Evidence<number>
  ingestErrors: Evidence<number>
}

const mapRows = <T>(evidence: Evidence<LabelledValue[]>, make: (labels: Record<string, string>, count: number) => T): Evidence<T[]> =>
  'notMeasured' in evidence ? evidence : { value: evidence.value.filter((row) => row.value !== 0).map((row) => make(row.labels, row.value)) }

/**
 * Reads the engine's figures from the run's metrics: the bad-news counters (traps, restarts, module
 * errors, host failures, poison) over the whole run, across every engine process (a killed one's
 * final figures included), each "not measured" when its metric is missing; dispatch latency and
 * request counts over the load window (`before` to `after`).
 *
 * @example
 * const figures = readEngineFigures(before, after)
 * if ('notMeasured' in figures.traps) console.warn(figures.traps.notMeasured)
 */
export function readEngineFigures(before: RunMetrics, after: RunMetrics): EngineFigures {
  const afterSamples = allSamples(after)
  const beforeSamples = allSamples(before)
  const latency = labelValues(afterSamples, 'shepherd_event_latency_seconds_count', 'module').map((module) => {
    const window = histogramDelta(histogramOf(afterSamples, 'shepherd_event_latency_seconds', { module }), histogramOf(beforeSamples, 'shepherd_event_latency_seconds', { module }))
    // The running maximum is a gauge per process: the largest any process reported.
    const maxima = afterSamples.filter((s) => s.name === 'shepherd_event_latency_max_seconds' && s.labels.module === module).map((s) => s.value)
    const max = maxima.length ? Math.max(...maxima) * 1000 : undefined
    // Interpolating inside a histogram bucket can overshoot the largest value seen: cap at it.
    const ms = (q: number) => {
      const v = histogramQuantile(window, q)
      if (v === undefined) return undefined
      return max === undefined || max <= 0 ? v * 1000 : Math.min(v * 1000, max)
    }
    return { module, events: window.count, p50: ms(0.5), p95: ms(0.95), p99: ms(0.99), max }
  })
  const alerts: Record<string, number> = {}
  for (const module of labelValues(afterSamples, 'shepherd_module_alerts_total', 'module')) alerts[module] = sumOf(afterSamples, 'shepherd_module_alerts_total', { module })
  const requests = counterDelta(before, after, 'shepherd_chain_request_total', ['method'])
  const requestsByMethod: Record<string, number> = {}
  if ('value' in requests) for (const row of requests.value) requestsByMethod[row.labels.method!] = row.value
  return {
    latency,
    traps: mapRows(counterTotals(after, 'shepherd_module_traps_total', ['module', 'kind']), (l, count) => ({ module: l.module!, kind: l.kind!, count })),
    restarts: mapRows(counterTotals(after, 'shepherd_module_restarts_total', ['module']), (l, count) => ({ module: l.module!, count })),
    moduleErrors: mapRows(counterTotals(after, 'shepherd_module_errors_total', ['module', 'error_kind']), (l, count) => ({ module: l.module!, kind: l.error_kind!, count })),
    hostFailures: mapRows(counterTotals(after, 'shepherd_module_host_failures_total', ['module', 'capability']), (l, count) => ({ module: l.module!, capability: l.capability!, count })),
    poisoned: gaugeEver(after, 'shepherd_module_poisoned', 'module'),
    failedChainRequests: total(counterTotals(after, 'shepherd_chain_request_total', ['outcome']), { outcome: 'error' }),
    chainRequests: total(counterTotals(after, 'shepherd_chain_request_total', [])),
    blockEvents: blockEventsOf(after),
    cursorAtEnd: cursorOf(after),
    alerts,
    requestsByMethod,
    reconnects: total(counterTotals(after, 'shepherd_stream_reconnects_total', [])),
    reorgs: total(counterTotals(after, 'shepherd_reorgs_total', [])),
    ingestErrors: total(counterTotals(after, 'shepherd_ingest_errors_total', [])),
  }
}

/** Block events per module over the run (the histogram's count, `event_kind="block"`). */
function blockEventsOf(run: RunMetrics): Evidence<Array<{ module: string; count: number }>> {
  const rows = counterTotals(run, 'shepherd_event_latency_seconds', ['module', 'event_kind'], 'shepherd_event_latency_seconds_count')
  if ('notMeasured' in rows) return rows
  return { value: rows.value.filter((row) => row.labels.event_kind === 'block').map((row) => ({ module: row.labels.module!, count: row.value })) }
}

/** The live process's cursor (highest `shepherd_cursor_block` over its chains), or why it is not measured. */
function cursorOf(run: RunMetrics): Evidence<number> {
  const values = run.current.samples.filter((s) => s.name === 'shepherd_cursor_block').map((s) => s.value)
  if (!run.current.families.has('shepherd_cursor_block')) return { notMeasured: `shepherd_cursor_block absent from /metrics of ${run.current.pid === undefined ? 'the engine' : `engine pid ${run.current.pid}`}` }
  if (values.length === 0) return { notMeasured: 'shepherd_cursor_block has no sample: no chain has committed a cursor' }
  return { value: Math.max(...values) }
}

/**
 * The count summed over rows (optionally those of one module), keeping "not measured".
 *
 * @example
 * countOf(figures.traps) // { value: 3 }: traps of every module and kind over the run
 * countOf(figures.traps, 'twap-monitor') // { value: 0 }
 * countOf({ notMeasured: 'shepherd_module_traps_total absent' }) // stays not measured, never 0
 */
export function countOf<T extends { count: number; module: string }>(evidence: Evidence<T[]>, module?: string): Evidence<number> {
  if ('notMeasured' in evidence) return evidence
  return { value: evidence.value.filter((row) => module === undefined || row.module === module).reduce((sum, row) => sum + row.count, 0) }
}
