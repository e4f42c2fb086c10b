import { getGlobalAdapter, setGlobalAdapter } from '@cowprotocol/cow-sdk'
// The adapter's ESM build, by path: the package has no "exports" map, so Node would take its CommonJS
// "main", whose require('viem') loads viem's CommonJS build a second time (~0.25 s in every module
// worker). Pinned version; the mirror (engine/bundle/mirrorEntry.mjs) makes the same choice.
import { ViemAdapter } from '@cowprotocol/sdk-viem-adapter/dist/index.mjs'
import { createPublicClient, custom, defineChain } from 'viem'
import { cachedHashTypedData } from './cachedHashTypedData.ts'

let ensured = false

// Sepolia's id and name only (the client never sends a request): importing viem/chains would load its
// barrel of ~700 chain files in every module worker (~0.4-0.8 s) for this one object.
const offlineChain = defineChain({
  id: 11155111,
  name: 'Sepolia',
  nativeCurrency: { name: 'Sepolia Ether', symbol: 'ETH', decimals: 18 },
  rpcUrls: { default: { http: [] } },
})

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
      chain: offlineChain,
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
