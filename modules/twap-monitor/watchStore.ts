import { encodeAbiParameters, type Address, type Hex } from 'viem'
import { conditionalOrderParamsComponents, keccak256, type ConditionalOrderParams, type StoreHost } from '../sdk/index.ts'
import { dueKey, type Due } from '../sdk/index.ts'

/** One conditional order being watched, as kept under `watch:<id>`. */
export type TwapWatch = {
  id: Hex
  owner: Address
  params: ConditionalOrderParams
  /** The ConditionalOrderCreated log that created it (a reorg of that block removes the watch). */
  createdBlock: bigint
  createdBlockHash: Hex
  createdLogIndex: number
  /** The key of its current entry in the due schedule. */
  dueKey: string
  /** Consecutive polls whose answer did not decode. */
  unknowns: number
}

export const watchKey = (id: string) => `watch:${id}`
// The part markers below (`submitted:`, `dropped:`, `missed:`) are what stop a second post of a
// part, so pruning them (`retainFinishedBlocks`, through the SDK's finished index) must never let
// one be met again without its marker:
// - a part can come back from a poll only at a block whose time is <= its validTo, so the marker
//   is kept, whatever the retention, until a handled block's time has passed validTo;
// - reorgs: retention then counts from that block and is >= 256 blocks, deeper than any reorg the
//   engine follows, so no replayed block can have a time inside the part's window again;
// - restarts: the engine never hands a module again a block it finished (its progress marks are
//   committed with the module's writes), so the next life goes on after the block that pruned; a
//   part posted but not yet marked at a crash is looked up in the orderbook (recovery.ts).
// `removed:<id>` records are an operator's to restore or drop: never pruned.
export const backoffKey = (id: string) => `backoff:${id}`
export const submittedKey = (uid: string) => `submitted:${uid}`
export const droppedKey = (uid: string) => `dropped:${uid}`
/** A part that expired (at the chain's head) before it could be posted. */
export const missedKey = (uid: string) => `missed:${uid}`

/**
 * The watch id: keccak256(abi.encode(owner, params)). The same order created twice has one id,
 * which makes log handling idempotent.
 *
 * @example
 * const id = twapWatchId(created.owner, created.params)
 */
export function twapWatchId(owner: Address, params: ConditionalOrderParams): Hex {
  return keccak256(
    encodeAbiParameters([{ type: 'address' }, { type: 'tuple', components: conditionalOrderParamsComponents }], [owner, params]),
  )
}

/**
 * Moves a watch to a new due time: the new due entry is written first and the old one removed
 * last, so a crash in between leaves a stale entry (skipped when met) rather than a lost watch.
 *
 * @example
 * await rescheduleWatch(host.store, watch, { kind: 'block', at: block.number + 1n })
 */
export async function rescheduleWatch(store: StoreHost, watch: TwapWatch, due: Due, changes: Partial<Pick<TwapWatch, 'unknowns'>> = {}): Promise<void> {
  const key = dueKey(due, watch.id)
  const next: TwapWatch = { ...watch, ...changes, dueKey: key }
  // Issued together so the store commits them in one batch (lmdb applies a batch in order, atomically).
  const writes: Array<Promise<void>> = []
  if (key !== watch.dueKey) writes.push(store.set(key, watch.id))
  if (key !== watch.dueKey || next.unknowns !== watch.unknowns) writes.push(store.set(watchKey(watch.id), next))
  if (key !== watch.dueKey) writes.push(store.delete(watch.dueKey))
  await Promise.all(writes)
}

/**
 * Removes a watch and every key that belongs to it (watch, due entry, backoff). Order markers
 * (`submitted:`, `dropped:<uid>`) stay: the orderbook keeps those orders.
 *
 * @example
 * await removeWatch(host.store, watch)
 */
export async function removeWatch(store: StoreHost, watch: TwapWatch): Promise<void> {
  await Promise.all([store.delete(watch.dueKey), store.delete(backoffKey(watch.id)), store.delete(watchKey(watch.id))])
}
