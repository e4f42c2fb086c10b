import { encodeFunctionData, maxUint256, type Address } from 'viem'
import { erc20Abi } from '../abis.ts'
import { sepoliaAddresses } from '../addresses.ts'
import type { DevnetClient } from '../createDevnetClient.ts'
import { sendAs, type WriteOptions, type WriteResult } from './sendAs.ts'

/**
 * Lets the GPv2 vault relayer pull `amount` of `token` from `account` (what the orderbook checks as
 * "allowance"). Default amount: unlimited.
 *
 * @example
 * await approveVaultRelayer(client, owner, sepoliaAddresses.weth)
 */
export async function approveVaultRelayer(
  client: DevnetClient,
  account: Address,
  token: Address,
  amount: bigint = maxUint256,
  options: WriteOptions = {},
): Promise<WriteResult> {
  return sendAs(client, {
    ...options,
    from: account,
    to: token,
    data: encodeFunctionData({ abi: erc20Abi, functionName: 'approve', args: [sepoliaAddresses.gpv2VaultRelayer, amount] }),
    label: 'approveVaultRelayer',
  })
}
