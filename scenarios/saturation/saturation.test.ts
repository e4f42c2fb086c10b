import { expect, test } from 'vitest'
import { runAndReport } from '../../harness/scenario/runAndReport.ts'
import scenario from './scenario.ts'

// The product's main bar: 1 x (50 + 50) per 1 s block, every part exactly once and p99
// block-to-submission under one block, judged from the chain and the stub's record.
test('scenario: saturation delivers every order exactly once, with no errors and p99 block-to-submission under one block', async () => {
  const { run, paths } = await runAndReport(scenario)
  expect(paths.markdown).toMatch(/reports\/saturation-\d{4}-\d{2}-\d{2}/)
  expect(run.verdict.bars.filter((bar) => !bar.pass)).toEqual([])
  expect(run.verdict.bars.some((bar) => bar.name === 'p99 block-to-submission')).toBe(true)
  expect(run.truth.twap.expected).toBeGreaterThan(0)
  expect(run.truth.ethFlow.placed).toBeGreaterThan(0)
})
