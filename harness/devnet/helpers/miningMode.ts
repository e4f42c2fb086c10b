import type { DevnetClient } from '../createDevnetClient.ts'

/** How a devnet makes blocks: on every tx (auto), on a timer (interval) or only on `mine()` (manual). */
export type MiningMode = 'auto' | 'interval' | 'manual'

const modes = new WeakMap<object, MiningMode>()

/** Remembers how the devnet behind `client` mines, so write helpers know whether a receipt will come. */
export function registerMiningMode(client: DevnetClient, mode: MiningMode): void {
  modes.set(client, mode)
}

/**
 * The mining mode of the devnet behind `client`: as registered by `startDevnet`, else asked from
 * Anvil (automine on: 'auto'; off: 'manual', since Anvil rounds a sub-second interval to 0).
 *
 * @example
 * if ((await getMiningMode(client)) === 'manual') await mine(client, 1)
 */
export async function getMiningMode(client: DevnetClient): Promise<MiningMode> {
  const known = modes.get(client)
  if (known) return known
  return (await client.getAutomine()) ? 'auto' : 'manual'
}
