import { afterEach, describe, expect, test } from 'vitest'
import { createMetrics } from './createMetrics.ts'
import { serveMetrics } from './serveMetrics.ts'

const closers: Array<() => Promise<void>> = []
afterEach(async () => {
  while (closers.length) await closers.pop()?.()
})

describe('metrics', () => {
  test('behavior: /metrics exposes the shepherd_* names with their labels', async () => {
    const metrics = createMetrics()
    metrics.chainRequests.inc({ chain_id: '11155111', method: 'eth_getLogs', outcome: 'ok' })
    metrics.eventLatency.observe({ module: 'twap-monitor', event_kind: 'block' }, 0.012)
    metrics.moduleErrors.inc({ module: 'twap-monitor', error_kind: 'throw' })
    metrics.modulePoisoned.set({ module: 'stop-loss' }, 1)
    const server = await serveMetrics({ registry: metrics.registry, bind: '127.0.0.1:0', health: () => ({ ok: true, details: { chains: 1 } }) })
    closers.push(server.close)
    const response = await fetch(`${server.url}/metrics`)
    expect(response.status).toBe(200)
    expect(response.headers.get('content-type')).toContain('text/plain')
    const text = await response.text()
    expect(text).toContain('shepherd_chain_request_total{chain_id="11155111",method="eth_getLogs",outcome="ok"} 1')
    expect(text).toContain('shepherd_event_latency_seconds_bucket{le="0.025",module="twap-monitor",event_kind="block"} 1')
    expect(text).toContain('shepherd_module_errors_total{module="twap-monitor",error_kind="throw"} 1')
    expect(text).toContain('shepherd_module_poisoned{module="stop-loss"} 1')
    // Read at scrape time from this process: a live heap is tens of MB, never 0.
    const heap = Number(/^shepherd_heap_used_bytes (\d+)$/m.exec(text)?.[1])
    expect(heap).toBeGreaterThan(1_000_000)
    for (const name of ['shepherd_module_restarts_total', 'shepherd_cow_api_submit_total', 'shepherd_stream_reconnects_total'])
      expect(text).toContain(`# TYPE ${name} counter`)
  })

  test('behavior: /healthz answers 200 when healthy and 503 when not', async () => {
    let ok = true
    const metrics = createMetrics()
    const server = await serveMetrics({ registry: metrics.registry, bind: '127.0.0.1:0', health: () => ({ ok, details: { head: 5n } }) })
    closers.push(server.close)
    const healthy = await fetch(`${server.url}/healthz`)
    expect(healthy.status).toBe(200)
    expect(await healthy.json()).toEqual({ ok: true, status: 'ok', head: '5' })
    ok = false
    const unhealthy = await fetch(`${server.url}/healthz`)
    expect(unhealthy.status).toBe(503)
    expect(await unhealthy.json()).toEqual({ ok: false, status: 'unhealthy', head: '5' })
    expect((await fetch(`${server.url}/nope`)).status).toBe(404)
  })

  test('behavior: two engines keep separate registries', () => {
    const a = createMetrics()
    const b = createMetrics()
    a.blocksProcessed.inc({ chain_id: '1' })
    expect(a.registry.getSingleMetric('shepherd_blocks_processed_total')).not.toBe(b.registry.getSingleMetric('shepherd_blocks_processed_total'))
    expect(a.registry).not.toBe(b.registry)
  })

  test('behavior: a taken port gives an error naming the bind address', async () => {
    const metrics = createMetrics()
    const first = await serveMetrics({ registry: metrics.registry, bind: '127.0.0.1:0', health: () => ({ ok: true, details: {} }) })
    closers.push(first.close)
    const port = new URL(first.url).port
    await expect(serveMetrics({ registry: metrics.registry, bind: `127.0.0.1:${port}`, health: () => ({ ok: true, details: {} }) })).rejects.toThrow(
      `Cannot serve metrics on 127.0.0.1:${port}`,
    )
  })
})
