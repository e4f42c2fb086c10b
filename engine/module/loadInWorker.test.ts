import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createLogger } from '../host/createLogger.ts'
import type { Engine } from '../startEngine.ts'
import { memoryEngine } from '../testing/memoryEngine.ts'

// The engine never imports a worker module in its own thread: loading and validation happen in the
// module's worker, under its heap limit and start deadline. A module that spins or allocates at
// its top level, or whose config its schema refuses, is parked; the engine starts and runs the rest.
const fixtures = resolve('engine/testing/fixtures')
let dir: string
let engine: Engine | undefined
afterEach(async () => {
  await engine?.stop()
  engine = undefined
  rmSync(dir, { recursive: true, force: true })
})

describe('loading modules in their workers', () => {
  test('behavior: a module that spins or allocates without bound at its top level, or whose config fails its schema, is parked with the reason; the engine starts and the other module processes every block', { timeout: 90_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'shepherd-load-'))
    const { chain, start } = memoryEngine({
      dir,
      modules: `[[modules]]
name = "spins-at-load"
path = "${fixtures}/spinsAtLoad.ts"
start_timeout_ms = 1500

[[modules]]
name = "allocates-at-load"
path = "${fixtures}/allocatesAtLoad.ts"
memory_mb = 32

[[modules]]
name = "bad-config"
path = "${resolve('engine/testing/countingModule.ts')}"
[modules.config]
chainId = "sepolia"
`,
    })
    const logs: string[] = []
    const startedAt = performance.now()
    engine = await start(createLogger({ level: 'warn', write: (line) => void logs.push(line) }))
    const startMs = performance.now() - startedAt

    const states = Object.fromEntries([...engine.supervisors].map(([name, runner]) => [name, runner.state()]))
    expect(states['spins-at-load']).toMatchObject({ status: 'poisoned', traps: 2, lastError: { kind: 'timeout', during: 'start' } })
    expect(states['allocates-at-load']).toMatchObject({ status: 'poisoned', traps: 2, lastError: { kind: 'oom', during: 'start' } })
    expect(states['bad-config']).toMatchObject({ status: 'poisoned', traps: 1, restarts: 0 })
    expect(states['bad-config']!.poisonedReason).toMatch(/^permanent error \(not retried\): throw during start: Invalid value for modules\.2\.config\.chainId/)
    expect(states.counting).toMatchObject({ status: 'running', traps: 0 })
    expect(engine.health.problems().filter((p) => p.source.startsWith('module:')).map((p) => `${p.source}/${p.check}`).sort()).toEqual(['module:allocates-at-load/poisoned', 'module:bad-config/poisoned', 'module:spins-at-load/poisoned'])
    const poisoned = (await engine.metrics.modulePoisoned.get()).values.filter((v) => v.value === 1).map((v) => v.labels.module)
    expect(poisoned.sort()).toEqual(['allocates-at-load', 'bad-config', 'spins-at-load'])

    chain.mine(Array.from({ length: 5 }, () => []))
    await vi.waitFor(() => expect(engine!.status()[0]?.cursor).toBe(5n), { timeout: 20_000 })
    const counting = engine.store.forModule('counting')
    for (let n = 1; n <= 5; n++) expect(await counting.get(`block:${String(n).padStart(12, '0')}`)).toBe(1)
    console.info(`engine start with two runaway modules and a bad config: ${Math.round(startMs)} ms`)
  })
})
