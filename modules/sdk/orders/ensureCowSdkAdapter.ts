import { getGlobalAdapter, setGlobalAdapter } from '@cowprotocol/cow-sdk'
import { ViemAdapter } from '@cowprotocol/sdk-viem-adapter'
import { createPublicClient, custom } from 'viem'
import { sepolia } from 'viem/chains'
import { cachedHashTypedData } from './cachedHashTypedData.ts'

let ensured = false

/**
 * cow-sdk's hashing goes through a global provider adapter, even offline. Installs one, once, whose
 * client refuses every request (the SDK only hashes; it never reads the chain) and whose
 * `hashTypedData` caches the domain separator. An adapter someone else installed first is kept.
 *
 * @example
 * ensureCowSdkAdapter()
 * hashOrder(domain, order)
 */
export function ensureCowSdkAdapter(): void {
  if (ensured) return
  try {
    getGlobalAdapter()
  } catch {
    const provider = createPublicClient({
      chain: sepolia,
      transport: custom({
        request: async ({ method }: { method: string }) => {
          throw new Error(`The Shepherd SDK's offline cow-sdk adapter does not serve RPC (${method})`)
        },
      }),
    })
    const adapter = new ViemAdapter({ provider })
    // Same hash as viem's, with the constant domain separator computed once (see cachedHashTypedData).
    adapter.utils.hashTypedData = cachedHashTypedData
    setGlobalAdapter(adapter)
  }
  ensured = true
}
