import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test, vi } from 'vitest'
import { createLogger } from '../host/createLogger.ts'
import type { Engine } from '../startEngine.ts'
import { memoryEngine } from '../testing/memoryEngine.ts'
import { metricSample } from '../testing/metricSample.ts'
import { createMetrics } from './createMetrics.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})


async function liveEngine(): Promise<{ engine: Engine; dir: string; mine(n: number): Promise<void>; scrape(): Promise<string> }> {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-procmetrics-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  const { chain, start } = memoryEngine({ dir, metrics: true, modules: '' })
  const engine = await start(createLogger({ level: 'error', write: () => {} }))
  cleanups.push(() => engine.stop())
  return {
    engine,
    dir,
    async mine(n) {
      chain.mine(Array.from({ length: n }, () => []))
      const to = chain.head()
      await vi.waitFor(() => expect(engine.status()[0]?.cursor).toBe(to), { timeout: 10_000 })
    },
    scrape: async () => (await fetch(`${engine.metricsUrl}/metrics`)).text(),
  }
}

describe('process and store metrics', () => {
  test("behavior: a live engine's /metrics carries the standard process_* and nodejs_* series with this process's values", async () => {
    const { scrape } = await liveEngine()
    const text = await scrape()
    // Standard names, no prefix: dashboards and alert rules written for any Node service work as is.
    for (const name of ['process_cpu_seconds_total', 'process_start_time_seconds', 'nodejs_eventloop_lag_p99_seconds', 'nodejs_gc_duration_seconds', 'nodejs_heap_size_total_bytes'])
      expect(text).toContain(`# TYPE ${name} `)
    const rss = metricSample(text, 'process_resident_memory_bytes')
    // Ground truth from the OS through Node: the same process, read a moment apart (within 50%).
    expect(rss).toBeGreaterThan(process.memoryUsage().rss * 0.5)
    expect(rss).toBeLessThan(process.memoryUsage().rss * 1.5)
    const heap = metricSample(text, 'nodejs_heap_size_used_bytes')!
    expect(heap).toBeGreaterThan(1_000_000)
    const fds = metricSample(text, 'process_open_fds')!
    const maxFds = metricSample(text, 'process_max_fds')!
    expect(fds).toBeGreaterThan(3) // stdio plus at least the lmdb files and the listening socket
    expect(fds).toBeLessThan(maxFds)
    expect(metricSample(text, 'process_cpu_seconds_total')).toBeGreaterThan(0)
    const lagP99 = metricSample(text, 'nodejs_eventloop_lag_p99_seconds')!
    expect(lagP99).toBeGreaterThan(0)
    expect(lagP99).toBeLessThan(5)
  })

  test('behavior: shepherd_store_size_bytes is the data file on disk and shepherd_store_entries{module} counts its keys, both read at scrape time', async () => {
    const { engine, dir, mine, scrape } = await liveEngine()
    await mine(3)
    await engine.store.flush()
    const before = await scrape()
    const keys = async () => (await engine.store.forModule('counting').list('')).length
    // The counting module stores one key per block plus its bookkeeping: lmdb's count must match a full listing.
    expect(metricSample(before, 'shepherd_store_entries{module="counting"}')).toBe(await keys())
    expect(metricSample(before, 'shepherd_store_size_bytes')).toBe(statSync(join(dir, 'state', 'data.mdb')).size)
    expect(metricSample(before, 'shepherd_store_size_bytes')).toBeGreaterThan(0)

    await mine(40)
    await engine.store.flush()
    const after = await scrape()
    expect(metricSample(after, 'shepherd_store_entries{module="counting"}')).toBe(await keys())
    expect(metricSample(after, 'shepherd_store_entries{module="counting"}')! - metricSample(before, 'shepherd_store_entries{module="counting"}')!).toBe(40)
    expect(metricSample(after, 'shepherd_store_size_bytes')).toBe(statSync(join(dir, 'state', 'data.mdb')).size)
  })

  test('behavior: two engines in one process register the process collectors without a duplicate-name error and each exposes them', async () => {
    const a = await liveEngine()
    const b = await liveEngine()
    const [textA, textB] = await Promise.all([a.scrape(), b.scrape()])
    expect(metricSample(textA, 'process_max_fds')).toBeGreaterThan(0)
    expect(metricSample(textA, 'process_max_fds')).toBe(metricSample(textB, 'process_max_fds'))
    // Each engine's own store series stay its own.
    expect(textA).toContain('shepherd_store_size_bytes ')
    expect(textB).toContain('shepherd_store_size_bytes ')
    // One set of collectors per process, shared: a GC observer and an event-loop histogram per engine would pile up in tests that start many.
    const [x, y] = [createMetrics(), createMetrics()]
    for (const name of ['nodejs_gc_duration_seconds', 'nodejs_eventloop_lag_p99_seconds', 'process_open_fds'])
      expect(x.registry.getSingleMetric(name), name).toBe(y.registry.getSingleMetric(name))
    expect(x.registry.getSingleMetric('nodejs_gc_duration_seconds')).toBeDefined()
    expect(x.registry.getSingleMetric('shepherd_head_block')).not.toBe(y.registry.getSingleMetric('shepherd_head_block'))
  })
})
