import { expect, test } from 'vitest'
import { runAndReport } from '../../harness/scenario/runAndReport.ts'
import scenario from './scenario.ts'

// 10 senders x (5 + 5) per 0.5 s block: every part exactly once and p99 block-to-submission under
// one block (500 ms), judged from the chain and the stub's record. CI scale measured 326-385 ms;
// full length 431 ms (2026-11-24).
test('scenario: saturation-parallel delivers every order exactly once, with no errors and p99 block-to-submission under one block', async () => {
  const { run, paths } = await runAndReport(scenario)
  expect(paths.markdown).toMatch(/reports\/saturation-parallel-\d{4}-\d{2}-\d{2}/)
  expect(run.verdict.bars.filter((bar) => !bar.pass)).toEqual([])
  expect(run.verdict.bars.some((bar) => bar.name === 'p99 block-to-submission')).toBe(true)
  expect(run.truth.twap.expected).toBeGreaterThan(0)
  expect(run.truth.ethFlow.placed).toBeGreaterThan(0)
})
