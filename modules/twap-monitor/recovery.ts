import type { BlockRef, Host } from '../sdk/index.ts'

/**
 * The blocks a previous incarnation of this module may have handled before it died. A part it
 * posted there may have been accepted while its `submitted:` marker was still queued (the store
 * commits moments after a write resolves), so this incarnation asks the orderbook before posting
 * such a part again. By number when the head was read at start, else by time (a conservative bound).
 */
export type RecoveryWindow = { throughBlock: bigint } | { throughTimestamp: bigint }

/** Blocks after the head at start that still count as recovery: a failed poll or lookup slips a watch by a block or two. */
export const RECOVERY_MARGIN_BLOCKS = 16n
/** Without the head, recovery covers blocks up to this long after the start (chain time, seconds). */
export const RECOVERY_FALLBACK_SECONDS = 300n

// One window per incarnation: a Host lives as long as one start of the module (a worker, an
// in-process runner, a MockHost), and init re-arms it on every start. Memory, not the store: the
// check runs on every submission, and a stored window would outlive the incarnation it describes.
const windows = new WeakMap<Host, RecoveryWindow>()

async function readHead(host: Host, chainId: number): Promise<bigint | undefined> {
  for (let attempt = 0; attempt < 3; attempt++) {
    try {
      const answer = await host.chain.request(chainId, 'eth_blockNumber')
      if (typeof answer === 'string' && /^0x[0-9a-f]+$/i.test(answer)) return BigInt(answer)
      if (typeof answer === 'bigint') return answer
      return undefined
    } catch {
      // A failed read is retried; after three, the time bound takes over.
    }
  }
  return undefined
}

/**
 * Arms recovery for this incarnation: the previous one cannot have handled a block that did not
 * exist yet, so the head now (plus a margin) bounds where its unconfirmed posts can be.
 *
 * @example
 * const window = await beginRecovery(host, config.chainId) // in init, when state exists
 */
export async function beginRecovery(host: Host, chainId: number): Promise<RecoveryWindow> {
  const head = await readHead(host, chainId)
  const window: RecoveryWindow =
    head !== undefined
      ? { throughBlock: head + RECOVERY_MARGIN_BLOCKS }
      : { throughTimestamp: BigInt(Math.floor(host.clock.now() / 1000)) + RECOVERY_FALLBACK_SECONDS }
  windows.set(host, window)
  return window
}

/**
 * True while `block` may have been handled by the previous incarnation. Once a block past the
 * window is met, recovery ends for good (steady state pays nothing).
 *
 * @example
 * if (isRecovering(host, block)) await host.cowApi.getOrder(chainId, uid)
 */
export function isRecovering(host: Host, block: BlockRef): boolean {
  const window = windows.get(host)
  if (window === undefined) return false
  const inside = 'throughBlock' in window ? block.number <= window.throughBlock : block.timestamp <= window.throughTimestamp
  if (!inside) windows.delete(host)
  return inside
}
