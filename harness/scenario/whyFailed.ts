import type { BarResult } from './judge.ts'

/** A run as far as its failure message needs it: a `ScenarioRun`, a soak's or a multichain run's verdict fits. */
export type WhyFailedParameters = { verdict: { bars: readonly BarResult[] }; notes?: readonly string[] | undefined }

/**
 * The message for a scenario test's assertion: every failed bar with what it measured, then the
 * run's notes. Scenario reports are written per run, so a CI retry overwrites the first attempt's;
 * put in the assertion, a flaky first attempt still names its cause in CI's output.
 *
 * @example
 * expect(run.verdict.bars.filter((b) => !b.pass).map((b) => b.name), whyFailed(run)).toEqual([])
 * // on failure: "FAIL heap-slope: slope 41.0 MB/day, SE 6.2 MB/day, ..."
 */
export function whyFailed(run: WhyFailedParameters): string {
  return [...run.verdict.bars.filter((b) => !b.pass).map((b) => `FAIL ${b.name}: ${b.measured}`), ...(run.notes ?? [])].join('\n')
}
