import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createMemoryChainSource } from '../chain/createMemoryChainSource.ts'
import { parseConfig } from '../config/loadConfig.ts'
import { createLogger } from '../host/createLogger.ts'
import { loadModules } from '../module/loadModules.ts'
import { startEngine, type Engine } from '../startEngine.ts'
import { createStore } from '../store/createStore.ts'

// One engine, two memory chains, one module subscribed to both whose handler throws on chain 100
// only. Before the fix the module was one supervised instance with one queue: chain 100's failing
// block held chain 11155111's cursor, and repeated traps parked the module for both chains.
let dir: string
const engines: Engine[] = []
afterEach(async () => {
  for (const engine of engines.splice(0)) await engine.stop()
  rmSync(dir, { recursive: true, force: true })
})

const sepolia = 11155111
const gnosis = 100

async function twoChainEngine(supervisor: string) {
  dir = mkdtempSync(join(tmpdir(), 'shepherd-per-chain-'))
  const chains = `
[chains.${sepolia}]
rpc_url = "ws://127.0.0.1:1"
poll_interval_ms = 10
start_block = 1
[chains.${gnosis}]
rpc_url = "ws://127.0.0.1:1"
poll_interval_ms = 10
start_block = 1
`
  const config = parseConfig({
    file: join(dir, 'engine.toml'),
    text: `[engine]
state_dir = "state"
[engine.supervisor]
${supervisor}
${chains}
[[modules]]
name = "throws-on-one-chain"
path = "${resolve('engine/testing/fixtures/throwsOnOneChain.ts')}"
isolation = "in-process"
[modules.config]
chainIds = [${sepolia}, ${gnosis}]
throwOn = ${gnosis}

[[modules]]
name = "counting"
path = "${resolve('engine/testing/countingModule.ts')}"
isolation = "in-process"
chains = [${sepolia}, ${gnosis}]
`,
  })
  const a = createMemoryChainSource({ chainId: sepolia })
  const b = createMemoryChainSource({ chainId: gnosis })
  const engine = await startEngine({ config, sources: new Map([[sepolia, a.source], [gnosis, b.source]]), logger: createLogger({ level: 'error', write: () => {} }), shutdownGraceMs: 200 })
  engines.push(engine)
  const cursor = (chainId: number) => engine.status().find((s) => s.chainId === chainId)?.cursor
  return { engine, a, b, cursor }
}

describe('one module on two chains', () => {
  test('behavior: a handler failing (and retried) on chain 100 holds back neither chain 11155111 cursor nor its deliveries', { timeout: 30_000 }, async () => {
    const { engine, a, b, cursor } = await twoChainEngine('backoff_initial_ms = 10\nbackoff_max_ms = 20\npoison_after = 1000')
    a.mine(Array.from({ length: 6 }, () => []))
    b.mine(Array.from({ length: 6 }, () => []))
    await vi.waitFor(() => expect(cursor(sepolia)).toBe(6n), { timeout: 20_000 })
    // Chain 100's first block is still being retried: its cursor has not moved.
    expect(cursor(gnosis) ?? 0n).toBeLessThan(1n)
    expect([...engine.supervisors.keys()].sort()).toEqual(['counting@100', `counting@${sepolia}`, 'throws-on-one-chain@100', `throws-on-one-chain@${sepolia}`])
    expect(engine.supervisors.get(`throws-on-one-chain@${sepolia}`)!.state()).toMatchObject({ status: 'running', traps: 0 })
    expect(engine.supervisors.get('throws-on-one-chain@100')!.state().traps).toBeGreaterThan(0)
    // Traps are counted for chain 100 only.
    const traps = (await engine.metrics.moduleTraps.get()).values.filter((v) => v.labels.module === 'throws-on-one-chain')
    expect(traps.map((v) => v.labels.chain_id)).toEqual(['100'])
    // Per-instance metrics say which chain: the event latency of each counting instance is its own series.
    const latency = (await engine.metrics.eventLatency.get()).values.filter((v) => v.labels.module === 'counting' && v.metricName === 'shepherd_event_latency_seconds_count')
    expect(new Set(latency.map((v) => v.labels.chain_id))).toEqual(new Set([String(sepolia), '100']))
    await engine.stop()
    const store = createStore({ stateDir: join(dir, 'state') })
    const seen = await store.forModule(`throws-on-one-chain@${sepolia}`).list<number>('block:')
    // `chains = [...]` gives each counting instance its chain id: each counted its own chain's blocks.
    const countedA = await store.forModule(`counting@${sepolia}`).list<number>('block:')
    const countedB = await store.forModule('counting@100').list<number>('block:')
    await store.close()
    expect(seen).toEqual([1, 2, 3, 4, 5, 6].map((n) => [`block:${sepolia}:${n}`, 1]))
    expect(countedA.length).toBe(6)
    expect(countedB.length).toBe(6)
  })

  test('behavior: repeated traps on chain 100 park the module on chain 100 only; chain 11155111 instance is not poisoned and keeps delivering', { timeout: 30_000 }, async () => {
    const { engine, a, b, cursor } = await twoChainEngine('backoff_initial_ms = 10\npoison_after = 2')
    b.mine(Array.from({ length: 3 }, () => []))
    await vi.waitFor(() => expect(engine.supervisors.get('throws-on-one-chain@100')!.state().status).toBe('poisoned'), { timeout: 20_000 })
    a.mine(Array.from({ length: 4 }, () => []))
    await vi.waitFor(() => expect(cursor(sepolia)).toBe(4n), { timeout: 20_000 })
    expect(engine.supervisors.get(`throws-on-one-chain@${sepolia}`)!.state()).toMatchObject({ status: 'running', traps: 0, parked: 0 })
    const poisoned = (await engine.metrics.modulePoisoned.get()).values.filter((v) => v.labels.module === 'throws-on-one-chain')
    expect(Object.fromEntries(poisoned.map((v) => [v.labels.chain_id, v.value]))).toEqual({ [String(sepolia)]: 0, '100': 1 })
    // Parked on chain 100, its chain's cursor moves on (the other modules there do not wait).
    await vi.waitFor(() => expect(cursor(gnosis)).toBe(3n), { timeout: 20_000 })
    expect(engine.health.problems().map((p) => p.source)).toEqual(['module:throws-on-one-chain@100'])
  })
})

describe('[[modules]] chains on an engine with one chain', () => {
  test('behavior: one instance named after the module, its config given that chain id', { timeout: 30_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'shepherd-per-chain-'))
    const config = parseConfig({
      file: join(dir, 'engine.toml'),
      text: `[engine]\nstate_dir = "state"\n[chains.${gnosis}]\nrpc_url = "ws://127.0.0.1:1"\npoll_interval_ms = 10\nstart_block = 1\n[[modules]]\nname = "counting"\npath = "${resolve('engine/testing/countingModule.ts')}"\nisolation = "in-process"\nchains = [${gnosis}]\n`,
    })
    const b = createMemoryChainSource({ chainId: gnosis })
    const engine = await startEngine({ config, sources: new Map([[gnosis, b.source]]), logger: createLogger({ level: 'error', write: () => {} }), shutdownGraceMs: 200 })
    engines.push(engine)
    expect([...engine.supervisors.keys()]).toEqual(['counting'])
    b.mine([[], []])
    await vi.waitFor(() => expect(engine.status()[0]?.cursor).toBe(2n), { timeout: 20_000 })
    await engine.stop()
    const store = createStore({ stateDir: join(dir, 'state') })
    const counted = await store.forModule('counting').list<number>('block:')
    await store.close()
    // The counting module's default chainId is 11155111: it counted chain 100's blocks only because its config got chainId 100.
    expect(counted.length).toBe(2)
  })
})

describe('[[modules]] chains with modules passed in already loaded (startEngine({ modules }))', () => {
  test('behavior: each instance gets its chain id as a module loaded from the config does, and counts its own chain', { timeout: 30_000 }, async () => {
    dir = mkdtempSync(join(tmpdir(), 'shepherd-per-chain-'))
    const chain = (id: number) => `[chains.${id}]\nrpc_url = "ws://127.0.0.1:1"\npoll_interval_ms = 10\nstart_block = 1\n`
    const config = parseConfig({
      file: join(dir, 'engine.toml'),
      text: `[engine]\nstate_dir = "state"\n${chain(sepolia)}${chain(gnosis)}[[modules]]\nname = "counting"\npath = "${resolve('engine/testing/countingModule.ts')}"\nisolation = "in-process"\nchains = [${gnosis}]\n`,
    })
    // Loaded once, without a chain id: its config defaults to chainId 11155111.
    const modules = await loadModules(config)
    expect(modules[0]!.config).toMatchObject({ chainId: sepolia })
    const a = createMemoryChainSource({ chainId: sepolia })
    const b = createMemoryChainSource({ chainId: gnosis })
    const engine = await startEngine({ config, modules, sources: new Map([[sepolia, a.source], [gnosis, b.source]]), logger: createLogger({ level: 'error', write: () => {} }), shutdownGraceMs: 200 })
    engines.push(engine)
    // Before: the instance kept chainId 11155111, subscribed to nothing on chain 100 and was dropped as idle.
    expect([...engine.supervisors.keys()]).toEqual(['counting@100'])
    a.mine([[], [], []])
    b.mine([[], []])
    const cursor = (chainId: number) => engine.status().find((s) => s.chainId === chainId)?.cursor
    await vi.waitFor(() => expect([cursor(sepolia), cursor(gnosis)]).toEqual([3n, 2n]), { timeout: 20_000 })
    await engine.stop()
    const store = createStore({ stateDir: join(dir, 'state') })
    const counted = await store.forModule('counting@100').list<number>('block:')
    await store.close()
    expect(counted.length).toBe(2)
  })
})
