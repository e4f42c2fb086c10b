import type { BlockRef, Host } from '../module/types.ts'

/**
 * A block older than this by the module's clock (seconds) may be behind the head: the head is asked.
 * One second on purpose: while a block is younger than one block interval of a 1 s chain, no later
 * block can exist yet, so its own time is the head's; past that, one block behind is enough to post
 * a part that has just expired.
 */
export const STALE_BLOCK_SECONDS = 1

export type ReadHeadTimeParameters = {
  /** Seconds a block may lag the module's clock before the head is asked (default 1). */
  staleAfterSeconds?: number
}

export type ReadHeadTimeReturnType = {
  /** The chain's time now, as well as it is known: the head's timestamp, or `block.timestamp`. */
  timestamp: bigint
  /** True when the head was asked and is past `block`. */
  behind: boolean
}

function quantity(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value
  if (typeof value === 'string' && /^0x[0-9a-f]{1,64}$/i.test(value)) return BigInt(value)
  return undefined
}

/**
 * The chain's time now, cheaply: `block.timestamp` while the block being handled is recent by the
 * module's clock, else the head's timestamp from one `eth_getBlockByNumber('latest', false)` through
 * `host.chain.request` (no transactions; one request per old block that needs it, never reused: a
 * reused answer is how a part that expired a moment ago gets posted). A module that is catching up
 * (after a restart, a stall, a long outage) judges deadlines by it, so it does not act on what has
 * already expired at the head. Never throws: a failed or unreadable answer falls back to
 * `block.timestamp` (as if current).
 *
 * @example
 * const now = await readHeadTime(host, chainId, block)
 * if (BigInt(order.validTo) < now.timestamp) return markMissed(order)
 */
export async function readHeadTime(host: Pick<Host, 'chain' | 'clock'>, chainId: number, block: BlockRef, parameters: ReadHeadTimeParameters = {}): Promise<ReadHeadTimeReturnType> {
  const { staleAfterSeconds = STALE_BLOCK_SECONDS } = parameters
  const fresh = block.timestamp * 1000n >= BigInt(Math.floor(host.clock.now())) - BigInt(staleAfterSeconds * 1000)
  if (fresh) return { timestamp: block.timestamp, behind: false }
  let answer: unknown
  try {
    answer = await host.chain.request(chainId, 'eth_getBlockByNumber', ['latest', false])
  } catch {
    return { timestamp: block.timestamp, behind: false }
  }
  const number = quantity((answer as { number?: unknown } | null)?.number)
  const timestamp = quantity((answer as { timestamp?: unknown } | null)?.timestamp)
  if (number === undefined || timestamp === undefined || number <= block.number) return { timestamp: block.timestamp, behind: false }
  return { timestamp: timestamp > block.timestamp ? timestamp : block.timestamp, behind: true }
}
