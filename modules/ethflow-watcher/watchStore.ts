import type { Address, Hex } from 'viem'
import type { StoreHost } from '../sdk/index.ts'
import { dueKey } from '../sdk/index.ts'

/** One EthFlow order waiting to be seen by the orderbook, as kept under `watch:<uid>`. */
export type EthflowWatch = {
  uid: Hex
  ethFlow: Address
  sender: Address
  /** Block timestamp of the OrderPlacement (seconds). */
  placedAt: bigint
  /** placedAt + deadlineSeconds. */
  deadline: bigint
  createdBlock: bigint
  createdBlockHash: Hex
  createdLogIndex: number
  dueKey: string
  /** Consecutive checks that failed (transport fault or unreadable answer). */
  errors: number
}

export const watchKey = (uid: string) => `watch:${uid}`
export const observedKey = (uid: string) => `observed:${uid}`
export const droppedKey = (uid: string) => `dropped:${uid}`
export const closedKey = (uid: string) => `closed:${uid}`

/** True when the order already reached an end (seen, missing, invalidated or refunded). */
export async function isSettled(store: StoreHost, uid: string): Promise<boolean> {
  const markers = await Promise.all([observedKey(uid), droppedKey(uid), closedKey(uid)].map((key) => store.get(key)))
  return markers.some((marker) => marker !== undefined)
}

/**
 * Moves a watch to a new check time (new entry first, old one last: a crash leaves a stale entry).
 *
 * @example
 * await rescheduleWatch(host.store, watch, block.timestamp + 1n, 0)
 */
export async function rescheduleWatch(store: StoreHost, watch: EthflowWatch, at: bigint, errors: number): Promise<void> {
  const key = dueKey({ kind: 'epoch', at }, watch.uid)
  // Issued together so the store commits them in one batch (lmdb applies a batch in order, atomically).
  const moved = key !== watch.dueKey
  await Promise.all([
    ...(moved ? [store.set(key, watch.uid)] : []),
    store.set(watchKey(watch.uid), { ...watch, dueKey: key, errors }),
    ...(moved ? [store.delete(watch.dueKey)] : []),
  ])
}

/**
 * Closes a watch: removes it and its due entry (markers are written by the caller).
 *
 * @example
 * await removeWatch(host.store, watch)
 */
export async function removeWatch(store: StoreHost, watch: EthflowWatch): Promise<void> {
  await Promise.all([store.delete(watch.dueKey), store.delete(watchKey(watch.uid))])
}
