import type { DevnetClient } from '../createDevnetClient.ts'

/**
 * Mines `blocks` blocks now (`anvil_mine`), whatever the mining mode. `intervalSeconds` spaces
 * their timestamps.
 *
 * @example
 * await mine(client, 10)
 */
export async function mine(client: DevnetClient, blocks = 1, intervalSeconds?: number): Promise<void> {
  if (!Number.isInteger(blocks) || blocks < 1) throw new RangeError(`mine: blocks must be a positive integer, got ${blocks}`)
  await client.mine({ blocks, interval: intervalSeconds })
}
