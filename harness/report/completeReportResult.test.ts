import { describe, expect, test } from 'vitest'
import { completeReportResult, latencyLimitMs, type ReportRun } from './completeReportResult.ts'
import { exampleScenarioResult } from './exampleScenarioResult.ts'
import type { ScenarioResult } from './types.ts'

const clean = { commit: 'c0ffee', dirty: false, changed: [] }

/** A run over blocks 10-13 (drain to 15): parts due in 10 and 11, one missing, one accepted late. */
function run(overrides: Partial<ReportRun> = {}): ReportRun {
  return {
    definition: { devnet: { blockTime: 1 }, engine: { modules: [{ name: 'twap-monitor' }, { name: 'ethflow-watcher' }, { name: 'price-alert' }] } },
    blocks: { from: 10n, to: 13n, drainedTo: 15n },
    truth: {
      blocks: [10n, 11n, 12n, 13n].map((number) => ({ number, transactions: Number(number) })),
      twap: {
        deliveries: [
          { tradeableBlock: 10n, seenAt: 10_000, acceptedAt: 10_100, latencyMs: 100 },
          { tradeableBlock: 10n, seenAt: 10_000, acceptedAt: 10_300, latencyMs: 300 },
          { tradeableBlock: 10n, seenAt: 10_000, acceptedAt: 11_200, latencyMs: 1_200 }, // arrives while 11 is the head
          { tradeableBlock: 11n, seenAt: 11_000, acceptedAt: 11_050, latencyMs: 50 },
        ],
        missing: [{ tradeableBlock: 11n }],
        lookupFailed: [],
        withoutStart: ['0xabc'],
      },
    },
    load: { drivenBlocks: [9n, 10n, 11n, 12n].map((block) => ({ block, sent: 10 })) },
    verdict: {
      bars: [
        { name: 'TWAP delivery', bar: '>= 100%', status: 'fail' },
        { name: 'Duplicates', bar: '<= 0', status: 'not applicable' },
        { name: 'p99 block-to-submission', bar: '< 1000 ms (1 block time)', status: 'fail' },
      ],
    },
    anomalies: ['the chain shows 40, the generator 39'],
    notes: ['accepted orders: 4 = 4 expected TWAP part'],
    ...overrides,
  }
}

function mapped(): ScenarioResult {
  const base = exampleScenarioResult()
  return {
    ...base,
    latency: [{ module: 'twap-monitor', blockToSubmission: { p50: 1, p95: 1, p99: 1, max: 1, count: 1 } }, { module: 'ethflow-watcher' }, { module: 'price-alert' }],
    acceptance: [
      { bar: 'TWAP delivery', target: '>= 100%', measured: '80%', pass: false },
      { bar: 'Duplicates', target: '<= 0', measured: 'not applicable: x', pass: true },
    ],
    anomalies: ['the chain shows 40, the generator 39', 'accepted orders: 4 = 4 expected TWAP part'],
    notes: undefined,
    charts: undefined,
  }
}

describe('completeReportResult', () => {
  test('behavior: block to submission per block is the p50/p99 of the parts due in that block, for the module that posts them', () => {
    const { charts } = completeReportResult(mapped(), run(), { git: clean })
    expect(charts!.submission.modules[0]).toEqual({
      module: 'twap-monitor',
      perBlock: [
        { block: 10, p50: 300, p99: 1_200, max: 1_200, count: 3 },
        { block: 11, p50: 50, p99: 50, max: 50, count: 1 },
      ],
    })
    expect(charts!.submission.limitMs).toBe(1_000)
  })

  test('behavior: modules without submissions say why, ethflow-watcher by design', () => {
    const result = completeReportResult(mapped(), run(), { git: clean })
    expect(result.charts!.submission.modules.slice(1)).toEqual([
      { module: 'ethflow-watcher', noneBecause: 'posts nothing by design: it checks that each EthFlow order reached the orderbook' },
      { module: 'price-alert', noneBecause: 'no block-to-submission measure: only TWAP parts have a block that made them due' },
    ])
    expect(result.latency.map((m) => m.noSubmissionsBecause)).toEqual([undefined, 'posts nothing by design: it checks that each EthFlow order reached the orderbook', expect.stringMatching(/^no block-to-submission measure/)])
  })

  test('behavior: expected parts count at the block that made them due (missing ones too); delivered ones at the head block when accepted', () => {
    const { charts } = completeReportResult(mapped(), run(), { git: clean })
    expect(charts!.delivery.perBlock).toEqual([
      { block: 10, expected: 3, delivered: 2 },
      { block: 11, expected: 2, delivered: 2 },
    ])
    expect(charts!.delivery.leftOut).toBe(1)
    // The head watcher's own stamps, when the run gives them, place arrivals exactly.
    const stamped = completeReportResult(mapped(), run({ blockSeenAt: new Map([[10n, 10_000], [11n, 11_000], [12n, 11_100]]) }), { git: clean })
    expect(stamped.charts!.delivery.perBlock).toEqual([
      { block: 10, expected: 3, delivered: 2 },
      { block: 11, expected: 2, delivered: 1 },
      { block: 12, expected: 0, delivered: 1 },
    ])
  })

  test('behavior: load sent is placed at the block it was sent for, mined comes from the chain, over the judged window', () => {
    const { charts } = completeReportResult(mapped(), run(), { git: clean })
    expect(charts!.load.perBlock).toEqual([
      { block: 10, sent: 10, mined: 10 },
      { block: 11, sent: 10, mined: 11 },
      { block: 12, sent: 10, mined: 12 },
      { block: 13, sent: 10, mined: 13 },
    ])
    expect(charts!.window).toEqual({ from: 10, to: 13, drainedTo: 15 })
  })

  test('behavior: anomalies are kept apart from notes, bars carry the judge\'s status, and the git state is recorded', () => {
    const result = completeReportResult(mapped(), run(), { git: { commit: 'c0ffee', dirty: true, changed: ['package-lock.json'] } })
    expect(result.anomalies).toEqual(['the chain shows 40, the generator 39'])
    expect(result.notes).toEqual(['accepted orders: 4 = 4 expected TWAP part'])
    expect(result.acceptance.map((b) => b.status)).toEqual(['fail', 'not applicable'])
    expect(result.metadata.git).toEqual({ commit: 'c0ffee', dirty: true, changed: ['package-lock.json'] })
  })
})

describe('latencyLimitMs', () => {
  test('behavior: the bar\'s own number when it has one, else read from its target, else unknown', () => {
    expect(latencyLimitMs([{ name: 'p99 block-to-submission', bar: '< 7500 ms (outage 4500 ms + ...)' }])).toBe(7_500)
    expect(latencyLimitMs([{ name: 'p99 block-to-submission', bar: '< 500 ms (1 block time)', limitMs: 480 }])).toBe(480)
    expect(latencyLimitMs([{ name: 'p99 block-to-submission', bar: 'one block' }])).toBeUndefined()
    expect(latencyLimitMs([])).toBeUndefined()
  })
})
