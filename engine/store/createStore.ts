import { mkdirSync } from 'node:fs'
import type { Counter, Registry } from 'prom-client'
import { open, type Database, type RootDatabase } from 'lmdb'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { HealthBoard } from '../health/createHealthBoard.ts'
import { counterOf } from '../metrics/counterOf.ts'
import type { LogHost, StoreHost } from '../../modules/sdk/module/types.ts'
import { decodeValue, encodeValue } from './json.ts'
import { StoreWriteError } from './StoreWriteError.ts'
import { registerStoreMetrics } from './registerStoreMetrics.ts'
import { lmdbEntryCount } from './lmdbEntryCount.ts'

/**
 * Where ingestion stands on one chain: the last block every module finished, and the hashes of the
 * blocks before it (newest last), so a reorg that happens while the engine is down is still found.
 */
export type Cursor = { number: bigint; hash: string; recent?: ReadonlyArray<{ number: bigint; hash: string }> }

/** A write to the engine's own database; `value` undefined deletes the key. */
export type EngineWrite = { key: string; value: unknown }

/**
 * One module's store, as the supervisor drives it. Between `begin()` and `commit()` the module's
 * writes are held in memory (its reads see them) and then stored as ONE lmdb transaction, together
 * with the engine's record that the event was processed: after a crash an event's writes are all
 * on disk or none is. Writes made outside a `begin()` are committed at the end of the tick.
 */
export type ModuleStore = StoreHost & {
  /** Starts holding writes for one event (or an init). */
  begin(): void
  /**
   * Stores the held writes and `engineWrites` in one transaction; resolves once lmdb committed it
   * (a process kill no longer loses it; see the README for power loss). Rejects with a
   * StoreWriteError when lmdb refused it: then nothing of it is stored or visible.
   */
  commit(engineWrites?: readonly EngineWrite[]): Promise<void>
  /** Drops the held writes: the event failed and will run again from the stored state. */
  discard(): void
  /** True while writes are held (since `begin()`). */
  holding(): boolean
  /**
   * After a refused transaction every later one of this store is refused too, until `resume()`:
   * commits may be in flight back to back, and none may land after one that did not (the events
   * they belong to read each other's writes). Resolves once every transaction in flight has
   * settled; from then on commits go through again (the caller runs the refused events again first).
   */
  resume(): Promise<void>
}

/** The engine's own records (cursors, supervisor state, progress marks, parked events). */
export type EngineRecords = {
  get<T>(key: string): T | undefined
  /** Entries whose key starts with `prefix`, in key order, from `start` (inclusive) when given. */
  list<T>(prefix: string, options?: { start?: string; end?: string }): Array<[string, T]>
  /** Stores the writes in one transaction; rejects with a StoreWriteError when lmdb refused it. */
  write(writes: readonly EngineWrite[]): Promise<void>
}

export type EngineStore = {
  /** The store of one module: its own named database, so it can never read another's keys. */
  forModule(name: string): ModuleStore
  getCursor(chainId: number): Cursor | undefined
  /**
   * Stores the cursor and resolves once it is committed AND flushed to disk (lmdb's `flushed`):
   * the cursor is acknowledged only when it survives a power loss, with every module write of the
   * blocks before it (each committed, in an earlier transaction, before its event completed).
   */
  setCursor(chainId: number, cursor: Cursor): Promise<void>
  engine: EngineRecords
  /** Resolves once every write queued so far is on disk; rejects if a write made outside `begin()` failed. */
  flush(): Promise<void>
  /** Waits for pending writes, then closes the environment. */
  close(): Promise<void>
}

export type CreateStoreParameters = {
  stateDir: string
  /**
   * Registers `shepherd_store_write_errors_total{database}`, `shepherd_store_size_bytes` and
   * `shepherd_store_entries{module}` in this registry.
   */
  metrics?: { registry: Registry }
  /** Where a refused write shows as degraded (`engine:store`, check `writes:<database>`) until one succeeds. */
  health?: Pick<HealthBoard, 'degraded' | 'ok'>
  log?: LogHost
  /**
   * Test hook: called for every write as lmdb applies it inside its transaction; throwing makes
   * lmdb roll that transaction back, as a failed disk write would.
   */
  injectWriteFault?(write: { database: string; key: string }): void
}

/**
 * lmdb's largest key, in bytes (a longer one would fail the whole transaction, so `set` refuses it).
 *
 * @example
 * if (Buffer.byteLength(key) > MAX_KEY_BYTES) key = hashOf(key)
 */
export const MAX_KEY_BYTES = 1978

const writeErrorsMetric = 'shepherd_store_write_errors_total'

/**
 * The store's refused-write counter of a registry (`shepherd_store_write_errors_total{database}`),
 * created once per registry.
 *
 * @example
 * const refused = await storeWriteErrorsCounter(metrics.registry).get()
 */
export function storeWriteErrorsCounter(registry: Registry): Counter<'database'> {
  return counterOf(registry, { name: writeErrorsMetric, help: 'lmdb transactions refused (none of their writes stored); the events they belong to are retried', labelNames: ['database'] })
}

const DELETED: unique symbol = Symbol('deleted')
type Text = string | typeof DELETED
type Write = { db: Database<string, string>; database: string; key: string; text: Text }

function checkKey(method: string, key: unknown): asserts key is string {
  if (typeof key !== 'string') throw new TypeError(`store.${method}: the key must be a string, found ${typeof key}`)
  const bytes = Buffer.byteLength(key)
  if (bytes > MAX_KEY_BYTES) throw new TypeError(`store.${method}("${key.slice(0, 40)}..."): the key is ${bytes} bytes; lmdb keys are at most ${MAX_KEY_BYTES} bytes`)
}

const byKey = <T>([a]: [string, T], [b]: [string, T]) => (a < b ? -1 : a > b ? 1 : 0)

/**
 * Opens the lmdb environment under `stateDir`: one named database per module (`module:<name>`)
 * and one for the engine (`engine`). Values are JSON with bigint support.
 *
 * Durability (lmdb 3.5 on Linux, where `overlappingSync` is on by default): a write is
 * *committed* when its transaction is visible; the OS then holds it, so it survives a kill of the
 * process. It is *flushed* once the disk confirmed it (`flushed`); only that survives a power loss
 * or a kernel crash, after which lmdb reopens at the last flushed transaction. Transactions are
 * applied in order, so the state after any crash is a prefix of what was committed.
 *
 * @example
 * const store = createStore({ stateDir: '.state' })
 * const twap = store.forModule('twap-monitor')
 * twap.begin()
 * await twap.set('watch:0x..', { nextDue: 0n })
 * await twap.commit()
 */
export function createStore({ stateDir, metrics, health, log, injectWriteFault }: CreateStoreParameters): EngineStore {
  mkdirSync(stateDir, { recursive: true })
  const root: RootDatabase = open({ path: stateDir, maxDbs: 256, encoding: 'string' })
  const engineDb: Database<string, string> = root.openDB({ name: 'engine', encoding: 'string' })
  const modules = new Map<string, ModuleStore>()
  const pending = new Set<Promise<unknown>>()
  const unobserved: unknown[] = []
  const refused = metrics ? storeWriteErrorsCounter(metrics.registry) : undefined
  const failing = new Set<string>()
  let closed = false
  // Module name -> its lmdb database, for the entry counts read at scrape time.
  const moduleDbs = new Map<string, Database<string, string>>()
  if (metrics)
    registerStoreMetrics({
      registry: metrics.registry,
      stateDir,
      *entries() {
        if (closed) return
        for (const [name, db] of moduleDbs) yield [name, lmdbEntryCount(db)]
      },
    })

  function track<T>(promise: Promise<T>): Promise<T> {
    pending.add(promise)
    const forget = () => void pending.delete(promise)
    promise.then(forget, forget)
    return promise
  }

  /**
   * One lmdb transaction for all `writes` (a child transaction: rolled back whole if any write
   * throws). With `chain`, a refused transaction breaks the chain: every later one of it is refused
   * too (its callback runs in order, in the same batch), until the owner resumes it.
   */
  async function transact(database: string, writes: readonly Write[], chain?: { broken: boolean }): Promise<void> {
    try {
      if (closed) throw new Error('the store is closed')
      await root.childTransaction(() => {
        if (chain?.broken) throw new Error(`an earlier transaction of ${database} was refused; this one waits for it to be run again`)
        try {
          for (const write of writes) {
            injectWriteFault?.({ database: write.database, key: write.key })
            if (write.text === DELETED) write.db.remove(write.key)
            else write.db.put(write.key, write.text)
          }
        } catch (error) {
          if (chain) chain.broken = true
          throw error
        }
      })
    } catch (cause) {
      if (chain) chain.broken = true
      refused?.inc({ database })
      const reason = `lmdb refused ${writes.length} write(s) to ${database}: ${errorMessage(cause)}`
      if (!failing.has(database)) log?.error('store write failed; the event it belongs to is retried', { database, writes: writes.length, error: errorMessage(cause) })
      failing.add(database)
      health?.degraded('engine:store', `writes:${database}`, reason)
      throw new StoreWriteError({ database, writes: writes.length, cause })
    }
    if (failing.delete(database)) {
      health?.ok('engine:store', `writes:${database}`)
      log?.info('store writes succeed again', { database })
    }
  }

  const engineWrites = (writes: readonly EngineWrite[]): Write[] =>
    writes.map(({ key, value }) => ({ db: engineDb, database: 'engine', key, text: value === undefined ? DELETED : encodeValue(value) }))

  function forModule(name: string): ModuleStore {
    const known = modules.get(name)
    if (known) return known
    const database = `module:${name}`
    const db = root.openDB<string, string>({ name: database, encoding: 'string' })
    moduleDbs.set(name, db)
    // Held: this event's writes, not yet given to lmdb. Committing: given to lmdb, not yet visible
    // to its reads. Reads look in that order, so a module always reads its own writes.
    let held = new Map<string, Text>()
    const committing = new Map<string, { text: Text }>()
    const inCommit = new Set<Promise<unknown>>()
    const chain = { broken: false }
    let scoped = false
    let autoScheduled = false

    function submit(extra: readonly EngineWrite[]): Promise<void> {
      const batch = held
      held = new Map()
      const entries = [...batch].map(([key, text]) => {
        const entry: { text: Text } = { text }
        committing.set(key, entry)
        return [key, entry] as const
      })
      const writes: Write[] = [...entries.map(([key, entry]): Write => ({ db, database, key, text: entry.text })), ...engineWrites(extra)]
      const done = track(transact(database, writes, chain)).finally(() => {
        // Stored or refused, lmdb answers reads for these keys from now on.
        for (const [key, entry] of entries) if (committing.get(key) === entry) committing.delete(key)
      })
      inCommit.add(done)
      const forget = () => void inCommit.delete(done)
      done.then(forget, forget)
      return done
    }

    function hold(key: string, text: Text) {
      held.set(key, text)
      if (scoped || autoScheduled) return
      autoScheduled = true
      queueMicrotask(() => {
        autoScheduled = false
        if (!scoped && held.size) submit([]).catch((error: unknown) => void unobserved.push(error))
      })
    }

    const read = (key: string): string | undefined => {
      const own = held.get(key) ?? committing.get(key)?.text
      if (own !== undefined) return own === DELETED ? undefined : own
      return db.get(key)
    }

    const store: ModuleStore = {
      async get<T>(key: string) {
        checkKey('get', key)
        const text = read(key)
        return text === undefined ? undefined : decodeValue<T>(text)
      },
      async set(key, value) {
        checkKey('set', key)
        if (value === undefined) throw new TypeError(`store.set("${key}"): value is undefined; use delete()`)
        hold(key, encodeValue(value))
      },
      async delete(key) {
        checkKey('delete', key)
        hold(key, DELETED)
      },
      async list<T>(prefix: string, options?: { limit?: number }) {
        // Merging many writes in commit costs O(pending) per call; they are visible in a few ms.
        if (committing.size > 256) await Promise.allSettled([...inCommit])
        const limit = options?.limit ?? Infinity
        const own = new Map<string, Text>()
        for (const [key, entry] of committing) if (key.startsWith(prefix)) own.set(key, entry.text)
        for (const [key, text] of held) if (key.startsWith(prefix)) own.set(key, text)
        const overlay = [...own].sort(byKey)
        const entries: Array<[string, T]> = []
        let p = 0
        const emit = (key: string, text: Text) => {
          if (text !== DELETED) entries.push([key, decodeValue<T>(text)])
        }
        for (const { key, value } of db.getRange({ start: prefix })) {
          if (entries.length >= limit) break
          if (typeof key !== 'string' || !key.startsWith(prefix)) break
          while (p < overlay.length && overlay[p]![0] < key && entries.length < limit) emit(...overlay[p++]!)
          if (entries.length >= limit) break
          if (p < overlay.length && overlay[p]![0] === key) emit(...overlay[p++]!)
          else emit(key, value)
        }
        while (p < overlay.length && entries.length < limit) emit(...overlay[p++]!)
        return entries
      },
      begin() {
        // Writes made between events belong to no event: they are stored now, on their own.
        if (!scoped && held.size) submit([]).catch((error: unknown) => void unobserved.push(error))
        scoped = true
      },
      commit(extra = []) {
        scoped = false
        if (held.size === 0 && extra.length === 0) return Promise.resolve()
        return submit(extra)
      },
      discard() {
        scoped = false
        held = new Map()
      },
      holding: () => held.size > 0,
      async resume() {
        await Promise.allSettled([...inCommit])
        chain.broken = false
      },
    }
    modules.set(name, store)
    return store
  }

  const engine: EngineRecords = {
    get<T>(key: string) {
      const text = engineDb.get(key)
      return text === undefined ? undefined : decodeValue<T>(text)
    },
    list<T>(prefix: string, options: { start?: string; end?: string } = {}) {
      const out: Array<[string, T]> = []
      for (const { key, value } of engineDb.getRange({ start: options.start ?? prefix, ...(options.end === undefined ? {} : { end: options.end }) })) {
        if (typeof key !== 'string' || !key.startsWith(prefix)) break
        out.push([key, decodeValue<T>(value)])
      }
      return out
    },
    write: (writes) => (writes.length ? track(transact('engine', engineWrites(writes))) : Promise.resolve()),
  }

  return {
    forModule,
    getCursor: (chainId) => engine.get<Cursor>(`cursor:${chainId}`),
    async setCursor(chainId, cursor) {
      await engine.write([{ key: `cursor:${chainId}`, value: cursor }])
      // The transaction is committed; `flushed` resolves once the disk has it (and all before it).
      await root.flushed
    },
    engine,
    async flush() {
      await Promise.allSettled([...pending])
      await root.flushed
      if (unobserved.length) throw unobserved.splice(0)[0]
    },
    async close() {
      await Promise.allSettled([...pending])
      closed = true
      await root.flushed
      await root.close()
    },
  }
}
