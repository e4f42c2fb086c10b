import { expect, test } from 'vitest'
import { currentScale, scaled } from '../../harness/scenario/defineScenario.ts'
import { runAndReport } from '../../harness/scenario/runAndReport.ts'
import { runCrashLoop } from './runCrashLoop.ts'
import scenario, { killIntervalSeconds } from './scenario.ts'

test('scenario: under a crash loop nothing is lost, posted twice, or posted after its validTo, judged from ground truth', async () => {
  const scale = currentScale()
  const loadBlocks = scaled(scenario.load!.blocks, scale)
  const { run } = await runAndReport(scenario, {
    during: (context) =>
      runCrashLoop(context, { loadBlocks, blockTime: scenario.devnet.blockTime, intervalSeconds: killIntervalSeconds[scale] }),
  })
  expect(run.verdict.bars.filter((bar) => !bar.pass)).toEqual([])
  expect(run.truth.twap.expected).toBeGreaterThan(0)
  expect(run.truth.twap.duplicates).toBe(0)
})
