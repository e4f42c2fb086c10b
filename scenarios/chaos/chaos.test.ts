import { expect, test } from 'vitest'
import { currentScale, scaled } from '../../harness/scenario/defineScenario.ts'
import { runAndReport } from '../../harness/scenario/runAndReport.ts'
import { runChaos } from './runChaos.ts'
import scenario from './scenario.ts'

test('scenario: chaos loses nothing and duplicates nothing under every fault at once, judged from ground truth', async () => {
  const loadBlocks = scaled(scenario.load!.blocks, currentScale())
  const { run, paths } = await runAndReport(scenario, { during: (context) => runChaos(context, { loadBlocks, blockTime: scenario.devnet.blockTime }) })
  expect(paths.markdown).toMatch(/reports\/chaos-\d{4}-\d{2}-\d{2}/)
  expect(run.verdict.bars.filter((bar) => !bar.pass)).toEqual([])
  expect(run.truth.twap.expected).toBeGreaterThan(0)
  expect(run.truth.twap.duplicates).toBe(0)
})
