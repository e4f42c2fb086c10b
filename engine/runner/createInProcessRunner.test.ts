import { describe, expect, test } from 'vitest'
import { createMockHost } from '../../modules/sdk/mockHost.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import { loadFixture } from '../testing/fixtures/loadFixture.ts'
import { createInProcessRunner } from './createInProcessRunner.ts'

const block = { chainId: 11155111, number: 1n, hash: '0x01', parentHash: '0x00', timestamp: 1n } as const

describe('createInProcessRunner', () => {
  test('behavior: handle keeps the ModuleRunner contract: a handler that throws rejects it (the event is not reported done), and no trap is counted here (the supervisor counts)', async () => {
    const loaded = await loadFixture('throws')
    const mock = createMockHost({ module: loaded.name })
    const metrics = createMetrics()
    const runner = createInProcessRunner({ name: loaded.name, module: loaded, host: mock.host, metrics })
    await runner.init()
    await expect(runner.handle({ kind: 'block', block })).rejects.toThrow('throws fixture: block 1')
    expect((await metrics.moduleTraps.get()).values).toEqual([])
    mock.dispose()
  })

  test('behavior: a module given as a loader is loaded by init, in this thread; its subscriptions are known from then', async () => {
    const loaded = await loadFixture('spin', { block: 5 })
    const mock = createMockHost({ module: loaded.name })
    let loads = 0
    const runner = createInProcessRunner({ name: 'spin', module: async () => (loads++, loaded), host: mock.host })
    expect(runner.subscriptions).toEqual({})
    await expect(runner.run({ kind: 'block', block })).rejects.toThrow('run before init')
    await runner.init()
    expect(loads).toBe(1)
    expect(runner.subscriptions).toEqual({ blocks: [{ chainId: 11155111 }] })
    await runner.run({ kind: 'block', block })
    expect(await mock.store.get('seen:1')).toBe(true)
    mock.dispose()
  })
})
