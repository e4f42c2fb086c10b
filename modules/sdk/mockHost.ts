import type { ClockHost, HealthHost, Host, LogFields, LogHost, MetricsHost, ModuleDefinition } from './module/types.ts'
import { createFaultRegistry, createRandom, type FaultHandle, type FaultSpec, type MockFault } from './mockHost/faults.ts'
import { createMockChain, type MockChain } from './mockHost/mockChain.ts'
import { createMockCowApi, type MockCowApi } from './mockHost/mockCowApi.ts'
import { createMockStore, createMockStoreBackend, type MockStore, type MockStoreBackend } from './mockHost/mockStore.ts'
import { createRecorder, type MockOperation, type MockRecord, type MockRecordOf } from './mockHost/records.ts'
import { MockHostError, type OperationContext } from './mockHost/runOperation.ts'

export type CreateMockHostParameters = {
  /** The module name, or the module itself (its `name` is used): it names the store namespace. */
  module: string | Pick<ModuleDefinition<never>, 'name'>
  /** Initial clock, ms since the epoch (default 1_700_000_000_000). */
  now?: number
  /** Seed of the garbage generator (default 1), so a failing fuzz case replays. */
  seed?: number
  /** Share a store backend between hosts (namespaced per module name). */
  storeBackend?: MockStoreBackend
}

export type MockLogEntry = { level: 'debug' | 'info' | 'warn' | 'error'; message: string; fields: LogFields | undefined }
export type MockAlert = { kind: string; message: string; fields: LogFields | undefined }
/** An error the module reported through `host.metrics.error`. */
export type MockModuleError = { kind: string; message: string; fields: LogFields | undefined }
/** `host.health` plus the checks that are degraded now (check -> reason and fields). */
export type MockHealth = HealthHost & { checks: ReadonlyMap<string, { reason: string; fields: LogFields | undefined }> }
export type MockClock = ClockHost & { set(ms: number): void; advance(ms: number): void }

export type MockFaults = {
  inject(spec: FaultSpec): FaultHandle
  /** The next `times` (default 1) operations on `on` reject (with `error`, or the operation's transport error). */
  throwNext(on: FaultSpec['on'], times?: number, error?: unknown): FaultHandle
  /** The next `times` operations on `on` reject with a timeout after `afterMs`. */
  timeoutNext(on: FaultSpec['on'], times?: number, afterMs?: number): FaultHandle
  /** The next `times` operations on `on` never answer (released after `maxMs` or at dispose). */
  hangNext(on: FaultSpec['on'], times?: number, maxMs?: number): FaultHandle
  /** The next `times` operations on `on` answer garbage (random invalid hex, wrong shapes). */
  garbageNext(on: FaultSpec['on'], times?: number): FaultHandle
  clear(): void
}

/** A Host for unit tests, plus the controls and records to program and inspect it. */
export type MockHost = Host & {
  /** Exactly the Host (no controls), to hand to code that must not see the mock's extras. */
  host: Host
  chain: MockChain
  cowApi: MockCowApi
  store: MockStore
  clock: MockClock
  logs: MockLogEntry[]
  alerts: MockAlert[]
  /** Errors the module reported and handled (`host.metrics.error`), in order. */
  errors: MockModuleError[]
  health: MockHealth
  faults: MockFaults
  /** Every Host operation, in call order. */
  records: MockRecord[]
  recordsOf<op extends MockOperation>(op: op): Array<MockRecordOf<op>>
  /** Releases hung operations and pending timers. Call it in afterEach. */
  dispose(): void
}

/**
 * Builds a MockHost: programmable chain and orderbook answers, an in-memory namespaced store
 * (JSON-with-bigint), captured logs and alerts, a settable clock, fault injection, and a record of
 * every operation.
 *
 * @example
 * const mock = createMockHost({ module: 'twap-monitor', now: 1_700_000_000_000 })
 * mock.chain.onCall({ selector: '0x26e0a196' }, { revert: tryNextBlockData })
 * await twapMonitor.onBlock!({ host: mock, config, block })
 * expect(mock.cowApi.submissions).toHaveLength(0)
 * mock.dispose()
 */
export function createMockHost(parameters: CreateMockHostParameters): MockHost {
  const module = typeof parameters.module === 'string' ? parameters.module : parameters.module.name
  if (typeof module !== 'string' || module.length === 0) throw new TypeError('createMockHost: module must be a module name or a module definition')
  let now = parameters.now ?? 1_700_000_000_000
  if (!Number.isFinite(now)) throw new TypeError(`createMockHost: now must be a finite number of ms, found ${String(parameters.now)}`)

  const recorder = createRecorder()
  const faultRegistry = createFaultRegistry()
  const context: OperationContext = { faults: faultRegistry, random: createRandom(parameters.seed ?? 1), timers: new Set(), hung: new Set() }
  const chain = createMockChain(recorder, context)
  const cowApi = createMockCowApi(recorder, context)
  const store = createMockStore(parameters.storeBackend ?? createMockStoreBackend(), module)

  const logs: MockLogEntry[] = []
  const alerts: MockAlert[] = []
  const errors: MockModuleError[] = []
  const logAt = (level: MockLogEntry['level']) => (message: string, fields?: LogFields) => void logs.push({ level, message, fields })
  const log: LogHost = { debug: logAt('debug'), info: logAt('info'), warn: logAt('warn'), error: logAt('error') }
  const metrics: MetricsHost = {
    alert(kind, message, fields) {
      alerts.push({ kind, message, fields })
      logs.push({ level: 'warn', message, fields: { ...fields, alert: kind } })
    },
    error(kind, message, fields) {
      errors.push({ kind, message, fields })
      logs.push({ level: 'warn', message, fields: { ...fields, error_kind: kind } })
    },
  }
  const checks = new Map<string, { reason: string; fields: LogFields | undefined }>()
  const health: MockHealth = {
    checks,
    degraded(check, reason, fields) {
      if (checks.get(check)?.reason !== reason) logs.push({ level: 'warn', message: `health check "${check}" degraded: ${reason}`, fields: { ...fields, check } })
      checks.set(check, { reason, fields })
    },
    ok(check) {
      if (checks.delete(check)) logs.push({ level: 'info', message: `health check "${check}" ok again`, fields: { check } })
    },
  }
  const clock: MockClock = {
    now: () => now,
    set(ms) {
      if (!Number.isFinite(ms)) throw new TypeError(`clock.set: ms must be finite, found ${String(ms)}`)
      now = ms
    },
    advance(ms) {
      if (!Number.isFinite(ms) || ms < 0) throw new TypeError(`clock.advance: ms must be finite and >= 0, found ${String(ms)}`)
      now += ms
    },
  }
  const inject = (on: FaultSpec['on'], fault: MockFault, times?: number) => faultRegistry.inject({ on, fault, ...(times !== undefined && { times }) })
  const faults: MockFaults = {
    inject: (spec) => faultRegistry.inject(spec),
    throwNext: (on, times, error) => inject(on, error === undefined ? { kind: 'throw' } : { kind: 'throw', error }, times),
    timeoutNext: (on, times, afterMs) => inject(on, { kind: 'timeout', ...(afterMs !== undefined && { afterMs }) }, times),
    hangNext: (on, times, maxMs) => inject(on, { kind: 'hang', ...(maxMs !== undefined && { maxMs }) }, times),
    garbageNext: (on, times) => inject(on, { kind: 'garbage' }, times),
    clear: () => faultRegistry.clear(),
  }

  const host: Host = Object.freeze({
    module,
    chain: Object.freeze({ request: chain.request, call: chain.call, multicall: chain.multicall, getBalance: chain.getBalance }),
    cowApi: Object.freeze({ submitOrder: cowApi.submitOrder, getOrder: cowApi.getOrder, getAppData: cowApi.getAppData, request: cowApi.request }),
    store: Object.freeze({ get: store.get, set: store.set, delete: store.delete, list: store.list }),
    log: Object.freeze({ ...log }),
    clock: Object.freeze({ now: clock.now }),
    metrics: Object.freeze({ ...metrics }),
    health: Object.freeze({ degraded: health.degraded, ok: health.ok }),
  })

  return {
    module,
    host,
    chain,
    cowApi,
    store,
    log,
    clock,
    metrics,
    health,
    logs,
    alerts,
    errors,
    faults,
    records: recorder.all,
    recordsOf: (op) => recorder.of(op),
    dispose() {
      for (const release of [...context.hung]) release(new MockHostError('MockHost disposed while an operation hung'))
      for (const timer of context.timers) clearTimeout(timer)
      context.timers.clear()
      faultRegistry.clear()
    },
  }
}
