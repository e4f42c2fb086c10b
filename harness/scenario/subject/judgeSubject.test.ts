import { describe, expect, test } from 'vitest'
import { judge, type Measures } from '../judge.ts'

// What runScenario hands the judge for an external subject: no Shepherd metrics at all.
const absent = (metric: string) => ({ notMeasured: `${metric} absent from /metrics of engine pid 77` })
const external: Measures = {
  twap: { expected: 100, delivered: 100, duplicates: 0 },
  ethFlow: { placed: 50, observed: 50, postedByWatcher: 0 },
  unexplainedOrders: 0,
  moduleErrors: absent('shepherd_module_errors_total'),
  traps: absent('shepherd_module_traps_total'),
  poisoned: absent('shepherd_module_poisoned'),
  p99LatencyMs: 120,
  blockTimeMs: 1000,
  externalSubject: 'external command: node bot.mjs',
}
const statusOf = (m: Measures) => Object.fromEntries(judge(m).bars.map((b) => [b.name, b.status]))

describe('judge: an external subject', () => {
  test('behavior: the engine-only bars are "not measured for this subject" (neither pass nor fail), the ground-truth bars pass', () => {
    const verdict = judge(external)
    expect(verdict.pass).toBe(true)
    for (const name of ['Module errors', 'Traps', 'Poisoned modules']) {
      const bar = verdict.bars.find((b) => b.name === name)!
      expect(bar.status).toBe('not applicable')
      expect(bar.measured).toBe('not measured for this subject (external command: node bot.mjs): it serves no Shepherd metrics')
    }
    for (const name of ['TWAP delivery', 'EthFlow observed', 'EthFlow never posted', 'Duplicates', 'Unexplained orders', 'p99 block-to-submission']) expect(statusOf(external)[name]).toBe('pass')
  })

  // Each ground-truth bar still fails a run that breaks it, whoever the subject is.
  const violations: Array<[string, Partial<Measures>]> = [
    ['TWAP delivery', { twap: { ...external.twap, delivered: 90 } }],
    ['EthFlow observed', { ethFlow: { ...external.ethFlow, observed: 49 } }],
    ['EthFlow never posted', { ethFlow: { ...external.ethFlow, postedByWatcher: 1 } }],
    ['Duplicates', { twap: { ...external.twap, duplicates: 1 } }],
    ['Unexplained orders', { unexplainedOrders: 2 }],
    ['p99 block-to-submission', { p99LatencyMs: 30_000 }],
  ]
  test.each(violations)('behavior: a subject that breaks %s fails that bar and only that bar', (name, change) => {
    const verdict = judge({ ...external, ...change })
    expect(verdict.pass).toBe(false)
    expect(verdict.bars.filter((b) => !b.pass).map((b) => b.name)).toEqual([name])
  })

  test('behavior: without externalSubject the same missing metrics fail as "not measured" (our engine must serve them)', () => {
    const { externalSubject: _, ...engine } = external
    const verdict = judge(engine)
    expect(verdict.pass).toBe(false)
    expect(verdict.bars.filter((b) => b.status === 'not measured').map((b) => b.name)).toEqual(['Module errors', 'Traps', 'Poisoned modules'])
  })
})
