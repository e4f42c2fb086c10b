import { Counter, Gauge, Histogram, Registry } from 'prom-client'
import { registerProcessMetrics } from './processMetrics.ts'

/**
 * The engine's prom-client registry with the `shepherd_*` names from ARCHITECTURE.md, plus the
 * ingestion gauges scenarios read, and prom-client's default process collectors under their standard
 * names (`process_*`, `nodejs_*`). One registry per engine, so two engines in one process (tests,
 * scenarios) never mix their numbers (the process series alone are shared: they describe the process).
 *
 * @example
 * const metrics = createMetrics()
 * metrics.headBlock.set({ chain_id: '11155111' }, 7_000_000)
 * console.log(await metrics.registry.metrics())
 */
export function createMetrics() {
  const registry = new Registry()
  registerProcessMetrics(registry)
  const registers = [registry]
  // Per-chain lag readers: the lag gauge is computed at scrape time, so following a block costs nothing here.
  const chainLagReaders = new Map<string, () => number | undefined>()
  return {
    registry,
    /** Registers how to read one chain's lag (blocks); `shepherd_chain_lag_blocks` asks at each scrape. */
    readChainLag(chainId: string, read: () => number | undefined) {
      chainLagReaders.set(chainId, read)
    },
    eventLatency: new Histogram({
      name: 'shepherd_event_latency_seconds',
      help: 'Time a module took to handle one event (block or logs of a block)',
      labelNames: ['module', 'event_kind', 'chain_id'] as const,
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30],
      registers,
    }),
    eventLatencyMax: new Gauge({
      name: 'shepherd_event_latency_max_seconds',
      help: 'Longest time a module took for one event since the engine started',
      labelNames: ['module', 'event_kind', 'chain_id'] as const,
      registers,
    }),
    moduleErrors: new Counter({
      name: 'shepherd_module_errors_total',
      help: 'Errors a module reported and handled itself (host.metrics.error), by kind',
      labelNames: ['module', 'error_kind', 'chain_id'] as const,
      registers,
    }),
    moduleTraps: new Counter({
      name: 'shepherd_module_traps_total',
      help: 'Events a module failed to process (throw, deadline, memory, dead_worker); each is retried after a restart',
      labelNames: ['module', 'kind', 'chain_id'] as const,
      registers,
    }),
    moduleHostFailures: new Counter({
      name: 'shepherd_module_host_failures_total',
      help: 'Host calls that rejected to a module (chain: transport or node errors, not reverts; cow_api: any failed orderbook call)',
      labelNames: ['module', 'capability', 'chain_id'] as const,
      registers,
    }),
    moduleDegraded: new Gauge({
      name: 'shepherd_module_degraded',
      help: '1 while a module reports a health check degraded (host.health)',
      labelNames: ['module', 'check', 'chain_id'] as const,
      registers,
    }),
    moduleRestarts: new Counter({ name: 'shepherd_module_restarts_total', help: 'Module restarts by the supervisor', labelNames: ['module', 'chain_id'] as const, registers }),
    modulePoisoned: new Gauge({ name: 'shepherd_module_poisoned', help: '1 while a module is parked after repeated traps', labelNames: ['module', 'chain_id'] as const, registers }),
    moduleAlerts: new Counter({ name: 'shepherd_module_alerts_total', help: 'Alerts raised by modules', labelNames: ['module', 'kind', 'chain_id'] as const, registers }),
    chainRequests: new Counter({
      name: 'shepherd_chain_request_total',
      help: 'JSON-RPC requests by method and outcome',
      labelNames: ['chain_id', 'method', 'outcome'] as const,
      registers,
    }),
    cowApiSubmits: new Counter({ name: 'shepherd_cow_api_submit_total', help: 'Order submissions by outcome', labelNames: ['chain_id', 'outcome'] as const, registers }),
    streamReconnects: new Counter({ name: 'shepherd_stream_reconnects_total', help: 'Head stream reconnects', labelNames: ['kind', 'chain_id'] as const, registers }),
    headBlock: new Gauge({ name: 'shepherd_head_block', help: 'Latest head seen per chain', labelNames: ['chain_id'] as const, registers }),
    // Read at scrape time: a reading costs nothing between scrapes. Module workers have heaps of
    // their own (bounded by each module's memory_mb; see shepherd_module_heap_bytes), so this is
    // the main thread's alone.
    heapUsed: new Gauge({
      name: 'shepherd_heap_used_bytes',
      help: "V8 heap in use by the engine's main thread (module workers have their own)",
      registers,
      collect() {
        this.set(process.memoryUsage().heapUsed)
      },
    }),
    // Reported by each module worker with every event it finishes (and once loaded): no timer.
    moduleHeap: new Gauge({
      name: 'shepherd_module_heap_bytes',
      help: "V8 heap in use by a module's worker (bounded by its memory_mb), as of the last event it finished",
      labelNames: ['module', 'chain_id'] as const,
      registers,
    }),
    cursorBlock: new Gauge({ name: 'shepherd_cursor_block', help: 'Last block every module has processed, per chain', labelNames: ['chain_id'] as const, registers }),
    blocksProcessed: new Counter({ name: 'shepherd_blocks_processed_total', help: 'Blocks dispatched to every subscribed module', labelNames: ['chain_id'] as const, registers }),
    logsDelivered: new Counter({ name: 'shepherd_logs_delivered_total', help: 'Logs delivered to modules', labelNames: ['module', 'chain_id'] as const, registers }),
    reorgs: new Counter({ name: 'shepherd_reorgs_total', help: 'Reorgs detected per chain', labelNames: ['chain_id'] as const, registers }),
    // The depth is what an operator alerts on: one-block reorgs are routine, one deeper than the
    // chain's confirmations (or than the recent-block ring) is not.
    reorgDepth: new Histogram({
      name: 'shepherd_reorg_depth_blocks',
      help: 'Depth of each reorg detected (blocks from the old tip back to the common ancestor), per chain',
      labelNames: ['chain_id'] as const,
      buckets: [1, 2, 3, 5, 8, 13, 21, 34, 64, 128, 256],
      registers,
    }),
    ingestErrors: new Counter({ name: 'shepherd_ingest_errors_total', help: 'Ingestion failures (retried), by kind', labelNames: ['chain_id', 'kind'] as const, registers }),
    chainLag: new Gauge({
      name: 'shepherd_chain_lag_blocks',
      help: 'Blocks between the confirmed head and the cursor, per chain (read at scrape time)',
      labelNames: ['chain_id'] as const,
      registers,
      collect() {
        for (const [chainId, read] of chainLagReaders) {
          const lag = read()
          if (lag !== undefined) this.set({ chain_id: chainId }, lag)
        }
      },
    }),
    chainStopped: new Gauge({
      name: 'shepherd_chain_stopped',
      help: '1 while a chain is stopped on an error no retry fixes (wrong chain id, method not served, gap under on_gap = "halt")',
      labelNames: ['chain_id'] as const,
      registers,
    }),
    blocksSkipped: new Counter({
      name: 'shepherd_blocks_skipped_total',
      help: 'Blocks no module saw: skipped after an outage longer than max_lookback_blocks under on_gap = "skip"',
      labelNames: ['chain_id'] as const,
      registers,
    }),
    dispatchOutcomes: new Counter({
      name: 'shepherd_dispatch_outcomes_total',
      help: "Module events the dispatcher could not deliver, by the error's action: retry (tried again), drop (given up, cursor moves on), stop (left uncommitted)",
      labelNames: ['module', 'action', 'chain_id'] as const,
      registers,
    }),
  }
}

export type EngineMetrics = ReturnType<typeof createMetrics>

/** Records one event's handling time in the histogram and the running maximum (`chain_id` for an instance of one chain). */
export function observeEventLatency(metrics: EngineMetrics, labels: { module: string; event_kind: string; chain_id?: string }, seconds: number) {
  metrics.eventLatency.observe(labels, seconds)
  const key = `${labels.module}\u0000${labels.event_kind}\u0000${labels.chain_id ?? ''}`
  const previous = maxima.get(metrics)?.get(key) ?? 0
  if (seconds > previous) {
    const perEngine = maxima.get(metrics) ?? new Map<string, number>()
    perEngine.set(key, seconds)
    maxima.set(metrics, perEngine)
    metrics.eventLatencyMax.set(labels, seconds)
  }
}
const maxima = new WeakMap<EngineMetrics, Map<string, number>>()
