import { writeReport } from '../report/writeReport.ts'
import type { ScenarioDefinition } from './defineScenario.ts'
import { runScenario, type RunScenarioOptions } from './runScenario.ts'
import { toReportResult } from './toReportResult.ts'

/**
 * Runs a scenario and writes its report (md + json + svg) under `reports/`. The label defaults to
 * the scale when it is not `full`, so CI runs never overwrite a full-length report.
 *
 * @example
 * const { run, paths } = await runAndReport(baseline)
 * console.log(run.verdict.pass, paths.markdown)
 */
export async function runAndReport(definition: ScenarioDefinition, options: RunScenarioOptions & { label?: string; reportDir?: string } = {}) {
  const run = await runScenario(definition, options)
  const label = options.label ?? (run.scale === 'full' ? undefined : run.scale)
  const paths = await writeReport(toReportResult(run, label), { dir: options.reportDir ?? 'reports' })
  ;(options.log ?? console.info)(`[${definition.name}] report: ${paths.markdown}`)
  return { run, paths }
}
