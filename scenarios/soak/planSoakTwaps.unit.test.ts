import { expect, test } from 'vitest'
import { planSoakTwaps } from './planSoakTwaps.ts'
import { soakProfile } from './soakProfile.ts'

test('behavior: a day of CI load is 180 TWAPs with parts from 10 min to a day, some cancelled half-way inside the run, some completing', () => {
  const profile = soakProfile({ env: {} })
  const twaps = planSoakTwaps(profile)
  expect(twaps).toHaveLength(180)
  expect(new Set(twaps.map((t) => t.t))).toEqual(new Set([600, 1800, 3600, 14_400, 86_400]))
  const cancelled = twaps.filter((t) => t.cancelAt !== undefined)
  expect(cancelled.length).toBeGreaterThan(20)
  for (const t of cancelled) {
    expect(t.cancelAt! % profile.chunk).toBe(0)
    expect(t.cancelAt!).toBeGreaterThan(t.createAt)
    expect(t.cancelAt!).toBeLessThan(profile.blocks)
  }
  const completing = twaps.filter((t) => t.cancelAt === undefined && t.createAt + (t.t * t.n) / 12 < profile.blocks)
  expect(completing.length).toBeGreaterThan(50)
})

test('behavior: the full profile is a week with a SIGTERM each day and one SIGKILL; the CI one a day with one of each', () => {
  const full = soakProfile({ env: { SHEPHERD_SCALE: 'full' } })
  expect(full.blocks).toBe(50_400)
  expect(full.sigtermAt).toEqual([7200, 14_400, 21_600, 28_800, 36_000, 43_200])
  expect(full.sigkillAt).toHaveLength(1)
  const ci = soakProfile({ env: {} })
  expect([ci.blocks, ci.sigtermAt, ci.sigkillAt]).toEqual([7200, [1800], [2880]])
  expect(() => soakProfile({ env: { SHEPHERD_SOAK_BLOCKS: '1234' } })).toThrow(/SHEPHERD_SOAK_BLOCKS .*found "1234"/)
})
