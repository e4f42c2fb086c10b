import { expect, test } from 'vitest'
import { runScenario } from '../../harness/scenario/runScenario.ts'
import baseline from './scenario.ts'

// The judge must be able to fail: here the stub answers 201 to 30% of order posts and then loses
// them, so those orders never reach the book. Only ground truth can notice; the engine saw a 201.
test('judge: a lossy run (the stub drops 30% of accepted submissions) fails the delivery bar', async () => {
  const lossy = {
    ...baseline,
    name: 'baseline-lossy',
    orderbook: { knobs: { acceptThenLose: { rate: 0.3 } } },
    load: { ...baseline.load!, blocks: { full: 8, ci: 8 } },
  }
  const run = await runScenario(lossy, { scale: 'ci' })
  const failing = run.verdict.bars.filter((bar) => !bar.pass).map((bar) => bar.name)
  expect(run.verdict.pass).toBe(false)
  expect(failing).toContain('TWAP delivery')
  expect(run.truth.twap.delivered).toBeLessThan(run.truth.twap.expected)
  expect(run.truth.twap.missing.length).toBe(run.truth.twap.expected - run.truth.twap.delivered)
})
