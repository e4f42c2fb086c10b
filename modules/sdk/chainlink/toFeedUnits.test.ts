import fc from 'fast-check'
import { expect, test } from 'vitest'
import { toFeedUnits } from './toFeedUnits.ts'

test('behavior: a decimal string becomes the exact raw answer at the feed precision', () => {
  expect(toFeedUnits('2500.5', 8)).toEqual({ ok: true, value: 250_050_000_000n })
  expect(toFeedUnits('2500', 8)).toEqual({ ok: true, value: 250_000_000_000n })
  expect(toFeedUnits('-1.5', 2)).toEqual({ ok: true, value: -150n })
  expect(toFeedUnits('1.50000', 1)).toEqual({ ok: true, value: 15n })
})

test('behavior: more significant fraction digits than decimals is refused, naming the value', () => {
  const result = toFeedUnits('1.123', 2)
  expect(result.ok).toBe(false)
  expect(!result.ok && result.error).toContain('"1.123" has more fraction digits than the feed\'s 2 decimals')
  expect(toFeedUnits('1e5', 8).ok).toBe(false)
})

test('behavior: any integer at any precision round-trips (property)', () => {
  fc.assert(
    fc.property(fc.bigInt({ min: -(10n ** 30n), max: 10n ** 30n }), fc.integer({ min: 0, max: 18 }), (raw, decimals) => {
      const abs = raw < 0n ? -raw : raw
      const text = abs.toString().padStart(decimals + 1, '0')
      const decimal = `${raw < 0n ? '-' : ''}${decimals === 0 ? text : `${text.slice(0, -decimals)}.${text.slice(-decimals)}`}`
      expect(toFeedUnits(decimal, decimals)).toEqual({ ok: true, value: raw })
    }),
  )
})
