import { expect, test } from 'vitest'
import { judgeSoak } from './judgeSoak.ts'
import { runSoak } from './runSoak.ts'
import { soakProfile } from './soakProfile.ts'
import { writeSoakReport } from './writeSoakReport.ts'

// The drift judge must see a real leak in a real run: the engine runs one fixture module that keeps
// 64 kB per block (~450 MB per simulated day), on 1,200 empty blocks (a sixth of a day, ~30 s).
// The soak run without it is the control (soak.test.ts: the same bars pass).
test('scenario: the drift judge FAILS a run whose module leaks memory per block, naming the figure that drifts', async () => {
  const profile = { ...soakProfile({ env: { SHEPHERD_SOAK_BLOCKS: '1200' } }), sampleEvery: 20, sigtermAt: [], sigkillAt: [] }
  const evidence = await runSoak({
    profile,
    load: false,
    extraModules: [{ name: 'leaks-per-block', path: 'scenarios/soak/fixtures/leaksPerBlock.ts', isolation: 'in-process' }],
  })
  const verdict = judgeSoak({ ...evidence, scale: 'leak' })
  const paths = writeSoakReport({ evidence: { ...evidence, scale: 'leak' }, verdict })
  console.info(`leak report: ${paths.markdown}; first drift: ${verdict.firstDrift}`)
  expect(evidence.samples).toHaveLength(60)
  expect(verdict.pass).toBe(false)
  const drifting = verdict.bars.filter((b) => b.name === 'rss-slope' || b.name === 'heap-slope')
  // Measured and failed, not "not measured": the samples are there and the slope is over the bound.
  expect(drifting.map((b) => b.status)).toEqual(['fail', 'fail'])
  expect(verdict.firstDrift).toMatch(/^engine RSS grows \d+(\.\d)? MB per simulated day$/)
  // Descriptors do not leak here: the judge names the figure that drifts, not every figure.
  expect(verdict.bars.find((b) => b.name === 'fds-flat')?.pass).toBe(true)
})
