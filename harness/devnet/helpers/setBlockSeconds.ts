import type { DevnetClient } from '../createDevnetClient.ts'
import { DevnetError } from '../DevnetError.ts'

/**
 * Makes every later block carry `seconds` of chain time after its parent
 * (`anvil_setBlockTimestampInterval`), whatever the wall time between blocks: a devnet mined every
 * 1 s (or 0.5 s) then keeps mainnet's or Sepolia's 12 s per block, so orders valid for minutes of
 * chain time (what the real orderbook asks: at least 60 s left) fit a run of seconds. One place for
 * scenarios and the soak alike.
 *
 * @param client - the devnet's client.
 * @param seconds - chain seconds per block, an integer >= 1 (12 on mainnet and Sepolia, 5 on Gnosis Chain).
 *
 * @example
 * import { setBlockSeconds, startDevnet } from 'shepherd/harness'
 * const net = await startDevnet({ blockTime: 1 })
 * await setBlockSeconds(net.client, 12) // or startDevnet({ blockTime: 1, blockSeconds: 12 })
 */
export async function setBlockSeconds(client: DevnetClient, seconds: number): Promise<void> {
  assertBlockSeconds(seconds)
  await client.setBlockTimestampInterval({ interval: seconds })
}

/**
 * Throws a DevnetError unless `seconds` is a usable chain-seconds-per-block (an integer >= 1):
 * Anvil's interval is whole seconds, and 0 would give every block its parent's timestamp.
 *
 * @example
 * assertBlockSeconds(12) // fine
 * assertBlockSeconds(0.5) // throws: Invalid blockSeconds
 */
export function assertBlockSeconds(seconds: unknown): asserts seconds is number {
  if (typeof seconds !== 'number' || !Number.isSafeInteger(seconds) || seconds < 1)
    throw new DevnetError('Invalid blockSeconds', { details: [`found: ${JSON.stringify(seconds)}`, 'expected: chain seconds per block, an integer >= 1 (12 as on mainnet and Sepolia)'] })
}
