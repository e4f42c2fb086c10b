import { beginAttempt } from '../report/trackAttempts.ts'
import type { ScenarioDefinition } from './defineScenario.ts'
import { runScenario, type RunScenarioOptions } from './runScenario.ts'
import { toReportResult } from './toReportResult.ts'

/**
 * Runs a scenario and writes its report (md + json + svg) under `reports/`. The label defaults to
 * the scale when it is not `full`, so CI runs never overwrite a full-length report. When vitest
 * retries the test, the earlier attempts' reports are kept as `-attempt<N>` and this one says
 * "passed on retry N" (see harness/report/trackAttempts.ts).
 *
 * @example
 * const { run, paths } = await runAndReport(baseline)
 * console.log(run.verdict.pass, paths.markdown)
 */
export async function runAndReport(definition: ScenarioDefinition, options: RunScenarioOptions & { label?: string; reportDir?: string } = {}) {
  const attempt = await beginAttempt()
  const run = await runScenario(definition, options)
  const label = options.label ?? (run.scale === 'full' ? undefined : run.scale)
  const { paths, line } = attempt.write(toReportResult(run, label), options.reportDir ?? 'reports')
  ;(options.log ?? console.info)(`[${definition.name}] report: ${paths.markdown}${line ? `; ${line}` : ''}`)
  return { run, paths }
}
