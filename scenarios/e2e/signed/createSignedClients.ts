import { createPublicClient, createWalletClient, defineChain, http, type Chain, type Hex, type LocalAccount, type PublicClient, type WalletClient } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'

export type CreateSignedClientsParameters = { rpcUrl: string; chainId: number; privateKey: Hex }
export type CreateSignedClientsReturnType = { client: PublicClient; wallet: WalletClient; account: LocalAccount; chain: Chain }

/**
 * A public client and a wallet client over one HTTP RPC, with a local account from the private key:
 * transactions are signed in this process and sent raw (`eth_sendRawTransaction`); the node never
 * holds the key and nothing is impersonated.
 *
 * @example
 * const { client, wallet, account } = createSignedClients({ rpcUrl, chainId: 11155111, privateKey })
 */
export function createSignedClients({ rpcUrl, chainId, privateKey }: CreateSignedClientsParameters): CreateSignedClientsReturnType {
  const chain = defineChain({ id: chainId, name: `chain ${chainId}`, nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 }, rpcUrls: { default: { http: [rpcUrl] } } })
  const transport = http(rpcUrl, { timeout: 30_000, retryCount: 2 })
  const account = privateKeyToAccount(privateKey)
  return { client: createPublicClient({ chain, transport }) as PublicClient, wallet: createWalletClient({ account, chain, transport }), account, chain }
}
