import { existsSync } from 'node:fs'
import { open } from 'lmdb'

export type CountStoreKeysParameters = {
  /** The engine's `state_dir` (an lmdb environment). */
  stateDir: string
  /** The module whose database is read (`module:<name>` in the environment). */
  module: string
  /** Key prefixes to count. */
  prefixes: readonly string[]
}

/**
 * Counts a module's keys by prefix, read by the harness itself from the engine's lmdb environment
 * (read-only: lmdb lets another process read a live environment from a consistent snapshot), so
 * the store's figures are ground truth, not the engine's report. A prefix absent from the store
 * counts 0; a module database or state directory that does not exist (yet) counts 0 or gives undefined.
 *
 * @example
 * const counts = countStoreKeys({ stateDir: join(dir, 'state'), module: 'twap-monitor', prefixes: ['watch:', 'due:'] })
 */
export function countStoreKeys({ stateDir, module, prefixes }: CountStoreKeysParameters): Map<string, number> | undefined {
  if (!existsSync(stateDir)) return undefined
  const root = open({ path: stateDir, readOnly: true, maxDbs: 256, encoding: 'string' })
  try {
    // Read-only, a database the module never wrote does not exist: it holds no key.
    const db = root.openDB<string, string>({ name: `module:${module}`, encoding: 'string' }) as ReturnType<typeof root.openDB<string, string>> | undefined
    const counts = new Map<string, number>()
    for (const prefix of prefixes) {
      if (!db) {
        counts.set(prefix, 0)
        continue
      }
      let n = 0
      // Keys sort as strings: every key with the prefix lies in [prefix, prefix + U+FFFF).
      for (const _ of db.getKeys({ start: prefix, end: `${prefix}\uffff` })) n++
      counts.set(prefix, n)
    }
    return counts
  } finally {
    root.close()
  }
}
