import { encodeFunctionData, type Address } from 'viem'
import { weth9Abi } from '../abis.ts'
import { sepoliaAddresses } from '../addresses.ts'
import type { DevnetClient } from '../createDevnetClient.ts'
import { sendAs, type WriteOptions, type WriteResult } from './sendAs.ts'

/**
 * Wraps `amount` wei of `account`'s ETH into WETH (`deposit()`), topping its ETH up if needed.
 *
 * @example
 * await wrapWeth(client, owner, 10n ** 18n)
 */
export async function wrapWeth(client: DevnetClient, account: Address, amount: bigint, options: WriteOptions = {}): Promise<WriteResult> {
  if (amount <= 0n) throw new RangeError(`wrapWeth: amount must be > 0, got ${amount}`)
  return sendAs(client, {
    ...options,
    from: account,
    to: sepoliaAddresses.weth,
    data: encodeFunctionData({ abi: weth9Abi, functionName: 'deposit' }),
    value: amount,
    label: 'wrapWeth',
  })
}
