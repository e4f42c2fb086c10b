import type { BlockRef, Host } from '../../../engine/module/types.ts'

/**
 * A block older than this by the module's clock (seconds) may be behind the head: the head is asked.
 * Small on purpose: one block behind on a 1 s chain is enough to post a part that has just expired,
 * and the question costs one `eth_getBlockByNumber` (no transactions) at most every `HEAD_CACHE_MS`.
 */
export const STALE_BLOCK_SECONDS = 1
/** How long one answer of the head is reused (ms of the module's clock). */
export const HEAD_CACHE_MS = 500

export type ReadHeadTimeParameters = {
  /** Seconds a block may lag the module's clock before the head is asked (default 1). */
  staleAfterSeconds?: number
  /** How long an answer is reused, ms (default 500). */
  cacheMs?: number
}

export type ReadHeadTimeReturnType = {
  /** The chain's time now, as well as it is known: the head's timestamp, or `block.timestamp`. */
  timestamp: bigint
  /** True when the head was behind-checked (asked, or a fresh cached answer) and is past `block`. */
  behind: boolean
}

type Head = { number: bigint; timestamp: bigint; fetchedAt: number }

// Per Host and chain: one module incarnation reuses its answer for `cacheMs`.
const heads = new WeakMap<object, Map<number, Head>>()

function quantity(value: unknown): bigint | undefined {
  if (typeof value === 'bigint') return value
  if (typeof value === 'string' && /^0x[0-9a-f]{1,64}$/i.test(value)) return BigInt(value)
  return undefined
}

/**
 * The chain's time now, cheaply: `block.timestamp` while the block being handled is recent by the
 * module's clock, else the head's timestamp from one `eth_getBlockByNumber('latest')` through
 * `host.chain.request`, reused for `cacheMs`. A module that is catching up (after a restart, a stall,
 * a long outage) judges deadlines by it, so it does not act on what has already expired at the head.
 * Never throws: a failed or unreadable answer falls back to `block.timestamp` (as if current).
 *
 * @example
 * const now = await readHeadTime(host, chainId, block)
 * if (BigInt(order.validTo) < now.timestamp) return markMissed(order)
 */
export async function readHeadTime(host: Pick<Host, 'chain' | 'clock'>, chainId: number, block: BlockRef, parameters: ReadHeadTimeParameters = {}): Promise<ReadHeadTimeReturnType> {
  const { staleAfterSeconds = STALE_BLOCK_SECONDS, cacheMs = HEAD_CACHE_MS } = parameters
  const nowMs = host.clock.now()
  const fresh = block.timestamp * 1000n >= BigInt(Math.floor(nowMs)) - BigInt(staleAfterSeconds * 1000)
  let perChain = heads.get(host)
  const cached = perChain?.get(chainId)
  const usable = (head: Head | undefined) => (head !== undefined && head.number > block.number ? { timestamp: head.timestamp > block.timestamp ? head.timestamp : block.timestamp, behind: true } : undefined)
  if (cached !== undefined && nowMs - cached.fetchedAt < cacheMs) return usable(cached) ?? { timestamp: block.timestamp, behind: false }
  if (fresh) return { timestamp: block.timestamp, behind: false }
  let answer: unknown
  try {
    answer = await host.chain.request(chainId, 'eth_getBlockByNumber', ['latest', false])
  } catch {
    return { timestamp: block.timestamp, behind: false }
  }
  const number = quantity((answer as { number?: unknown } | null)?.number)
  const timestamp = quantity((answer as { timestamp?: unknown } | null)?.timestamp)
  if (number === undefined || timestamp === undefined) return { timestamp: block.timestamp, behind: false }
  const head: Head = { number, timestamp, fetchedAt: nowMs }
  if (perChain === undefined) heads.set(host, (perChain = new Map()))
  perChain.set(chainId, head)
  return usable(head) ?? { timestamp: block.timestamp, behind: false }
}
