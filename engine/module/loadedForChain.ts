import type { EngineConfig } from '../config/schema.ts'
import { moduleOrigin, type LoadedModule } from './loadModules.ts'
import { prepareModule } from './validateModule.ts'

export type LoadedForChainParameters = {
  loaded: LoadedModule
  /** The chain this instance runs on (an entry with `chains = [...]`). */
  chainId: number
  config: Pick<EngineConfig, 'file' | 'chains' | 'modules'>
}

/**
 * A module passed in already loaded (`startEngine({ modules })`), prepared again for one chain of its
 * entry's `chains`: its config gets that `chainId`, as a module the engine loads from the config
 * does, and is validated and subscribed from that (its subscriptions usually follow the chain id).
 * Without this, every instance kept the config it was loaded with and followed that chain instead.
 *
 * @example
 * const [loaded] = await loadModules(config) // an entry with chains = [100]
 * loadedForChain({ loaded, chainId: 100, config }).config // { ..., chainId: 100 }
 */
export function loadedForChain({ loaded, chainId, config }: LoadedForChainParameters): LoadedModule {
  const { entry } = loaded
  const raw = { ...(typeof entry.config === 'object' && entry.config !== null ? entry.config : {}), chainId }
  // Not checked against a built-in's name again: the module was accepted when it was loaded.
  const origin = { ...moduleOrigin(entry, config.modules.indexOf(entry), config), builtIn: false }
  const prepared = prepareModule({ default: loaded.definition }, raw, origin)
  return { ...loaded, ...prepared, entry: { ...entry, config: raw } }
}
