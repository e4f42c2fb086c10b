import { expect, test } from 'vitest'
import { readGitState } from '../../harness/report/readGitState.ts'
import { judgeScale } from './judgeScale.ts'
import { runScaleScenario } from './runScaleScenario.ts'
import { scaleProfile } from './scaleProfile.ts'
import { writeScaleReport } from './writeScaleReport.ts'
import { runHeaderLines } from '../../harness/report/runHeaderLines.ts'

// CI scale (the default): 1k -> 2k -> 10k watches and a 500-part burst over ws and http, ~1-2 min on
// 2 cores. SHEPHERD_SCALE=full: 1k -> 10k -> 100k and a 10,000-part burst (long; see
// docs/operations/scale-runbook.md). Either writes reports/scale-<date>[-ci].{md,json,svg}.
const profile = scaleProfile()

test(`scenario: cost follows what is due, from ${profile.growth.join(' -> ')} watches, and a ${profile.burstParts}-part burst posts in full over ws and http`, async () => {
  const evidence = await runScaleScenario({ profile, log: (line) => console.info(line) })
  const verdict = judgeScale(evidence)
  const git = readGitState()
  const paths = writeScaleReport({
    evidence,
    verdict,
    git,
    run: runHeaderLines(git, `SHEPHERD_SCALE=${profile.scale} npx vitest run scenarios/scale/scale.test.ts`),
  })
  console.info(`scale report: ${paths.markdown}`)
  expect(evidence.growth.map((p) => p.n)).toEqual(profile.growth)
  expect(verdict.bars.filter((bar) => !bar.pass)).toEqual([])
})
