import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { afterEach, expect, test, vi } from 'vitest'
import { createLogger } from '../host/createLogger.ts'
import { memoryEngine } from '../testing/memoryEngine.ts'
import { metricSample } from '../testing/metricSample.ts'
import { HELD_BYTES } from '../testing/fixtures/holdsHeap.ts'

const cleanups: Array<() => unknown> = []
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
})


test("behavior: /metrics carries each worker module's own heap (shepherd_module_heap_bytes{module}), refreshed by the events it finishes", async () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-moduleheap-'))
  cleanups.push(() => rmSync(dir, { recursive: true, force: true }))
  // Two worker modules: one holds a known 80 MB on its heap, the other (counting) holds next to nothing.
  const modules = `[[modules]]\nname = "holds-heap"\npath = "${resolve('engine/testing/fixtures/holdsHeap.ts')}"\n`
  const { chain, start } = memoryEngine({ dir, metrics: true, modules })
  const engine = await start(createLogger({ level: 'error', write: () => {} }))
  cleanups.push(() => engine.stop())
  const scrape = async () => (await fetch(`${engine.metricsUrl}/metrics`)).text()
  chain.mine([[], []])
  const to = chain.head()
  await vi.waitFor(() => expect(engine.status()[0]?.cursor).toBe(to), { timeout: 10_000 })

  const text = await scrape()
  expect(text).toContain('# TYPE shepherd_module_heap_bytes gauge')
  const held = metricSample(text, 'shepherd_module_heap_bytes{module="holds-heap"}')
  const counting = metricSample(text, 'shepherd_module_heap_bytes{module="counting"}')
  // Ground truth: what the module keeps alive on its own heap, and the limit its worker runs under.
  expect(held).toBeGreaterThanOrEqual(HELD_BYTES)
  expect(held).toBeLessThan(256 * 2 ** 20) // memory_mb default
  expect(counting).toBeGreaterThan(1_000_000) // a loaded worker (the SDK, zod, viem) is never empty
  expect(counting).toBeLessThan(HELD_BYTES) // each worker reports its own heap, not the process's (counting's is ~17 MB)
})
