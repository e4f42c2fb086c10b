import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { ChainHost, ClockHost, CowApiHost, Host, StoreHost } from '../module/types.ts'
import type { Logger } from './createLogger.ts'

export type CreateHostParameters = {
  module: string
  chain: ChainHost
  cowApi: CowApiHost
  store: StoreHost
  logger: Logger
  metrics?: EngineMetrics
  clock?: ClockHost
}

/** The production Host of one module: shared chain and orderbook clients, its own store and log tags. */
export function createHost({ module, chain, cowApi, store, logger, metrics, clock = { now: () => Date.now() } }: CreateHostParameters): Host {
  const log = logger.child({ module })
  return {
    module,
    chain,
    cowApi,
    store,
    log,
    clock,
    metrics: {
      alert(kind, message, fields) {
        metrics?.moduleAlerts.inc({ module, kind })
        log.warn(message, { alert: kind, ...fields })
      },
    },
  }
}
