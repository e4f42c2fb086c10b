import { describe, expect, test } from 'vitest'
import { classifyOutcome, compareOutcomes, judgeBacktest, type JudgeBacktestParameters } from './judgeBacktest.ts'
import type { Outcome } from './instrumentModule.ts'
import { renderBacktestReport } from './renderBacktestReport.ts'

const cassette = { file: 'x.ndjson', chainId: 11155111, recordedOn: 'local devnet', from: '1', to: '9', tool: 'shepherd test' }
const o = (kind: Outcome['kind'], key: string, detail?: string, block = 5n, module = 'm'): Outcome => ({ module, block, kind, key, ...(detail === undefined ? {} : { detail }) })

describe('judgeBacktest', () => {
  test('behavior: outcomes get their class; DuplicatedOrder is an expected rejection, other refusals are not', () => {
    expect(classifyOutcome(o('submitted', '0xaa'))?.class).toBe('submitted')
    expect(classifyOutcome(o('rejected', '0xaa', 'DuplicatedOrder'))?.class).toBe('rejected-expected')
    expect(classifyOutcome(o('rejected', '0xaa', 'InsufficientFee'))?.class).toBe('rejected-unexpected')
    expect(classifyOutcome(o('rejected', '0xaa', 'InsufficientFee'), ['InsufficientFee'])?.class).toBe('rejected-expected')
    expect(classifyOutcome(o('strategy-error', 'throw', 'boom'))?.class).toBe('strategy-error')
    expect(classifyOutcome(o('marker', 'dropped:0xaa', '{"reason":"retries exhausted"}'))).toMatchObject({ class: 'skipped', uid: '0xaa', reason: 'retries exhausted' })
    expect(classifyOutcome(o('marker', 'observed:0xaa', '{}'))).toBeUndefined()
  })

  test('behavior: the default bar fails on one unexpected rejection and lists it with UID and block', () => {
    const result = judgeBacktest({ outcomes: [o('submitted', '0x01'), o('rejected', '0x02', 'InsufficientFee', 7n)], modules: ['m'], cassette, orderbook: 'recorded', blocks: 9 })
    expect(result.passed).toBe(false)
    expect(result.passRate).toBe(0.5)
    expect(result.nonPassing).toEqual([{ module: 'm', block: '7', class: 'rejected-unexpected', uid: '0x02', reason: 'InsufficientFee' }])
    expect(renderBacktestReport(result)).toContain('| m | 7 | rejected-unexpected | 0x02 | InsufficientFee |')
    const relaxed = judgeBacktest({ outcomes: [o('submitted', '0x01'), o('rejected', '0x02', 'InsufficientFee')], modules: ['m'], cassette, orderbook: 'recorded', blocks: 9, bar: { minPassRate: 0.5, maxUnexpectedRejections: 1 } })
    expect(relaxed.passed).toBe(true)
  })

  test('behavior: drift lists outcomes missing from and extra to the replay, counting repeats', () => {
    const recorded = [o('alert', 'price-threshold', 'x', 3n), o('submitted', '0x01'), o('submitted', '0x01')]
    const replayed = [o('submitted', '0x01'), o('submitted', '0x02')]
    const differences = compareOutcomes(recorded, replayed)
    expect(differences).toHaveLength(3)
    expect(differences.filter((d) => d.change === 'missing').map((d) => d.key).sort()).toEqual(['0x01', 'price-threshold'])
    expect(differences.filter((d) => d.change === 'extra').map((d) => d.key)).toEqual(['0x02'])
    const result = judgeBacktest({ outcomes: replayed, modules: ['m'], cassette, orderbook: 'recorded', blocks: 9, recorded })
    expect(result.passed).toBe(false)
    expect(result.failures.join()).toMatch(/drift: 3 outcomes differ/)
    expect(compareOutcomes(recorded, [...recorded].reverse())).toEqual([])
  })

  test('behavior: differences come in a stable order, and carry a detail only when the outcome had one', () => {
    const differences = compareOutcomes([o('submitted', '0x03'), o('alert', 'price-threshold', 'x', 3n)], [o('submitted', '0x01')])
    expect(differences.map((d) => d.key)).toEqual(['price-threshold', '0x01', '0x03'])
    expect(differences[0]).toStrictEqual({ change: 'missing', module: 'm', block: '3', kind: 'alert', key: 'price-threshold', detail: 'x' })
    expect(differences[1]).toStrictEqual({ change: 'extra', module: 'm', block: '5', kind: 'submitted', key: '0x01' })
  })

  test('behavior: totals and pass rates are per module', () => {
    const result = judgeBacktest({ outcomes: [o('submitted', '0x01', undefined, 5n, 'a'), o('rejected', '0x02', 'InsufficientFee', 5n, 'b'), o('submitted', '0x03', undefined, 6n, 'b')], modules: ['a', 'b', 'c'], cassette, orderbook: 'recorded', blocks: 9, bar: { minPassRate: 0, maxUnexpectedRejections: 1 } })
    expect(result.perModule.map((m) => [m.module, m.events, m.totals.submitted, m.passRate])).toEqual([
      ['a', 1, 1, 1],
      ['b', 2, 1, 0.5],
      ['c', 0, 0, null],
    ])
  })

  // Each row is a replay that breaks exactly one bar: the judge must fail, naming that bar alone.
  const clean: JudgeBacktestParameters = { outcomes: [o('submitted', '0x01'), o('alert', 'price-threshold', 'x')], modules: ['m'], cassette, orderbook: 'recorded', blocks: 9 }
  const violations: Array<[string, Partial<JudgeBacktestParameters>, RegExp]> = [
    ['pass rate', { outcomes: [o('submitted', '0x01'), o('rejected', '0x02', 'DuplicatedOrder'), o('strategy-error', 'throw', 'boom')], bar: { maxStrategyErrors: 1 } }, /^pass rate 66\.67% is below 100\.00%$/],
    ['unexpected rejections', { outcomes: [o('submitted', '0x01'), o('rejected', '0x02', 'InsufficientFee')], bar: { minPassRate: 0.5 } }, /^1 unexpected rejections \(max 0\)$/],
    ['strategy errors', { outcomes: [o('submitted', '0x01'), o('strategy-error', 'throw', 'boom')], bar: { minPassRate: 0.5 } }, /^1 strategy errors \(max 0\)$/],
    ['drift', { recorded: [o('submitted', '0x01')] }, /^drift: 1 outcomes differ from the recording$/],
    ['nothing to judge', { outcomes: [] }, /^nothing to judge: 9 blocks replayed and no module \(m\) produced an event/],
    ['no blocks', { outcomes: [], blocks: 0 }, /^nothing to judge: the cassette has no blocks$/],
    ['expects none', { bar: { expectsNone: true } }, /^the pass bar expects no events, the replay produced 2$/],
  ]
  test('behavior: a clean replay passes', () => {
    expect(judgeBacktest(clean)).toMatchObject({ passed: true, failures: [] })
  })
  test.each(violations)('behavior: a replay that breaks only "%s" fails, naming it', (_name, change, failure) => {
    const result = judgeBacktest({ ...clean, ...change })
    expect(result.passed).toBe(false)
    expect(result.failures).toHaveLength(1)
    expect(result.failures[0]).toMatch(failure)
  })
  test('behavior: with no events the pass rate is n/a, not 100%; a declared empty range passes', () => {
    const empty = judgeBacktest({ ...clean, outcomes: [] })
    expect(empty.passRate).toBeNull()
    expect(empty.perModule[0]!.passRate).toBeNull()
    expect(renderBacktestReport(empty)).toContain('n/a (no events)')
    expect(judgeBacktest({ ...clean, outcomes: [], bar: { expectsNone: true } }).passed).toBe(true)
  })
})
