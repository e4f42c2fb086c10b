// The matchers on fabricated runs: each passes a run that meets it and fails one that violates it,
// with a message that names the bar's measured value and bound. Bars come from the real judge.
import { describe, expect, expectTypeOf, test } from 'vitest'
import { judge, type Measures } from '../scenario/judge.ts'
import type { ScenarioRun } from '../scenario/runScenario.ts'
import { shepherdMatchers, type JudgedRun } from './matchers.ts'
import { passingMeasures } from '../scenario/passingMeasures.ts'

expect.extend(shepherdMatchers)

const good: Measures = passingMeasures({ p99LatencyMs: 420 })

function fabricate(overrides: Partial<Measures> = {}, truth: Partial<JudgedRun['truth']['twap']> = {}): JudgedRun {
  const measures = { ...good, ...overrides }
  const missingCount = measures.twap.expected - measures.twap.delivered
  return {
    definition: { name: 'fabricated' },
    verdict: judge(measures),
    truth: {
      twap: {
        expected: measures.twap.expected,
        delivered: measures.twap.delivered,
        missing: Array.from({ length: missingCount }, (_, i) => ({ uid: `0x${'ab'.repeat(55)}${i.toString(16).padStart(2, '0')}`, part: BigInt(i), tradeableBlock: 100n + BigInt(i) })),
        lookupFailed: [],
        duplicates: measures.twap.duplicates,
        duplicatePosts: measures.twap.duplicates ? [{ uid: `0x${'cd'.repeat(56)}`, posts: measures.twap.duplicates + 1 }] : [],
        ...truth,
      },
    },
  }
}

const failureOf = (assertion: () => void): string => {
  try {
    assertion()
  } catch (error) {
    return (error as Error).message
  }
  throw new Error('the matcher passed a run that violates it')
}

test('behavior: what runScenario returns is a run the matchers read (checked by tsc)', () => {
  expectTypeOf<ScenarioRun>().toExtend<JudgedRun>()
})

describe('toPass', () => {
  test('behavior: passes a run whose every bar passed', () => {
    expect(fabricate()).toPass()
  })

  test('behavior: fails a run with a failed bar, showing its measured value and bound', () => {
    const message = failureOf(() => expect(fabricate({ p99LatencyMs: 1500 })).toPass())
    expect(message).toContain('expected scenario fabricated to pass; 1 of')
    expect(message).toContain('p99 block-to-submission: FAIL, measured 1500 ms; bar < 1000 ms')
  })

  test('behavior: a bar with missing evidence fails as NOT MEASURED, never passes', () => {
    const message = failureOf(() => expect(fabricate({ traps: { notMeasured: 'metric absent' } as never })).toPass())
    expect(message).toMatch(/Traps: NOT MEASURED/)
  })

  test('behavior: .not.toPass() fails a passing run, listing its bars', () => {
    expect(failureOf(() => expect(fabricate()).not.toPass())).toMatch(/to fail, but every bar passed:[\s\S]*TWAP delivery: PASS, measured 100.00% \(10\/10\)/)
    expect(fabricate({ twap: { expected: 10, delivered: 9, duplicates: 0 } })).not.toPass()
  })

  test('behavior: something that is not a run is refused with what was found', () => {
    expect(() => expect({ pass: true }).toPass()).toThrow(/toPass: expected what runScenario returns .*found an object with keys pass/)
  })
})

describe('toDeliverEveryPart', () => {
  test('behavior: passes when every expected part was delivered', () => {
    expect(fabricate()).toDeliverEveryPart()
  })

  test('behavior: fails a run that missed a part, naming it and the delivery bar', () => {
    const message = failureOf(() => expect(fabricate({ twap: { expected: 10, delivered: 9, duplicates: 0 } })).toDeliverEveryPart())
    expect(message).toContain('delivered 9 of 10')
    expect(message).toContain('(part 0, tradeable at block 100)')
    expect(message).toContain('TWAP delivery: FAIL, measured 90.00% (9/10); bar >= 100% of expected part UIDs reach the orderbook')
  })

  test('behavior: a run with nothing to deliver fails: nothing to judge', () => {
    expect(failureOf(() => expect(fabricate({ twap: { expected: 0, delivered: 0, duplicates: 0 } })).toDeliverEveryPart())).toMatch(/nothing to judge/)
  })

  test('behavior: parts whose lookup failed are not delivered', () => {
    expect(failureOf(() => expect(fabricate({}, { lookupFailed: [{ uid: '0x01' }] })).toDeliverEveryPart())).toMatch(/1 could not be looked up \(not measured\)/)
  })
})

describe('toHaveNoDuplicates', () => {
  test('behavior: passes a run without repeat posts', () => {
    expect(fabricate()).toHaveNoDuplicates()
  })

  test('behavior: fails a run that posted an accepted order again, with the UID and the bar', () => {
    const message = failureOf(() => expect(fabricate({ twap: { expected: 10, delivered: 10, duplicates: 2 } })).toHaveNoDuplicates())
    expect(message).toContain(`0x${'cd'.repeat(56)} posted 3 times`)
    expect(message).toContain('Duplicates: FAIL, measured 2; bar <= 0 posts of an already accepted UID')
  })

  test('behavior: fails when duplicates cannot be seen (an orderbook we do not run), never passes on nothing', () => {
    const message = failureOf(() => expect(fabricate({ externalOrderbook: true })).toHaveNoDuplicates())
    expect(message).toMatch(/duplicates were not measured in this run \(not applicable: an orderbook we do not run/)
  })
})

describe('toHaveBar', () => {
  test('behavior: matches each bar by name and verdict', () => {
    const run = fabricate({ twap: { expected: 10, delivered: 10, duplicates: 1 }, externalOrderbook: false })
    expect(run).toHaveBar('Duplicates', 'FAIL')
    expect(run).toHaveBar('TWAP delivery', 'PASS')
    expect(fabricate({ externalOrderbook: true })).toHaveBar('Unexplained orders', 'NOT APPLICABLE')
    expect(fabricate({ moduleErrors: { notMeasured: 'no metric' } as never })).toHaveBar('Module errors', 'NOT MEASURED')
  })

  test('behavior: fails on another verdict, showing what the bar measured and its bound', () => {
    const message = failureOf(() => expect(fabricate({ p99LatencyMs: 1500 })).toHaveBar('p99 block-to-submission', 'PASS'))
    expect(message).toBe('expected bar "p99 block-to-submission" of scenario fabricated to be PASS; it is p99 block-to-submission: FAIL, measured 1500 ms; bar < 1000 ms (1 block time)')
  })

  test('behavior: an unknown bar name fails, listing the bars there are', () => {
    expect(failureOf(() => expect(fabricate()).toHaveBar('Latency', 'PASS'))).toMatch(/to have a bar "Latency", but its bars are: "TWAP delivery", /)
  })

  test('behavior: a verdict that is not one of the four is refused', () => {
    expect(() => expect(fabricate()).toHaveBar('Duplicates', 'ok' as never)).toThrow(/verdict must be one of PASS, FAIL, NOT MEASURED, NOT APPLICABLE, found "ok"/)
  })
})
