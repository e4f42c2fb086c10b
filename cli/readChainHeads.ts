import { createPublicClient, http, webSocket } from 'viem'
import { errorMessage } from '../modules/sdk/errors/errorMessage.ts'
import type { EngineConfig } from '../engine/config/schema.ts'
import type { VerifyChain } from '../engine/store/verifyStore.ts'

export type ReadChainHeadsParameters = {
  config: EngineConfig
  /** Skip the RPC: cursors are checked for readability only. */
  offline?: boolean
  timeoutMs?: number
}

/**
 * Each configured chain as the store's integrity check needs it: its head read from its
 * `rpc_url` now (an Error when it cannot be read; never retried: an operator's check should
 * answer fast), its lookback and what the engine does with an older cursor (`on_gap`; unset means
 * "halt" when a module is enabled, as the engine decides).
 *
 * @example
 * const chains = await readChainHeads({ config: loadConfig('engine.toml') })
 */
export async function readChainHeads({ config, offline = false, timeoutMs = 5_000 }: ReadChainHeadsParameters): Promise<VerifyChain[]> {
  const anyModule = config.modules.some((m) => m.enabled)
  return Promise.all(
    [...config.chains].map(async ([chainId, chain]): Promise<VerifyChain> => {
      const base = { chainId, maxLookbackBlocks: chain.max_lookback_blocks, onGap: chain.on_gap ?? (anyModule ? 'halt' : 'skip'), rpcUrl: chain.rpc_url }
      if (offline) return { ...base, head: undefined }
      const ws = /^wss?:/.test(chain.rpc_url)
      const transport = ws ? webSocket(chain.rpc_url, { timeout: timeoutMs, retryCount: 0, reconnect: false }) : http(chain.rpc_url, { timeout: timeoutMs, retryCount: 0 })
      const client = createPublicClient({ transport })
      try {
        return { ...base, head: await client.getBlockNumber({ cacheTime: 0 }) }
      } catch (error) {
        // viem's message runs to many lines (request body, version): its short message says it.
        return { ...base, head: new Error(errorMessage(error), { cause: error }) }
      } finally {
        if (ws) {
          const value = client.transport as { getRpcClient?: () => Promise<{ close(): void }> }
          await value
            .getRpcClient?.()
            .then((rpc) => rpc.close())
            .catch(() => {})
        }
      }
    }),
  )
}
