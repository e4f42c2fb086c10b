import { describe, expect, test } from 'vitest'
import type { BlockRef } from '../module/types.ts'
import { createDispatcher } from './createDispatcher.ts'
import { createLogRouter } from './createLogRouter.ts'
import type { ModuleEvent, ModuleRunner } from './types.ts'

const chainId = 11155111
const block = (number: bigint): BlockRef => ({ chainId, number, hash: `0x${number.toString(16).padStart(64, '0')}`, parentHash: `0x${(number - 1n).toString(16).padStart(64, '0')}`, timestamp: number })

function runner(name: string, fails: (event: ModuleEvent) => boolean): ModuleRunner & { handled: bigint[] } {
  const handled: bigint[] = []
  return {
    name,
    handled,
    subscriptions: { blocks: [{ chainId }] },
    init: async () => {},
    async handle(event) {
      if (event.kind !== 'block') return
      if (fails(event)) throw new Error(`${name} could not process block ${event.block.number}`)
      handled.push(event.block.number)
    },
    stop: async () => {},
  }
}

describe('createDispatcher', () => {
  test('behavior: a block whose event a module could not process (handle rejected) is not done: its dispatch rejects; other modules and the next blocks still run', async () => {
    const failing = runner('failing', (e) => e.kind === 'block' && e.block.number === 2n)
    const healthy = runner('healthy', () => false)
    const runners = [failing, healthy]
    const dispatcher = createDispatcher({ runners, router: createLogRouter(runners) })
    const outcomes = await Promise.allSettled([1n, 2n, 3n].map((n) => dispatcher.dispatchBlock(block(n), [])))
    expect(outcomes.map((o) => o.status)).toEqual(['fulfilled', 'rejected', 'fulfilled'])
    expect(String((outcomes[1] as PromiseRejectedResult).reason)).toContain('failing could not process block 2')
    expect(healthy.handled).toEqual([1n, 2n, 3n])
    expect(failing.handled).toEqual([1n, 3n])
  })
})
