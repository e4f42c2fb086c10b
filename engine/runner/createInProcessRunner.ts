import { observeEventLatency, type EngineMetrics } from '../metrics/createMetrics.ts'
import type { LoadedModule } from '../module/loadModules.ts'
import type { Host, LogHost, Subscriptions } from '../../modules/sdk/module/types.ts'
import type { ModuleEvent, ModuleRunner } from '../dispatch/types.ts'

type InProcessModule = Pick<LoadedModule, 'definition' | 'config' | 'subscriptions'>

export type CreateInProcessRunnerParameters = {
  name: string
  /** The chain this instance serves, when the module runs once per chain: its latency carries `chain_id`. */
  chainId?: number
  /** The module, loaded already (replays, tests) or loaded by `init` in this thread (an `isolation = "in-process"` entry). */
  module: InProcessModule | (() => Promise<InProcessModule>)
  host: Host
  metrics?: EngineMetrics
  log?: LogHost
}

/** The kind of event for `shepherd_event_latency_seconds{event_kind}`. */
export function eventKind(event: ModuleEvent) {
  return event.kind
}

/**
 * Runs a module's handlers in this thread, with no memory limit or deadline (tests, replays,
 * trusted modules). `handle` and `run` are the same: they reject when the handler throws, and the
 * supervisor around this runner decides what a failure means.
 *
 * @example
 * const runner = createInProcessRunner({ name: 'counting', module: loaded, host })
 * await runner.init()
 * await runner.run({ kind: 'block', block })
 */
export function createInProcessRunner({ name, chainId, module, host, metrics }: CreateInProcessRunnerParameters): ModuleRunner & {
  /** Rejects when the handler throws (the supervisor's view). */
  run(event: ModuleEvent): Promise<void>
} {
  let loaded: InProcessModule | undefined = typeof module === 'function' ? undefined : module

  async function run(event: ModuleEvent) {
    if (!loaded) throw new Error(`module "${name}": run before init`)
    const { definition, config } = loaded
    const context = { host, config }
    const started = performance.now()
    try {
      if (event.kind === 'logs') await definition.onLogs?.({ ...context, block: event.block, logs: event.logs })
      else if (event.kind === 'block') await definition.onBlock?.({ ...context, block: event.block })
      else await definition.onReorg?.({ ...context, reorg: event.reorg })
    } finally {
      if (metrics) observeEventLatency(metrics, { module: name, event_kind: eventKind(event), ...(chainId === undefined ? {} : { chain_id: String(chainId) }) }, (performance.now() - started) / 1000)
    }
  }

  return {
    name,
    get subscriptions(): Subscriptions {
      return loaded?.subscriptions ?? {}
    },
    run,
    handle: run,
    async init() {
      loaded ??= await (module as () => Promise<InProcessModule>)()
      await loaded.definition.init?.({ host, config: loaded.config })
    },
    async stop() {},
  }
}
