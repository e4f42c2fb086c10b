import type { StoreHost } from '../module/types.ts'

/**
 * When a watch is next due: at a block number, or at a block timestamp (seconds).
 * Stored as keys `due:b:<20 digits>:<id>` / `due:t:<20 digits>:<id>` so a prefix scan in key order
 * meets the earliest entries first and can stop at the first one that is not due.
 */
export type Due = { kind: 'block' | 'epoch'; at: bigint }

export const DUE_BLOCK_PREFIX = 'due:b:'
export const DUE_EPOCH_PREFIX = 'due:t:'
const WIDTH = 20
/** The largest value 20 digits hold; anything later (garbage epochs) is clamped to it: never, in practice. */
export const DUE_MAX = 10n ** BigInt(WIDTH) - 1n

/**
 * The store key of a due entry.
 *
 * @example
 * dueKey({ kind: 'block', at: 12n }, '0xab') // 'due:b:00000000000000000012:0xab'
 */
export function dueKey(due: Due, id: string): string {
  const at = due.at < 0n ? 0n : due.at > DUE_MAX ? DUE_MAX : due.at
  return `${due.kind === 'block' ? DUE_BLOCK_PREFIX : DUE_EPOCH_PREFIX}${at.toString().padStart(WIDTH, '0')}:${id}`
}

/** The time (block or epoch) a due key names, or undefined for a key that is not one. */
export function dueAtOf(key: string, prefix: string): bigint | undefined {
  const digits = key.slice(prefix.length, prefix.length + WIDTH)
  return /^\d{20}$/.test(digits) ? BigInt(digits) : undefined
}

const FIRST_PAGE = 64

/**
 * The entries under `prefix` that are due at `now` (at <= now), earliest first, at most `max`.
 * Reads pages that grow 4x until it meets an entry that is not due, so a block costs work in
 * proportion to what is due, not to how many watches exist.
 *
 * @example
 * const due = await takeDue(host.store, DUE_BLOCK_PREFIX, block.number, 5000)
 */
export async function takeDue(store: StoreHost, prefix: string, now: bigint, max: number): Promise<Array<[string, string]>> {
  if (max <= 0) return []
  let limit = Math.min(FIRST_PAGE, max)
  for (;;) {
    const page = await store.list<string>(prefix, { limit })
    const due: Array<[string, string]> = []
    for (const [key, value] of page) {
      const at = dueAtOf(key, prefix)
      if (at !== undefined && at > now) return due
      due.push([key, typeof value === 'string' ? value : key.slice(prefix.length + WIDTH + 1)])
    }
    if (page.length < limit || limit >= max) return due
    limit = Math.min(limit * 4, max)
  }
}
