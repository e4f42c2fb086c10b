import { describe, expect, test } from 'vitest'
import { parseExposition } from './prometheus.ts'
import { countOf, readEngineFigures } from './readEngineFigures.ts'
import type { EndedEngine, RunMetrics, Scrape } from './runMetrics.ts'
import { counterDelta, gaugeEver, notMeasuredReason } from './runMetrics.ts'

/** A scrape as the engine would serve it under the shared metric contract (HELPERS.md). */
function scrape(pid: number, lines: string[], families = contract): Scrape {
  const text = [...families.map((f) => `# TYPE ${f} ${f.endsWith('_total') ? 'counter' : 'gauge'}`), ...lines].join('\n')
  return { ...parseExposition(text), at: 0, pid }
}
const contract = [
  'shepherd_module_traps_total',
  'shepherd_module_restarts_total',
  'shepherd_module_errors_total',
  'shepherd_module_host_failures_total',
  'shepherd_module_poisoned',
  'shepherd_chain_request_total',
  'shepherd_stream_reconnects_total',
  'shepherd_reorgs_total',
  'shepherd_ingest_errors_total',
]
const ended = (final: Scrape | undefined, finalError?: string): EndedEngine => ({ pid: final?.pid ?? 1, startedAt: 0, endedAt: 1, exit: { code: null, signal: 'SIGKILL' }, final, finalError })

describe('readEngineFigures', () => {
  test('behavior: a metric family the engine declares with no sample is a measured 0', () => {
    const run: RunMetrics = { ended: [], current: scrape(2, []) }
    const figures = readEngineFigures(run, run)
    expect(figures.traps).toEqual({ value: [] })
    expect(figures.moduleErrors).toEqual({ value: [] })
    expect(figures.poisoned).toEqual({ value: [] })
    expect(figures.failedChainRequests).toEqual({ value: 0 })
  })

  test('behavior: a missing or renamed metric is "not measured", never 0', () => {
    const renamed = contract.filter((f) => f !== 'shepherd_module_traps_total')
    const run: RunMetrics = { ended: [], current: scrape(2, ['shepherd_module_trap_total{module="m",kind="throw"} 3'], renamed) }
    const figures = readEngineFigures(run, run)
    expect(figures.traps).toEqual({ notMeasured: 'shepherd_module_traps_total absent from /metrics of engine pid 2' })
    expect(figures.restarts).toEqual({ value: [] })
  })

  test('behavior: traps are counted by module and kind, restarts separately, and errors are the handled ones', () => {
    const current = scrape(2, [
      'shepherd_module_traps_total{module="traps-every-k",kind="throw"} 2',
      'shepherd_module_traps_total{module="twap-monitor",kind="deadline"} 1',
      'shepherd_module_restarts_total{module="traps-every-k"} 2',
      'shepherd_module_errors_total{module="twap-monitor",error_kind="orderbook"} 4',
      'shepherd_module_host_failures_total{module="twap-monitor",capability="chain"} 5',
    ])
    const figures = readEngineFigures({ ended: [], current }, { ended: [], current })
    expect(figures.traps).toEqual({ value: [{ module: 'traps-every-k', kind: 'throw', count: 2 }, { module: 'twap-monitor', kind: 'deadline', count: 1 }] })
    expect(figures.restarts).toEqual({ value: [{ module: 'traps-every-k', count: 2 }] })
    expect(figures.moduleErrors).toEqual({ value: [{ module: 'twap-monitor', kind: 'orderbook', count: 4 }] })
    expect(figures.hostFailures).toEqual({ value: [{ module: 'twap-monitor', capability: 'chain', count: 5 }] })
  })

  test('behavior: nothing is forgotten across a kill: the killed process\'s traps and poison count, though the new one reads 0', () => {
    const first = scrape(1, ['shepherd_module_traps_total{module="m",kind="throw"} 5', 'shepherd_module_poisoned{module="m"} 1', 'shepherd_chain_request_total{method="eth_call",outcome="error"} 3'])
    const second = scrape(2, ['shepherd_module_poisoned{module="m"} 0', 'shepherd_chain_request_total{method="eth_call",outcome="error"} 1'])
    const run: RunMetrics = { ended: [ended(first)], current: second }
    const figures = readEngineFigures(run, run)
    expect(figures.traps).toEqual({ value: [{ module: 'm', kind: 'throw', count: 5 }] })
    expect(figures.poisoned).toEqual({ value: ['m'] })
    expect(figures.failedChainRequests).toEqual({ value: 4 })
  })

  test('behavior: a killed process whose final figures were not read makes its counters "not measured"', () => {
    const run: RunMetrics = { ended: [ended(undefined, 'connect ECONNREFUSED')], current: scrape(2, []) }
    expect(notMeasuredReason(run, 'shepherd_module_traps_total')).toBe('final figures of engine pid 1 (ended) were not read (connect ECONNREFUSED)')
    expect(readEngineFigures(run, run).traps).toMatchObject({ notMeasured: expect.stringMatching(/not read/) })
    expect(gaugeEver(run, 'shepherd_module_poisoned', 'module')).toMatchObject({ notMeasured: expect.any(String) })
  })

  test('behavior: request counts and dispatch latency are windowed to the load (before -> after), across a kill', () => {
    const bucket = (le: string, n: number) => `shepherd_event_latency_seconds_bucket{module="m",event_kind="block",le="${le}"} ${n}`
    const hist = (fast: number, slow: number) => [bucket('0.01', fast), bucket('1', fast + slow), bucket('+Inf', fast + slow), `shepherd_event_latency_seconds_count{module="m",event_kind="block"} ${fast + slow}`, `shepherd_event_latency_seconds_sum{module="m",event_kind="block"} 0`]
    const warmup = scrape(1, [...hist(100, 0), 'shepherd_chain_request_total{method="eth_call",outcome="ok"} 10'])
    const killed = scrape(1, [...hist(100, 5), 'shepherd_chain_request_total{method="eth_call",outcome="ok"} 15'])
    const now = scrape(2, [...hist(0, 5), 'shepherd_chain_request_total{method="eth_call",outcome="ok"} 4'])
    const before: RunMetrics = { ended: [], current: warmup }
    const after: RunMetrics = { ended: [ended(killed)], current: now }
    const figures = readEngineFigures(before, after)
    expect(figures.requestsByMethod).toEqual({ eth_call: 9 })
    // Only the 10 slow events of the window: the 100 fast warm-up events do not dilute the p50.
    expect(figures.latency).toEqual([expect.objectContaining({ module: 'm', events: 10 })])
    expect(figures.latency[0]!.p50).toBeGreaterThan(10)
    expect(counterDelta(before, after, 'shepherd_chain_request_total', ['method'])).toEqual({ value: [{ labels: { method: 'eth_call' }, value: 9 }] })
  })

  test('behavior: block events per module add up over every engine process; reverts are not failures; the cursor is the live process\'s', () => {
    const families = [...contract, 'shepherd_event_latency_seconds', 'shepherd_cursor_block']
    const count = (module: string, kind: string, n: number) => `shepherd_event_latency_seconds_count{module="${module}",event_kind="${kind}"} ${n}`
    const killed = scrape(1, [count('twap-monitor', 'block', 20), count('twap-monitor', 'logs', 7), count('traps-every-k', 'block', 21), 'shepherd_cursor_block{chain_id="1"} 19', 'shepherd_chain_request_total{method="eth_call",outcome="error"} 2', 'shepherd_chain_request_total{method="eth_call",outcome="revert"} 5', 'shepherd_chain_request_total{method="eth_call",outcome="ok"} 30'], families)
    const now = scrape(2, [count('twap-monitor', 'block', 11), count('traps-every-k', 'block', 11), 'shepherd_cursor_block{chain_id="1"} 30', 'shepherd_chain_request_total{method="eth_getLogs",outcome="error"} 1'], families)
    const run: RunMetrics = { ended: [ended(killed)], current: now }
    const figures = readEngineFigures(run, run)
    expect(figures.blockEvents).toEqual({ value: [{ module: 'twap-monitor', count: 31 }, { module: 'traps-every-k', count: 32 }] })
    expect(figures.failedChainRequests).toEqual({ value: 3 })
    expect(figures.chainRequests).toEqual({ value: 38 })
    expect(figures.cursorAtEnd).toEqual({ value: 30 })
    // Without the histogram or the cursor in the live process, neither is measured: never 0.
    const bare: RunMetrics = { ended: [ended(killed)], current: scrape(2, [], contract) }
    expect(readEngineFigures(bare, bare).blockEvents).toEqual({ notMeasured: 'shepherd_event_latency_seconds absent from /metrics of engine pid 2' })
    expect(readEngineFigures(bare, bare).cursorAtEnd).toEqual({ notMeasured: 'shepherd_cursor_block absent from /metrics of engine pid 2' })
    const noCursorYet: RunMetrics = { ended: [], current: scrape(2, [], families) }
    expect(readEngineFigures(noCursorYet, noCursorYet).cursorAtEnd).toEqual({ notMeasured: 'shepherd_cursor_block has no sample: no chain has committed a cursor' })
  })

  test('behavior: a dispatch quantile is capped at the largest time any process reported for that module, not another module\'s', () => {
    const families = [...contract, 'shepherd_event_latency_seconds', 'shepherd_event_latency_max_seconds']
    // 10 events of module m between 0.01 s and 1 s: interpolated, the p50 is ~505 ms.
    const hist = (module: string) => [
      `shepherd_event_latency_seconds_bucket{module="${module}",event_kind="block",le="0.01"} 0`,
      `shepherd_event_latency_seconds_bucket{module="${module}",event_kind="block",le="1"} 10`,
      `shepherd_event_latency_seconds_bucket{module="${module}",event_kind="block",le="+Inf"} 10`,
      `shepherd_event_latency_seconds_count{module="${module}",event_kind="block"} 10`,
      `shepherd_event_latency_seconds_sum{module="${module}",event_kind="block"} 2`,
    ]
    const at = (maxM: number) => scrape(2, [...hist('m'), ...hist('n'), `shepherd_event_latency_max_seconds{module="m",event_kind="block"} ${maxM}`, 'shepherd_event_latency_max_seconds{module="n",event_kind="block"} 0.9'], families)
    const p50 = (run: RunMetrics, module: string) => readEngineFigures({ ended: [], current: scrape(2, [], families) }, run).latency.find((l) => l.module === module)!.p50!
    expect(p50({ ended: [], current: at(0.2) }, 'm')).toBe(200)
    expect(p50({ ended: [], current: at(0.2) }, 'n')).toBeCloseTo(505, 0)
    // A maximum of 0 says nothing: the interpolated value stands.
    expect(p50({ ended: [], current: at(0) }, 'm')).toBeCloseTo(505, 0)
  })

  test('behavior: a gauge at 0 in every process was never set: only a module non-zero somewhere counts as poisoned', () => {
    const first = scrape(1, ['shepherd_module_poisoned{module="m"} 1', 'shepherd_module_poisoned{module="quiet"} 0'])
    const run: RunMetrics = { ended: [ended(first)], current: scrape(2, ['shepherd_module_poisoned{module="m"} 0', 'shepherd_module_poisoned{module="quiet"} 0']) }
    expect(gaugeEver(run, 'shepherd_module_poisoned', 'module')).toEqual({ value: ['m'] })
  })

  test('behavior: countOf sums every row, or one module\'s, and keeps "not measured"', () => {
    const rows = { value: [{ module: 'm', kind: 'throw', count: 2 }, { module: 'm', kind: 'deadline', count: 1 }, { module: 'n', kind: 'throw', count: 4 }] }
    expect(countOf(rows)).toEqual({ value: 7 })
    expect(countOf(rows, 'm')).toEqual({ value: 3 })
    expect(countOf(rows, 'absent')).toEqual({ value: 0 })
    expect(countOf({ notMeasured: 'gone' }, 'm')).toEqual({ notMeasured: 'gone' })
  })
})
