import type { SupervisorConfig } from '../config/schema.ts'
import type { ModuleEvent } from '../dispatch/types.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import type { HealthBoard } from '../health/createHealthBoard.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { LogHost } from '../../modules/sdk/module/types.ts'
import { describeEvent } from '../runner/describeEvent.ts'
import type { ModuleTrapError } from '../runner/ModuleTrapError.ts'
import type { ModuleRecords, ParkedEvent, PersistedSupervisorState } from '../store/createModuleRecords.ts'
import type { EngineRecords, EngineWrite } from '../store/createStore.ts'
import { skippedEventsCounter } from './skippedEventsCounter.ts'

export type CreatePoisonStateParameters = {
  /** The module's name (its log lines). */
  name: string
  /** The instance (`<name>` or `<name>@<chainId>`): its `/healthz` source and the name to release. */
  key: string
  /** The labels of its metrics. */
  labels: { module: string; chain_id?: string }
  settings: Pick<SupervisorConfig, 'poison_window_s' | 'replay_limit'>
  /** The engine's records of this module; without them (unit tests) the state lives in memory. */
  persist?: { records: ModuleRecords; engine: EngineRecords }
  health?: Pick<HealthBoard, 'degraded' | 'ok'>
  metrics?: Pick<EngineMetrics, 'registry' | 'modulePoisoned'>
  log: LogHost
  now(): number
}

/** What `state()` shows of the parked state. */
export type PoisonSnapshot = {
  skipped: PersistedSupervisorState['skipped']
  parked: number
  lost: number
  poisonedReason: string | null
}

export type PoisonState = {
  /** True from a poisoning until the release. */
  readonly poisoned: boolean
  /** How many parked events wait to be processed. */
  readonly parkedCount: number
  /** Traps within `poison_window_s` of the last one recorded (since the release). */
  readonly trapsInWindow: number
  /** Records a trap at `at` (ms since the epoch); the ones older than the window are forgotten. */
  recordTrap(at: number): void
  /** Parks the module: gauge 1, a `/healthz` reason, the parked state stored. */
  poison(trap: ModuleTrapError, permanent: boolean): void
  /**
   * Keeps an event for after a release: stored (with its mark) before the dispatch may complete.
   * `replayed` is the parked entry it came from; it goes back to the front, counted once.
   */
  park(event: ModuleEvent, replayed: ParkedEvent | undefined): Promise<void>
  /** The oldest parked event, taken out to be replayed. */
  takeParked(): ParkedEvent | undefined
  /** Un-parks: gauge 0, `/healthz` ok, the trap window cleared, the state stored. Only while poisoned. */
  release(): void
  snapshot(): PoisonSnapshot
}

const noSkips = (): PersistedSupervisorState['skipped'] => ({ events: 0, first: null })

/**
 * The poisoned (parked) state of one supervised module: whether and why it is parked, the traps
 * within the poison window, the events kept for it while parked (up to `replay_limit`, then only
 * counted as lost) and the skipped count. With `persist` it survives an engine restart: a module
 * parked when the engine stopped starts parked, with the events it was kept.
 *
 * @example
 * const poison = createPoisonState({ name, key: name, labels: { module: name }, settings, log, now: Date.now })
 * poison.recordTrap(Date.now())
 * if (poison.trapsInWindow >= settings.poison_after) poison.poison(trap, false)
 * if (poison.poisoned) await poison.park(event, undefined)
 */
export function createPoisonState(parameters: CreatePoisonStateParameters): PoisonState {
  const { name, key, labels, settings, persist, health, metrics, log, now } = parameters
  const skippedCounter = metrics ? skippedEventsCounter(metrics.registry) : undefined
  const persisted = persist?.records.loadState()
  let poisoned = Boolean(persisted?.poisoned)
  let trapTimes: number[] = []
  let skipped = persisted?.skipped ?? noSkips()
  let poisonedReason: string | null = persisted?.poisoned?.reason ?? null
  let poisonedAt = persisted?.poisoned?.at ?? 0
  // Events that came while parked: the cursor moved on (the other modules must not wait), so this
  // module's only copy of them is here (and in the engine's database), replayed after a release.
  const parked: ParkedEvent[] = persist?.records.loadParked() ?? []
  let nextSeq = (parked.at(-1)?.seq ?? 0) + 1
  let lost = persisted?.lost ?? 0

  const release = `release it with \`shepherd release ${key}\``
  metrics?.modulePoisoned.set(labels, poisoned ? 1 : 0)
  if (poisoned) {
    health?.degraded(`module:${key}`, 'poisoned', `parked since before this start (${poisonedReason}); ${release}`, { parked: parked.length })
    log.warn('module is parked (it was when the engine stopped): it keeps its events until released', { module: name, reason: poisonedReason, parked: parked.length, lost, hint: `shepherd release ${key}` })
  }

  const persistedState = (): PersistedSupervisorState => ({
    poisoned: poisoned ? { reason: poisonedReason ?? '', at: poisonedAt } : null,
    lost,
    skipped,
  })

  /** Writes the parked state on its own (a release, a poisoning); a refused write is counted by the store. */
  function saveState() {
    persist?.engine.write([persist.records.stateWrite(persistedState())]).catch((error: unknown) => log.error('could not store the parked state of a module', { module: name, error: errorMessage(error) }))
  }

  return {
    get poisoned() {
      return poisoned
    },
    get parkedCount() {
      return parked.length
    },
    get trapsInWindow() {
      return trapTimes.length
    },
    recordTrap(at) {
      trapTimes = [...trapTimes.filter((t) => t > at - settings.poison_window_s * 1000), at]
    },
    poison(trap, permanent) {
      poisoned = true
      poisonedAt = now()
      const cause = errorMessage(trap.cause ?? trap)
      poisonedReason = permanent
        ? `permanent error (not retried): ${trap.kind} during ${trap.during}: ${cause}`
        : `${trapTimes.length} traps within ${settings.poison_window_s}s; last: ${trap.kind} during ${trap.during}: ${cause}`
      metrics?.modulePoisoned.set(labels, 1)
      health?.degraded(`module:${key}`, 'poisoned', `${permanent ? 'parked at once' : 'parked after repeated traps'}: ${poisonedReason}; ${release}`)
      log.error('module poisoned: parked until released', { module: name, reason: poisonedReason, ...(permanent ? { error: errorMessage(trap.cause ?? trap).slice(0, 2000) } : {}), hint: `shepherd release ${key}` })
      saveState()
    },
    async park(event, replayed) {
      if (replayed) return void parked.unshift(replayed)
      const keep = parked.length < settings.replay_limit
      const entry: ParkedEvent = { seq: nextSeq, event }
      const before = { skipped, lost }
      const block = event.kind === 'reorg' ? event.reorg.fromBlock : event.block.number
      const chainId = event.kind === 'reorg' ? event.reorg.chainId : event.block.chainId
      skipped = { events: skipped.events + 1, first: skipped.first ?? { event: describeEvent(event), chainId, block: block.toString(), at: now() } }
      if (!keep) lost++
      if (persist) {
        const writes: EngineWrite[] = [...(keep ? persist.records.parkWrites(entry.seq, event) : persist.records.markWrites(event)), persist.records.stateWrite(persistedState())]
        try {
          await persist.engine.write(writes)
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
    },
    takeParked: () => parked.shift(),
    release() {
      if (!poisoned) return
      poisoned = false
      trapTimes = []
      poisonedReason = null
      metrics?.modulePoisoned.set(labels, 0)
      health?.ok(`module:${key}`, 'poisoned')
      saveState()
      log.info('module released: starts fresh at the next event, after replaying what it missed', { module: name, parked: parked.length, lost })
    },
    snapshot: () => ({ skipped: { events: skipped.events, first: skipped.first }, parked: parked.length, lost, poisonedReason }),
  }
}
