import { decodeEventLog, toEventSelector, type Address, type Hex } from 'viem'
import type { LogSubscription, ModuleLog, RawLog, Subscriptions } from '../../modules/sdk/module/types.ts'

type Route = { module: string; id: string; subscription: LogSubscription; addresses: ReadonlySet<string> | null }

/** Per chain: what to ask eth_getLogs for. `address` undefined means every address. */
export type ChainLogFilter = { address: Address[] | undefined; topic0: Hex[] }

/** The default id of a log subscription: `<address|*>:<eventName>`. */
export function subscriptionId(subscription: LogSubscription): string {
  if (subscription.id) return subscription.id
  const address = subscription.address === undefined ? '*' : ([] as Address[]).concat(subscription.address).join(',').toLowerCase()
  return `${address}:${subscription.event.name}`
}

/**
 * Indexes every module's log subscriptions by chain and topic0, builds the one eth_getLogs filter
 * each chain needs, and routes fetched logs to the modules whose filter they match. Only matched
 * logs are decoded (decoding costs far more than fetching).
 */
export function createLogRouter(modules: ReadonlyArray<{ name: string; subscriptions: Subscriptions }>) {
  const byChain = new Map<number, Map<Hex, Route[]>>()
  for (const { name, subscriptions } of modules)
    for (const subscription of subscriptions.logs ?? []) {
      const topic0 = toEventSelector(subscription.event).toLowerCase() as Hex
      const addresses = subscription.address === undefined ? null : new Set(([] as Address[]).concat(subscription.address).map((a) => a.toLowerCase()))
      const chain = byChain.get(subscription.chainId) ?? new Map<Hex, Route[]>()
      byChain.set(subscription.chainId, chain)
      chain.set(topic0, [...(chain.get(topic0) ?? []), { module: name, id: subscriptionId(subscription), subscription, addresses }])
    }

  return {
    /** The eth_getLogs filter for a chain, or undefined when no module wants logs there. */
    filterFor(chainId: number): ChainLogFilter | undefined {
      const chain = byChain.get(chainId)
      if (!chain || chain.size === 0) return undefined
      const routes = [...chain.values()].flat()
      const anyAddress = routes.some((r) => r.addresses === null)
      const address = anyAddress ? undefined : [...new Set(routes.flatMap((r) => [...(r.addresses ?? [])]))] as Address[]
      return { address, topic0: [...chain.keys()] }
    },
    /** Routes logs (of one block or a range) to modules, decoded with each subscription's ABI item. */
    route(chainId: number, logs: readonly RawLog[]): Map<string, ModuleLog[]> {
      const out = new Map<string, ModuleLog[]>()
      const chain = byChain.get(chainId)
      if (!chain) return out
      for (const log of logs) {
        const topic0 = log.topics[0]?.toLowerCase() as Hex | undefined
        if (!topic0) continue
        for (const route of chain.get(topic0) ?? []) {
          if (route.addresses && !route.addresses.has(log.address.toLowerCase())) continue
          let decoded: ModuleLog['decoded'] = null
          try {
            const result = decodeEventLog({ abi: [route.subscription.event], topics: log.topics as [Hex, ...Hex[]], data: log.data, strict: true })
            decoded = { eventName: result.eventName ?? route.subscription.event.name, args: (result.args ?? {}) as Record<string, unknown> }
          } catch {
            // A log that matches the topic but not the ABI reaches the module undecoded, never dropped.
          }
          const list = out.get(route.module) ?? []
          list.push({ ...log, chainId, subscription: route.id, decoded })
          out.set(route.module, list)
        }
      }
      return out
    },
  }
}

export type LogRouter = ReturnType<typeof createLogRouter>
