import { counterTotals, type Evidence, type RunMetrics } from '../runMetrics.ts'
import type { ModuleErrorRow } from './judgeMultichain.ts'

/**
 * The modules' own errors over the run by module, kind and chain (`shepherd_module_errors_total
 * {module,error_kind,chain_id}`), rows of 0 left out; "not measured" when the metric is missing.
 * One engine serves both chains, so the chain label is what tells the healthy chain's errors from
 * the faulted one's.
 *
 * @example
 * readModuleErrorRows({ ended: [], current: scrape })
 * // { value: [{ module: 'twap-monitor', kind: 'poll_failed', chainId: '100', count: 1 }] }
 */
export function readModuleErrorRows(run: RunMetrics): Evidence<ModuleErrorRow[]> {
  const rows = counterTotals(run, 'shepherd_module_errors_total', ['module', 'error_kind', 'chain_id'])
  if ('notMeasured' in rows) return rows
  return { value: rows.value.filter((row) => row.value !== 0).map((row) => ({ module: row.labels.module!, kind: row.labels.error_kind!, chainId: row.labels.chain_id!, count: row.value })) }
}
