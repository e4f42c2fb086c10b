import type { Address } from 'viem'
import type { DevnetClient } from '../createDevnetClient.ts'

/**
 * Sets the ETH balance of `account` to exactly `wei` (`anvil_setBalance`; no block needed).
 *
 * @example
 * await fund(client, owner, 10n ** 18n)
 */
export async function fund(client: DevnetClient, account: Address, wei: bigint): Promise<void> {
  if (wei < 0n) throw new RangeError(`fund: wei must be >= 0, got ${wei}`)
  await client.setBalance({ address: account, value: wei })
}
