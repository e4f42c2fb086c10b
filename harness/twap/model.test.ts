import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import {
  type TwapData,
  decodeTwapStaticInput,
  encodeTwapStaticInput,
  expectedTwapParts,
  pollTwap,
  twapPartStart,
  validateTwap,
} from './model.ts'

const base: TwapData = {
  sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
  buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
  receiver: '0x1111111111111111111111111111111111111111',
  partSellAmount: 10n ** 15n,
  minPartLimit: 1n,
  t0: 1_700_000_000n,
  n: 3n,
  t: 600n,
  span: 0n,
  appData: `0x${'ab'.repeat(32)}`,
}

describe('TWAP model', () => {
  test('behavior: validation returns the handler reasons in the handler order', () => {
    const zero = '0x0000000000000000000000000000000000000000'
    expect(validateTwap(base)).toBeUndefined()
    expect(validateTwap({ ...base, buyToken: base.sellToken, partSellAmount: 0n })).toBe('same token')
    expect(validateTwap({ ...base, buyToken: zero })).toBe('invalid token')
    expect(validateTwap({ ...base, partSellAmount: 0n })).toBe('invalid part sell amount')
    expect(validateTwap({ ...base, minPartLimit: 0n })).toBe('invalid min part limit')
    expect(validateTwap({ ...base, t0: 2n ** 32n - 1n })).toBe('invalid start time')
    expect(validateTwap({ ...base, n: 1n })).toBe('invalid num parts')
    expect(validateTwap({ ...base, n: 2n ** 32n })).toBe('invalid num parts')
    expect(validateTwap({ ...base, t: 0n })).toBe('invalid frequency')
    expect(validateTwap({ ...base, t: 365n * 86400n + 1n, span: 0n })).toBe('invalid frequency')
    expect(validateTwap({ ...base, span: 601n })).toBe('invalid span')
  })

  test('behavior: before t0 the hint is PollTryAtEpoch(t0, "before twap start")', () => {
    expect(pollTwap({ data: base, now: base.t0 - 1n })).toEqual({ kind: 'tryAtEpoch', epoch: base.t0, reason: 'before twap start' })
  })

  test('behavior: a part with span 0 is valid until the next part starts', () => {
    const r = pollTwap({ data: base, now: base.t0 + 650n })
    expect(r.kind === 'order' && [r.part, r.validTo, r.order.validTo]).toEqual([1n, base.t0 + 1199n, Number(base.t0 + 1199n)])
  })

  test('behavior: outside the span the hint is the next part start, "not within span"', () => {
    const data = { ...base, span: 100n }
    const inside = pollTwap({ data, now: base.t0 + 699n })
    expect(inside.kind === 'order' && inside.validTo).toBe(base.t0 + 699n)
    expect(pollTwap({ data, now: base.t0 + 700n })).toEqual({ kind: 'tryAtEpoch', epoch: base.t0 + 1200n, reason: 'not within span' })
  })

  test('behavior: from t0 + n*t on the order is not valid, "after twap finish"', () => {
    expect(pollTwap({ data: base, now: base.t0 + 1800n })).toEqual({ kind: 'notValid', reason: 'after twap finish' })
  })

  test('behavior: t0 = 0 reads the cabinet; an empty cabinet means "after twap finish" (the field pitfall)', () => {
    const data = { ...base, t0: 0n }
    expect(pollTwap({ data, now: 1_800_000_000n })).toEqual({ kind: 'notValid', reason: 'after twap finish' })
    expect(pollTwap({ data, now: base.t0 + 5n, ctxStart: base.t0 }).kind).toBe('order')
    expect(twapPartStart(data, 2, base.t0)).toBe(base.t0 + 1200n)
  })

  test('behavior: validTo past uint32 is a plain revert, as SafeCast in the handler', () => {
    const data = { ...base, t0: 2n ** 32n - 2n, t: 86400n }
    expect(pollTwap({ data, now: data.t0 })).toEqual({ kind: 'revert', message: "SafeCast: value doesn't fit in 32 bits" })
  })

  test('behavior: static input round-trips, and junk is refused with its length', () => {
    expect(decodeTwapStaticInput(encodeTwapStaticInput(base))).toEqual(base)
    expect(() => decodeTwapStaticInput('0x1234')).toThrow(/Not a TWAP static input[\s\S]*length: 2 bytes/)
  })

  test('behavior: expectedTwapParts lists exactly the parts pollTwap returns at some second of the window', () => {
    const dataArb = fc.record({
      t0: fc.bigInt(1_000n, 1_200n),
      n: fc.bigInt(2n, 8n),
      t: fc.bigInt(1n, 40n),
      spanPick: fc.bigInt(0n, 40n),
    })
    fc.assert(
      fc.property(dataArb, fc.bigInt(900n, 1_500n), fc.bigInt(0n, 300n), ({ t0, n, t, spanPick }, from, width) => {
        const data = { ...base, t0, n, t, span: spanPick % (t + 1n) }
        const seen = new Map<bigint, bigint>()
        for (let now = from; now <= from + width; now++) {
          const r = pollTwap({ data, now })
          if (r.kind === 'order') seen.set(r.part, r.validTo)
        }
        const listed = expectedTwapParts(data, from, from + width)
        expect(listed.map((p) => [p.part, p.validTo])).toEqual([...seen.entries()])
        for (const p of listed) expect(p.start).toBe(twapPartStart(data, p.part))
      }),
      { numRuns: 200 },
    )
  })
})
