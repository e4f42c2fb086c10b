import { describe, expect, test } from 'vitest'
import { judge, type Measures } from './judge.ts'

const clean: Measures = {
  twap: { expected: 100, delivered: 100, duplicates: 0 },
  ethFlow: { placed: 50, observed: 50, postedByWatcher: 0 },
  moduleErrors: 0,
  traps: 0,
  poisoned: 0,
  p99LatencyMs: 120,
  blockTimeMs: 1000,
}

describe('judge', () => {
  test('behavior: against an external orderbook the bars it cannot see are left out, and delivery still fails', () => {
    const names = (m: Measures) => judge(m).bars.map((b) => b.name)
    expect(names(clean)).toEqual(expect.arrayContaining(['Duplicates', 'EthFlow observed', 'EthFlow never posted']))
    const external = { ...clean, externalOrderbook: true }
    expect(names(external)).not.toEqual(expect.arrayContaining(['Duplicates']))
    expect(names(external)).not.toContain('EthFlow observed')
    expect(names(external)).not.toContain('EthFlow never posted')
    expect(judge({ ...external, twap: { ...clean.twap, delivered: 90 } }).pass).toBe(false)
  })

  test('behavior: a clean run passes every bar', () => {
    const verdict = judge(clean)
    expect(verdict.pass).toBe(true)
    expect(verdict.bars.every((b) => b.pass)).toBe(true)
  })

  test('behavior: one missing TWAP part fails delivery, with the measured value', () => {
    const verdict = judge({ ...clean, twap: { ...clean.twap, delivered: 99 } })
    expect(verdict.pass).toBe(false)
    expect(verdict.bars.find((b) => b.name === 'TWAP delivery')).toMatchObject({ pass: false, measured: '99.00% (99/100)' })
  })

  test('behavior: duplicates, errors, traps, poison, posted EthFlow and slow p99 each fail their bar', () => {
    const failing: Array<[string, Partial<Measures>]> = [
      ['Duplicates', { twap: { ...clean.twap, duplicates: 1 } }],
      ['Module errors', { moduleErrors: 2 }],
      ['Traps', { traps: 1 }],
      ['Poisoned modules', { poisoned: 1 }],
      ['EthFlow never posted', { ethFlow: { ...clean.ethFlow, postedByWatcher: 1 } }],
      ['EthFlow observed', { ethFlow: { ...clean.ethFlow, observed: 49 } }],
      ['p99 block-to-submission', { p99LatencyMs: 1000 }],
    ]
    for (const [name, change] of failing) {
      const verdict = judge({ ...clean, ...change })
      expect(verdict.pass, name).toBe(false)
      expect(verdict.bars.filter((b) => !b.pass).map((b) => b.name)).toEqual([name])
    }
  })

  test('behavior: scenario bars override the defaults, and extra bars count', () => {
    expect(judge({ ...clean, traps: 3 }, { maxTraps: 5 }).pass).toBe(true)
    expect(judge({ ...clean, extra: [{ name: 'stop-loss submitted', bar: 'submitted:', measured: 'no', pass: false }] }).pass).toBe(false)
  })
})
