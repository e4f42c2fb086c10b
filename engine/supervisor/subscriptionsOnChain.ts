import type { Subscriptions } from '../../modules/sdk/module/types.ts'

/**
 * The part of a module's subscriptions on one chain: what an instance serving that chain is routed
 * (the module may name other chains, which its sibling instances serve).
 *
 * @example
 * subscriptionsOnChain({ blocks: [{ chainId: 1 }, { chainId: 100 }] }, 100) // { blocks: [{ chainId: 100 }] }
 */
export function subscriptionsOnChain(subscriptions: Subscriptions, chainId: number): Subscriptions {
  return {
    ...subscriptions,
    ...(subscriptions.blocks ? { blocks: subscriptions.blocks.filter((s) => s.chainId === chainId) } : {}),
    ...(subscriptions.logs ? { logs: subscriptions.logs.filter((s) => s.chainId === chainId) } : {}),
  }
}
