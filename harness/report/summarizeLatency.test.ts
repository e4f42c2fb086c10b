import { describe, expect, test } from 'vitest'
import { blockSeries, loadSectionFrom } from './fromLoadResult.ts'
import { collectRunEnvironment, readGitCommit } from './collectRunEnvironment.ts'
import { latencyFromHistogram, summarizeLatency } from './summarizeLatency.ts'
import type { LoadResult } from '../load/loadTypes.ts'

describe('summarizeLatency', () => {
  test('behavior: nearest-rank percentiles and the max of raw samples', () => {
    const samples = Array.from({ length: 100 }, (_, i) => 100 - i) // 1..100 shuffled order
    expect(summarizeLatency(samples)).toEqual({ p50: 50, p95: 95, p99: 99, max: 100, count: 100 })
    expect(summarizeLatency([7])).toEqual({ p50: 7, p95: 7, p99: 7, max: 7, count: 1 })
    expect(summarizeLatency([])).toBeUndefined()
  })
})

describe('latencyFromHistogram', () => {
  test('behavior: interpolates inside buckets (seconds in, ms out) like histogram_quantile', () => {
    const summary = latencyFromHistogram([
      { le: 0.01, count: 50 },
      { le: 0.1, count: 100 },
      { le: Infinity, count: 100 },
    ])
    expect(summary).toEqual({ p50: 10, p95: 91, p99: 98.2, max: 100, count: 100 })
  })

  test('behavior: samples past the last bound report that bound; an empty histogram gives undefined', () => {
    expect(latencyFromHistogram([{ le: 1, count: 0 }, { le: Infinity, count: 3 }])).toMatchObject({ p99: 1000, max: 1000 })
    expect(latencyFromHistogram([{ le: 1, count: 0 }, { le: Infinity, count: 0 }])).toBeUndefined()
  })
})

describe('from a load result', () => {
  const load = {
    byKind: { twap: { sent: 2, accepted: 2, rejected: 0, mined: 2, reverted: 0, unconfirmed: 0 }, ethFlow: { sent: 1, accepted: 0, rejected: 1, mined: 0, reverted: 0, unconfirmed: 0 } },
    senders: [{ address: '0x00000000000000000000000000000000000000aa', firstNonce: 0, nextNonce: 3, sent: 3, accepted: 2, rejected: 1, mined: 2, reverted: 0, unconfirmed: 0 }],
    rejectionsByMessage: { 'insufficient funds': 1 },
    minedPerBlock: [{ block: 11n, mined: 1, reverted: 1 }],
  } as unknown as LoadResult

  test('behavior: the load section keeps counts per kind and per sender', () => {
    expect(loadSectionFrom(load)).toEqual({
      twap: load.byKind.twap,
      ethFlow: load.byKind.ethFlow,
      senders: [{ address: '0x00000000000000000000000000000000000000aa', accepted: 2, mined: 2, reverted: 0, rejected: 1, unconfirmed: 0 }],
      rejectionsByMessage: { 'insufficient funds': 1 },
    })
  })

  test('behavior: the series has one sample per block, with gaps as null dispatch and zero load', () => {
    const series = blockSeries({ load, timestamps: new Map([[10n, 100n], [11n, 101n], [12n, 101n]]), dispatchMs: new Map([[11n, 4.5]]), fromBlock: 10n, toBlock: 12n })
    expect(series).toEqual([
      { block: 10, timeSeconds: 0, dispatchMs: null, loadTxs: 0 },
      { block: 11, timeSeconds: 1, dispatchMs: 4.5, loadTxs: 2 },
      { block: 12, timeSeconds: 1, dispatchMs: null, loadTxs: 0 },
    ])
  })
})

describe('collectRunEnvironment', () => {
  test('behavior: reads versions and machine; an unreadable git dir gives "unknown"', () => {
    const env = collectRunEnvironment()
    expect(env.versions.node).toBe(process.versions.node)
    expect(env.versions.viem).toMatch(/^\d+\.\d+\.\d+/)
    expect(env.versions.anvil).toMatch(/^\d+\.\d+\.\d+/)
    expect(env.machine.cores).toBeGreaterThan(0)
    expect(readGitCommit('/nonexistent-dir')).toBe('unknown')
  })
})
