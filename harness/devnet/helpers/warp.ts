import type { DevnetClient } from '../createDevnetClient.ts'

/**
 * Moves chain time forward by `seconds` and mines a block, so the next reads see the new time
 * (`evm_increaseTime` + `anvil_mine`). Returns the new block's timestamp.
 *
 * @example
 * await warp(client, 3600) // an hour later
 */
export async function warp(client: DevnetClient, seconds: number): Promise<bigint> {
  if (!Number.isInteger(seconds) || seconds < 0) throw new RangeError(`warp: seconds must be a non-negative integer, got ${seconds}`)
  await client.increaseTime({ seconds })
  await client.mine({ blocks: 1 })
  return (await client.getBlock({ blockTag: 'latest' })).timestamp
}

/**
 * Fixes the timestamp of the next block (`evm_setNextBlockTimestamp`); it must be later than the
 * latest block's.
 *
 * @example
 * await setNextBlockTimestamp(client, 1_800_000_000n)
 * await mine(client)
 */
export async function setNextBlockTimestamp(client: DevnetClient, timestamp: bigint): Promise<void> {
  await client.setNextBlockTimestamp({ timestamp })
}
