import type { SupervisorConfig } from '../config/schema.ts'
import type { HandleReceipt, ModuleEvent, ModuleRunner } from '../dispatch/types.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { HealthBoard } from '../health/createHealthBoard.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { LogHost, Subscriptions } from '../../modules/sdk/module/types.ts'
import { describeEvent } from '../runner/describeEvent.ts'
import { ModuleTrapError, isModuleTrapError, trapMetricKind, type TrapKind } from '../runner/ModuleTrapError.ts'
import { createModuleRecords, type ParkedEvent, type PersistedSupervisorState } from '../store/createModuleRecords.ts'
import type { EngineStore, EngineWrite } from '../store/createStore.ts'
import { StoreWriteError } from '../store/StoreWriteError.ts'
import { abortableSleep } from '../timers/abortableSleep.ts'
import type { PipelineEntry } from './createCommitPipeline.ts'
import { createExponentialBackoff } from './createExponentialBackoff.ts'
import { createPoisonState } from './createPoisonState.ts'
import { createRefusedRedo } from './createRefusedRedo.ts'
import { isPermanentModuleError } from './isPermanentModuleError.ts'
import { replayParked } from './replayParked.ts'
import { subscriptionsOnChain } from './subscriptionsOnChain.ts'

/** One life of a module: a worker runner, or an in-process runner. */
export type TrappableRunner = {
  /** Loads the module (a worker: inside its thread) and runs its `init`. */
  init(): Promise<void>
  /** Rejects when the event was not processed (a ModuleTrapError, or any error, counted as `throw`). */
  run(event: ModuleEvent): Promise<void>
  stop(): Promise<void>
  /** What the module subscribes to, once `init` resolved (a worker learns it from its thread). */
  readonly subscriptions?: Subscriptions
}

export type SupervisedState = {
  status: 'running' | 'backoff' | 'poisoned'
  /** Traps since the last release. */
  traps: number
  restarts: number
  lastError: { kind: TrapKind; during: string; message: string; at: number } | null
  /** Events not processed while poisoned (kept across releases and restarts); `first` is where an operator must look. Block numbers as strings. */
  skipped: PersistedSupervisorState['skipped']
  /** Parked events waiting to be processed (after a release, before any newer event). */
  parked: number
  /** Events parked past `replay_limit`: never processed by this module (kept across releases and restarts). */
  lost: number
  /** Why the module is parked, while poisoned. */
  poisonedReason: string | null
}

export type SupervisedRunner = ModuleRunner & {
  state(): SupervisedState
  /**
   * Un-parks a poisoned module: gauge back to 0, trap history cleared, a fresh start at the next
   * event, which first processes the events parked meanwhile, in order.
   */
  release(): { released: boolean; state: SupervisedState }
}

export type CreateSupervisedRunnerParameters = {
  /** The module's name (the `module` label of its metrics, its log lines). */
  name: string
  /**
   * The instance this supervisor owns, when a module runs once per chain (`<name>@<chainId>`): its
   * queue, store namespace, progress and parked records, `/healthz` source and admin route. Default
   * `name` (one instance: an engine that follows one chain).
   */
  key?: string
  /** The chain this instance serves: its metrics carry `chain_id`, and it is given only that chain's events. */
  chainId?: number
  /** Known up front for a module loaded in this thread; a worker module's come from its first load. */
  subscriptions?: Subscriptions
  /** Starts a fresh life of the module (a new worker); called at init and after each trap. */
  start(): TrappableRunner
  /** `[engine.supervisor]`; missing fields take the config defaults. */
  supervisor?: Partial<SupervisorConfig>
  /**
   * The engine's store. With it, each event's module writes are committed with a progress mark
   * (an event is stored exactly once across restarts), and parked events and the parked state
   * survive a restart. Without it (unit tests) they live in memory.
   */
  store?: EngineStore
  /** Where a parked module shows on `/healthz` (source `module:<name>`, check `poisoned`) until released. */
  health?: Pick<HealthBoard, 'degraded' | 'ok'>
  metrics?: Pick<EngineMetrics, 'registry' | 'moduleTraps' | 'moduleRestarts' | 'modulePoisoned'>
  log: LogHost
  /** Injectable for tests: waits `ms`, or less when `signal` aborts. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>
  /** Injectable for tests: ms since the epoch. */
  now?(): number
}

/**
 * Supervises one module. A trap (throw, timeout, OOM, worker exit) is counted, logged, and followed
 * by a restart after an exponential backoff; then THE SAME EVENT is retried (a failed block is never
 * skipped). After `poison_after` traps within `poison_window_s`, or at once for a ConfigError while
 * the module loads (see isPermanentModuleError), the module is parked: new events are kept for it (in the engine's
 * database, up to `replay_limit`) until `release()`, then processed in order before anything newer.
 *
 * With a store, each event is one transaction: the module's writes and the mark that it was
 * processed. The module runs its next event while lmdb commits the last ones (a commit pipeline:
 * lmdb batches them, so a catch-up costs a few commits, not one per event); `handle` resolves once
 * the event is processed and returns a receipt whose `stored` resolves once its commit landed, in
 * order, so the dispatcher, and the cursor, never pass an event whose writes are not stored. A
 * redelivered event (the cursor lags the module after a crash) is skipped, and a crash mid-event
 * loses all of that event's writes, none of the others. An event that traps keeps the writes it
 * made (without the mark) and runs again. A refused commit (StoreWriteError) is the engine's
 * fault: the store refuses every later commit of the module too, and the refused events run again,
 * in order, after a backoff, without counting a trap. A parked module stays parked across engine
 * restarts.
 *
 * `handle` resolves once the event is processed or durably parked; it, or its `stored`, rejects
 * only when the supervisor is stopped first (the event is then delivered again after a restart).
 *
 * @example
 * const runner = createSupervisedRunner({
 *   name, supervisor: config.engine.supervisor, store, health, metrics, log: host.log,
 *   start: () => createWorkerRunner({ module: { name, url, config: entry.config }, host, memoryMb: 256, deadlineMs: 30_000, log: host.log }),
 * })
 * await runner.init()
 * await runner.handle({ kind: 'block', block })
 */
export function createSupervisedRunner(parameters: CreateSupervisedRunnerParameters): SupervisedRunner {
  const { name, start, metrics, log, health, sleep = abortableSleep, now = Date.now } = parameters
  // Everything the instance owns is keyed by `key`; its metrics say which module and chain it is.
  const key = parameters.key ?? name
  const labels: { module: string; chain_id?: string } = parameters.chainId === undefined ? { module: name } : { module: name, chain_id: String(parameters.chainId) }
  const settings = { backoff_initial_ms: 1_000, backoff_max_ms: 300_000, poison_after: 5, poison_window_s: 600, replay_limit: 10_000, ...parameters.supervisor }
  const moduleStore = parameters.store?.forModule(key)
  const records = parameters.store ? createModuleRecords(parameters.store.engine, key) : undefined
  let subscriptions: Subscriptions = parameters.subscriptions ?? records?.loadSubscriptions() ?? {}
  // Parked or not (kept across engine restarts with a store), and the events kept meanwhile.
  const poison = createPoisonState({ name, key, labels, settings, persist: records && parameters.store ? { records, engine: parameters.store.engine } : undefined, health, metrics, log, now })
  let instance: TrappableRunner | undefined
  /** Waiting out the delay before a restart (`status: 'backoff'`). */
  let backingOff = false
  let traps = 0
  let restarts = 0
  const trapBackoff = createExponentialBackoff({ initialMs: settings.backoff_initial_ms, maxMs: settings.backoff_max_ms })
  const storeBackoff = createExponentialBackoff({ initialMs: settings.backoff_initial_ms, maxMs: settings.backoff_max_ms })
  let lastError: SupervisedState['lastError'] = null
  /** Set once the first `init` returned: the engine built its routes from `subscriptions` then. */
  let routed = false
  const stopping = new AbortController()
  // One thing at a time: an event, or running refused commits again.
  let serial: Promise<unknown> = Promise.resolve()
  const exclusive = <T>(job: () => Promise<T>): Promise<T> => {
    const result = serial.then(job)
    serial = result.catch(() => {})
    return result
  }
  const refusedRedo = moduleStore
    ? createRefusedRedo({ name, moduleStore, backoff: storeBackoff, signal: stopping.signal, sleep, log, exclusive, run: (entry) => attempt(entry.event, undefined, entry) })
    : undefined
  const pipeline = refusedRedo?.pipeline
  /** Refused commits of earlier events run again first (see createRefusedRedo); nothing to do without a store. */
  const redoRefused = (wait: boolean): Promise<void> => (refusedRedo ? refusedRedo.redo(wait) : Promise.resolve())

  function toTrap(error: unknown, during: string): ModuleTrapError {
    return isModuleTrapError(error) ? error : new ModuleTrapError({ module: name, kind: 'throw', during, cause: error })
  }

  async function keepWritesOfFailedEvent(during: string) {
    await moduleStore?.commit().catch((error: unknown) => log.error('could not store the writes of a failed event', { module: name, during, error: errorMessage(error) }))
  }

  /** Starts a life of the module if none runs: loads it, runs its init, records its subscriptions. */
  async function ensureStarted() {
    if (instance) return
    instance = start()
    moduleStore?.begin()
    await instance.init()
    const learned = instance.subscriptions
    const writes: EngineWrite[] = []
    if (learned) {
      // Before the engine's first init finished, nothing routes by them yet: the fresh load wins.
      if (routed && JSON.stringify(learned, bigintText) !== JSON.stringify(subscriptions, bigintText))
        log.warn('module subscriptions differ from those the engine routes by; restart the engine to apply them', { module: name })
      else subscriptions = learned
      if (records) writes.push(records.subscriptionsWrite(learned))
    }
    try {
      await moduleStore?.commit(writes)
    } catch (error) {
      // What init wrote is not stored: the next attempt starts this life again, init included.
      const old = instance
      instance = undefined
      await old?.stop().catch(() => {})
      throw error
    }
  }

  const stoppedError = (during: string) => new ShepherdError(`Module "${name}" stopped before ${during} was processed`, { action: 'retry' })

  /**
   * Runs `event` (or only a start, for init) until it is processed, or the module is parked.
   * `replayed` is set when the event comes from the parked queue; `entry` when it runs again after
   * its commit was refused. Returns the pipeline entry of an event whose commit is in flight.
   */
  async function attempt(event: ModuleEvent | undefined, replayed?: ParkedEvent, entry?: PipelineEntry): Promise<PipelineEntry | undefined> {
    const during = event ? describeEvent(event) : 'init'
    for (;;) {
      if (stopping.signal.aborted) throw stoppedError(during)
      // Refused commits of earlier events run again first: the module sees its events in order.
      await redoRefused(false)
      // Loading (a fresh life: import, config, init) is where a ConfigError parks the module at once.
      let loading = false
      try {
        if (poison.poisoned) {
          if (event) {
            // Parked in order: every earlier event is stored (or parked) first.
            await redoRefused(true)
            if (!poison.poisoned) continue
            await poison.park(event, replayed)
          }
          return entry ? pipeline!.add(entry.event, Promise.resolve(), entry) : undefined
        }
        loading = true
        await ensureStarted()
        loading = false
        if (event) {
          moduleStore?.begin()
          await instance!.run(event)
          // An event that wrote nothing needs no mark (running it again stores nothing).
          const record = records && (replayed !== undefined || event.kind === 'reorg' || moduleStore!.holding())
          const marks = record ? (replayed ? records.unparkWrites(replayed.seq) : records.markWrites(event)) : []
          trapBackoff.reset()
          // A replayed or reorg event is rare: its commit is awaited. Any other is in flight while the next runs.
          if (pipeline && replayed === undefined && event.kind !== 'reorg') return pipeline.add(event, moduleStore!.commit(marks), entry)
          await moduleStore?.commit(marks)
        }
        trapBackoff.reset()
        storeBackoff.reset()
        return undefined
      } catch (error) {
        // What the module wrote before it failed is kept (it may record an order it posted), without
        // the mark: the event runs again. Only a crash loses an unfinished event's writes.
        if (!(error instanceof StoreWriteError)) await keepWritesOfFailedEvent(during)
        if (stopping.signal.aborted) throw error
        if (error instanceof StoreWriteError) {
          // The module did its part; the disk refused it. Not a trap: the same life runs the event
          // again, after the earlier events whose commits were refused with it.
          const delay = storeBackoff.next()
          log.error('store refused the writes of an event; running it again', { module: name, during, error: errorMessage(error.cause), retryInMs: delay })
          await sleep(delay, stopping.signal)
          await redoRefused(true)
          await moduleStore?.resume()
          continue
        }
        const trap = toTrap(error, during)
        const at = now()
        traps++
        poison.recordTrap(at)
        lastError = { kind: trap.kind, during: trap.during, message: errorMessage(trap.cause ?? trap), at }
        metrics?.moduleTraps.inc({ ...labels, kind: trapMetricKind[trap.kind] })
        const old = instance
        instance = undefined
        await old?.stop().catch(() => {})
        // A worker that died while idle loads the module again inside `run`: its trap is during "start".
        const permanent = (loading || trap.during === 'start') && isPermanentModuleError(trap)
        if (permanent || poison.trapsInWindow >= settings.poison_after) {
          log.error('module trapped', { module: name, trap: trap.kind, during: trap.during, error: lastError.message })
          poison.poison(trap, permanent)
          continue
        }
        const delay = trapBackoff.next()
        backingOff = true
        log.error('module trapped', { module: name, trap: trap.kind, during: trap.during, error: lastError.message, restartInMs: delay })
        await sleep(delay, stopping.signal)
        if (stopping.signal.aborted) continue
        backingOff = false
        restarts++
        metrics?.moduleRestarts.inc(labels)
      }
    }
  }

  function state(): SupervisedState {
    return { status: poison.poisoned ? 'poisoned' : backingOff ? 'backoff' : 'running', traps, restarts, lastError, ...poison.snapshot() }
  }

  async function deliver(event: ModuleEvent): Promise<PipelineEntry | undefined> {
    if (poison.parkedCount > 0 && !poison.poisoned) await replayParked({ poison, run: (parkedEvent, replayed) => attempt(parkedEvent, replayed) })
    return attempt(event)
  }

  return {
    name: key,
    module: name,
    ...(parameters.chainId === undefined ? {} : { chainId: parameters.chainId }),
    // An instance of one chain is routed only that chain's events: the module may name others, which its sibling instances serve.
    get subscriptions() {
      return parameters.chainId === undefined ? subscriptions : subscriptionsOnChain(subscriptions, parameters.chainId)
    },
    state,
    async init() {
      try {
        await exclusive(() => attempt(undefined))
      } finally {
        routed = true
      }
    },
    handle(event) {
      return exclusive(async (): Promise<HandleReceipt | undefined> => {
        const decision = records?.check(event) ?? 'run'
        if (decision === 'skip') return undefined
        // This module saw another block at this height before the engine restarted: it hears of the reorg first.
        if (typeof decision === 'object' && event.kind !== 'reorg')
          await deliver({ kind: 'reorg', reorg: { chainId: event.block.chainId, fromBlock: decision.reorgFrom, removedLogs: [] } })
        const entry = await deliver(event)
        return entry ? { stored: entry.stored } : undefined
      })
    },
    release() {
      if (!poison.poisoned) return { released: false, state: state() }
      traps = 0
      trapBackoff.reset()
      poison.release()
      return { released: true, state: state() }
    },
    async stop() {
      stopping.abort(new ShepherdError(`Module "${name}" stopped`, { action: 'retry' }))
      // Commits still in flight may land; the dispatcher no longer counts on them: delivered again after a restart.
      pipeline?.rejectAll(stoppedError('the engine stopped'))
      const current = instance
      instance = undefined
      await current?.stop()
    },
  }
}

const bigintText = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)
