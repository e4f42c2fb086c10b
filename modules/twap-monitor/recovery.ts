import type { BlockRef, Host } from '../sdk/index.ts'

/**
 * What a previous incarnation of this module may have handled before it died. A part it posted
 * there may have been accepted while its `submitted:` marker was still queued (the store commits
 * moments after a write resolves), so this incarnation asks the orderbook before posting such a
 * part again. By number when the head was read at start (`throughTime` is then the latest time of a
 * block up to `throughBlock` this incarnation has met), else by time (a conservative bound).
 */
export type RecoveryWindow = { throughBlock: bigint; throughTime?: bigint } | { throughTimestamp: bigint }

/**
 * Blocks after the head read at start that the previous incarnation may still have handled: a
 * block in flight, or a node ahead of the one that answered the read.
 */
export const RECOVERY_MARGIN_BLOCKS = 16n
/** Without the head, recovery covers parts that started up to this long after the start (chain time, seconds). */
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
 * Records a block this incarnation handles: the recovery bound in time is the latest time of the
 * blocks up to `throughBlock` (and of the first block met, which the previous incarnation's cursor
 * stood just before). Call it before the block's polls.
 *
 * @example
 * observeRecoveryBlock(host, block) // first thing in onBlock
 */
export function observeRecoveryBlock(host: Host, block: BlockRef): void {
  const window = windows.get(host)
  if (window === undefined || !('throughBlock' in window)) return
  if (window.throughTime !== undefined && block.number > window.throughBlock) return
  if (window.throughTime === undefined || block.timestamp > window.throughTime) window.throughTime = block.timestamp
}

/**
 * True when the previous incarnation may have posted a part that became due (started) at
 * `partStart` (chain time, s): it polled only blocks up to the head at start (plus the margin), and
 * a poll yields a part only at a block whose time is at or after the part's start. The test
 * follows when the part became due, not the block at which this incarnation happens to poll it: a
 * backlog may reach an old part long after the window, and it still needs the lookup, while a part
 * that started later never does (steady state pays nothing). An unknown start counts as possibly posted.
 *
 * @example
 * if (mayHavePostedBefore(host, partStart(staticInput, order.validTo))) await host.cowApi.getOrder(chainId, uid)
 */
export function mayHavePostedBefore(host: Host, partStart: bigint | undefined): boolean {
  const window = windows.get(host)
  if (window === undefined) return false
  if (partStart === undefined) return true
  if ('throughTimestamp' in window) return partStart <= window.throughTimestamp
  // No block met yet: nothing bounds the previous life's blocks in time.
  return window.throughTime === undefined || partStart <= window.throughTime
}
