import { describe, expect, test, vi } from 'vitest'
import { createMockHost } from '../../modules/sdk/mockHost.ts'
import type { ModuleEvent } from '../dispatch/types.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import type { BlockRef } from '../../modules/sdk/module/types.ts'
import { ModuleTrapError } from '../runner/ModuleTrapError.ts'
import { createSupervisedRunner, type TrappableRunner } from './createSupervisedRunner.ts'

const blockEvent = (number: bigint): ModuleEvent => ({ kind: 'block', block: { chainId: 11155111, number, hash: '0x01', parentHash: '0x00', timestamp: number } satisfies BlockRef })

/** A fake module life: traps while `failures` remain, records processed blocks, counts starts. */
function fakeModule(options: { failures: number; kind?: ModuleTrapError['kind'] }) {
  const record = { starts: 0, stops: 0, processed: [] as bigint[], failuresLeft: options.failures }
  const start = (): TrappableRunner => {
    record.starts++
    return {
      async init() {},
      async run(event) {
        if (event.kind !== 'block') return
        if (record.failuresLeft > 0) {
          record.failuresLeft--
          if (options.kind && options.kind !== 'throw') throw new ModuleTrapError({ module: 'fake', kind: options.kind, during: `block ${event.block.number}` })
          throw new Error('handler failed')
        }
        record.processed.push(event.block.number)
      },
      async stop() {
        record.stops++
      },
    }
  }
  return { record, start }
}

async function metricValue(metrics: ReturnType<typeof createMetrics>, name: string, labels: Record<string, string>) {
  const metric = metrics.registry.getSingleMetric(name)
  const values = (await metric?.get())?.values ?? []
  return values.find((v) => Object.entries(labels).every(([k, l]) => v.labels[k] === l))?.value ?? 0
}

function setup(failures: number, supervisor: Record<string, number>, kind?: ModuleTrapError['kind']) {
  const fake = fakeModule({ failures, kind })
  const metrics = createMetrics()
  const mock = createMockHost({ module: 'fake' })
  const delays: number[] = []
  let clock = 1_000_000
  const runner = createSupervisedRunner({
    name: 'fake',
    subscriptions: { blocks: [{ chainId: 11155111 }] },
    start: fake.start,
    supervisor,
    metrics,
    log: mock.log,
    sleep: async (ms) => void delays.push(ms),
    now: () => clock,
  })
  return { fake, metrics, mock, delays, runner, advance: (ms: number) => (clock += ms) }
}

describe('createSupervisedRunner', () => {
  test('behavior: a trap restarts the module after a doubling, capped backoff and retries the same event once', async () => {
    const { fake, metrics, delays, runner } = setup(5, { backoff_initial_ms: 10, backoff_max_ms: 40, poison_after: 100 })
    await runner.init()
    await runner.handle(blockEvent(7n))
    expect(delays).toEqual([10, 20, 40, 40, 40])
    expect(fake.record.processed).toEqual([7n])
    expect(fake.record.starts).toBe(6)
    expect(fake.record.stops).toBe(5)
    expect(await metricValue(metrics, 'shepherd_module_restarts_total', { module: 'fake' })).toBe(5)
    expect(await metricValue(metrics, 'shepherd_module_traps_total', { module: 'fake', kind: 'throw' })).toBe(5)
    // Traps are not errors the module handled: those come only from host.metrics.error.
    expect(await metricValue(metrics, 'shepherd_module_errors_total', { module: 'fake', error_kind: 'throw' })).toBe(0)
    expect(runner.state()).toMatchObject({ status: 'running', traps: 5, restarts: 5, lastError: { kind: 'throw', during: 'block 7' } })
  })

  test('behavior: a success resets the backoff to its initial delay', async () => {
    const { fake, delays, runner } = setup(2, { backoff_initial_ms: 10, backoff_max_ms: 1000, poison_after: 100 })
    await runner.handle(blockEvent(1n))
    fake.record.failuresLeft = 1
    await runner.handle(blockEvent(2n))
    expect(delays).toEqual([10, 20, 10])
    expect(fake.record.processed).toEqual([1n, 2n])
  })

  test('behavior: trap kinds are counted by kind', async () => {
    const { metrics, runner } = setup(2, { backoff_initial_ms: 1, poison_after: 100 }, 'oom')
    await runner.handle(blockEvent(1n))
    expect(await metricValue(metrics, 'shepherd_module_traps_total', { module: 'fake', kind: 'memory' })).toBe(2)
    expect(await metricValue(metrics, 'shepherd_module_traps_total', { module: 'fake', kind: 'throw' })).toBe(0)
  })

  test('behavior: poison after poison_after traps in the window; skipped events are counted with the first block; release replays them in order, then runs on', async () => {
    const { fake, metrics, mock, runner } = setup(Number.POSITIVE_INFINITY, { backoff_initial_ms: 10, poison_after: 5, poison_window_s: 600 })
    await runner.handle(blockEvent(10n))
    expect(runner.state()).toMatchObject({ status: 'poisoned', traps: 5, restarts: 4 })
    expect(runner.state().poisonedReason).toContain('5 traps within 600s')
    expect(await metricValue(metrics, 'shepherd_module_poisoned', { module: 'fake' })).toBe(1)
    expect(mock.logs.some((l) => l.level === 'error' && l.message.startsWith('module poisoned'))).toBe(true)

    await runner.handle(blockEvent(11n))
    await runner.handle(blockEvent(12n))
    expect(fake.record.starts).toBe(5)
    expect(runner.state().skipped).toEqual({ events: 3, first: { event: 'block 10', chainId: 11155111, block: '10', at: expect.any(Number) } })
    expect(await metricValue(metrics, 'shepherd_module_skipped_events_total', { module: 'fake' })).toBe(3)

    fake.record.failuresLeft = 0
    expect(runner.release().released).toBe(true)
    expect(await metricValue(metrics, 'shepherd_module_poisoned', { module: 'fake' })).toBe(0)
    expect(runner.state()).toMatchObject({ status: 'running', traps: 0, parked: 3, lost: 0 })
    await runner.handle(blockEvent(13n))
    // Nothing the module missed while parked is lost: 10-12 first, in order, then 13.
    expect(fake.record.processed).toEqual([10n, 11n, 12n, 13n])
    expect(runner.state()).toMatchObject({ parked: 0, lost: 0 })
    expect(fake.record.starts).toBe(6)
    expect(runner.release().released).toBe(false)
  })

  test('behavior: past replay_limit a parked module counts events as lost, and says so', async () => {
    const { fake, mock, runner } = setup(Number.POSITIVE_INFINITY, { backoff_initial_ms: 1, poison_after: 1, replay_limit: 2 })
    for (const n of [1n, 2n, 3n, 4n]) await runner.handle(blockEvent(n))
    expect(runner.state()).toMatchObject({ status: 'poisoned', parked: 2, lost: 2 })
    expect(mock.logs.some((l) => l.level === 'error' && l.message.includes('replay_limit reached'))).toBe(true)
    fake.record.failuresLeft = 0
    runner.release()
    await runner.handle(blockEvent(5n))
    expect(fake.record.processed).toEqual([1n, 2n, 5n])
    expect(runner.state()).toMatchObject({ parked: 0, lost: 2 })
  })

  test('behavior: a module parked again while replaying keeps the rest parked in order, counted once', async () => {
    const { fake, metrics, runner } = setup(Number.POSITIVE_INFINITY, { backoff_initial_ms: 1, poison_after: 1 })
    for (const n of [1n, 2n, 3n]) await runner.handle(blockEvent(n))
    expect(await metricValue(metrics, 'shepherd_module_skipped_events_total', { module: 'fake' })).toBe(3)
    // Released while still broken: block 1 traps again, so 1..3 stay parked, and 4 joins behind them.
    runner.release()
    await runner.handle(blockEvent(4n))
    expect(runner.state()).toMatchObject({ status: 'poisoned', parked: 4 })
    expect(await metricValue(metrics, 'shepherd_module_skipped_events_total', { module: 'fake' })).toBe(4)
    fake.record.failuresLeft = 0
    runner.release()
    await runner.handle(blockEvent(5n))
    expect(fake.record.processed).toEqual([1n, 2n, 3n, 4n, 5n])
  })

  test('behavior: traps spread wider than the poison window never poison', async () => {
    const { fake, runner, advance } = setup(0, { backoff_initial_ms: 1, poison_after: 3, poison_window_s: 60 })
    for (let n = 1n; n <= 6n; n++) {
      fake.record.failuresLeft = 1
      await runner.handle(blockEvent(n))
      advance(31_000)
    }
    expect(runner.state()).toMatchObject({ status: 'running', traps: 6 })
    expect(fake.record.processed).toEqual([1n, 2n, 3n, 4n, 5n, 6n])
  })

  test('behavior: a trap in init is supervised like one in an event', async () => {
    let starts = 0
    const metrics = createMetrics()
    const runner = createSupervisedRunner({
      name: 'init-fails',
      subscriptions: {},
      start: () => ({
        init: async () => {
          if (++starts < 3) throw new Error('init failed')
        },
        run: async () => {},
        stop: async () => {},
      }),
      supervisor: { backoff_initial_ms: 1 },
      metrics,
      log: createMockHost({ module: 'init-fails' }).log,
      sleep: async () => {},
    })
    await runner.init()
    expect(runner.state()).toMatchObject({ status: 'running', traps: 2, restarts: 2, lastError: { during: 'init' } })
  })

  test('behavior: stop during a backoff rejects the pending event instead of waiting', async () => {
    const { runner } = (() => {
      const fake = fakeModule({ failures: Number.POSITIVE_INFINITY })
      const runner = createSupervisedRunner({ name: 'fake', subscriptions: {}, start: fake.start, supervisor: { backoff_initial_ms: 60_000 }, log: createMockHost({ module: 'fake' }).log })
      return { runner }
    })()
    const pending = runner.handle(blockEvent(1n))
    await vi.waitFor(() => expect(runner.state().status).toBe('backoff'))
    await runner.stop()
    await expect(pending).rejects.toThrow('stopped')
  })
})
