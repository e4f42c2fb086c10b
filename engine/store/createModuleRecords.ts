import type { ModuleEvent } from '../dispatch/types.ts'
import type { Subscriptions } from '../../modules/sdk/module/types.ts'
import type { EngineRecords, EngineWrite } from './createStore.ts'

/** What the supervisor keeps of a module across engine restarts (block numbers as strings). */
export type PersistedSupervisorState = {
  poisoned: { reason: string; at: number } | null
  /** Events past `replay_limit` while parked: never processed by the module. */
  lost: number
  skipped: { events: number; first: { event: string; chainId: number; block: string; at: number } | null }
}

/** An event kept for a parked module, in arrival order. */
export type ParkedEvent = { seq: number; event: ModuleEvent }

/** What to do with an event that arrives for a module. */
export type EventDecision =
  /** Not processed yet. */
  | 'run'
  /** Processed (or parked) before a restart: its writes and its mark were committed together. */
  | 'skip'
  /** The module processed another block at this height: the chain reorged while the engine was down. */
  | { reorgFrom: bigint }

type Mark = { hash: string; stage: 'logs' | 'block' }

/** Marks kept per module and chain; a module is never more than the ingestor's in-flight window (64) ahead of the cursor. */
export const RETAINED_MARKS = 1024n

const pad = (n: bigint | number, width: number) => n.toString().padStart(width, '0')

/**
 * The engine's records about one module, in the engine's own database (never the module's):
 * - progress marks: for each block (per chain), the hash and the last event kind the module
 *   finished, committed in the same transaction as the module's writes for that event. After a
 *   restart the ingestor resumes at the cursor, which may be behind a module; a redelivered event
 *   the module already finished is skipped, so every event reaches a module's store exactly once.
 *   (An event that wrote nothing needs no mark: running it again changes nothing stored.)
 * - parked events (and their marks), in arrival order, and the supervisor's parked state;
 * - the subscriptions of the module's last successful load (used when it cannot load now).
 * This object only reads and builds writes; the supervisor commits them with the module's own.
 *
 * @example
 * const records = createModuleRecords(store.engine, 'twap-monitor')
 * if (records.check(event) === 'run') { ...; await moduleStore.commit(records.markWrites(event)) }
 */
export function createModuleRecords(engine: EngineRecords, module: string) {
  const id = `${module.length}:${module}`
  const chainPrefix = (chainId: number) => `progress:${id}:${chainId}:`
  const markKey = (chainId: number, number: bigint) => `${chainPrefix(chainId)}${pad(number < 0n ? 0n : number, 20)}`
  const parkedPrefix = `parked:${id}:`
  const parkedKey = (seq: number) => `${parkedPrefix}${pad(seq, 12)}`
  const stateKey = `supervisor:${id}`
  const subscriptionsKey = `subscriptions:${id}`
  const deletes = (entries: Array<[string, unknown]>): EngineWrite[] => entries.map(([key]) => ({ key, value: undefined }))
  const marked = new Map<number, number>()
  // Per chain, the highest block marked by an earlier life (read once): events above it are new.
  const horizons = new Map<number, bigint>()
  const horizon = (chainId: number) => {
    let known = horizons.get(chainId)
    if (known === undefined) {
      const last = engine.list(chainPrefix(chainId)).at(-1)?.[0]
      known = last === undefined ? -1n : BigInt(last.slice(chainPrefix(chainId).length))
      horizons.set(chainId, known)
    }
    return known
  }

  return {
    check(event: ModuleEvent): EventDecision {
      if (event.kind === 'reorg') return 'run'
      const { chainId, number, hash } = event.block
      // Only a block an earlier life of the engine may have finished can be delivered again.
      if (number > horizon(chainId)) return 'run'
      const mark = engine.get<Mark>(markKey(chainId, number))
      if (!mark) return 'run'
      if (mark.hash !== hash) return { reorgFrom: number }
      return event.kind === 'logs' || mark.stage === 'block' ? 'skip' : 'run'
    },
    /** The writes recording `event` as taken care of (processed or parked). */
    markWrites(event: ModuleEvent): EngineWrite[] {
      if (event.kind === 'reorg') {
        // The old branch's marks go: the new branch's blocks at those heights must be delivered.
        const { chainId, fromBlock } = event.reorg
        if (fromBlock - 1n < horizon(chainId)) horizons.set(chainId, fromBlock - 1n)
        return deletes(engine.list(chainPrefix(chainId), { start: markKey(chainId, fromBlock) }))
      }
      const { chainId, number, hash } = event.block
      const writes: EngineWrite[] = [{ key: markKey(chainId, number), value: { hash, stage: event.kind } satisfies Mark }]
      // Every 256 marks, the ones far behind go (a module is never that far ahead of the cursor).
      const count = (marked.get(chainId) ?? 0) + 1
      marked.set(chainId, count % 256)
      if (count === 256 && number > RETAINED_MARKS) writes.push(...deletes(engine.list(chainPrefix(chainId), { end: markKey(chainId, number - RETAINED_MARKS) })))
      return writes
    },
    loadParked(): ParkedEvent[] {
      return engine.list<ModuleEvent>(parkedPrefix).map(([key, event]) => ({ seq: Number(key.slice(parkedPrefix.length)), event }))
    },
    /** Keeps `event` for after a release, and marks it taken care of. */
    parkWrites(seq: number, event: ModuleEvent): EngineWrite[] {
      return [{ key: parkedKey(seq), value: event }, ...this.markWrites(event)]
    },
    /** A replayed parked event is done: its mark was written when it was parked. */
    unparkWrites(seq: number): EngineWrite[] {
      return [{ key: parkedKey(seq), value: undefined }]
    },
    loadState: () => engine.get<PersistedSupervisorState>(stateKey),
    stateWrite: (state: PersistedSupervisorState): EngineWrite => ({ key: stateKey, value: state }),
    loadSubscriptions: () => engine.get<Subscriptions>(subscriptionsKey),
    subscriptionsWrite: (subscriptions: Subscriptions): EngineWrite => ({ key: subscriptionsKey, value: subscriptions }),
  }
}

export type ModuleRecords = ReturnType<typeof createModuleRecords>
