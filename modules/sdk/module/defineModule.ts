import type { ModuleDefinition } from './types.ts'

/**
 * Declares a strategy module. A typed identity function: no side effects, so a module file can be
 * imported by the engine, a worker, MockHost tests and replays alike.
 *
 * @example
 * import { z } from 'zod'
 * export default defineModule({
 *   name: 'block-counter',
 *   config: z.object({ chainId: z.number().default(11155111) }),
 *   subscriptions: (config) => ({ blocks: [{ chainId: config.chainId }] }),
 *   async onBlock({ host, block }) { await host.store.set('last', block.number) },
 * })
 */
export function defineModule<config>(definition: ModuleDefinition<config>): ModuleDefinition<config> {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(definition.name))
    throw new TypeError(`Module name "${definition.name}" must be lowercase letters, digits and dashes`)
  return definition
}

/** Resolves a module's subscriptions for a parsed config. */
export function resolveSubscriptions<config>(definition: ModuleDefinition<config>, config: config) {
  return typeof definition.subscriptions === 'function' ? definition.subscriptions(config) : definition.subscriptions
}
