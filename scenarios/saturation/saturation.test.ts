import { expect, test } from 'vitest'
import { runAndReport } from '../../harness/scenario/runAndReport.ts'
import scenario from './scenario.ts'

test('scenario: saturation meets every acceptance bar, judged from ground truth', async () => {
  const { run, paths } = await runAndReport(scenario)
  expect(paths.markdown).toMatch(/reports\/saturation-\d{4}-\d{2}-\d{2}/)
  expect(run.verdict.bars.filter((bar) => !bar.pass)).toEqual([])
  expect(run.truth.twap.expected).toBeGreaterThan(0)
  expect(run.truth.ethFlow.placed).toBeGreaterThan(0)
})
