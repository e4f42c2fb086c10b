import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createLogger } from '../host/createLogger.ts'
import type { Engine } from '../startEngine.ts'
import { createStore } from '../store/createStore.ts'
import { memoryEngine } from '../testing/memoryEngine.ts'
import { releaseCommand } from './releaseCommand.ts'

// A real engine, stopped and started again on the same state dir, with a module parked meanwhile:
// it stays parked, keeps what it missed, and `shepherd release` replays it all, once, in order.
let dir: string
const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop()
  rmSync(dir, { recursive: true, force: true })
})

describe('a parked module across an engine restart', () => {
  test('behavior: stays parked (gauge 1 and a /healthz reason at start), keeps its missed events, and after `shepherd release` processes every block exactly once, in order', { timeout: 90_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'shepherd-parked-'))
    const flag = join(dir, 'broken')
    writeFileSync(flag, '')
    const { chain, start: startOn } = memoryEngine({
      dir,
      metrics: true,
      modules: `[[modules]]
name = "flaky"
path = "${resolve('engine/testing/fixtures/trapsWhileFileExists.ts')}"
[modules.config]
flagFile = "${flag}"
`,
    })
    const start = async () => {
      const engine = await startOn(createLogger({ level: 'error', write: () => {} }))
      engines.push(engine)
      return engine
    }
    const mineTo = async (engine: Engine, to: bigint) => {
      chain.mine(Array.from({ length: Number(to - chain.head()) }, () => []))
      await vi.waitFor(() => expect(engine.status()[0]?.cursor).toBe(to), { timeout: 20_000 })
    }

    const first = await start()
    await mineTo(first, 4n)
    expect(first.supervisors.get('flaky')!.state()).toMatchObject({ status: 'poisoned', parked: 4 })
    await first.stop()

    const second = await start()
    const gauge = async () => (await second.metrics.modulePoisoned.get()).values.find((v) => v.labels.module === 'flaky')?.value
    expect(await gauge()).toBe(1)
    const health = await fetch(`${second.metricsUrl}/healthz`)
    expect(health.status).toBe(503)
    expect(JSON.stringify(await health.json())).toContain('"source":"module:flaky","check":"poisoned"')
    await mineTo(second, 6n)
    expect(second.supervisors.get('flaky')!.state()).toMatchObject({ status: 'poisoned', parked: 6, skipped: { events: 6, first: { block: '1' } } })

    rmSync(flag) // the operator fixes what was broken
    const out: string[] = []
    expect(await releaseCommand(['flaky', '--admin', second.metricsUrl!], { out: (l) => void out.push(l), err: (l) => void out.push(l) })).toBe(0)
    expect(await gauge()).toBe(0)
    await mineTo(second, 7n)
    await vi.waitFor(() => expect(second.supervisors.get('flaky')!.state().parked).toBe(0))
    expect((await fetch(`${second.metricsUrl}/healthz`)).status).toBe(200)
    await second.stop()

    const store = createStore({ stateDir: join(dir, 'state') })
    const seen = await store.forModule('flaky').list<number>('seen:')
    await store.close()
    expect(seen).toEqual([1, 2, 3, 4, 5, 6, 7].map((n) => [`seen:${String(n).padStart(12, '0')}`, 1]))
  })
})
