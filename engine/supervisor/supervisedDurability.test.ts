import { describe, expect, test } from 'vitest'
import { createMockHost } from '../../modules/sdk/mockHost.ts'
import type { ModuleEvent } from '../dispatch/types.ts'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { ChainMethodNotFoundError, ChainRequestTooLargeError } from '../../modules/sdk/errors/chain.ts'
import { ConfigError } from '../errors/config.ts'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import { ModuleTrapError } from '../runner/ModuleTrapError.ts'
import { createHealthBoard } from '../health/createHealthBoard.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import type { BlockRef } from '../../modules/sdk/module/types.ts'
import type { EngineStore } from '../store/createStore.ts'
import { useTempStore, type TempStore } from '../testing/useTempStore.ts'
import { createSupervisedRunner, type CreateSupervisedRunnerParameters, type TrappableRunner } from './createSupervisedRunner.ts'

// The supervisor with a real lmdb store: what survives a restart (close and reopen the store).
const chainId = 11155111
const hash = (n: bigint, branch = 0) => `0x${branch.toString(16)}${n.toString(16).padStart(63, '0')}` as const
const block = (n: bigint, branch = 0): BlockRef => ({ chainId, number: n, hash: hash(n, branch), parentHash: hash(n - 1n, branch), timestamp: n })
const blockEvent = (n: bigint, branch = 0): ModuleEvent => ({ kind: 'block', block: block(n, branch) })
const logsEvent = (n: bigint): ModuleEvent => ({ kind: 'logs', block: block(n), logs: [] })

const stores = useTempStore('shepherd-supervised-')
let store: EngineStore | undefined
/** Opens (or reopens: a restart) the store of this test. */
function reopen(options: Parameters<TempStore['open']>[0] = {}) {
  store = stores.open(options)
  return store
}

/**
 * A module life that records what it handled in its store (`seen:<event>` counts) and in `handled`
 * (every run, committed or not); it throws while `failing` says so.
 */
function countingLife(s: EngineStore, record: { handled: string[]; failing: (event: ModuleEvent) => boolean; starts: number }): () => TrappableRunner {
  const moduleStore = s.forModule('counter')
  return () => {
    record.starts++
    return {
      init: async () => {},
      async run(event) {
        const id = event.kind === 'reorg' ? `reorg:${event.reorg.fromBlock}` : `${event.kind}:${event.block.number}:${event.block.hash.slice(0, 3)}`
        record.handled.push(id)
        await moduleStore.set(`seen:${id}`, ((await moduleStore.get<number>(`seen:${id}`)) ?? 0) + 1)
        if (record.failing(event)) throw new Error(`fails on ${id}`)
      },
      stop: async () => {},
    }
  }
}

function supervise(s: EngineStore, overrides: Partial<CreateSupervisedRunnerParameters> & { failing?: (event: ModuleEvent) => boolean } = {}) {
  const record = { handled: [] as string[], failing: overrides.failing ?? (() => false), starts: 0 }
  const metrics = createMetrics()
  const health = createHealthBoard()
  const mock = createMockHost({ module: 'counter' })
  const delays: number[] = []
  const runner = createSupervisedRunner({
    name: 'counter',
    subscriptions: { blocks: [{ chainId }] },
    start: countingLife(s, record),
    store: s,
    health,
    metrics,
    log: mock.log,
    sleep: async (ms) => void delays.push(ms),
    supervisor: { backoff_initial_ms: 10, poison_after: 1 },
    ...overrides,
  })
  const gauge = async () => (await metrics.modulePoisoned.get()).values.find((v) => v.labels.module === 'counter')?.value
  return { runner, record, metrics, health, mock, delays, gauge }
}

const seen = async (s: EngineStore) => Object.fromEntries(await s.forModule('counter').list<number>('seen:'))

describe('supervisor with the store: exactly once across restarts', () => {
  test('behavior: an event committed before a restart is skipped when the ingestor delivers it again; the logs of a block whose block event never committed are skipped, the block event runs', async () => {
    const first = supervise(reopen())
    await first.runner.handle(blockEvent(1n))
    await first.runner.handle(logsEvent(2n))
    await store!.close() // killed before block 2's block event
    const second = supervise(reopen())
    for (const event of [blockEvent(1n), logsEvent(2n), blockEvent(2n), blockEvent(3n)]) await second.runner.handle(event)
    expect(second.record.handled).toEqual(['block:2:0x0', 'block:3:0x0'])
    expect(await seen(store!)).toEqual({ 'seen:block:1:0x0': 1, 'seen:logs:2:0x0': 1, 'seen:block:2:0x0': 1, 'seen:block:3:0x0': 1 })
  })

  test('behavior: a block the module handled on a branch the chain dropped while the engine was down brings a reorg notice first, then the new block', async () => {
    const first = supervise(reopen())
    await first.runner.handle(blockEvent(1n))
    await first.runner.handle(blockEvent(2n))
    await store!.close()
    const second = supervise(reopen())
    await second.runner.handle(blockEvent(1n))
    await second.runner.handle(blockEvent(2n, 1)) // block 2 is another block now
    await second.runner.handle(blockEvent(3n, 1))
    expect(second.record.handled).toEqual(['reorg:2', 'block:2:0x1', 'block:3:0x1'])
  })

  test('behavior: a refused commit runs the event again in the same life after a backoff, without a trap; the dispatch resolves once it is stored', async () => {
    const failKeys = new Set(['seen:block:5:0x0'])
    const storeMetrics = createMetrics()
    const s = reopen({
      metrics: storeMetrics,
      injectWriteFault: ({ key }) => {
        if (failKeys.delete(key)) throw new Error('ENOSPC: injected')
      },
    })
    const delays: number[] = []
    let openGate!: () => void
    const gate = new Promise<void>((resolve) => (openGate = resolve))
    const { runner, record, metrics } = supervise(s, { sleep: async (ms) => (delays.push(ms), gate) })
    let resolved = false
    const handled = runner
      .handle(blockEvent(5n))
      .then((receipt) => receipt?.stored)
      .then(() => void (resolved = true))
    await expect.poll(() => delays.length).toBe(1)
    // Refused and waiting to run it again: the dispatch is not done, so the cursor cannot pass it.
    expect(resolved).toBe(false)
    openGate()
    await handled
    const refused = (await storeMetrics.registry.getSingleMetric('shepherd_store_write_errors_total')!.get()).values
    expect(refused).toEqual([expect.objectContaining({ labels: { database: 'module:counter' }, value: 1 })])
    expect(record.handled).toEqual(['block:5:0x0', 'block:5:0x0'])
    expect(record.starts).toBe(1)
    expect(delays).toEqual([10])
    expect(runner.state()).toMatchObject({ status: 'running', traps: 0 })
    expect((await metrics.moduleTraps.get()).values).toEqual([])
    // Counted once: the refused transaction left nothing behind, the retry stored one increment.
    expect(await seen(s)).toEqual({ 'seen:block:5:0x0': 1 })
  })

  test('behavior: the next event runs while the last commits are in flight; a refused one runs again, in order, with every event after it; each is stored once and `stored` resolves in order', async () => {
    const failKeys = new Set(['seen:block:3:0x0'])
    const s = reopen({
      injectWriteFault: ({ key }) => {
        if (failKeys.delete(key)) throw new Error('EIO: injected')
      },
    })
    const { runner, record, delays, metrics } = supervise(s)
    const storedOrder: bigint[] = []
    const stored: Array<Promise<unknown>> = []
    let firstStoredAtOnce = true
    for (const n of [1n, 2n, 3n, 4n, 5n, 6n]) {
      const receipt = await runner.handle(blockEvent(n))
      expect(receipt).toBeDefined()
      let done = false
      stored.push(receipt!.stored.then(() => ((done = true), storedOrder.push(n))))
      if (n === 1n) firstStoredAtOnce = done
    }
    expect(firstStoredAtOnce).toBe(false) // processed and handed back before its commit landed
    await Promise.all(stored)
    expect(storedOrder).toEqual([1n, 2n, 3n, 4n, 5n, 6n])
    const ids = (n: number) => `block:${n}:0x0`
    // Block 3 ran twice; so did every block after it that ran before its refusal was known, in order.
    const again = record.handled.indexOf(ids(3), record.handled.indexOf(ids(3)) + 1)
    expect(again).toBeGreaterThan(0)
    expect(record.handled.slice(0, again)).toEqual([1, 2, 3, 4, 5, 6].slice(0, again).map(ids))
    expect(record.handled.slice(again)).toEqual([3, 4, 5, 6].map(ids))
    expect(delays).toEqual([10])
    expect(runner.state()).toMatchObject({ status: 'running', traps: 0 })
    expect((await metrics.moduleTraps.get()).values).toEqual([])
    await s.flush()
    expect(await seen(s)).toEqual(Object.fromEntries([1, 2, 3, 4, 5, 6].map((n) => [`seen:${ids(n)}`, 1])))
  })

  test('behavior: a trapped event keeps the writes it made before the trap, without its mark: it runs again', async () => {
    let fail = true
    const { runner, record } = supervise(reopen(), { failing: () => fail && !(fail = false), supervisor: { backoff_initial_ms: 1, poison_after: 5 } })
    await runner.handle(blockEvent(7n))
    expect(record.handled).toEqual(['block:7:0x0', 'block:7:0x0'])
    expect(await seen(store!)).toEqual({ 'seen:block:7:0x0': 2 })
    await store!.close()
    const again = supervise(reopen())
    await again.runner.handle(blockEvent(7n))
    expect(again.record.handled).toEqual([])
  })
})

describe('supervisor with the store: permanent errors', () => {
  test('behavior: a ConfigError while loading parks the module at once with the reason, without burning restarts', async () => {
    let starts = 0
    const { runner, health, gauge, delays } = supervise(reopen(), {
      supervisor: { backoff_initial_ms: 10, poison_after: 5 },
      start: () => {
        starts++
        return {
          init: async () => {
            throw new ConfigError('Invalid value for modules.0.config.chainId: expected number', { file: '/etc/engine.toml', key: 'modules.0.config.chainId', expected: 'number', found: '"x"' })
          },
          run: async () => {},
          stop: async () => {},
        }
      },
    })
    await runner.init()
    expect(starts).toBe(1)
    expect(delays).toEqual([])
    expect(runner.state()).toMatchObject({ status: 'poisoned', traps: 1, restarts: 0 })
    expect(runner.state().poisonedReason).toMatch(/^permanent error \(not retried\): throw during init: Invalid value for modules\.0\.config\.chainId/)
    expect(await gauge()).toBe(1)
    expect(health.problems()).toEqual([expect.objectContaining({ source: 'module:counter', check: 'poisoned', reason: `parked at once: ${runner.state().poisonedReason}; release it with \`shepherd release counter\`` })])
  })

  test.each([
    ['a CowApiError 404 (a wrong orderbook_url)', () => new CowApiError({ status: 404, description: '<html>Not Found</html>' })],
    ['a CowApiError 403 (a WAF)', () => new CowApiError({ status: 403, description: 'Forbidden by policy' })],
    ['a ChainRequestTooLargeError', () => new ChainRequestTooLargeError({ chainId, method: 'eth_call', bytes: 3_000_000, answer: 'HTTP 413' })],
    ['a ChainMethodNotFoundError', () => new ChainMethodNotFoundError({ chainId, method: 'eth_getProof' })],
    ['a plain ShepherdError (action defaults to stop)', () => new ShepherdError('something no retry fixes')],
    ['a ConfigError (not while loading)', () => new ConfigError('Bad value', { file: 'x.toml', key: 'k' })],
  ])('behavior: %s thrown by a handler at run time is a trap: restarts with backoff, parked only after poison_after traps', async (_, make) => {
    const thrown = make()
    expect(thrown.action).toBe('stop')
    let starts = 0
    const { runner, delays } = supervise(reopen(), {
      supervisor: { backoff_initial_ms: 10, poison_after: 3 },
      start: () => {
        starts++
        return { init: async () => {}, run: async () => Promise.reject(make()), stop: async () => {} }
      },
    })
    await runner.init()
    await runner.handle(blockEvent(1n))
    expect(starts).toBe(3)
    expect(delays).toEqual([10, 20])
    expect(runner.state()).toMatchObject({ status: 'poisoned', traps: 3, restarts: 2 })
    expect(runner.state().poisonedReason).toMatch(/^3 traps within/)
  })

  test('behavior: a ConfigError when a dead worker loads the module again inside an event (trap during "start") parks at once', async () => {
    const config = new ConfigError('Module "counter" could not be loaded', { file: 'engine.toml', key: 'modules.0.path' })
    const { runner, delays } = supervise(reopen(), {
      supervisor: { backoff_initial_ms: 10, poison_after: 5 },
      start: () => ({ init: async () => {}, run: async () => Promise.reject(new ModuleTrapError({ module: 'counter', kind: 'throw', during: 'start', cause: config })), stop: async () => {} }),
    })
    await runner.handle(blockEvent(1n))
    expect(delays).toEqual([])
    expect(runner.state()).toMatchObject({ status: 'poisoned', traps: 1, restarts: 0 })
    expect(runner.state().poisonedReason).toMatch(/^permanent error \(not retried\): throw during start/)
  })

  test('behavior: a plain error is a trap with restarts, not a permanent error', async () => {
    const { runner, record } = supervise(reopen(), { failing: () => true, supervisor: { backoff_initial_ms: 1, poison_after: 3 } })
    await runner.handle(blockEvent(1n))
    expect(record.starts).toBe(3)
    expect(runner.state()).toMatchObject({ status: 'poisoned', traps: 3, restarts: 2 })
    expect(runner.state().poisonedReason).toMatch(/^3 traps within/)
  })
})

describe('supervisor with the store: a parked module across restarts', () => {
  test('behavior: a restart keeps the module parked (gauge 1 at start, health reason, no start) with the events it missed; a release replays them in order, then runs on; nothing is parked twice', async () => {
    let broken = true
    const first = supervise(reopen(), { failing: () => broken })
    for (const n of [1n, 2n, 3n]) await first.runner.handle(blockEvent(n))
    expect(first.runner.state()).toMatchObject({ status: 'poisoned', parked: 3 })
    await store!.close()

    const second = supervise(reopen(), { failing: () => broken })
    expect(await second.gauge()).toBe(1)
    expect(second.runner.state()).toMatchObject({ status: 'poisoned', parked: 3, skipped: { events: 3, first: { block: '1' } } })
    expect(second.runner.state().poisonedReason).toContain('fails on block:1')
    expect(second.health.problems()).toEqual([expect.objectContaining({ source: 'module:counter', check: 'poisoned' })])
    await second.runner.init()
    expect(second.record.starts).toBe(0)
    // The ingestor delivers 3 again (the cursor was written before it): already parked, not again.
    await second.runner.handle(blockEvent(3n))
    await second.runner.handle(blockEvent(4n))
    expect(second.runner.state()).toMatchObject({ parked: 4 })

    broken = false
    expect(second.runner.release().released).toBe(true)
    expect(await second.gauge()).toBe(0)
    expect(second.health.problems()).toEqual([])
    await second.runner.handle(blockEvent(5n))
    expect(second.record.handled.filter((h) => h.startsWith('block'))).toEqual(['block:1:0x0', 'block:2:0x0', 'block:3:0x0', 'block:4:0x0', 'block:5:0x0'])
    await store!.close()

    const third = supervise(reopen())
    expect(third.runner.state()).toMatchObject({ status: 'running', parked: 0 })
    expect(await third.gauge()).toBe(0)
    for (const n of [1n, 2n, 3n, 4n, 5n]) await third.runner.handle(blockEvent(n))
    expect(third.record.handled).toEqual([])
    // Block 1 trapped once (its write is kept) and ran again at the release; every other block once.
    expect(await seen(store!)).toEqual({ 'seen:block:1:0x0': 2, 'seen:block:2:0x0': 1, 'seen:block:3:0x0': 1, 'seen:block:4:0x0': 1, 'seen:block:5:0x0': 1 })
  })

  test('behavior: a restart in the middle of a replay replays only what was not yet processed', async () => {
    let broken = true
    const first = supervise(reopen(), { failing: (e) => broken || (e.kind === 'block' && e.block.number === 3n) })
    for (const n of [1n, 2n, 3n, 4n]) await first.runner.handle(blockEvent(n))
    broken = false
    first.runner.release()
    await first.runner.handle(blockEvent(5n)) // replays 1, 2; 3 parks it again: 3, 4 and 5 wait
    expect(first.runner.state()).toMatchObject({ status: 'poisoned', parked: 3 })
    expect(first.record.handled).toEqual(['block:1:0x0', 'block:1:0x0', 'block:2:0x0', 'block:3:0x0'])
    await store!.close()
    const second = supervise(reopen())
    second.runner.release()
    await second.runner.handle(blockEvent(6n))
    expect(second.record.handled).toEqual(['block:3:0x0', 'block:4:0x0', 'block:5:0x0', 'block:6:0x0'])
  })
})

describe('supervisor with the store: a refused write during init', () => {
  test('behavior: the life starts again, init included, without a trap; then the event runs', async () => {
    let fail = true
    const s = reopen({
      injectWriteFault: ({ key }) => {
        if (key === 'inits' && fail) {
          fail = false
          throw new Error('EIO: injected')
        }
      },
    })
    const moduleStore = s.forModule('counter')
    let starts = 0
    const { runner } = supervise(s, {
      start: () => {
        starts++
        return {
          init: async () => void (await moduleStore.set('inits', ((await moduleStore.get<number>('inits')) ?? 0) + 1)),
          run: async () => void (await moduleStore.set('ran', true)),
          stop: async () => {},
        }
      },
    })
    await runner.init()
    await runner.handle(blockEvent(1n))
    expect(starts).toBe(2)
    expect(runner.state()).toMatchObject({ traps: 0, restarts: 0 })
    expect(await moduleStore.get('inits')).toBe(1)
    expect(await moduleStore.get('ran')).toBe(true)
  })
})
