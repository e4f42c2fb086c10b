import { describe, expect, test } from 'vitest'
import { classifyOutcome, compareOutcomes, judgeBacktest } from './judgeBacktest.ts'
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
})
