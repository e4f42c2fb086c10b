import type { Address } from 'viem'
import { describe, expect, test } from 'vitest'
import { groundTruthOrderUid } from '../../harness/scenario/orderUid.ts'
import { twapPartOrder, twapPartValidTo, validateTwap } from '../../harness/twap/model.ts'
import { partSecondsRange, planScaleTwaps } from './planScaleTwaps.ts'
import { scaleProfile } from './scaleProfile.ts'

const owners: Address[] = ['0x00000000000000000000000000000000000000a1', '0x00000000000000000000000000000000000000a2', '0x00000000000000000000000000000000000000a3']
const tokens = { sell: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14', buy: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59' } as const
const plan = (over: Partial<Parameters<typeof planScaleTwaps>[0]> = {}) =>
  planScaleTwaps({ firstIndex: 0, count: 200, owners, duePerBlock: 2, steadyBlocks: 5, steadyStart: 1_000n, burstParts: 50, burstAt: 2_000n, idleFrom: 100_000n, tokens, ...over })

describe('planScaleTwaps', () => {
  test('behavior: exactly duePerBlock TWAPs start at each steady block, the burst all at burstAt, the rest after idleFrom', () => {
    const twaps = plan()
    const due = twaps.filter((t) => t.role === 'due')
    expect(due).toHaveLength(10)
    for (let k = 1; k <= 5; k++) expect(due.filter((t) => t.data.t0 === 1_000n + BigInt(k))).toHaveLength(2)
    expect(twaps.filter((t) => t.role === 'burst').every((t) => t.data.t0 === 2_000n)).toBe(true)
    expect(twaps.filter((t) => t.role === 'burst')).toHaveLength(50)
    const idle = twaps.filter((t) => t.role === 'idle')
    expect(idle).toHaveLength(140)
    for (const t of idle) {
      expect(t.data.t0).toBeGreaterThanOrEqual(100_000n)
      expect(t.data.t).toBeGreaterThanOrEqual(BigInt(partSecondsRange[0]))
      expect(t.data.t).toBeLessThanOrEqual(BigInt(partSecondsRange[1]))
    }
  })

  test('behavior: every TWAP is valid for the handler and no two first parts share a UID, across phases', () => {
    const twaps = [...plan(), ...plan({ firstIndex: 200, burstParts: 0 })]
    for (const t of twaps) expect(validateTwap(t.data)).toBeUndefined()
    const uids = new Set(twaps.map((t) => groundTruthOrderUid(twapPartOrder(t.data, twapPartValidTo(t.data, 0n)), t.owner)))
    expect(uids.size).toBe(twaps.length)
    expect(new Set(twaps.map((t) => t.salt)).size).toBe(twaps.length)
  })

  test('behavior: the plan is the same on every call, and a phase too small for its due and burst TWAPs is refused', () => {
    expect(plan()).toEqual(plan())
    expect(() => plan({ count: 59 })).toThrow(/cannot hold 10 due and 50 burst/)
    expect(() => plan({ owners: [] })).toThrow(/no owners/)
  })
})

describe('scaleProfile', () => {
  test('behavior: CI unless SHEPHERD_SCALE=full; overrides are checked', () => {
    expect(scaleProfile({ env: {} })).toMatchObject({ scale: 'ci', growth: [1_000, 2_000, 10_000], burstParts: 500 })
    expect(scaleProfile({ env: { SHEPHERD_SCALE: 'full' } })).toMatchObject({ scale: 'full', growth: [1_000, 10_000, 100_000], burstParts: 10_000 })
    expect(scaleProfile({ env: { SHEPHERD_SCALE_GROWTH: '1000, 5000', SHEPHERD_SCALE_BURST: '800' } })).toMatchObject({ growth: [1_000, 5_000], burstParts: 800, httpBurstWatches: 1_600 })
    expect(() => scaleProfile({ env: { SHEPHERD_SCALE_GROWTH: '5000,1000' } })).toThrow(/ascending positive integers.*found "5000,1000"/)
    expect(() => scaleProfile({ env: { SHEPHERD_SCALE_BURST: 'many' } })).toThrow(/SHEPHERD_SCALE_BURST must be a positive integer.*found "many"/)
    expect(() => scaleProfile({ env: { SHEPHERD_SCALE: 'huge' } })).toThrow(/SHEPHERD_SCALE/)
    expect(() => scaleProfile({ env: { SHEPHERD_SCALE_GROWTH: '1000,10000,20000', SHEPHERD_SCALE_BURST: '10000' } })).toThrow(/step to 20000 watches adds 10000, fewer than the 10030/)
    expect(() => scaleProfile({ env: { SHEPHERD_SCALE_GROWTH: '20,1000' } })).toThrow(/step to 20 watches adds 20, fewer than the 30 it must create \(30 due in the steady window\)/)
  })
})
