import type { Address } from 'viem'
import { sepoliaAddresses } from '../addresses.ts'
import type { DevnetClient } from '../createDevnetClient.ts'
import { ownerSetupCalls, type OwnerSetupCallsParameters } from '../ownerSetupCalls.ts'

export type PrepareOwnersParameters = Omit<OwnerSetupCallsParameters, 'wethEthBalance' | 'owners'> & { owners: readonly Address[] }

/**
 * Makes `owners` real-looking conditional-order owners on the devnet: the ForwarderOwner runtime as
 * their code (EIP-1271 through ComposableCoW, unless `withCode: false`), `balance` of `sellToken`
 * and an allowance to the vault relayer, by `anvil_setCode` / `anvil_setStorageAt` (no transaction,
 * no block). WETH balances are backed by ETH in the WETH contract.
 *
 * @example
 * await prepareOwners(client, { owners: [owner], sellToken: sepoliaAddresses.weth, balance: 10n ** 18n })
 */
export async function prepareOwners(client: DevnetClient, parameters: PrepareOwnersParameters): Promise<void> {
  const wethEthBalance = parameters.sellToken.toLowerCase() === sepoliaAddresses.weth.toLowerCase() ? await client.getBalance({ address: sepoliaAddresses.weth }) : undefined
  const calls = ownerSetupCalls({ ...parameters, wethEthBalance })
  // Node-side order does not matter: every call writes a different slot or account.
  await Promise.all(calls.map((call) => client.request(call as never)))
}
