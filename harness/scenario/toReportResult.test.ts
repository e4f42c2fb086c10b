import type { Address, Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import type { LoadResult } from '../load/loadTypes.ts'
import { compareLoadWithChain } from './compareLoadWithChain.ts'
import { defineScenario } from './defineScenario.ts'
import { judge } from './judge.ts'
import { judgeDelivery } from './judgeDelivery.ts'
import type { EngineFigures } from './readEngineFigures.ts'
import { runAnomalies } from './runAnomalies.ts'
import type { ScenarioRun } from './runScenario.ts'
import { toReportResult } from './toReportResult.ts'

const sender: Address = '0x00000000000000000000000000000000000000a1'
const counts = (mined: number) => ({ sent: 600, accepted: 600, rejected: 0, mined, reverted: 0, unconfirmed: 600 - mined })
// The published chaos run: the generator counted 585 of 600 EthFlow placements mined, the chain showed 600.
const load = {
  byKind: { twap: counts(585), ethFlow: counts(585) },
  totals: { ...counts(1170), sent: 1200, accepted: 1200, unconfirmed: 30 },
  senders: [{ address: sender, firstNonce: 0, nextNonce: 1200, ...counts(1170), sent: 1200, accepted: 1200, unconfirmed: 30 }],
  reverts: [],
  rejectionsByMessage: {},
  minedPerBlock: [],
} as unknown as LoadResult
const chainCounts = { twapCreatedBy: { [sender]: 600 }, ethFlowPlacedBy: { [sender]: 600 } }

const uid = (n: number) => `0x${n.toString(16).padStart(112, '0')}` as Hex
const delivery = judgeDelivery({
  expectedParts: [{ uid: uid(1), owner: sender, part: 0n, tradeableBlock: 10n, createdBlock: 9n, start: 100n, validTo: 104n }],
  ethFlowUids: [],
  record: [{ seq: 1, at: 900, answeredAt: 900, method: 'POST', path: '/api/v1/orders', body: {}, status: 201, responseBody: {}, uid: uid(1), delayMs: 0 }],
  blockSeenAt: new Map([[10n, 1_000]]),
  blocks: [],
  twapOrders: 1,
})
const figures: EngineFigures = {
  latency: [{ module: 'twap-monitor', events: 10, p50: 5, p95: 8, p99: 9, max: 10 }],
  traps: { value: [{ module: 'traps-every-k', kind: 'throw', count: 3 }, { module: 'twap-monitor', kind: 'deadline', count: 1 }] },
  restarts: { value: [{ module: 'traps-every-k', count: 3 }] },
  moduleErrors: { value: [{ module: 'twap-monitor', kind: 'orderbook', count: 2 }] },
  hostFailures: { notMeasured: 'shepherd_module_host_failures_total absent from /metrics of engine pid 7' },
  poisoned: { value: [] },
  failedChainRequests: { value: 0 },
  chainRequests: { value: 40 },
  blockEvents: { value: [{ module: 'twap-monitor', count: 10 }] },
  cursorAtEnd: { value: 15 },
  alerts: {},
  requestsByMethod: { eth_call: 20 },
  reconnects: { value: 0 },
  reorgs: { value: 0 },
  ingestErrors: { value: 0 },
}

function runOf(definition: ScenarioRun['definition']): ScenarioRun {
  const truth = { ...delivery, lookupFailures: [], chainCounts }
  const loadOnChain = compareLoadWithChain(load, chainCounts)
  return {
    definition,
    scale: 'ci',
    startedAt: new Date('2026-11-25T00:00:00Z'),
    durationMs: 1000,
    devnetStartMs: 100,
    blocks: { from: 5n, to: 12n, drainedTo: 15n },
    load,
    loadOnChain,
    truth,
    engine: figures,
    endedEngines: [],
    submissionLatencyMs: { p50: -100, p95: -100, p99: -100, max: -100, min: -100, count: 1 },
    blockClock: 'a head watcher in its own worker thread',
    series: [],
    verdict: judge({ twap: { ...truth.twap, notMeasured: 0 }, ethFlow: truth.ethFlow, unexplainedOrders: 0, moduleErrors: { value: 2 }, traps: { value: 4 }, poisoned: { value: 0 }, p99LatencyMs: -100, blockTimeMs: 1000 }, definition),
    anomalies: runAnomalies({ load, loadOnChain, truth, clock: { errors: () => 0, lastError: () => undefined, gaps: () => [] }, samplerFailures: 0, endedEngines: [] }),
    notes: [],
  }
}
const chaosLike = defineScenario({
  name: 'chaos',
  description: 'd',
  devnet: { blockTime: 1 },
  engine: { modules: [] },
  comparison: { source: 'the Rust original', rows: [{ metric: 'delivery', reference: '38-43% of events' }] },
})

describe('toReportResult', () => {
  test('behavior: the comparison comes from the scenario definition, whatever its name', () => {
    const result = toReportResult(runOf(chaosLike))
    expect(result.comparison).toEqual({ reference: 'the Rust original', rows: [{ metric: 'delivery', reference: '38-43% of events', measured: '100.0% of events' }], notes: undefined })
    expect(toReportResult(runOf({ ...chaosLike, comparison: undefined })).comparison).toBeUndefined()
  })

  test('behavior: mined counts come from the chain, and the generator\'s disagreeing figure is an anomaly naming both', () => {
    const result = toReportResult(runOf(chaosLike))
    expect(result.load.ethFlow).toMatchObject({ accepted: 600, mined: 600, unconfirmed: 0 })
    expect(result.load.senders[0]).toMatchObject({ mined: 1200, unconfirmed: 0 })
    expect(result.anomalies).toContain('EthFlow placements: the load generator counted 585 mined (from its receipts), the chain shows 600 (logs of the load\'s senders); the report uses the chain\'s figure')
    expect(result.evidence.loadOnChain).toMatchObject({ ethFlowPlacements: 600, generatorMined: { ethFlow: 585 } })
  })

  test('behavior: traps are listed per module and kind, restarts apart, and a missing figure is named, not shown as none', () => {
    const result = toReportResult(runOf(chaosLike))
    expect(result.errors.traps).toEqual([
      { module: 'traps-every-k', count: 3, kind: 'throw' },
      { module: 'twap-monitor', count: 1, kind: 'deadline' },
    ])
    expect(result.errors.restarts).toEqual([{ module: 'traps-every-k', count: 3 }])
    expect(result.errors.moduleErrors).toEqual([{ module: 'twap-monitor', kind: 'orderbook', count: 2 }])
    expect(result.evidence.notMeasured).toEqual(['shepherd_module_host_failures_total absent from /metrics of engine pid 7'])
    expect(result.evidence.barStatus.find((b) => b.bar === 'Traps')).toEqual({ bar: 'Traps', status: 'fail' })
  })

  test('behavior: a negative block-to-submission value stays negative, and is an anomaly', () => {
    const result = toReportResult(runOf(chaosLike))
    expect(result.evidence.submissionMinMs).toBe(-100)
    expect(result.anomalies.find((a) => a.includes('negative'))).toMatch(/1 block-to-submission values are negative .*min -100 ms.*kept in the data/)
  })
})
