import type { Database } from 'lmdb'

/**
 * lmdb's own count of a database's entries, from its page statistics (no iteration). lmdb's
 * typings declare `getStats()` as `{}`; at run time it carries `entryCount`.
 *
 * @example
 * const watches = lmdbEntryCount(root.openDB({ name: 'module:twap-monitor', encoding: 'string' }))
 */
export function lmdbEntryCount(db: Pick<Database<string, string>, 'getStats'>): number {
  return (db.getStats() as { entryCount: number }).entryCount
}
