import { describe, expect, test } from 'vitest'
import { judge, type Measures } from './judge.ts'
import { passingMeasures } from './passingMeasures.ts'

// 100 parts and 50 orders, so one missed part or order reads as 99% and 98% in the rows below.
const clean: Measures = passingMeasures({
  twap: { expected: 100, delivered: 100, duplicates: 0 },
  ethFlow: { placed: 50, observed: 50, postedByWatcher: 0 },
  p99LatencyMs: 120,
})
const byKind = [{ module: 'twap-monitor', kind: 'part_missed', max: 3, why: '3 parts lay inside an outage' }]
const failing = (m: Measures, rules?: Parameters<typeof judge>[1]) => judge(m, rules).bars.filter((b) => !b.pass)
const absent = (metric: string) => ({ notMeasured: `${metric} absent from /metrics of the engine` })

describe('judge', () => {
  test('behavior: a clean run passes every bar', () => {
    const verdict = judge(clean)
    expect(verdict.pass).toBe(true)
    expect(verdict.bars.map((b) => b.name)).toEqual(['TWAP delivery', 'EthFlow observed', 'EthFlow never posted', 'Duplicates', 'Unexplained orders', 'Module errors', 'Traps', 'Poisoned modules', 'p99 block-to-submission'])
    expect(verdict.bars.every((b) => b.status === 'pass')).toBe(true)
  })

  // Each row is a run that breaks exactly one bar: the judge must fail that bar, and only that one.
  const violations: Array<[string, Partial<Measures>, RegExp]> = [
    ['TWAP delivery', { twap: { ...clean.twap, delivered: 99 } }, /99\.00% \(99\/100\)/],
    ['EthFlow observed', { ethFlow: { ...clean.ethFlow, observed: 49 } }, /98\.00% \(49\/50\)/],
    ['EthFlow never posted', { ethFlow: { ...clean.ethFlow, postedByWatcher: 1 } }, /^1$/],
    ['Duplicates', { twap: { ...clean.twap, duplicates: 1 } }, /^1$/],
    ['Unexplained orders', { unexplainedOrders: 1 }, /^1$/],
    ['Module errors', { moduleErrors: { value: 1 } }, /^1$/],
    ['Traps', { traps: { value: 1 } }, /^1$/],
    ['Poisoned modules', { poisoned: { value: 1 } }, /^1$/],
    ['p99 block-to-submission', { p99LatencyMs: 1000 }, /1000 ms/],
    // Missing evidence is "not measured", never a pass.
    ['Module errors', { moduleErrors: absent('shepherd_module_errors_total') }, /not measured: shepherd_module_errors_total absent/],
    ['Traps', { traps: absent('shepherd_module_traps_total') }, /not measured: shepherd_module_traps_total absent/],
    ['Poisoned modules', { poisoned: absent('shepherd_module_poisoned') }, /not measured: shepherd_module_poisoned absent/],
    ['p99 block-to-submission', { p99LatencyMs: undefined }, /not measured: no block-to-submission latency/],
    ['TWAP delivery', { twap: { ...clean.twap, delivered: 98, notMeasured: 2 } }, /not measured: 2 of 100 lookups failed/],
    // A bar with a derived bound fails above it, and says why the bound is what it is.
    ['Traps', { traps: { value: 4 }, bounds: { maxTraps: { max: 3, why: 'the 3 traps the fixture injected' } } }, /^4$/],
    ['Module errors', { moduleErrors: { value: 8 }, bounds: { maxModuleErrors: { max: 7, why: '7 failures reached modules' } } }, /^8$/],
    ['p99 block-to-submission', { p99LatencyMs: 5000, bounds: { p99LatencyMs: { max: 4000, why: 'outage 3000 ms + 1 block' } } }, /5000 ms/],
    // A derived delivery bound: every part but the excused ones.
    ['TWAP delivery', { twap: { ...clean.twap, delivered: 96 }, bounds: { minTwapDelivered: { min: 97, why: '3 parts lay inside an outage' } } }, /96\.00% \(96\/100\)/],
    // Per-kind bounds: one kind over its bound, or a kind with no bound at all, fails; so does missing evidence.
    ['Module errors', { moduleErrorsByKind: { value: [{ module: 'twap-monitor', kind: 'part_missed', count: 4 }] }, bounds: { moduleErrorsByKind: byKind } }, /^over: twap-monitor\/part_missed 4 > 3; all: twap-monitor\/part_missed 4$/],
    ['Module errors', { moduleErrorsByKind: { value: [{ module: 'twap-monitor', kind: 'part_missed', count: 3 }, { module: 'ethflow-watcher', kind: 'orderbook_refused', count: 1 }] }, bounds: { moduleErrorsByKind: byKind } }, /over: ethflow-watcher\/orderbook_refused 1 > 0; all: .*orderbook_refused 1 \(no bound: 0 allowed\)/],
    ['Module errors', { moduleErrorsByKind: { value: [{ module: 'ethflow-watcher', kind: 'part_missed', count: 1 }] }, bounds: { moduleErrorsByKind: byKind } }, /over: ethflow-watcher\/part_missed 1 > 0/],
    ['Module errors', { moduleErrorsByKind: absent('shepherd_module_errors_total'), bounds: { moduleErrorsByKind: byKind } }, /not measured: shepherd_module_errors_total absent/],
    ['Module errors', { bounds: { moduleErrorsByKind: byKind } }, /not measured: the errors by module and error_kind were not supplied/],
  ]
  test.each(violations)('behavior: a run that breaks only "%s" fails that bar alone (%#)', (name, change, measured) => {
    const bad = failing({ ...clean, ...change })
    expect(bad.map((b) => b.name)).toEqual([name])
    expect(bad[0]!.measured).toMatch(measured)
    expect(judge({ ...clean, ...change }).pass).toBe(false)
  })

  test('behavior: a bar just inside its derived bound passes, and its text says why the bound is what it is', () => {
    const verdict = judge({ ...clean, traps: { value: 3 }, bounds: { maxTraps: { max: 3, why: 'the 3 traps the fixture injected' } } })
    expect(verdict.pass).toBe(true)
    expect(verdict.bars.find((b) => b.name === 'Traps')?.bar).toBe('<= 3 (the 3 traps the fixture injected)')
  })

  test('behavior: per-kind bounds replace the total: each kind passes at its bound, the bar names every bound and its reason', () => {
    const measures: Measures = {
      ...clean,
      // The total would fail the default bound of 0: with per-kind bounds it is not what is judged.
      moduleErrors: { value: 5 },
      moduleErrorsByKind: { value: [{ module: 'twap-monitor', kind: 'part_missed', count: 3 }, { module: 'twap-monitor', kind: 'poll_failed', count: 0 }] },
      bounds: { moduleErrorsByKind: byKind, minTwapDelivered: { min: 97, why: '3 parts lay inside an outage' } },
      twap: { ...clean.twap, delivered: 97 },
    }
    const verdict = judge(measures)
    expect(verdict.pass).toBe(true)
    const bar = verdict.bars.find((b) => b.name === 'Module errors')!
    expect(bar.bar).toBe('per module and error_kind (shepherd_module_errors_total): twap-monitor/part_missed <= 3 (3 parts lay inside an outage); every other kind 0')
    expect(bar.measured).toBe('twap-monitor/part_missed 3')
    expect(judge({ ...measures, moduleErrorsByKind: { value: [] } }).bars.find((b) => b.name === 'Module errors')!.measured).toBe('0')
    expect(verdict.bars.find((b) => b.name === 'TWAP delivery')!.bar).toBe('>= 97 of 100 expected part UIDs reach the orderbook (3 parts lay inside an outage)')
  })

  test('behavior: a run with nothing expected is "nothing to judge", not a pass', () => {
    const empty: Measures = { ...clean, twap: { expected: 0, delivered: 0, duplicates: 0 }, ethFlow: { placed: 0, observed: 0, postedByWatcher: 0 }, p99LatencyMs: undefined }
    const bad = failing(empty)
    expect(bad.map((b) => b.name)).toEqual(['TWAP delivery', 'EthFlow observed', 'p99 block-to-submission'])
    expect(bad.map((b) => b.status)).toEqual(['not measured', 'not measured', 'not measured'])
    expect(bad[0]!.measured).toMatch(/nothing to judge: 0 expected TWAP parts/)
  })

  test('behavior: a scenario that declares it expects none passes on none, and fails when the chain shows some', () => {
    const noEthFlow: Measures = { ...clean, ethFlow: { placed: 0, observed: 0, postedByWatcher: 0 } }
    expect(judge(noEthFlow, { expectsNone: ['ethFlow'] }).pass).toBe(true)
    expect(judge(noEthFlow, { expectsNone: ['ethFlow'] }).bars.find((b) => b.name === 'EthFlow observed')?.measured).toBe('none expected, none on chain')
    const bad = failing(clean, { expectsNone: ['ethFlow'] })
    expect(bad.map((b) => [b.name, b.measured])).toEqual([['EthFlow observed', 'the scenario expects none, the chain shows 50 EthFlow placements']])
    const nothing: Measures = { ...noEthFlow, twap: { expected: 0, delivered: 0, duplicates: 0 }, p99LatencyMs: undefined }
    expect(judge(nothing, { expectsNone: ['twap', 'ethFlow'] }).pass).toBe(true)
  })

  test('behavior: against an external orderbook the bars it cannot see are "not applicable", and delivery still fails', () => {
    const external = { ...clean, externalOrderbook: true, twap: { ...clean.twap, duplicates: 5 }, unexplainedOrders: 3 }
    const bars = judge(external).bars
    for (const name of ['Duplicates', 'EthFlow observed', 'EthFlow never posted', 'Unexplained orders'])
      expect(bars.find((b) => b.name === name)).toMatchObject({ status: 'not applicable', pass: true, measured: expect.stringMatching(/^not applicable: /) })
    expect(judge(external).pass).toBe(true)
    expect(judge({ ...external, twap: { ...external.twap, delivered: 90 } }).pass).toBe(false)
  })

  test('behavior: a bar the scenario declares not applicable shows its reason and does not fail the run', () => {
    const verdict = judge({ ...clean, p99LatencyMs: 9_000 }, { notApplicable: { latency: 'judged by its own bar' } })
    expect(verdict.pass).toBe(true)
    expect(verdict.bars.find((b) => b.name === 'p99 block-to-submission')).toMatchObject({ status: 'not applicable', measured: 'not applicable: judged by its own bar' })
  })

  test('behavior: scenario bars override the defaults, and extra bars count', () => {
    expect(judge({ ...clean, traps: { value: 3 } }, { bars: { maxTraps: 5 } }).pass).toBe(true)
    const latencyBar = (p99LatencyBlocks: number) => judge(clean, { bars: { p99LatencyBlocks } }).bars.find((b) => b.name === 'p99 block-to-submission')?.bar
    expect(latencyBar(1)).toBe('< 1000 ms (1 block time)')
    expect(latencyBar(2)).toBe('< 2000 ms (2 block times)')
    expect(judge({ ...clean, unexplainedOrders: 2 }, { bars: { maxUnexplainedOrders: 2 } }).pass).toBe(true)
    expect(judge({ ...clean, extra: [{ name: 'stop-loss submitted', bar: 'submitted:', measured: 'no', pass: false }] }).pass).toBe(false)
  })
})
