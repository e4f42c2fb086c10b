import type { ModuleEvent } from '../dispatch/types.ts'
import type { LogFields, Subscriptions } from '../../modules/sdk/module/types.ts'
import type { ModuleOrigin } from '../module/validateModule.ts'
import type { SerializedError } from './serializeError.ts'

/**
 * The messages between a module's worker and the main thread. Everything crosses by structured
 * clone (bigint, Uint8Array, Map survive), never JSON.
 */

/** Host methods a worker may call; each is answered by one `reply`. */
export const hostCallPaths = [
  'chain.request',
  'chain.call',
  'chain.multicall',
  'chain.getBalance',
  'cowApi.submitOrder',
  'cowApi.getOrder',
  'cowApi.getAppData',
  'cowApi.request',
  'store.get',
  'store.set',
  'store.delete',
  'store.list',
] as const
export type HostCallPath = (typeof hostCallPaths)[number]

/** What the worker receives at start (`workerData`). */
export type WorkerData = {
  module: string
  /** The module file: imported only inside the worker, never in the main thread. */
  url: string
  /** The entry's config as written; the worker parses it with the module's schema. */
  config: unknown
  /** What a load error names (file, key) and the chains the module may subscribe to. */
  origin: ModuleOrigin
  /** Int32 flag + Float64 value: `clock.now()` answered synchronously by the main thread. */
  clock: SharedArrayBuffer
}

export type MainToWorker =
  | { type: 'init'; id: number }
  | { type: 'event'; id: number; event: ModuleEvent }
  | { type: 'reply'; id: number; ok: true; value: unknown }
  | { type: 'reply'; id: number; ok: false; error: SerializedError }
  /** Replies sent in the same tick, in order (see createMessageBatcher). */
  | { type: 'batch'; messages: MainToWorker[] }

export type WorkerToMain =
  /** The module loaded and its config is valid; its subscriptions are plain data (viem AbiEvent items are JSON). */
  | { type: 'ready'; subscriptions: Subscriptions; heapUsed?: number }
  | { type: 'failed'; error: SerializedError }
  /** `heapUsed`: the worker's V8 heap in use (bytes) as it finished the event, for `shepherd_module_heap_bytes`. */
  | { type: 'done'; id: number; ok: true; heapUsed?: number }
  | { type: 'done'; id: number; ok: false; error: SerializedError; heapUsed?: number }
  | { type: 'call'; id: number; path: HostCallPath; args: unknown[] }
  /**
   * A store write with no reply: the worker resolves it at once (the store's `set` resolves once
   * queued anyway), and the main thread applies writes in message order, so a later read sees it.
   * A write that fails fails the dispatch it belongs to (see createWorkerRunner).
   */
  | { type: 'write'; path: 'store.set' | 'store.delete'; args: unknown[] }
  | { type: 'log'; level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields?: LogFields }
  | { type: 'alert'; kind: string; message: string; fields?: LogFields }
  /** `host.metrics.error`: an error the module handled itself. */
  | { type: 'error'; kind: string; message: string; fields?: LogFields }
  /** `host.health`: `reason` null marks the check ok again. */
  | { type: 'health'; check: string; reason: string | null; fields?: LogFields }
  | { type: 'clock' }
  /** Calls, logs and results sent in the same tick, in order (see createMessageBatcher). */
  | { type: 'batch'; messages: WorkerToMain[] }

/** Layout of the shared clock buffer: [Int32 flag][pad][Float64 value]. */
export const clockBufferBytes = 16
export function clockViews(buffer: SharedArrayBuffer) {
  return { flag: new Int32Array(buffer, 0, 1), value: new Float64Array(buffer, 8, 1) }
}

export function isHostCallPath(value: unknown): value is HostCallPath {
  return typeof value === 'string' && (hostCallPaths as readonly string[]).includes(value)
}

/** Log fields that survive structured clone (functions and the like become strings); used after a DataCloneError. */
export function cloneableFields(fields: LogFields | undefined): LogFields | undefined {
  if (fields === undefined) return undefined
  return Object.fromEntries(
    Object.entries(fields).map(([key, value]) => {
      try {
        structuredClone(value)
        return [key, value]
      } catch {
        return [key, String(value)]
      }
    }),
  )
}
