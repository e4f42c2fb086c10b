import type { Address, Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'
import { judgeDelivery, type ExpectedPart } from './judgeDelivery.ts'

const owner: Address = '0x00000000000000000000000000000000000000aa'
const uid = (n: number) => `0x${n.toString(16).padStart(112, '0')}` as Hex
const part = (n: number, tradeableBlock = 10n): ExpectedPart => ({ uid: uid(n), owner, part: BigInt(n), tradeableBlock, createdBlock: 9n, start: 100n, validTo: 104n })
let seq = 0
const post = (n: number, at: number, status = 201, injected?: string): RecordEntry => ({ seq: ++seq, at, answeredAt: at, method: 'POST', path: '/api/v1/orders', body: {}, status, responseBody: {}, uid: uid(n), delayMs: 0, ...(injected ? { injected } : {}) })
const get = (n: number, status = 200): RecordEntry => ({ seq: ++seq, at: 0, answeredAt: 0, method: 'GET', path: `/api/v1/orders/${uid(n)}`, body: undefined, status, responseBody: {}, uid: uid(n), delayMs: 0 })
const seen = new Map([[10n, 1_000], [11n, 2_000]])
const base = { ethFlowUids: [], blockSeenAt: seen, blocks: [], twapOrders: 1 }

describe('judgeDelivery', () => {
  test('behavior: every accepted order is accounted for: expected, drain part, EthFlow, declared, or unexplained', () => {
    const result = judgeDelivery({
      ...base,
      expectedParts: [part(1)],
      drainParts: [part(2, 11n)],
      allEthFlowUids: [uid(3)],
      explained: [{ uid: uid(4), why: 'the e2e stop-loss order' }],
      record: [post(1, 1_100), post(2, 2_100), post(3, 2_200), post(4, 2_300), post(5, 2_400)],
    })
    expect(result.orders.accepted).toBe(5)
    expect(result.orders.byExplanation).toEqual({
      'expected TWAP part': 1,
      'TWAP part tradeable during the drain': 1,
      'EthFlow order': 1,
      'declared by the scenario': 1,
      unexplained: 1,
    })
    expect(result.orders.unexplained).toEqual([uid(5)])
    expect(result.orders.declaredReasons).toEqual(['the e2e stop-loss order'])
    expect(result.twap.unexpectedAccepted).toEqual([uid(5)])
  })

  test('behavior: a drain part is allowed but not required, and a lost 201 is neither delivered nor explained', () => {
    const result = judgeDelivery({ ...base, expectedParts: [part(1)], drainParts: [part(2, 11n)], record: [post(1, 1_100, 201, 'acceptThenLose')] })
    expect(result.twap).toMatchObject({ expected: 1, delivered: 0 })
    expect(result.twap.missing.map((p) => p.uid)).toEqual([uid(1)])
    expect(result.orders.accepted).toBe(0)
  })

  test('behavior: a failed lookup at an external orderbook is "not measured", never counted missing', () => {
    const result = judgeDelivery({ ...base, expectedParts: [part(1), part(2)], record: [post(1, 1_100)], lookupFailed: new Set([uid(2)]) })
    expect(result.twap).toMatchObject({ expected: 2, delivered: 1 })
    expect(result.twap.missing).toEqual([])
    expect(result.twap.lookupFailed.map((p) => p.uid)).toEqual([uid(2)])
  })

  test('behavior: a negative block-to-submission value is kept, not clamped to 0', () => {
    const result = judgeDelivery({ ...base, expectedParts: [part(1), part(2)], record: [post(1, 900), post(2, 1_250)] })
    expect(result.twap.latenciesMs).toEqual([-100, 250])
    expect(result.twap.deliveries[0]).toMatchObject({ seenAt: 1_000, acceptedAt: 900, latencyMs: -100 })
  })

  test('behavior: a delivered part whose block the watcher never saw has no latency, and is named', () => {
    const result = judgeDelivery({ ...base, expectedParts: [part(1, 99n)], record: [post(1, 900)] })
    expect(result.twap.delivered).toBe(1)
    expect(result.twap.latenciesMs).toEqual([])
    expect(result.twap.withoutStart).toEqual([uid(1)])
  })

  test('behavior: posts after acceptance are duplicates; retries before it are not', () => {
    const result = judgeDelivery({ ...base, expectedParts: [part(1)], record: [post(1, 1_050, 500, 'failRate'), post(1, 1_100), post(1, 1_200), post(1, 1_300)] })
    expect(result.twap.duplicates).toBe(2)
    expect(result.twap.duplicatePosts).toEqual([{ uid: uid(1), posts: 3 }])
  })

  test('behavior: EthFlow placements are observed by GET 200 and must never be posted', () => {
    const result = judgeDelivery({ ...base, expectedParts: [], ethFlowUids: [{ uid: uid(7), block: 10n }, { uid: uid(8), block: 10n }, { uid: uid(9), block: 11n }], record: [get(7), get(8, 404), post(8, 1_100)] })
    expect(result.ethFlow).toMatchObject({ placed: 3, observed: 1, postedByWatcher: 1 })
    expect(result.ethFlow.missing.map((e) => e.uid)).toEqual([uid(8), uid(9)])
    expect(result.orders.byExplanation).toEqual({ 'EthFlow order': 1 })
  })
})
