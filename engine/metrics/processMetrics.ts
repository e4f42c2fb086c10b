import { collectDefaultMetrics, Registry } from 'prom-client'

// One set per process, made on first use. The default collectors describe the process, not an
// engine, and each call of collectDefaultMetrics starts a GC observer and an event-loop delay
// histogram that are never stopped: tests that start many engines in one process would pile them
// up. Every engine's registry registers these same metric objects instead.
let shared: Registry | undefined

/**
 * Registers prom-client's default process collectors in `registry`, under their standard names (no
 * prefix): `process_cpu_seconds_total`, `process_resident_memory_bytes`, `process_open_fds`,
 * `process_max_fds`, `nodejs_heap_size_used_bytes`, `nodejs_eventloop_lag_p99_seconds`,
 * `nodejs_gc_duration_seconds`, ... They describe the whole process (module workers included for
 * CPU, RSS and file descriptors; heap figures are the main thread's). Two engines in one process
 * share the same series, and the event-loop percentiles cover the time since the last scrape by any
 * of them.
 *
 * @example
 * const registry = new Registry()
 * registerProcessMetrics(registry)
 * console.log(await registry.getSingleMetricAsString('process_resident_memory_bytes'))
 */
export function registerProcessMetrics(registry: Registry): void {
  if (!shared) {
    shared = new Registry()
    collectDefaultMetrics({ register: shared })
  }
  for (const { name } of shared.getMetricsAsArray()) {
    const metric = shared.getSingleMetric(name)
    if (metric && !registry.getSingleMetric(name)) registry.registerMetric(metric)
  }
}
