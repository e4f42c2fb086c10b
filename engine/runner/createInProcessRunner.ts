import { describeError } from '../errors/base.ts'
import { observeEventLatency, type EngineMetrics } from '../metrics/createMetrics.ts'
import type { LoadedModule } from '../module/loadModules.ts'
import type { Host, LogHost } from '../module/types.ts'
import type { ModuleEvent, ModuleRunner } from '../dispatch/types.ts'

export type CreateInProcessRunnerParameters = {
  loaded: Pick<LoadedModule, 'definition' | 'config' | 'subscriptions'> & { name: string }
  host: Host
  metrics?: EngineMetrics
  log: LogHost
}

/** The kind of event for `shepherd_event_latency_seconds{event_kind}`. */
export function eventKind(event: ModuleEvent) {
  return event.kind
}

/**
 * Runs a module's handlers in this thread. A handler that throws is logged and counted in
 * `shepherd_module_errors_total{error_kind="throw"}`; the engine keeps going. (Workers and the
 * supervisor wrap this for isolation.)
 */
export function createInProcessRunner({ loaded, host, metrics, log }: CreateInProcessRunnerParameters): ModuleRunner & {
  /** Like `handle`, but rejects when the handler throws (the worker and supervisor use this). */
  run(event: ModuleEvent): Promise<void>
} {
  const { definition, config, name } = loaded
  const context = { host, config }

  async function run(event: ModuleEvent) {
    const started = performance.now()
    try {
      if (event.kind === 'logs') await definition.onLogs?.({ ...context, block: event.block, logs: event.logs })
      else if (event.kind === 'block') await definition.onBlock?.({ ...context, block: event.block })
      else await definition.onReorg?.({ ...context, reorg: event.reorg })
    } finally {
      if (metrics) observeEventLatency(metrics, { module: name, event_kind: eventKind(event) }, (performance.now() - started) / 1000)
    }
  }

  return {
    name,
    subscriptions: loaded.subscriptions,
    run,
    async init() {
      await definition.init?.(context)
    },
    async handle(event) {
      try {
        await run(event)
      } catch (error) {
        metrics?.moduleTraps.inc({ module: name, kind: 'throw' })
        log.error('module handler failed', {
          event: event.kind,
          block: event.kind === 'reorg' ? event.reorg.fromBlock : event.block.number,
          error: describeError(error),
        })
      }
    },
    async stop() {},
  }
}
