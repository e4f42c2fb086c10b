import { afterEach, describe, expect, test } from 'vitest'
import { createMockHost, type MockHost } from '../../modules/sdk/mockHost.ts'
import { ConfigError } from '../errors/config.ts'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import type { BlockRef, Host } from '../../modules/sdk/module/types.ts'
import { loadFixture, type FixtureName } from '../testing/fixtures/loadFixture.ts'
import { createWorkerRunner, type WorkerRunner } from './createWorkerRunner.ts'
import { ModuleTrapError } from './ModuleTrapError.ts'

const chainId = 11155111
const block = (number: bigint): BlockRef => ({ chainId, number, hash: `0x${number.toString(16).padStart(64, '0')}`, parentHash: `0x${(number - 1n).toString(16).padStart(64, '0')}`, timestamp: 1_700_000_000n + number })

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0)) await cleanup()
})

async function start(file: FixtureName, options: { config?: Record<string, unknown>; memoryMb?: number; deadlineMs?: number; host?: (mock: MockHost) => Host } = {}) {
  const loaded = await loadFixture(file, options.config)
  const mock = createMockHost({ module: loaded.name })
  const host = options.host?.(mock) ?? mock.host
  const runner = createWorkerRunner({ module: loaded.module, host, memoryMb: options.memoryMb ?? 64, deadlineMs: options.deadlineMs ?? 2_000, log: host.log })
  cleanups.push(() => runner.stop(), () => mock.dispose())
  return { runner, mock }
}

async function trapOf(runner: WorkerRunner, number: bigint) {
  const error = await runner.run({ kind: 'block', block: block(number) }).then(
    () => undefined,
    (e: unknown) => e,
  )
  expect(error).toBeInstanceOf(ModuleTrapError)
  return error as ModuleTrapError
}

describe('createWorkerRunner', () => {
  test('behavior: a store write that cannot cross to the main thread traps its dispatch; the writes before it land', async () => {
    const { runner, mock } = await start('writesUncloneable', { config: { block: 7 } })
    await runner.init()
    await runner.run({ kind: 'block', block: block(6n) })
    const error = await trapOf(runner, 7n)
    expect(error.kind).toBe('throw')
    expect(error.during).toBe('block 7')
    expect(await mock.store.get('seen:7')).toBe(true)
    expect(await mock.store.get('bad')).toBeUndefined()
  })

  test('behavior: a store write the main thread refuses traps the dispatch it was sent in, not a later one', async () => {
    const { runner, mock } = await start('writesUncloneable', {
      config: { block: 1_000 },
      host: (m) => ({ ...m.host, store: { ...m.host.store, set: async (key: string, value: unknown) => (key === 'seen:4' ? Promise.reject(new Error('disk full')) : m.host.store.set(key, value)) } }),
    })
    await runner.init()
    await runner.run({ kind: 'block', block: block(3n) })
    const error = await trapOf(runner, 4n)
    expect(String(error.cause)).toMatch(/disk full/)
    await runner.run({ kind: 'block', block: block(5n) })
    expect(await mock.store.get('seen:5')).toBe(true)
  })

  test('behavior: the worker host proxy round-trips store values, chain calls, reverts, CowApiErrors, logs, alerts, handled errors, health and the clock', async () => {
    const { runner, mock } = await start('hostProbe', {
      host: (m) => {
        m.chain.onCall({ data: '0x01' }, '0xbeef')
        m.chain.onCall({ data: '0xdead' }, { revert: '0x08c379a0' })
        m.cowApi.onSubmit(new CowApiError({ status: 429, errorType: 'TooManyRequests', description: 'slow down', retryAfter: 7 }))
        m.clock.set(1_234_567)
        return m.host
      },
    })
    await runner.init()
    await runner.run({ kind: 'block', block: block(5n) })
    expect(await mock.store.get('result')).toEqual({
      roundtrip: { block: 5n, nested: [1n, 'two', { three: 3 }] },
      callResult: '0xbeef',
      revert: { isChainCallError: true, data: '0x08c379a0' },
      submit: { isCowApiError: true, status: 429, errorType: 'TooManyRequests', description: 'slow down', retryAfter: 7, action: 'retry' },
      now: 1_234_567,
    })
    expect(mock.recordsOf('chain.call')[0]).toMatchObject({ blockNumber: 5n })
    // Logs and alerts are fire-and-forget, but posted before the event's done message, so they are already here.
    expect(mock.logs.map((l) => l.message)).toEqual(expect.arrayContaining(['probe done', 'probe alert']))
    expect(mock.alerts).toEqual([expect.objectContaining({ kind: 'probe', message: 'probe alert' })])
    expect(mock.errors).toEqual([{ kind: 'probe_error', message: 'probe handled an error', fields: { block: 5n } }])
    expect(mock.health.checks.get('probe')).toEqual({ reason: 'odd block 5', fields: undefined })
    await runner.run({ kind: 'block', block: block(6n) })
    expect(mock.health.checks.has('probe')).toBe(false)
  })

  test('behavior: handle keeps the ModuleRunner contract: it rejects when the event was not processed, never reports it done', async () => {
    const { runner } = await start('throws')
    await expect(runner.handle({ kind: 'block', block: block(1n) })).rejects.toBeInstanceOf(ModuleTrapError)
  })

  test('behavior: a worker module is loaded and validated in its worker: its subscriptions come back from there, and a config its schema refuses is a ConfigError (permanent) naming the key', async () => {
    const good = await start('spin', { config: { block: 99, chainId: 5 } })
    expect(good.runner.subscriptions).toEqual({})
    await good.runner.init()
    expect(good.runner.subscriptions).toEqual({ blocks: [{ chainId: 5 }] })
    const loaded = await loadFixture('spin')
    const mock = createMockHost({ module: 'spin' })
    const bad = createWorkerRunner({ module: { ...loaded.module, config: { block: 'x' }, origin: { file: '/etc/engine.toml', index: 2, name: 'spin', builtIn: false } }, host: mock.host, log: mock.log })
    cleanups.push(() => bad.stop(), () => mock.dispose())
    const error = await bad.init().then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(ModuleTrapError)
    expect((error as ModuleTrapError).cause).toBeInstanceOf(ConfigError)
    expect((error as ModuleTrapError).cause).toMatchObject({ file: '/etc/engine.toml', key: 'modules.2.config', action: 'stop' })
    expect(String((error as ModuleTrapError).cause)).toContain('block must be an integer, found "x"')
  })

  test('behavior: a handler throw rejects with a throw trap carrying the module error', async () => {
    const { runner } = await start('throws')
    const trap = await trapOf(runner, 1n)
    expect(trap.kind).toBe('throw')
    expect(trap.during).toBe('block 1')
    expect(String((trap.cause as Error).message)).toContain('throws fixture: block 1')
  })

  test('behavior: a CPU spin past the deadline rejects with a timeout trap, and the next event runs in a fresh worker', async () => {
    const { runner, mock } = await start('spin', { config: { block: 2 }, deadlineMs: 300 })
    await runner.run({ kind: 'block', block: block(1n) })
    expect((await trapOf(runner, 2n)).kind).toBe('timeout')
    await runner.run({ kind: 'block', block: block(3n) })
    expect(await mock.store.get('seen:1')).toBe(true)
    expect(await mock.store.get('seen:3')).toBe(true)
  })

  test('behavior: memory exhaustion rejects with an oom trap', async () => {
    const { runner } = await start('memoryHog', { memoryMb: 32, deadlineMs: 10_000 })
    expect((await trapOf(runner, 1n)).kind).toBe('oom')
  })

  test('behavior: a worker that exits rejects with an exit trap, and the restart runs init again', async () => {
    const { runner, mock } = await start('trapsFirstN', { config: { n: 1, trap: 'exit' } })
    await runner.init()
    expect((await trapOf(runner, 1n)).kind).toBe('exit')
    await runner.run({ kind: 'block', block: block(1n) })
    expect(await mock.store.get('inits')).toBe(2)
    expect(await mock.store.get('processed:1')).toBe(1)
  })

  test.each(['host', 'promise'] as const)('behavior: awaiting what never answers (%s) rejects with a timeout trap', async (mode) => {
    const { runner } = await start('hangsOnHostCall', {
      config: { mode },
      deadlineMs: 200,
      host: (m) => ({ ...m.host, chain: { ...m.host.chain, request: () => new Promise<never>(() => {}) } }),
    })
    expect((await trapOf(runner, 1n)).kind).toBe('timeout')
  })
})
