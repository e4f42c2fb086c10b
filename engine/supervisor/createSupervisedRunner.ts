import type { Counter, Registry } from 'prom-client'
import type { SupervisorConfig } from '../config/schema.ts'
import type { HandleReceipt, ModuleEvent, ModuleRunner } from '../dispatch/types.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { ConfigError } from '../errors/config.ts'
import type { HealthBoard } from '../health/createHealthBoard.ts'
import { counterOf } from '../metrics/counterOf.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { LogHost, Subscriptions } from '../../modules/sdk/module/types.ts'
import { describeEvent } from '../runner/describeEvent.ts'
import { ModuleTrapError, isModuleTrapError, trapMetricKind, type TrapKind } from '../runner/ModuleTrapError.ts'
import { createModuleRecords, type ParkedEvent, type PersistedSupervisorState } from '../store/createModuleRecords.ts'
import type { EngineStore, EngineWrite } from '../store/createStore.ts'
import { StoreWriteError } from '../store/StoreWriteError.ts'
import { abortableSleep } from '../timers/abortableSleep.ts'
import { createCommitPipeline, type PipelineEntry } from './createCommitPipeline.ts'

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

const skippedMetricName = 'shepherd_module_skipped_events_total'

/**
 * The skipped-events counter of a registry (`shepherd_module_skipped_events_total{module,chain_id}`: events
 * that came while a module was parked), created once per registry.
 *
 * @example
 * skippedEventsCounter(metrics.registry).inc({ module: 'twap-monitor' })
 */
export function skippedEventsCounter(registry: Registry): Counter<'module' | 'chain_id'> {
  return counterOf(registry, { name: skippedMetricName, help: 'Events a poisoned module did not process', labelNames: ['module', 'chain_id'] })
}

/**
 * True when retrying cannot help: a ConfigError in the cause chain, which only loading a module
 * raises (its file does not load, it exports no module, its config fails its schema, it needs a
 * chain that is not configured). Any other error, whatever its `action` (a CowApiError 404, a
 * ChainRequestTooLargeError, a plain ShepherdError), is a trap: restarted with backoff, parked only
 * after repeated traps. The supervisor asks this only for a failure while the module loads.
 *
 * @example
 * isPermanentModuleError(new ModuleTrapError({ module: 'm', kind: 'throw', during: 'start', cause: configError })) // true
 * isPermanentModuleError(new ModuleTrapError({ module: 'm', kind: 'throw', during: 'block 7', cause: new CowApiError({ status: 404 }) })) // false
 */
export function isPermanentModuleError(error: unknown): boolean {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 16; current = current.cause, depth++) if (current instanceof ConfigError) return true
  return false
}

const noSkips = (): PersistedSupervisorState['skipped'] => ({ events: 0, first: null })

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
  const skippedCounter = metrics ? skippedEventsCounter(metrics.registry) : undefined
  const moduleStore = parameters.store?.forModule(key)
  const records = parameters.store ? createModuleRecords(parameters.store.engine, key) : undefined
  const engineRecords = parameters.store?.engine

  const persisted = records?.loadState()
  let subscriptions: Subscriptions = parameters.subscriptions ?? records?.loadSubscriptions() ?? {}
  let instance: TrappableRunner | undefined
  let status: SupervisedState['status'] = persisted?.poisoned ? 'poisoned' : 'running'
  let trapTimes: number[] = []
  let traps = 0
  let restarts = 0
  let consecutive = 0
  let storeFailures = 0
  let lastError: SupervisedState['lastError'] = null
  let skipped = persisted?.skipped ?? noSkips()
  let poisonedReason: string | null = persisted?.poisoned?.reason ?? null
  let poisonedAt = persisted?.poisoned?.at ?? 0
  // Events that came while parked: the cursor moved on (the other modules must not wait), so this
  // module's only copy of them is here (and in the engine's database), replayed after a release.
  const parked: ParkedEvent[] = records?.loadParked() ?? []
  let nextSeq = (parked.at(-1)?.seq ?? 0) + 1
  let lost = persisted?.lost ?? 0
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
  let redoScheduled = false
  let redoing = false
  const pipeline = moduleStore
    ? createCommitPipeline({
        onRefused: () => {
          // Nothing may be waiting for the module's next event: run the refused ones again on their own.
          if (redoScheduled) return
          redoScheduled = true
          exclusive(async () => {
            redoScheduled = false
            await redoRefused(true)
          }).catch(() => {})
        },
      })
    : undefined

  const release = `release it with \`shepherd release ${key}\``
  metrics?.modulePoisoned.set(labels, status === 'poisoned' ? 1 : 0)
  if (status === 'poisoned') {
    health?.degraded(`module:${key}`, 'poisoned', `parked since before this start (${poisonedReason}); ${release}`, { parked: parked.length })
    log.warn('module is parked (it was when the engine stopped): it keeps its events until released', { module: name, reason: poisonedReason, parked: parked.length, lost, hint: `shepherd release ${key}` })
  }

  const persistedState = (): PersistedSupervisorState => ({
    poisoned: status === 'poisoned' ? { reason: poisonedReason ?? '', at: poisonedAt } : null,
    lost,
    skipped,
  })

  /** Writes the parked state on its own (a release, a poisoning); a refused write is counted by the store. */
  function saveState() {
    engineRecords?.write([records!.stateWrite(persistedState())]).catch((error: unknown) => log.error('could not store the parked state of a module', { module: name, error: errorMessage(error) }))
  }

  function toTrap(error: unknown, during: string): ModuleTrapError {
    return isModuleTrapError(error) ? error : new ModuleTrapError({ module: name, kind: 'throw', during, cause: error })
  }

  /** Keeps an event for after a release: stored (with its mark) before the dispatch may complete. */
  async function park(event: ModuleEvent, replayed: ParkedEvent | undefined) {
    // A replayed event that parks the module again goes back to the front, counted once.
    if (replayed) return void parked.unshift(replayed)
    const keep = parked.length < settings.replay_limit
    const entry: ParkedEvent = { seq: nextSeq, event }
    const before = { skipped, lost }
    const block = event.kind === 'reorg' ? event.reorg.fromBlock : event.block.number
    const chainId = event.kind === 'reorg' ? event.reorg.chainId : event.block.chainId
    skipped = { events: skipped.events + 1, first: skipped.first ?? { event: describeEvent(event), chainId, block: block.toString(), at: now() } }
    if (!keep) lost++
    if (records) {
      const writes: EngineWrite[] = [...(keep ? records.parkWrites(entry.seq, event) : records.markWrites(event)), records.stateWrite(persistedState())]
      try {
        await engineRecords!.write(writes)
      } catch (error) {
        ;({ skipped, lost } = before)
        throw error
      }
    }
    skippedCounter?.inc(labels)
    if (keep) {
      parked.push(entry)
      nextSeq++
    } else if (lost === 1) log.error('parked module: replay_limit reached, further events will not be replayed', { module: name, replayLimit: settings.replay_limit, firstLost: describeEvent(event) })
    if (skipped.events === 1) log.warn('poisoned module skips events', { module: name, firstSkipped: skipped.first!.event, chainId, hint: `POST /admin/modules/${key}/release` })
  }

  function poison(trap: ModuleTrapError, permanent: boolean) {
    status = 'poisoned'
    poisonedAt = now()
    const cause = errorMessage(trap.cause ?? trap)
    poisonedReason = permanent
      ? `permanent error (not retried): ${trap.kind} during ${trap.during}: ${cause}`
      : `${trapTimes.length} traps within ${settings.poison_window_s}s; last: ${trap.kind} during ${trap.during}: ${cause}`
    metrics?.modulePoisoned.set(labels, 1)
    health?.degraded(`module:${key}`, 'poisoned', `${permanent ? 'parked at once' : 'parked after repeated traps'}: ${poisonedReason}; ${release}`)
    log.error('module poisoned: parked until released', { module: name, reason: poisonedReason, ...(permanent ? { error: errorMessage(trap.cause ?? trap).slice(0, 2000) } : {}), hint: `shepherd release ${key}` })
    saveState()
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

  const storeBackoff = () => Math.min(settings.backoff_initial_ms * 2 ** storeFailures++, settings.backoff_max_ms)

  /**
   * Runs again, in order, the events whose commits the store refused (the first refused one and all
   * after it: they ran on its writes), after a backoff; until none is refused. With `wait`, first
   * waits for every commit in flight (to learn whether one is refused); without, acts only on a
   * refusal already known, so the pipeline keeps flowing.
   */
  async function redoRefused(wait: boolean) {
    if (!pipeline || redoing || (!wait && !pipeline.refusedKnown())) return
    redoing = true
    try {
      for (let round = 0; ; round++) {
        const refused = await pipeline.takeRefused()
        if (refused.length === 0) {
          if (round > 0) storeFailures = 0
          return
        }
        const delay = storeBackoff()
        if (!stopping.signal.aborted) {
          log.error('store refused the writes of events; running them again in order', { module: name, events: refused.length, first: describeEvent(refused[0]!.event), retryInMs: delay })
          await sleep(delay, stopping.signal)
          await moduleStore!.resume()
        }
        // Each one runs again (and is back in the pipeline) or, if the supervisor stops, is rejected: none is left waiting.
        for (let i = 0; i < refused.length; i++) {
          try {
            await attempt(refused[i]!.event, undefined, refused[i])
          } catch (error) {
            pipeline.reject(refused.slice(i), error)
            throw error
          }
        }
      }
    } finally {
      redoing = false
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
        if (status === 'poisoned') {
          if (event) {
            // Parked in order: every earlier event is stored (or parked) first.
            await redoRefused(true)
            if (status !== 'poisoned') continue
            await park(event, replayed)
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
          consecutive = 0
          // A replayed or reorg event is rare: its commit is awaited. Any other is in flight while the next runs.
          if (pipeline && replayed === undefined && event.kind !== 'reorg') return pipeline.add(event, moduleStore!.commit(marks), entry)
          await moduleStore?.commit(marks)
        }
        consecutive = 0
        storeFailures = 0
        return undefined
      } catch (error) {
        // What the module wrote before it failed is kept (it may record an order it posted), without
        // the mark: the event runs again. Only a crash loses an unfinished event's writes.
        if (!(error instanceof StoreWriteError)) await keepWritesOfFailedEvent(during)
        if (stopping.signal.aborted) throw error
        if (error instanceof StoreWriteError) {
          // The module did its part; the disk refused it. Not a trap: the same life runs the event
          // again, after the earlier events whose commits were refused with it.
          const delay = storeBackoff()
          log.error('store refused the writes of an event; running it again', { module: name, during, error: errorMessage(error.cause), retryInMs: delay })
          await sleep(delay, stopping.signal)
          await redoRefused(true)
          await moduleStore?.resume()
          continue
        }
        const trap = toTrap(error, during)
        const at = now()
        traps++
        trapTimes = [...trapTimes.filter((t) => t > at - settings.poison_window_s * 1000), at]
        lastError = { kind: trap.kind, during: trap.during, message: errorMessage(trap.cause ?? trap), at }
        metrics?.moduleTraps.inc({ ...labels, kind: trapMetricKind[trap.kind] })
        const old = instance
        instance = undefined
        await old?.stop().catch(() => {})
        // A worker that died while idle loads the module again inside `run`: its trap is during "start".
        const permanent = (loading || trap.during === 'start') && isPermanentModuleError(trap)
        if (permanent || trapTimes.length >= settings.poison_after) {
          log.error('module trapped', { module: name, trap: trap.kind, during: trap.during, error: lastError.message })
          poison(trap, permanent)
          continue
        }
        const delay = Math.min(settings.backoff_initial_ms * 2 ** consecutive, settings.backoff_max_ms)
        consecutive++
        status = 'backoff'
        log.error('module trapped', { module: name, trap: trap.kind, during: trap.during, error: lastError.message, restartInMs: delay })
        await sleep(delay, stopping.signal)
        if (stopping.signal.aborted) continue
        status = 'running'
        restarts++
        metrics?.moduleRestarts.inc(labels)
      }
    }
  }

  function state(): SupervisedState {
    return { status, traps, restarts, lastError, skipped: { events: skipped.events, first: skipped.first }, parked: parked.length, lost, poisonedReason }
  }

  /** After a release: the parked events first, in order; one that parks the module again keeps the rest parked. */
  async function replayParked() {
    while (parked.length > 0 && status !== 'poisoned') {
      const next = parked.shift()!
      await attempt(next.event, next)
    }
  }

  async function deliver(event: ModuleEvent): Promise<PipelineEntry | undefined> {
    if (parked.length > 0 && status !== 'poisoned') await replayParked()
    return attempt(event)
  }

  return {
    name: key,
    module: name,
    ...(parameters.chainId === undefined ? {} : { chainId: parameters.chainId }),
    // An instance of one chain is routed only that chain's events: the module may name others, which its sibling instances serve.
    get subscriptions() {
      return parameters.chainId === undefined ? subscriptions : onChain(subscriptions, parameters.chainId)
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
      if (status !== 'poisoned') return { released: false, state: state() }
      status = 'running'
      trapTimes = []
      traps = 0
      consecutive = 0
      poisonedReason = null
      metrics?.modulePoisoned.set(labels, 0)
      health?.ok(`module:${key}`, 'poisoned')
      saveState()
      log.info('module released: starts fresh at the next event, after replaying what it missed', { module: name, parked: parked.length, lost })
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

/** The part of a module's subscriptions on one chain. */
function onChain(subscriptions: Subscriptions, chainId: number): Subscriptions {
  return {
    ...subscriptions,
    ...(subscriptions.blocks ? { blocks: subscriptions.blocks.filter((s) => s.chainId === chainId) } : {}),
    ...(subscriptions.logs ? { logs: subscriptions.logs.filter((s) => s.chainId === chainId) } : {}),
  }
}

const bigintText = (_key: string, value: unknown) => (typeof value === 'bigint' ? value.toString() : value)
