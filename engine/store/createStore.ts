import { mkdirSync } from 'node:fs'
import { open, type Database, type RootDatabase } from 'lmdb'
import type { StoreHost } from '../module/types.ts'
import { decodeValue, encodeValue } from './json.ts'

/**
 * Where ingestion stands on one chain: the last block every module finished, and the hashes of the
 * blocks before it (newest last), so a reorg that happens while the engine is down is still found.
 */
export type Cursor = { number: bigint; hash: string; recent?: ReadonlyArray<{ number: bigint; hash: string }> }

export type EngineStore = {
  /** The store of one module: its own named database, so it can never read another's keys. */
  forModule(name: string): StoreHost
  /** The engine's own records: cursors per chain. */
  getCursor(chainId: number): Cursor | undefined
  setCursor(chainId: number, cursor: Cursor): Promise<void>
  /** Resolves once every write queued so far is durable. */
  flush(): Promise<void>
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
  const pendingWrites = new Set<Promise<unknown>>()
  const writeErrors: unknown[] = []

  // Writes are queued to lmdb and resolve at once; a per-database overlay of pending writes gives
  // read-your-writes until lmdb commits them. lmdb commits in queue order across the environment,
  // so once a cursor is durable, every module write queued before it is durable too. (An awaited
  // durable put costs ~2 ms; a module that writes per watch would otherwise stall a block on fsyncs.)
  const DELETED: unique symbol = Symbol('deleted')
  type Pending = { text: string | typeof DELETED; version: number }
  let version = 0

  function forModule(name: string): StoreHost {
    let db = moduleDbs.get(name)
    if (!db) {
      db = root.openDB<string, string>({ name: `module:${name}`, encoding: 'string' })
      moduleDbs.set(name, db)
    }
    const moduleDb = db
    const overlay = new Map<string, Pending>()
    const dbPending = new Set<Promise<unknown>>()
    const track = (key: string, text: string | typeof DELETED, write: Promise<unknown>) => {
      const entry: Pending = { text, version: ++version }
      overlay.set(key, entry)
      pendingWrites.add(write)
      dbPending.add(write)
      write.then(
        () => {
          pendingWrites.delete(write)
          dbPending.delete(write)
          if (overlay.get(key) === entry) overlay.delete(key)
        },
        (error: unknown) => {
          pendingWrites.delete(write)
          dbPending.delete(write)
          writeErrors.push(error)
        },
      )
    }
    const read = (key: string): string | undefined => {
      const pending = overlay.get(key)
      if (pending) return pending.text === DELETED ? undefined : pending.text
      return moduleDb.get(key)
    }
    return {
      async get<T>(key: string) {
        const text = read(key)
        return text === undefined ? undefined : decodeValue<T>(text)
      },
      async set(key, value) {
        if (value === undefined) throw new TypeError(`store.set("${key}"): value is undefined; use delete()`)
        const text = encodeValue(value)
        track(key, text, moduleDb.put(key, text))
      },
      async delete(key) {
        track(key, DELETED, moduleDb.remove(key))
      },
      async list<T>(prefix: string, options?: { limit?: number }) {
        // Merging a large overlay costs O(pending); after a burst, waiting for the commit (a few ms)
        // keeps a bounded list O(limit).
        if (overlay.size > 256) await Promise.allSettled([...dbPending])
        const limit = options?.limit ?? Infinity
        const pending = [...overlay.entries()].filter(([k]) => k.startsWith(prefix)).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        const entries: Array<[string, T]> = []
        let p = 0
        const emit = (key: string, text: string | typeof DELETED) => {
          if (text !== DELETED) entries.push([key, decodeValue<T>(text)])
        }
        for (const { key, value } of moduleDb.getRange({ start: prefix })) {
          if (entries.length >= limit) break
          if (typeof key !== 'string' || !key.startsWith(prefix)) break
          while (p < pending.length && pending[p]![0] < key && entries.length < limit) {
            emit(pending[p]![0], pending[p]![1].text)
            p++
          }
          if (entries.length >= limit) break
          if (p < pending.length && pending[p]![0] === key) {
            emit(key, pending[p]![1].text)
            p++
          } else emit(key, value)
        }
        while (p < pending.length && entries.length < limit) {
          emit(pending[p]![0], pending[p]![1].text)
          p++
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
    async flush() {
      await Promise.all(pendingWrites)
      await root.flushed
      if (writeErrors.length) throw new Error(`lmdb write failed: ${String(writeErrors[0])}`)
    },
    async close() {
      await Promise.all(pendingWrites)
      await root.flushed
      await root.close()
    },
  }
}
