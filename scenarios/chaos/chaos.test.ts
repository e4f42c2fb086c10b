import { expect, test } from 'vitest'
import { runAndReport } from '../../harness/scenario/runAndReport.ts'
import type { ScenarioContext } from '../../harness/scenario/runScenario.ts'
import { chaosDuring } from './runChaos.ts'
import scenario from './scenario.ts'
import { writeChaosDump, type KillWindow } from './writeChaosDump.ts'

test('scenario: chaos loses nothing and duplicates nothing under every fault at once, judged from ground truth', async () => {
  let context: ScenarioContext | undefined
  let kill: KillWindow | undefined
  const { run, paths } = await runAndReport(scenario, {
    during: (live) => {
      context = live
      return chaosDuring({ onKill: (window) => (kill = window) })(live)
    },
  })
  // SHEPHERD_CHAOS_DUMP=<file> keeps the evidence for a post-mortem (posts, blocks, kill window, engine log).
  if (process.env.SHEPHERD_CHAOS_DUMP) writeChaosDump(process.env.SHEPHERD_CHAOS_DUMP, { run, context, kill })
  expect(paths.markdown).toMatch(/reports\/chaos-\d{4}-\d{2}-\d{2}/)
  expect(run.verdict.bars.filter((bar) => !bar.pass)).toEqual([])
  expect(run.truth.twap.expected).toBeGreaterThan(0)
  expect(run.truth.twap.duplicates).toBe(0)
})
