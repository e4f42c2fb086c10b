import { ChainMethodNotAllowedError } from '../errors/host.ts'
import type { HealthBoard } from '../health/createHealthBoard.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { ChainHost, ClockHost, CowApiHost, Host, StoreHost } from '../../modules/sdk/module/types.ts'
import { createChainMethodAllowlist } from './createChainMethodAllowlist.ts'
import type { Logger } from './createLogger.ts'

export type CreateHostParameters = {
  module: string
  /**
   * The chain this host's module instance serves, when it runs once per chain: its metrics carry
   * `chain_id`, its log lines `chainId`, and its `/healthz` source is `module:<module>@<chainId>`.
   */
  chainId?: number
  chain: ChainHost
  cowApi: CowApiHost
  store: StoreHost
  logger: Logger
  metrics?: EngineMetrics
  clock?: ClockHost
  /** Where `host.health` reports go (the engine's `/healthz`); without it they are logged and metered only. */
  health?: HealthBoard
  /** The module's `allow_methods`: JSON-RPC methods `chain.request` may send beyond the read-only default. */
  allowMethods?: readonly string[]
  /** Where `allow_methods` lives in the config, for errors, e.g. `modules.0.allow_methods`. */
  allowMethodsKey?: string
}

/** A revert is the chain's answer, not a failure of the call (polls revert by design). */
const isRevert = (error: unknown) => error instanceof Error && error.name === 'ChainCallError'

/**
 * Wraps each method so that a rejection the module receives is counted in
 * `shepherd_module_host_failures_total{module,capability}`: the engine's own count of what reached
 * the module, which a scenario compares with what its faults injected (not the module's word).
 */
function counted<capability extends object>(target: capability, onFailure: (error: unknown) => void): capability {
  const wrapped: Record<string, unknown> = {}
  for (const [name, method] of Object.entries(target)) {
    wrapped[name] =
      typeof method === 'function'
        ? (...args: unknown[]) => {
            const fail = (error: unknown) => {
              onFailure(error)
              throw error
            }
            try {
              const result: unknown = (method as (...a: unknown[]) => unknown).apply(target, args)
              return result instanceof Promise ? result.catch(fail) : result
            } catch (error) {
              return fail(error)
            }
          }
        : method
  }
  return wrapped as capability
}

/** `chain` whose `request` sends only allowed methods; the rest reject with a ChainMethodNotAllowedError. */
function withAllowlist(chain: ChainHost, module: string, allowMethods: readonly string[] | undefined, key: string): ChainHost {
  const allowed = createChainMethodAllowlist(allowMethods)
  return {
    ...chain,
    request: (chainId, method, params) =>
      allowed(method) ? chain.request(chainId, method, params) : Promise.reject(new ChainMethodNotAllowedError({ module, method: String(method), key })),
  }
}

/**
 * The production Host of one module: shared chain and orderbook clients, its own store and log tags,
 * and its alerts, handled errors and health checks metered under its name. `chain.request` sends
 * only read-only methods (`defaultChainReadMethods`) plus the module's `allow_methods`; workers
 * reach the chain through this Host, so the rule holds for them too.
 *
 * @example
 * const host = createHost({ module: 'twap-monitor', chain, cowApi, store: store.forModule('twap-monitor'), logger, metrics, health })
 */
export function createHost({
  module,
  chainId,
  chain: sharedChain,
  cowApi,
  store,
  logger,
  metrics,
  clock = { now: () => Date.now() },
  health,
  allowMethods,
  allowMethodsKey = `allow_methods of [[modules]] "${module}"`,
}: CreateHostParameters): Host {
  const log = logger.child(chainId === undefined ? { module } : { module, chainId })
  const chain = withAllowlist(sharedChain, module, allowMethods, allowMethodsKey)
  const source = chainId === undefined ? `module:${module}` : `module:${module}@${chainId}`
  // Every metric of this host: the module, and its chain when the module runs once per chain.
  const own = chainId === undefined ? { module } : { module, chain_id: String(chainId) }
  // The reason each degraded check was last logged with: a module may report every block, the log says it once.
  const degraded = new Map<string, string>()
  return {
    module,
    chain: metrics ? counted(chain, (error) => isRevert(error) || metrics.moduleHostFailures.inc({ ...own, capability: 'chain' })) : chain,
    cowApi: metrics ? counted(cowApi, () => metrics.moduleHostFailures.inc({ ...own, capability: 'cow_api' })) : cowApi,
    store,
    log,
    clock,
    metrics: {
      alert(kind, message, fields) {
        metrics?.moduleAlerts.inc({ ...own, kind })
        log.warn(message, { alert: kind, ...fields })
      },
      error(kind, message, fields) {
        metrics?.moduleErrors.inc({ ...own, error_kind: kind })
        log.warn(message, { error_kind: kind, ...fields })
      },
    },
    health: {
      degraded(check, reason, fields) {
        metrics?.moduleDegraded.set({ ...own, check }, 1)
        health?.degraded(source, check, reason, fields)
        if (degraded.get(check) === reason) return
        degraded.set(check, reason)
        log.warn(`health check "${check}" degraded: ${reason}`, { check, ...fields })
      },
      ok(check) {
        health?.ok(source, check)
        if (!degraded.delete(check)) return
        metrics?.moduleDegraded.set({ ...own, check }, 0)
        log.info(`health check "${check}" ok again`, { check })
      },
    },
  }
}
