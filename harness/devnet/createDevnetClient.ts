import {
  createTestClient,
  defineChain,
  http,
  publicActions,
  walletActions,
  type Chain,
  type Client,
  type HttpTransport,
  type PublicActions,
  type TestActions,
  type TestRpcSchema,
  type WalletActions,
} from 'viem'
import { sepolia } from 'viem/chains'
import { devnetChainId } from './addresses.ts'

export type CreateDevnetClientParameters = {
  rpcUrl: string
  wsUrl?: string
  /** The devnet's chain id. Default 11155111. */
  chainId?: number
  /** Polling interval for watchers and receipt waits. Default 50 ms: local blocks come fast. */
  pollingIntervalMs?: number
}

/**
 * The chain definition of a devnet: Sepolia's id (or the one given) and contracts (Multicall3 is deployed at its
 * canonical address), the devnet's URLs.
 *
 * @example
 * const chain = devnetChain('http://127.0.0.1:8545')
 */
// Return types are written out: the published .d.ts may only name viem's public types.
export function devnetChain(rpcUrl: string, wsUrl?: string, chainId: number = devnetChainId): Chain {
  return defineChain({
    ...sepolia,
    id: chainId,
    name: 'Shepherd devnet',
    rpcUrls: { default: { http: [rpcUrl], ...(wsUrl ? { webSocket: [wsUrl] } : {}) } },
  })
}

/**
 * A viem client for a devnet with public, wallet and Anvil test actions in one object. `cacheTime: 0`
 * because tests read a block number or balance right after changing it.
 *
 * @example
 * const client = createDevnetClient({ rpcUrl: 'http://127.0.0.1:8545' })
 * await client.mine({ blocks: 1 })
 * await client.getBlockNumber()
 */
export function createDevnetClient(parameters: CreateDevnetClientParameters): DevnetClient {
  return createTestClient({
    mode: 'anvil',
    chain: devnetChain(parameters.rpcUrl, parameters.wsUrl, parameters.chainId),
    transport: http(parameters.rpcUrl, { retryCount: 0 }),
    cacheTime: 0,
    pollingInterval: parameters.pollingIntervalMs ?? 50,
  })
    .extend(publicActions)
    .extend(walletActions)
}

/** The client every devnet helper takes: Anvil test actions, public and wallet actions. */
export type DevnetClient = Client<HttpTransport, Chain, undefined, TestRpcSchema<'anvil'>, TestActions & PublicActions<HttpTransport, Chain> & WalletActions<Chain>>
