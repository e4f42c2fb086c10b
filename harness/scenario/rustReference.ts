import type { Comparison, ScenarioResult } from '../report/types.ts'
import { formatMs } from '../report/types.ts'

/** The Rust original's published figures, per scenario (issue 5). */
const reference: Record<string, Array<{ metric: string; reference: string; measure(result: ScenarioResult): string }>> = {}
const twapDispatchP99 = (r: ScenarioResult) => {
  const p99 = r.latency.find((m) => m.module === 'twap-monitor')?.dispatch?.p99
  return p99 === undefined ? 'n/a' : formatMs(p99)
}
const delivery = (r: ScenarioResult) => {
  const { expectedParts, submittedOnce } = r.delivery.twap
  const { placed, observed } = r.delivery.ethFlow
  const total = expectedParts + placed
  return total === 0 ? 'n/a' : `${((100 * (submittedOnce + observed)) / total).toFixed(1)}% of events`
}
const worstDispatch = (r: ScenarioResult) => {
  const max = Math.max(...r.latency.map((m) => m.dispatch?.max ?? 0))
  return max > 0 ? formatMs(max) : 'n/a'
}
reference.baseline = [{ metric: 'TWAP dispatch p99', reference: '49 ms', measure: twapDispatchP99 }]
reference.medium = [{ metric: 'TWAP dispatch p99', reference: '67 ms', measure: twapDispatchP99 }]
reference.saturation = [{ metric: 'TWAP dispatch p99', reference: '78 ms', measure: twapDispatchP99 }]
reference['saturation-parallel'] = [
  { metric: 'delivery', reference: '38-43% of events', measure: delivery },
  { metric: 'worst-case dispatch', reference: '101 s', measure: worstDispatch },
]

/** The comparison block of a report: the Rust original's figure beside ours, when it published one. */
export function rustComparison(result: ScenarioResult): Comparison | undefined {
  const rows = reference[result.metadata.scenario]
  if (!rows) return undefined
  return {
    reference: 'the Rust original, from its published load reports',
    rows: rows.map((row) => ({ metric: row.metric, reference: row.reference, measured: row.measure(result) })),
    notes: ['Dispatch: time a module takes to handle one block event (the engine histogram). The Rust figure is its own dispatch measure.'],
  }
}
