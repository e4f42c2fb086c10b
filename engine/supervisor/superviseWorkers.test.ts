import { afterEach, describe, expect, test, vi } from 'vitest'
import { createMockHost, type MockHost } from '../../modules/sdk/mockHost.ts'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import { createDispatcher } from '../dispatch/createDispatcher.ts'
import { createLogRouter } from '../dispatch/createLogRouter.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import type { BlockRef } from '../../modules/sdk/module/types.ts'
import { createInProcessRunner } from '../runner/createInProcessRunner.ts'
import { createWorkerRunner } from '../runner/createWorkerRunner.ts'
import countingModule from '../testing/countingModule.ts'
import { loadFixture, type FixtureName } from '../testing/fixtures/loadFixture.ts'
import { createSupervisedRunner } from './createSupervisedRunner.ts'

// Real workers behind the supervisor, on one dispatcher beside a healthy in-process module.
const chainId = 11155111
const hash = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}` as const
const block = (number: bigint): BlockRef => ({ chainId, number, hash: hash(number), parentHash: hash(number - 1n), timestamp: 1_700_000_000n + number })

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function engineWith(file: FixtureName, options: { config?: Record<string, unknown>; memoryMb?: number; deadlineMs?: number; poisonAfter: number }) {
  const metrics = createMetrics()
  const loaded = await loadFixture(file, options.config)
  const trappingHost = createMockHost({ module: loaded.name })
  // The trapping module's backoff is a gate the test holds open: while it waits, the healthy module must go on.
  let openGate!: () => void
  const gate = new Promise<void>((resolve) => (openGate = resolve))
  const delays: number[] = []
  const trapping = createSupervisedRunner({
    name: loaded.name,
    subscriptions: loaded.subscriptions,
    start: () => createWorkerRunner({ module: loaded.module, host: trappingHost.host, memoryMb: options.memoryMb ?? 64, deadlineMs: options.deadlineMs ?? 2_000, log: trappingHost.log }),
    supervisor: { backoff_initial_ms: 5, backoff_max_ms: 20, poison_after: options.poisonAfter, poison_window_s: 600 },
    metrics,
    log: trappingHost.log,
    sleep: async (ms) => {
      delays.push(ms)
      await gate
    },
  })
  const healthyHost = createMockHost({ module: 'counting' })
  const config = countingModule.config!.parse({ chainId })
  const healthy = createInProcessRunner({
    name: 'counting',
    module: { definition: countingModule as never, config, subscriptions: { blocks: [{ chainId }] } },
    host: healthyHost.host,
    metrics,
    log: healthyHost.log,
  })
  const runners = [trapping, healthy]
  const dispatcher = createDispatcher({ runners, router: createLogRouter(runners), metrics })
  cleanups.push(() => trapping.stop(), () => trappingHost.dispose(), () => healthyHost.dispose())
  await Promise.all(runners.map((r) => r.init()))

  /** Dispatches blocks 1..count; proves the healthy module finishes them all while the trapping one waits in backoff. */
  async function runBlocks(count: number) {
    const done = Array.from({ length: count }, (_, i) => dispatcher.dispatchBlock(block(BigInt(i + 1)), []))
    await vi.waitFor(() => expect(trapping.state().status).toBe('backoff'), { timeout: 10_000 })
    await vi.waitFor(async () => expect(await healthyHost.store.get('last-block')).toBe(BigInt(count)), { timeout: 5_000 })
    expect(trapping.state().status).toBe('backoff') // still held: the healthy module did not wait for it
    openGate()
    await Promise.all(done)
    for (let n = 1n; n <= BigInt(count); n++) expect(await healthyHost.store.get(`block:${n.toString().padStart(12, '0')}`)).toBe(1)
    expect(await healthyHost.store.get('order-violations')).toBeUndefined()
  }
  return { trapping, trappingHost, delays, metrics, runBlocks }
}

describe('supervised worker modules', () => {
  test.each([
    ['timeout', 'spin', { config: { block: 2 }, deadlineMs: 200 }],
    ['oom', 'memoryHog', { config: { block: 2 }, memoryMb: 32, deadlineMs: 10_000 }],
  ] as const)('behavior: a %s trap poisons only its module; the healthy module processes every block in order meanwhile', async (kind, file, options) => {
    const { trapping, trappingHost, metrics, runBlocks } = await engineWith(file, { ...options, poisonAfter: 2 })
    await runBlocks(4)
    expect(trapping.state()).toMatchObject({ status: 'poisoned', traps: 2, restarts: 1, lastError: { kind, during: 'block 2' }, skipped: { events: 3, first: { block: '2' } } })
    expect(await trappingHost.store.get('seen:1')).toBe(true)
    expect(await trappingHost.store.get('seen:3')).toBeUndefined()
    const traps = await metrics.moduleTraps.get()
    expect(traps.values.find((v) => v.labels.kind === { timeout: 'deadline', oom: 'memory' }[kind])?.value).toBe(2)
    expect((await metrics.modulePoisoned.get()).values.find((v) => v.labels.module === trapping.name)?.value).toBe(1)
  })

  test.each(['throw', 'exit'] as const)('behavior: after a %s trap the same block is retried in a fresh worker and processed exactly once', async (trap) => {
    const { trapping, trappingHost, delays, runBlocks } = await engineWith('trapsFirstN', { config: { n: 3, trap }, poisonAfter: 5 })
    await runBlocks(3)
    expect(delays).toEqual([5, 10, 20])
    expect(trapping.state()).toMatchObject({ status: 'running', traps: 3, restarts: 3, lastError: { kind: trap, during: 'block 1' } })
    expect(await trappingHost.store.get('inits')).toBe(4)
    for (const n of [1, 2, 3]) expect(await trappingHost.store.get(`processed:${n}`)).toBe(1)
  })

  test.each([
    ['a 404 from a wrong orderbook_url', new CowApiError({ status: 404, description: '<html>Not Found</html>', url: 'http://wrong.example/api/v1/orders' })],
    ['a 401 from an auth proxy', new CowApiError({ status: 401, description: 'Unauthorized' })],
    ['an errorType newer than the code', new CowApiError({ status: 400, errorType: 'SomethingNew', description: 'new' })],
  ])('behavior: a stop-class error escaping a worker handler (%s) is a trap: restarts with backoff, parked only after poison_after traps', async (_, answer) => {
    expect(answer.action).toBe('stop')
    const { trapping, trappingHost, delays, metrics, runBlocks } = await engineWith('postsUncaught', { poisonAfter: 3 })
    trappingHost.cowApi.onSubmit(answer)
    await runBlocks(2)
    expect(delays).toEqual([5, 10])
    expect(trapping.state()).toMatchObject({ status: 'poisoned', traps: 3, restarts: 2, lastError: { kind: 'throw', during: 'block 1' } })
    expect(trapping.state().poisonedReason).toMatch(/^3 traps within 600s; last: throw during block 1: Orderbook HTTP/)
    expect((await metrics.moduleRestarts.get()).values.find((v) => v.labels.module === trapping.name)?.value).toBe(2)
  })
})
