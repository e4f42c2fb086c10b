import type { StoreHost } from '../module/types.ts'

/** Store prefix of watches a module removed by its own decision, kept so an operator can undo it. */
export const REMOVED_PREFIX = 'removed:'

/**
 * A watch a module removed after repeated answers it could not read (not because the chain said
 * the order is over). It keeps what it takes to put the watch back: `restore` is the list of store
 * writes that re-create it, due at once. `shepherd watches` lists these records and
 * `shepherd watches restore <id>` applies them.
 */
export type RemovedWatch = {
  id: string
  /** Why it was removed, for the operator. */
  reason: string
  /** Module clock, ms since the epoch. */
  removedAt: number
  /** The block being handled when it was removed. */
  block?: bigint
  /** Anything else worth showing (the last answer, the owner...). */
  details?: Record<string, unknown>
  /** Store writes that restore the watch as it was, scheduled to be polled at once. */
  restore: ReadonlyArray<{ key: string; value: unknown }>
}

/**
 * Records a removal (`removed:<id>`) so it can be listed and undone. The caller deletes the watch's
 * own keys; this only keeps the record.
 *
 * @example
 * await recordRemovedWatch(host.store, { id, reason: '12 unknown poll answers', removedAt: host.clock.now(), restore: [{ key: `watch:${id}`, value: watch }] })
 */
export async function recordRemovedWatch(store: StoreHost, record: RemovedWatch): Promise<void> {
  await store.set(`${REMOVED_PREFIX}${record.id}`, record)
}

/**
 * Every removal record of a module's store, oldest key first.
 *
 * @example
 * for (const removed of await listRemovedWatches(store)) console.log(removed.id, removed.reason)
 */
export async function listRemovedWatches(store: StoreHost): Promise<RemovedWatch[]> {
  const entries = await store.list<RemovedWatch>(REMOVED_PREFIX)
  return entries.map(([key, value]) => ({ ...value, id: typeof value?.id === 'string' ? value.id : key.slice(REMOVED_PREFIX.length) }))
}

/**
 * Puts a removed watch back: applies its `restore` writes, then deletes its record. Resolves to
 * false when there is no record for `id`.
 *
 * @example
 * if (!(await restoreRemovedWatch(store, id))) console.error(`no removed watch ${id}`)
 */
export async function restoreRemovedWatch(store: StoreHost, id: string): Promise<boolean> {
  const record = await store.get<RemovedWatch>(`${REMOVED_PREFIX}${id}`)
  if (record === undefined) return false
  const writes = Array.isArray(record.restore) ? record.restore : []
  // The watch first, the record last: a crash in between leaves the record, and restoring again is harmless.
  await Promise.all(writes.filter((w) => typeof w?.key === 'string' && w.value !== undefined).map((w) => store.set(w.key, w.value)))
  await store.delete(`${REMOVED_PREFIX}${id}`)
  return true
}
