import { describe, expect, test } from 'vitest'
import { judge, type Measures } from '../../harness/scenario/judge.ts'
import { judgeCrashLoop, type CrashLoopEvidence, type Outage } from './judgeCrashLoop.ts'

// Synthetic evidence of a clean crash-loop run: no devnet. 1 s blocks, a 90 s load with kills every
// 4-10 s (3 expected); chain time 1000 at wall time 0, one second per block.
const outage = (killedAt: number, healthyAt: number, caughtUpAt: number): Outage => ({
  killedAt,
  healthyAt,
  caughtUpAt,
  killHeadTime: 1000n + BigInt(killedAt / 1000),
  caughtUpHeadTime: 1000n + BigInt(Math.floor(caughtUpAt / 1000)),
})
const outages = [outage(10_000, 12_000, 13_000), outage(30_000, 32_500, 33_000), outage(50_000, 51_000, 54_000)]
const uid = (n: number) => `0x${n.toString(16).padStart(112, '0')}`
// Part 9 of 20: its window 1009..1012 lay inside the first outage (kill at chain time 1010, caught up at 1013).
const excusedPart = { uid: uid(9), start: 1009n, validTo: 1012n }
const clean: CrashLoopEvidence = {
  blockTimeMs: 1000,
  blockSeconds: 1,
  loadSeconds: 90,
  intervalSeconds: [4, 10],
  outages,
  posts: [
    { uid: uid(1), validTo: 1004n, chainTime: 1001n },
    { uid: uid(2), validTo: 1020n, chainTime: 1020n },
    { uid: uid(3), validTo: 1040n, chainTime: 1037n },
  ],
  parts: { expected: 20, delivered: 19, duplicates: 0, missing: [excusedPart] },
}
const failing = (e: CrashLoopEvidence) => judgeCrashLoop(e).bars.filter((b) => !b.pass)

describe('judgeCrashLoop', () => {
  test('behavior: a clean run passes every crash-loop bar, and says why each derived bound is what it is', () => {
    const verdict = judgeCrashLoop(clean)
    expect(verdict.bars.filter((b) => !b.pass)).toEqual([])
    expect(verdict.bars.map((b) => [b.name, b.measured])).toEqual([
      ['Engine killed repeatedly', '3 kills'],
      ['Nothing posted after its validTo', '0 of 3 posts'],
      ['Nothing posted twice', '0'],
      ['Every part once, or not at all when its window lay inside an outage', '19/20 delivered; 1 missing with their whole window inside an outage; 0 missing otherwise'],
    ])
    expect(verdict.bounds.minTwapDelivered).toEqual({ min: 19, why: expect.stringMatching(/^every expected part but the 1 whose whole window lay inside an outage/) })
    expect(verdict.bounds.moduleErrorsByKind).toEqual([{ module: 'twap-monitor', kind: 'part_missed', max: 1, why: expect.stringMatching(/at most the 1 whose whole window .*no RPC or orderbook fault/) }])
    // The longest outage: the third, 4000 ms from the kill until caught up; + 1 block.
    expect(verdict.bounds.p99LatencyMs).toEqual({ max: 5_000, why: expect.stringMatching(/^the longest outage, 4000 ms .* \+ 1 block time$/) })
    expect(verdict.notes[0]).toBe('3 SIGKILLs of the engine process; down 1000-2500 ms until healthy, then caught up with the head in 500-3000 ms')
  })

  // Each row breaks exactly one crash-loop bar: the judge must fail it alone and say what broke.
  const violations: Array<[string, Partial<CrashLoopEvidence>, RegExp]> = [
    ['Engine killed repeatedly', { outages: outages.slice(0, 2) }, /^2 kills$/],
    ['Engine killed repeatedly', { outages: outages.slice(0, 1), loadSeconds: 70 }, /^1 kills$/],
    ['Nothing posted after its validTo', { posts: [...clean.posts, { uid: uid(4), validTo: 1050n, chainTime: 1051n }] }, /^1 of 4 posts, e\.g\. validTo 1050 at chain time 1051$/],
    ['Nothing posted after its validTo', { posts: [...clean.posts, { uid: uid(4), validTo: 1050n, chainTime: undefined }] }, /^not measured: the chain time at arrival is unknown for 1 of 4 posts/],
    ['Nothing posted after its validTo', { posts: [] }, /^not measured: no order post to judge$/],
    ['Nothing posted twice', { parts: { ...clean.parts, duplicates: 1 } }, /^1$/],
    // A window partly outside every outage: it began three blocks before the head at the kill, or ended after the engine had caught up.
    ['Every part once, or not at all when its window lay inside an outage', { parts: { ...clean.parts, missing: [excusedPart, { uid: uid(10), start: 1007n, validTo: 1011n }] } }, /1 missing with .* 1 missing otherwise \(e\.g\. 0x0000000000000000\.\.\. window 1007\.\.1011\)$/],
    ['Every part once, or not at all when its window lay inside an outage', { parts: { ...clean.parts, missing: [excusedPart, { uid: uid(10), start: 1010n, validTo: 1014n }] } }, /1 missing otherwise/],
    ['Every part once, or not at all when its window lay inside an outage', { parts: { ...clean.parts, missing: [{ uid: uid(10), start: 1020n, validTo: 1023n }] } }, /0 missing with .* 1 missing otherwise/],
    ['Every part once, or not at all when its window lay inside an outage', { parts: { expected: 0, delivered: 0, duplicates: 0, missing: [] } }, /^0\/0 delivered/],
  ]
  test.each(violations)('behavior: evidence that breaks only "%s" fails that bar alone (%#)', (name, change, measured) => {
    const bad = failing({ ...clean, ...change })
    expect(bad.map((b) => b.name)).toEqual([name])
    expect(bad[0]!.measured).toMatch(measured)
  })

  test('behavior: the window edges of an outage are inclusive (two blocks before the kill, the caught-up head)', () => {
    const edges = [excusedPart, { uid: uid(11), start: 1008n, validTo: 1013n }]
    expect(failing({ ...clean, parts: { ...clean.parts, delivered: 18, missing: edges } })).toEqual([])
    expect(judgeCrashLoop({ ...clean, parts: { ...clean.parts, delivered: 18, missing: edges } }).bounds.minTwapDelivered?.min).toBe(18)
  })

  test('behavior: "two blocks before the kill" is in chain time (blockSeconds), not wall time', () => {
    // Kill at chain time 1010: with 12 s blocks a part starting at 987 (23 s before) is inside the outage; with 1 s blocks it is not.
    const early = { uid: uid(12), start: 987n, validTo: 1012n }
    const evidence = { ...clean, parts: { ...clean.parts, delivered: 18, missing: [excusedPart, early] } }
    expect(failing({ ...evidence, blockSeconds: 12 })).toEqual([])
    expect(failing({ ...evidence, blockSeconds: 1 }).map((b) => b.name)).toContain('Every part once, or not at all when its window lay inside an outage')
  })

  test('behavior: the standard bars fail just past the bounds the kill schedule derives: delivery, part_missed, any other error kind, p99', () => {
    const { bounds, bars } = judgeCrashLoop(clean)
    const measures: Measures = {
      twap: { expected: 20, delivered: 19, duplicates: 0 },
      ethFlow: { placed: 0, observed: 0, postedByWatcher: 0 },
      unexplainedOrders: 0,
      moduleErrors: { value: 1 },
      moduleErrorsByKind: { value: [{ module: 'twap-monitor', kind: 'part_missed', count: 1 }] },
      traps: { value: 0 },
      poisoned: { value: 0 },
      p99LatencyMs: 4_999,
      blockTimeMs: 1000,
      bounds,
      extra: bars,
    }
    const rules = { expectsNone: ['ethFlow' as const] }
    expect(judge(measures, rules).pass).toBe(true)
    const over = (change: Partial<Measures>) => judge({ ...measures, ...change }, rules).bars.filter((b) => !b.pass).map((b) => b.name)
    expect(over({ twap: { expected: 20, delivered: 18, duplicates: 0 } })).toEqual(['TWAP delivery'])
    expect(over({ moduleErrorsByKind: { value: [{ module: 'twap-monitor', kind: 'part_missed', count: 2 }] } })).toEqual(['Module errors'])
    expect(over({ moduleErrorsByKind: { value: [{ module: 'twap-monitor', kind: 'part_missed', count: 1 }, { module: 'twap-monitor', kind: 'poll_failed', count: 1 }] } })).toEqual(['Module errors'])
    expect(over({ p99LatencyMs: 5_000 })).toEqual(['p99 block-to-submission'])
  })

  test('behavior: with no kill there is no latency bound (the strict default applies) and the kills bar fails', () => {
    const verdict = judgeCrashLoop({ ...clean, outages: [], parts: { ...clean.parts, delivered: 20, missing: [] } })
    expect(verdict.bounds.p99LatencyMs).toBeUndefined()
    expect(verdict.bounds.minTwapDelivered?.min).toBe(20)
    expect(verdict.bars.filter((b) => !b.pass).map((b) => b.name)).toEqual(['Engine killed repeatedly'])
  })
})
