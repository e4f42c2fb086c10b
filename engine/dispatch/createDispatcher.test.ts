import { describe, expect, test } from 'vitest'
import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { ModuleEventError } from '../errors/dispatch.ts'
import { createLogger } from '../host/createLogger.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import type { BlockRef } from '../../modules/sdk/module/types.ts'
import { createDispatcher } from './createDispatcher.ts'
import { createLogRouter } from './createLogRouter.ts'
import type { ModuleEvent, ModuleRunner } from './types.ts'

const chainId = 11155111
const hash = (n: bigint) => `0x${n.toString(16).padStart(64, '0')}` as const
const block = (number: bigint): BlockRef => ({ chainId, number, hash: hash(number), parentHash: hash(number - 1n), timestamp: 1_700_000_000n + number })

/** A module that fails each event as `fail(event, attempt)` says (undefined = succeed), recording what it processed. */
function scripted(name: string, fail: (event: ModuleEvent, attempt: number) => unknown) {
  const attempts = new Map<string, number>()
  const processed: bigint[] = []
  const runner: ModuleRunner = {
    name,
    subscriptions: { blocks: [{ chainId }] },
    async init() {},
    async stop() {},
    async handle(event) {
      if (event.kind !== 'block') return
      const key = String(event.block.number)
      const attempt = (attempts.get(key) ?? 0) + 1
      attempts.set(key, attempt)
      const error = fail(event, attempt)
      if (error !== undefined) throw error
      processed.push(event.block.number)
    },
  }
  return { runner, processed, attempts }
}

function setup(...runners: ModuleRunner[]) {
  const metrics = createMetrics()
  const lines: Array<{ level: string; msg: string }> = []
  const log = createLogger({ write: (line) => lines.push(JSON.parse(line) as { level: string; msg: string }) })
  const dispatcher = createDispatcher({ runners, router: createLogRouter(runners), metrics, log, retryBackoffMs: { min: 1, max: 5 } })
  const outcomes = async () => Object.fromEntries((await metrics.dispatchOutcomes.get()).values.map((v) => [`${v.labels.module}/${v.labels.action}`, v.value]))
  return { dispatcher, metrics, lines, outcomes }
}

describe('createDispatcher: the error action decides', () => {
  test('behavior: retry tries the same event again, in order, until it is processed; the block resolves after it', async () => {
    const flaky = scripted('flaky', (event, attempt) => (event.kind === 'block' && event.block.number === 2n && attempt < 3 ? new ShepherdError('node busy', { action: 'retry' }) : undefined))
    const { dispatcher, outcomes } = setup(flaky.runner)
    await Promise.all([1n, 2n, 3n].map((n) => dispatcher.dispatchBlock(block(n), [])))
    expect(flaky.processed).toEqual([1n, 2n, 3n])
    expect(flaky.attempts.get('2')).toBe(3)
    expect(await outcomes()).toEqual({ 'flaky/retry': 2 })
  })

  test('behavior: an error of no known class is retried like retry', async () => {
    const flaky = scripted('plain', (_e, attempt) => (attempt === 1 ? new Error('socket hang up') : undefined))
    const { dispatcher } = setup(flaky.runner)
    await dispatcher.dispatchBlock(block(1n), [])
    expect(flaky.processed).toEqual([1n])
  })

  test('behavior: drop gives the event up for that module (logged, counted); the block resolves and the next event runs', async () => {
    const dropping = scripted('dropping', (event) => (event.kind === 'block' && event.block.number === 2n ? new ShepherdError('order refused for good', { action: 'drop' }) : undefined))
    const { dispatcher, outcomes, lines } = setup(dropping.runner)
    await Promise.all([1n, 2n, 3n].map((n) => dispatcher.dispatchBlock(block(n), [])))
    expect(dropping.processed).toEqual([1n, 3n])
    expect(dropping.attempts.get('2')).toBe(1)
    expect(await outcomes()).toEqual({ 'dropping/drop': 1 })
    expect(lines.find((l) => l.msg.startsWith('module event dropped'))).toMatchObject({ level: 'error', module: 'dropping', event: 'block 2' })
  })

  test('behavior: stop rejects the block with a ModuleEventError naming the module and the event; other modules still get it', async () => {
    const refusing = scripted('refusing', () => new ShepherdError('config says no', { action: 'stop' }))
    const healthy = scripted('healthy', () => undefined)
    const { dispatcher, outcomes } = setup(refusing.runner, healthy.runner)
    const error = await dispatcher.dispatchBlock(block(7n), []).then(() => undefined, (e: unknown) => e)
    expect(error).toBeInstanceOf(ModuleEventError)
    expect((error as ModuleEventError).shortMessage).toBe('Module "refusing" could not process block 7')
    expect((error as ModuleEventError).action).toBe('stop')
    await dispatcher.drain()
    expect(healthy.processed).toEqual([7n])
    expect(await outcomes()).toEqual({ 'refusing/stop': 1 })
  })

  test('behavior: after close() a retryable failure is not retried: the block rejects and stays uncommitted', async () => {
    const { runner } = scripted('stopping', () => new ShepherdError('Module "stopping" stopped before block 1 was processed', { action: 'retry' }))
    const { dispatcher } = setup(runner)
    const pending = dispatcher.dispatchBlock(block(1n), []).then(() => undefined, (e: unknown) => e)
    dispatcher.close()
    expect(await pending).toBeInstanceOf(ModuleEventError)
  })
})

describe('createDispatcher: receipts', () => {
  test('behavior: a runner that answers with a receipt gets its next event at once; each block resolves only once its events are stored', async () => {
    const gates = new Map<bigint, () => void>()
    const handled: bigint[] = []
    const runner: ModuleRunner = {
      name: 'pipelined',
      subscriptions: { blocks: [{ chainId }] },
      async init() {},
      async stop() {},
      async handle(event) {
        if (event.kind !== 'block') return
        handled.push(event.block.number)
        return { stored: new Promise<void>((resolve) => gates.set(event.block.number, resolve)) }
      },
    }
    const { dispatcher } = setup(runner)
    const resolved: bigint[] = []
    const blocks = [1n, 2n, 3n].map((n) => dispatcher.dispatchBlock(block(n), []).then(() => void resolved.push(n)))
    await expect.poll(() => handled).toEqual([1n, 2n, 3n]) // all processed while nothing is stored yet
    expect(resolved).toEqual([])
    gates.get(2n)!()
    gates.get(1n)!()
    await blocks[1]
    expect(resolved.sort()).toEqual([1n, 2n])
    gates.get(3n)!()
    await Promise.all(blocks)
    expect(resolved).toEqual([1n, 2n, 3n])
  })
})
