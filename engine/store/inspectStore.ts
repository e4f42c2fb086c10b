import { lmdbEntryCount } from './lmdbEntryCount.ts'
import { openStoreReadOnly } from './openStoreReadOnly.ts'

/** Keys of one database that share a prefix (the text up to and including the first `:`). */
export type PrefixCount = { prefix: string; count: number }

export type InspectStoreReturnType = {
  dir: string
  /** Size of the data file on disk. */
  bytes: number
  databases: Array<{ name: string; entries: number; prefixes: PrefixCount[] }>
}

/** The grouping label of a key without a `:`. */
export const NO_PREFIX = '(no prefix)'

const prefixOf = (key: string) => {
  const colon = key.indexOf(':')
  return colon < 0 ? NO_PREFIX : key.slice(0, colon + 1)
}

/**
 * Counts each database's keys by prefix (`watch:`, `submitted:`, `backoff:`, `dropped:`,
 * `observed:`, `finished:`, `cursor:`, ...): what `shepherd store inspect` prints. Reads keys only,
 * never values; safe beside a live engine.
 *
 * @example
 * const { databases } = await inspectStore({ dir: '/var/lib/shepherd/state' })
 * for (const db of databases) console.log(db.name, db.entries, db.prefixes)
 */
export async function inspectStore({ dir }: { dir: string }): Promise<InspectStoreReturnType> {
  const store = openStoreReadOnly(dir)
  try {
    const databases = store.databases.map((name) => {
      const db = store.database(name)
      const counts = new Map<string, number>()
      for (const key of db.getKeys()) {
        const prefix = prefixOf(String(key))
        counts.set(prefix, (counts.get(prefix) ?? 0) + 1)
      }
      const prefixes = [...counts].map(([prefix, count]) => ({ prefix, count })).sort((a, b) => b.count - a.count || (a.prefix < b.prefix ? -1 : 1))
      return { name, entries: lmdbEntryCount(db), prefixes }
    })
    return { dir, bytes: store.file.bytes, databases }
  } finally {
    await store.close()
  }
}
