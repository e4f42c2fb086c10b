import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { createMemoryChainSource } from './chain/createMemoryChainSource.ts'
import type { ChainSource } from './chain/types.ts'
import { parseConfig } from './config/loadConfig.ts'
import { moduleEntrySchema } from './config/schema.ts'
import { createLogger } from './host/createLogger.ts'
import { defineModule } from '../modules/sdk/module/defineModule.ts'
import type { LoadedModule } from './module/loadModules.ts'
import { startEngine, type Engine } from './startEngine.ts'

// /healthz end to end: a real engine (in-process modules, a scripted chain), asked over HTTP.
const chainId = 11155111
const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})

type Health = {
  ok: boolean
  status: string
  reasons: Array<{ source: string; check: string; reason: string; since: number }>
  chains: Array<{ chainId: number; state: string; cursor?: string; stoppedReason?: string }>
  modules: Record<string, string>
}

/** A module whose behaviour the test switches: degrade a check, or throw on every block (it is parked after one trap). */
function switchable() {
  const state = { degrade: false, trap: false, blocks: 0 }
  const definition = defineModule({
    name: 'switchable',
    subscriptions: () => ({ blocks: [{ chainId }] }),
    async onBlock({ host }) {
      if (state.trap) throw new Error('switched to trap')
      if (state.degrade) host.health.degraded('orders', 'orderbook answered 404 to 3 posts in a row')
      else host.health.ok('orders')
      state.blocks++
    },
  })
  const loaded: LoadedModule = { definition: definition as never, config: {}, subscriptions: { blocks: [{ chainId }] }, entry: moduleEntrySchema.parse({ name: 'switchable', isolation: 'in-process' }), url: 'memory:switchable' }
  return { state, loaded }
}

async function start(options: { source?: (mem: ReturnType<typeof createMemoryChainSource>) => ChainSource; modules?: LoadedModule[] } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-healthz-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const config = parseConfig({
    text: `[engine]\nstate_dir = "${dir}"\n[engine.metrics]\nenabled = true\nbind = "127.0.0.1:0"\n[engine.supervisor]\npoison_after = 1\nbackoff_initial_ms = 1\n[chains.${chainId}]\nrpc_url = "http://127.0.0.1:1"\npoll_interval_ms = 10\nstart_block = 1\n`,
    file: join(dir, 'engine.toml'),
  })
  const mem = createMemoryChainSource({ chainId })
  mem.mine(Array.from({ length: 3 }, () => []))
  const engine: Engine = await startEngine({
    config,
    modules: options.modules ?? [],
    sources: new Map([[chainId, options.source?.(mem) ?? mem.source]]),
    isolation: 'in-process',
    logger: createLogger({ level: 'error', write: () => {} }),
    shutdownGraceMs: 1_000,
  })
  cleanups.push(() => engine.stop())
  const healthz = async () => {
    const response = await fetch(`${engine.metricsUrl}/healthz`)
    return { status: response.status, body: (await response.json()) as Health }
  }
  return { engine, mem, healthz }
}

async function until<T>(fn: () => Promise<T>, accept: (value: T) => boolean, what: string, timeoutMs = 10_000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await fn()
    if (accept(value)) return value
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}: ${JSON.stringify(value)}`)
    await new Promise((r) => setTimeout(r, 10))
  }
}

describe('/healthz', () => {
  test('behavior: 200 { ok: true, status: "ok" } once the chain is followed and caught up, with chains and modules', async () => {
    const module = switchable()
    const { healthz } = await start({ modules: [module.loaded] })
    const healthy = await until(healthz, (h) => h.status === 200 && h.body.chains[0]?.cursor === '3', 'healthy at cursor 3')
    expect(healthy.body).toMatchObject({ ok: true, status: 'ok', reasons: [], modules: { switchable: 'running' } })
    expect(healthy.body.chains[0]).toMatchObject({ chainId, state: 'running', head: '3', lag: '0' })
  })

  test('behavior: a degraded module check is 503 with its reason, and 200 again once the module reports it ok', async () => {
    const module = switchable()
    const { healthz, mem } = await start({ modules: [module.loaded] })
    await until(healthz, (h) => h.status === 200, 'healthy')
    module.state.degrade = true
    mem.mine([[]])
    const sick = await until(healthz, (h) => h.status === 503, 'unhealthy')
    expect(sick.body).toMatchObject({ ok: false, status: 'unhealthy' })
    expect(sick.body.reasons).toEqual([expect.objectContaining({ source: 'module:switchable', check: 'orders', reason: 'orderbook answered 404 to 3 posts in a row', since: expect.any(Number) })])
    module.state.degrade = false
    mem.mine([[]])
    await until(healthz, (h) => h.status === 200, 'healthy again')
  })

  test('behavior: a parked module is 503 with the reason and what to do, and 200 again after its release', async () => {
    const module = switchable()
    const { healthz, mem, engine } = await start({ modules: [module.loaded] })
    await until(healthz, (h) => h.status === 200, 'healthy')
    module.state.trap = true
    mem.mine([[]])
    const parked = await until(healthz, (h) => h.body.reasons.some((r) => r.check === 'poisoned'), 'parked')
    expect(parked.status).toBe(503)
    expect(parked.body.modules.switchable).toBe('poisoned')
    expect(parked.body.reasons.find((r) => r.check === 'poisoned')).toMatchObject({ source: 'module:switchable', reason: expect.stringMatching(/^parked after repeated traps: .*switched to trap.*shepherd release switchable/) })
    module.state.trap = false
    expect((await fetch(`${engine.metricsUrl}/admin/modules/switchable/release`, { method: 'POST' })).status).toBe(200)
    mem.mine([[]])
    await until(healthz, (h) => h.status === 200, 'healthy after release')
  })

  test('behavior: a stopped chain is 503 naming the cause, with shepherd_chain_stopped 1', async () => {
    const { healthz, engine } = await start({ source: (mem) => ({ ...mem.source, getChainId: async () => 1 }) })
    const stopped = await until(healthz, (h) => h.body.chains[0]?.state === 'stopped', 'stopped')
    expect(stopped.status).toBe(503)
    expect(stopped.body.reasons).toEqual([expect.objectContaining({ source: `chain:${chainId}`, check: 'stopped', reason: 'The RPC serves chain 1, not the configured chain 11155111' })])
    expect(await (await fetch(`${engine.metricsUrl}/metrics`)).text()).toContain(`shepherd_chain_stopped{chain_id="${chainId}"} 1`)
  })

  test('behavior: a chain no module follows may skip a gap (on_gap unset resolves to skip) and says so; one a module follows halts', async () => {
    // Both start from a cursor far behind: state is shared by writing it first with a short run.
    const dir = mkdtempSync(join(tmpdir(), 'shepherd-healthz-gap-'))
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
    const mem = createMemoryChainSource({ chainId })
    mem.mine([[]])
    const text = (lookback: number) =>
      `[engine]\nstate_dir = "${dir}"\n[engine.metrics]\nenabled = true\nbind = "127.0.0.1:0"\n[chains.${chainId}]\nrpc_url = "http://127.0.0.1:1"\npoll_interval_ms = 10\nstart_block = 1\nmax_lookback_blocks = ${lookback}\n`
    const run = async (modules: LoadedModule[]) => {
      const engine = await startEngine({
        config: parseConfig({ text: text(5), file: join(dir, 'engine.toml') }),
        modules,
        sources: new Map([[chainId, mem.source]]),
        isolation: 'in-process',
        logger: createLogger({ level: 'error', write: () => {} }),
      })
      cleanups.push(() => engine.stop())
      return engine
    }
    const first = await run([])
    await until(async () => first.status()[0]?.cursor, (c) => c === 1n, 'cursor 1')
    await first.stop()
    mem.mine(Array.from({ length: 30 }, () => []))
    const halted = await run([switchable().loaded])
    await until(async () => halted.status()[0]?.state, (s) => s === 'stopped', 'halt')
    expect(halted.health.problems().map((p) => p.check)).toContain('stopped')
    await halted.stop()
    const skipping = await run([])
    await until(async () => skipping.status()[0]?.cursor, (c) => c === 31n, 'cursor 31')
    expect(skipping.health.problems().find((p) => p.check === 'gap')?.reason).toMatch(/^skipped blocks 2\.\.26 \(25\)/)
  })
})
