import type { Comparison, ScenarioResult } from '../report/types.ts'
import { formatMs } from '../report/types.ts'
import type { ComparisonMetric, ScenarioComparison } from './defineScenario.ts'

/** How we measure each metric a reference figure can be compared with. */
const measures: Record<ComparisonMetric, (result: ScenarioResult) => string> = {
  'twap dispatch p99': (r) => {
    const p99 = r.latency.find((m) => m.module === 'twap-monitor')?.dispatch?.p99
    return p99 === undefined ? 'n/a' : formatMs(p99)
  },
  delivery: (r) => {
    const { expectedParts, submittedOnce } = r.delivery.twap
    const { placed, observed } = r.delivery.ethFlow
    const whole = expectedParts + placed
    return whole === 0 ? 'n/a (nothing expected)' : `${((100 * (submittedOnce + observed)) / whole).toFixed(1)}% of events`
  },
  'worst-case dispatch': (r) => {
    const max = Math.max(...r.latency.map((m) => m.dispatch?.max ?? 0))
    return max > 0 ? formatMs(max) : 'n/a'
  },
}

/**
 * The report's comparison block from the scenario definition's `comparison` field: each reference
 * figure beside our measure of the same metric. Undefined when the scenario names no reference.
 *
 * @example
 * compareWithReference({ source: 'the Rust original', rows: [{ metric: 'twap dispatch p99', reference: '49 ms' }] }, result)
 * // { reference: 'the Rust original', rows: [{ metric: 'twap dispatch p99', reference: '49 ms', measured: '12 ms' }] }
 */
export function compareWithReference(comparison: ScenarioComparison | undefined, result: ScenarioResult): Comparison | undefined {
  if (!comparison) return undefined
  return {
    reference: comparison.source,
    rows: comparison.rows.map((row) => ({ metric: row.metric, reference: row.reference, measured: measures[row.metric](result) })),
    notes: comparison.notes ? [...comparison.notes] : undefined,
  }
}
