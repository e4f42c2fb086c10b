import { describe, expect, test } from 'vitest'
import { createMetrics, observeEventLatency } from '../../engine/metrics/createMetrics.ts'
import { histogramDelta, histogramOf, histogramQuantile, parsePrometheus, quantile, sumOf } from './prometheus.ts'

describe('prometheus', () => {
  test('behavior: parses the engine registry and sums by label', async () => {
    const metrics = createMetrics()
    metrics.chainRequests.inc({ chain_id: '1', method: 'eth_call', outcome: 'ok' }, 3)
    metrics.chainRequests.inc({ chain_id: '1', method: 'eth_getLogs', outcome: 'ok' }, 2)
    metrics.chainRequests.inc({ chain_id: '1', method: 'eth_call', outcome: 'error' })
    const samples = parsePrometheus(await metrics.registry.metrics())
    expect(sumOf(samples, 'shepherd_chain_request_total', { method: 'eth_call' })).toBe(4)
    expect(sumOf(samples, 'shepherd_chain_request_total')).toBe(6)
  })

  test('behavior: histogram quantiles interpolate inside the bucket and deltas isolate a window', async () => {
    const metrics = createMetrics()
    for (let i = 0; i < 90; i++) observeEventLatency(metrics, { module: 'm', event_kind: 'block' }, 0.004)
    const before = histogramOf(parsePrometheus(await metrics.registry.metrics()), 'shepherd_event_latency_seconds', { module: 'm' })
    for (let i = 0; i < 10; i++) observeEventLatency(metrics, { module: 'm', event_kind: 'block' }, 0.2)
    const samples = parsePrometheus(await metrics.registry.metrics())
    const after = histogramOf(samples, 'shepherd_event_latency_seconds', { module: 'm' })
    expect(after.count).toBe(100)
    const p50 = histogramQuantile(after, 0.5)!
    expect(p50).toBeGreaterThan(0.0025)
    expect(p50).toBeLessThanOrEqual(0.005)
    expect(histogramQuantile(after, 0.99)).toBeGreaterThan(0.1)
    const window = histogramDelta(after, before)
    expect(window.count).toBe(10)
    expect(histogramQuantile(window, 0.5)).toBeGreaterThan(0.1)
    expect(sumOf(samples, 'shepherd_event_latency_max_seconds', { module: 'm' })).toBeCloseTo(0.2)
    expect(histogramQuantile({ buckets: [], sum: 0, count: 0 }, 0.5)).toBeUndefined()
  })

  test('behavior: exact quantiles use the nearest rank', () => {
    expect(quantile([5, 1, 3, 2, 4], 0.5)).toBe(3)
    expect(quantile([5, 1, 3, 2, 4], 0.99)).toBe(5)
    expect(quantile([], 0.5)).toBeUndefined()
  })
})
