import { Counter, type Registry } from 'prom-client'
import type { SupervisorConfig } from '../config/schema.ts'
import type { ModuleEvent, ModuleRunner } from '../dispatch/types.ts'
import { ShepherdError, describeError } from '../errors/base.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { LogHost, Subscriptions } from '../module/types.ts'
import { describeEvent } from '../runner/createWorkerRunner.ts'
import { ModuleTrapError, isModuleTrapError, trapMetricKind, type TrapKind } from '../runner/ModuleTrapError.ts'

/** One life of a module: a worker runner, or an in-process runner's `run`. */
export type TrappableRunner = {
  init(): Promise<void>
  /** Rejects when the event was not processed (a ModuleTrapError, or any error, counted as `throw`). */
  run(event: ModuleEvent): Promise<void>
  stop(): Promise<void>
}

export type SupervisedState = {
  status: 'running' | 'backoff' | 'poisoned'
  /** Traps since the last release. */
  traps: number
  restarts: number
  lastError: { kind: TrapKind; during: string; message: string; at: number } | null
  /** Events not processed while poisoned (kept across releases); `first` is where an operator must look. Block numbers as strings. */
  skipped: { events: number; first: { event: string; chainId: number; block: string; at: number } | null }
  /** Parked events waiting to be processed (after a release, before any newer event). */
  parked: number
  /** Events parked past `replay_limit`: never processed by this module (kept across releases). */
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
  name: string
  subscriptions: Subscriptions
  /** Starts a fresh life of the module (a new worker); called at init and after each trap. */
  start(): TrappableRunner
  /** `[engine.supervisor]`; missing fields take the config defaults. */
  supervisor?: Partial<SupervisorConfig>
  metrics?: Pick<EngineMetrics, 'registry' | 'moduleTraps' | 'moduleRestarts' | 'modulePoisoned'>
  log: LogHost
  /** Injectable for tests: waits `ms`, rejects when `signal` aborts. */
  sleep?(ms: number, signal: AbortSignal): Promise<void>
  /** Injectable for tests: ms since the epoch. */
  now?(): number
}

const skippedMetricName = 'shepherd_module_skipped_events_total'

/** The skipped-events counter of a registry, created once per registry. */
export function skippedEventsCounter(registry: Registry): Counter<'module'> {
  const existing = registry.getSingleMetric(skippedMetricName)
  if (existing) return existing as Counter<'module'>
  return new Counter({ name: skippedMetricName, help: 'Events a poisoned module did not process', labelNames: ['module'] as const, registers: [registry] })
}

function abortableSleep(ms: number, signal: AbortSignal) {
  return new Promise<void>((resolve, reject) => {
    if (signal.aborted) return reject(signal.reason)
    const timer = setTimeout(() => (signal.removeEventListener('abort', onAbort), resolve()), ms)
    const onAbort = () => (clearTimeout(timer), reject(signal.reason))
    signal.addEventListener('abort', onAbort, { once: true })
  })
}

/**
 * Supervises one module. A trap (throw, timeout, OOM, worker exit) is counted, logged, and followed
 * by a restart after an exponential backoff; then THE SAME EVENT is retried (a failed block is never
 * skipped). After `poison_after` traps within `poison_window_s` the module is parked: new events
 * resolve at once and are counted as skipped until `release()`. Each module has its own supervisor,
 * so a trapping module never holds up another.
 *
 * @example
 * const runner = createSupervisedRunner({
 *   name, subscriptions: loaded.subscriptions, supervisor: config.engine.supervisor, metrics, log: host.log,
 *   start: () => createWorkerRunner({ loaded: { ...loaded, name }, host, memoryMb: 256, deadlineMs: 30_000, log: host.log }),
 * })
 */
export function createSupervisedRunner(parameters: CreateSupervisedRunnerParameters): SupervisedRunner {
  const { name, subscriptions, start, metrics, log, sleep = abortableSleep, now = Date.now } = parameters
  const settings = { backoff_initial_ms: 1_000, backoff_max_ms: 300_000, poison_after: 5, poison_window_s: 600, replay_limit: 10_000, ...parameters.supervisor }
  const skippedCounter = metrics ? skippedEventsCounter(metrics.registry) : undefined
  metrics?.modulePoisoned.set({ module: name }, 0)

  let instance: TrappableRunner | undefined
  let status: SupervisedState['status'] = 'running'
  let trapTimes: number[] = []
  let traps = 0
  let restarts = 0
  let consecutive = 0
  let lastError: SupervisedState['lastError'] = null
  let skipped: SupervisedState['skipped'] = { events: 0, first: null }
  let poisonedReason: string | null = null
  // Events that came while parked: the cursor moved on (the other modules must not wait), so this
  // module's only copy of them is here, replayed in order after a release.
  const parked: ModuleEvent[] = []
  let lost = 0
  const stopping = new AbortController()

  function toTrap(error: unknown, during: string): ModuleTrapError {
    return isModuleTrapError(error) ? error : new ModuleTrapError({ module: name, kind: 'throw', during, cause: error })
  }

  function skip(event: ModuleEvent, replaying: boolean) {
    // A replayed event that parks the module again goes back to the front, counted once.
    if (replaying) return void parked.unshift(event)
    skipped.events++
    skippedCounter?.inc({ module: name })
    if (parked.length < settings.replay_limit) parked.push(event)
    else if (lost++ === 0) log.error('parked module: replay_limit reached, further events will not be replayed', { module: name, replayLimit: settings.replay_limit, firstLost: describeEvent(event) })
    if (skipped.first) return
    const block = event.kind === 'reorg' ? event.reorg.fromBlock : event.block.number
    const chainId = event.kind === 'reorg' ? event.reorg.chainId : event.block.chainId
    skipped.first = { event: describeEvent(event), chainId, block: block.toString(), at: now() }
    log.warn('poisoned module skips events', { module: name, firstSkipped: skipped.first.event, chainId, hint: `POST /admin/modules/${name}/release` })
  }

  function poison(trap: ModuleTrapError) {
    status = 'poisoned'
    poisonedReason = `${trapTimes.length} traps within ${settings.poison_window_s}s; last: ${trap.kind} during ${trap.during}: ${describeError(trap.cause ?? trap)}`
    metrics?.modulePoisoned.set({ module: name }, 1)
    log.error('module poisoned: parked until released', { module: name, reason: poisonedReason, hint: `shepherd release ${name}` })
  }

  /** Runs `event` (or only a start, for init) until it is processed, or the module is poisoned. */
  async function attempt(event: ModuleEvent | undefined, replaying = false) {
    const during = event ? describeEvent(event) : 'init'
    for (;;) {
      if (stopping.signal.aborted) throw new ShepherdError(`Module "${name}" stopped before ${during} was processed`, { action: 'retry' })
      if (status === 'poisoned') {
        if (event) skip(event, replaying)
        return
      }
      try {
        if (!instance) {
          instance = start()
          await instance.init()
        }
        if (event) await instance.run(event)
        consecutive = 0
        return
      } catch (error) {
        if (stopping.signal.aborted) throw error
        const trap = toTrap(error, during)
        const at = now()
        traps++
        trapTimes = [...trapTimes.filter((t) => t > at - settings.poison_window_s * 1000), at]
        lastError = { kind: trap.kind, during: trap.during, message: describeError(trap.cause ?? trap), at }
        metrics?.moduleTraps.inc({ module: name, kind: trapMetricKind[trap.kind] })
        const old = instance
        instance = undefined
        await old?.stop().catch(() => {})
        if (trapTimes.length >= settings.poison_after) {
          log.error('module trapped', { module: name, trap: trap.kind, during: trap.during, error: lastError.message })
          poison(trap)
          continue
        }
        const delay = Math.min(settings.backoff_initial_ms * 2 ** consecutive, settings.backoff_max_ms)
        consecutive++
        status = 'backoff'
        log.error('module trapped', { module: name, trap: trap.kind, during: trap.during, error: lastError.message, restartInMs: delay })
        await sleep(delay, stopping.signal)
        status = 'running'
        restarts++
        metrics?.moduleRestarts.inc({ module: name })
      }
    }
  }

  function state(): SupervisedState {
    return { status, traps, restarts, lastError, skipped: { events: skipped.events, first: skipped.first }, parked: parked.length, lost, poisonedReason }
  }

  /** After a release: the parked events first, in order; one that parks the module again keeps the rest parked. */
  async function replayParked() {
    while (parked.length > 0 && status !== 'poisoned') {
      await attempt(parked.shift()!, true)
    }
  }

  return {
    name,
    subscriptions,
    state,
    init: () => attempt(undefined),
    handle: async (event) => {
      if (parked.length > 0 && status !== 'poisoned') await replayParked()
      return attempt(event)
    },
    release() {
      if (status !== 'poisoned') return { released: false, state: state() }
      status = 'running'
      trapTimes = []
      traps = 0
      consecutive = 0
      poisonedReason = null
      metrics?.modulePoisoned.set({ module: name }, 0)
      log.info('module released: starts fresh at the next event, after replaying what it missed', { module: name, parked: parked.length, lost })
      return { released: true, state: state() }
    },
    async stop() {
      stopping.abort(new ShepherdError(`Module "${name}" stopped`, { action: 'retry' }))
      const current = instance
      instance = undefined
      await current?.stop()
    },
  }
}
