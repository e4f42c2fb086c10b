import { mkdirSync } from 'node:fs'
import { open, type Database, type RootDatabase } from 'lmdb'
import type { StoreHost } from '../module/types.ts'
import { decodeValue, encodeValue } from './json.ts'

export type EngineStore = {
  /** The store of one module: its own named database, so it can never read another's keys. */
  forModule(name: string): StoreHost
  /** The engine's own records: cursors per chain. */
  getCursor(chainId: number): { number: bigint; hash: string } | undefined
  setCursor(chainId: number, cursor: { number: bigint; hash: string }): Promise<void>
  /** Waits for pending writes, then closes the environment. */
  close(): Promise<void>
}

/**
 * Opens the lmdb environment under `stateDir`. One named database per module (`module:<name>`) and
 * one for the engine (`engine`). Values are JSON with bigint support.
 *
 * @example
 * const store = createStore({ stateDir: '.state' })
 * await store.forModule('twap-monitor').set('watch:0x..', { nextDue: 0n })
 */
export function createStore({ stateDir }: { stateDir: string }): EngineStore {
  mkdirSync(stateDir, { recursive: true })
  // Synchronous durability (lmdb's default) keeps the file consistent after a SIGKILL.
  const root: RootDatabase = open({ path: stateDir, maxDbs: 256, encoding: 'string' })
  const engineDb: Database<string, string> = root.openDB({ name: 'engine', encoding: 'string' })
  const moduleDbs = new Map<string, Database<string, string>>()

  function forModule(name: string): StoreHost {
    let db = moduleDbs.get(name)
    if (!db) {
      db = root.openDB<string, string>({ name: `module:${name}`, encoding: 'string' })
      moduleDbs.set(name, db)
    }
    const moduleDb = db
    return {
      async get<T>(key: string) {
        const text = moduleDb.get(key)
        return text === undefined ? undefined : decodeValue<T>(text)
      },
      async set(key, value) {
        if (value === undefined) throw new TypeError(`store.set("${key}"): value is undefined; use delete()`)
        await moduleDb.put(key, encodeValue(value))
      },
      async delete(key) {
        await moduleDb.remove(key)
      },
      async list<T>(prefix: string, options?: { limit?: number }) {
        const entries: Array<[string, T]> = []
        for (const { key, value } of moduleDb.getRange({ start: prefix, limit: options?.limit })) {
          if (typeof key !== 'string' || !key.startsWith(prefix)) break
          entries.push([key, decodeValue<T>(value)])
        }
        return entries
      },
    }
  }

  return {
    forModule,
    getCursor(chainId) {
      const text = engineDb.get(`cursor:${chainId}`)
      return text === undefined ? undefined : decodeValue(text)
    },
    async setCursor(chainId, cursor) {
      await engineDb.put(`cursor:${chainId}`, encodeValue(cursor))
    },
    async close() {
      await root.flushed
      await root.close()
    },
  }
}
