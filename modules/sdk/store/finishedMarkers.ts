import { z } from 'zod'
import type { BlockRef, StoreHost } from '../module/types.ts'
import { DUE_MAX, takeDue } from '../schedule/dueSchedule.ts'

// Markers of finished work (`submitted:<uid>`, `dropped:<uid>`, `observed:<uid>`...) are what stop a
// module from doing the same thing twice, so one may go only when the same thing can no longer come
// back. Each marker gets an index entry, ordered like the due schedule, so pruning reads only the
// oldest entries and stops at the first that must stay: its cost follows what expires, not what is
// stored. Two stages:
//   finished:t:<validTo>:<marker key>  the order can still come back (a TWAP part inside its window):
//                                      kept whatever the retention, until a block's time passes validTo;
//   finished:b:<block>:<marker key>    retention counts from this block (the marker's block, or the
//                                      first block after validTo); pruned once `retain` blocks passed.
// A marker without validTo starts in the block stage.

/** Index entries of markers whose order may still come back, keyed by its validTo (seconds). */
export const FINISHED_EPOCH_PREFIX = 'finished:t:'
/** Index entries of markers whose retention runs, keyed by the block it counts from. */
export const FINISHED_BLOCK_PREFIX = 'finished:b:'
/**
 * 7 days of 12 s blocks. Safety needs far less (256 blocks past the order's validTo, see
 * `MIN_RETAIN_FINISHED_BLOCKS`); the rest is for people: a week later an operator can still read
 * whether and when a part was posted, or why it was dropped, from the store. It costs disk: ~1.1 KB
 * per marker with its index entry on lmdb (prune.bench.ts in twap-monitor), so a module finishing
 * 10,000 orders a day keeps ~80 MB at this retention; lower it where far more finish.
 */
export const DEFAULT_RETAIN_FINISHED_BLOCKS = 50_400
/**
 * The shortest retention allowed (besides 0, keep forever): the engine follows reorgs up to 256
 * blocks deep (its ring of recent blocks) and redelivers the replaced blocks' logs and heads; a
 * marker pruned younger than that could meet its order again on the new branch.
 */
export const MIN_RETAIN_FINISHED_BLOCKS = 256
/** At most this many index entries per stage are handled per block (a burst drains over blocks). */
export const PRUNE_PER_BLOCK = 256

const WIDTH = 20

/**
 * The config key for a module's marker retention, in blocks: 0 keeps markers forever, else at
 * least `MIN_RETAIN_FINISHED_BLOCKS`; default `DEFAULT_RETAIN_FINISHED_BLOCKS` (50,400).
 *
 * @example
 * import { z } from 'zod'
 * z.strictObject({ retainFinishedBlocks: zRetainFinishedBlocks }).parse({}) // { retainFinishedBlocks: 50400 }
 */
export const zRetainFinishedBlocks = z
  .number({ error: `expected a whole number of blocks: 0 (keep forever) or at least ${MIN_RETAIN_FINISHED_BLOCKS}` })
  .int(`expected a whole number of blocks: 0 (keep forever) or at least ${MIN_RETAIN_FINISHED_BLOCKS}`)
  .refine((value) => value === 0 || value >= MIN_RETAIN_FINISHED_BLOCKS, {
    error: (issue) =>
      `expected 0 (keep forever) or at least ${MIN_RETAIN_FINISHED_BLOCKS} blocks (deeper than any reorg the engine follows); found ${String(issue.input)}`,
  })
  .default(DEFAULT_RETAIN_FINISHED_BLOCKS)

/** Where a marker's index entry goes: the block stage, or the validTo stage. */
export type FinishedAt = { block: bigint } | { validTo: bigint | number }

/**
 * The index key of a marker: `finished:b:<20-digit block>:<marker key>` or
 * `finished:t:<20-digit validTo>:<marker key>`.
 *
 * @example
 * finishedIndexKey({ block: 12n }, 'observed:0xab') // 'finished:b:00000000000000000012:observed:0xab'
 */
export function finishedIndexKey(at: FinishedAt, markerKey: string): string {
  const [prefix, raw] = 'block' in at ? [FINISHED_BLOCK_PREFIX, at.block] : [FINISHED_EPOCH_PREFIX, BigInt(at.validTo)]
  const value = raw < 0n ? 0n : raw > DUE_MAX ? DUE_MAX : raw
  return `${prefix}${value.toString().padStart(WIDTH, '0')}:${markerKey}`
}

export type SetFinishedMarkerParameters = {
  /** The marker's key, e.g. `submitted:<uid>`. */
  key: string
  value: unknown
  /** The block being handled: retention counts from it when there is no validTo. */
  block: bigint
  /**
   * The last second at which the same order can come back (a TWAP part's validTo). The marker is
   * then kept until a block's timestamp passes it, and retention counts from that block on.
   */
  validTo?: bigint | number
}

/**
 * Writes a finished marker and its index entry together (one store batch, so a crash leaves both
 * or neither), making the marker prunable by `pruneFinished`.
 *
 * @example
 * await setFinishedMarker(host.store, { key: `submitted:${uid}`, value: marker, block: block.number, validTo: order.validTo })
 */
export async function setFinishedMarker(store: StoreHost, parameters: SetFinishedMarkerParameters): Promise<void> {
  const { key, value, block, validTo } = parameters
  const indexKey = finishedIndexKey(validTo === undefined ? { block } : { validTo }, key)
  await Promise.all([store.set(key, value), store.set(indexKey, key)])
}

/**
 * Deletes a marker and its index entry (a reorg removed the log that wrote it). `at` must be where
 * it was indexed.
 *
 * @example
 * await deleteFinishedMarker(host.store, closedKey(uid), { block: marker.block })
 */
export async function deleteFinishedMarker(store: StoreHost, key: string, at: FinishedAt): Promise<void> {
  await Promise.all([store.delete(key), store.delete(finishedIndexKey(at, key))])
}

export type PruneFinishedParameters = {
  store: StoreHost
  /** The block being handled: its number ages the block stage, its timestamp closes validTo windows. */
  block: Pick<BlockRef, 'number' | 'timestamp'>
  /** The module's `retainFinishedBlocks`; 0 prunes nothing. */
  retainBlocks: number
  /** Entries handled per stage in this call (default `PRUNE_PER_BLOCK`). */
  max?: number
}

export type PruneFinishedReturnType = {
  /** Markers deleted (with their index entries). */
  pruned: number
  /** Markers whose validTo passed at this block: their retention starts now. */
  started: number
}

/**
 * One block's pruning: deletes the markers whose retention has run out (indexed at or before
 * `block.number - retainBlocks`) and starts the retention of those whose validTo this block's time
 * has passed. Reads only the oldest index entries, at most `max` per stage, so a block costs two
 * short prefix reads when nothing expires.
 *
 * @example
 * const { pruned } = await pruneFinished({ store: host.store, block, retainBlocks: config.retainFinishedBlocks })
 */
export async function pruneFinished(parameters: PruneFinishedParameters): Promise<PruneFinishedReturnType> {
  const { store, block, retainBlocks, max = PRUNE_PER_BLOCK } = parameters
  if (retainBlocks <= 0 || max <= 0) return { pruned: 0, started: 0 }
  const through = block.number - BigInt(retainBlocks)
  const [expired, closed] = await Promise.all([
    through >= 0n ? takeDue(store, FINISHED_BLOCK_PREFIX, through, max) : Promise.resolve([]),
    takeDue(store, FINISHED_EPOCH_PREFIX, block.timestamp - 1n, max),
  ])
  // The marker key is read from the index key itself (never from the value), so an entry can only
  // ever delete the marker it was written for.
  const markerOf = (indexKey: string, prefix: string) => indexKey.slice(prefix.length + WIDTH + 1)
  const writes: Array<Promise<void>> = []
  for (const [indexKey] of expired) {
    const marker = markerOf(indexKey, FINISHED_BLOCK_PREFIX)
    if (marker !== '') writes.push(store.delete(marker))
    writes.push(store.delete(indexKey))
  }
  for (const [indexKey] of closed) {
    const marker = markerOf(indexKey, FINISHED_EPOCH_PREFIX)
    // New entry first, old one last (one batch): a crash cannot lose the entry.
    if (marker !== '') writes.push(store.set(finishedIndexKey({ block: block.number }, marker), marker))
    writes.push(store.delete(indexKey))
  }
  await Promise.all(writes)
  return { pruned: expired.length, started: closed.length }
}
