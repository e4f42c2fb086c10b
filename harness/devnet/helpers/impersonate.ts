import type { Address } from 'viem'
import type { DevnetClient } from '../createDevnetClient.ts'

/**
 * Lets `eth_sendTransaction` send as `account` without its key (`anvil_impersonateAccount`).
 *
 * @example
 * await impersonate(client, '0x6Fb5916c0f57f88004d5b5EB25f6f4D77353a1eD')
 */
export async function impersonate(client: DevnetClient, account: Address): Promise<void> {
  await client.impersonateAccount({ address: account })
}
