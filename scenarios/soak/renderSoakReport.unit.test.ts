import { expect, test } from 'vitest'
import { exampleSoakEvidence } from './exampleSoakEvidence.ts'
import { judgeSoak, maxRssSlopeBytesPerDay } from './judgeSoak.ts'
import { renderSoakCharts } from './renderSoakCharts.ts'
import { renderSoakReport, wallSecondsPerDay } from './renderSoakReport.ts'

const leaking = exampleSoakEvidence((s) => ({ ...s, rssBytes: s.rssBytes + (s.block / 7200) * 2 * maxRssSlopeBytesPerDay }))

test('behavior: the report names the first figure that drifts, gives every life\'s slope, and the pace for a week', () => {
  const verdict = judgeSoak(leaking)
  const md = renderSoakReport(leaking, verdict, { date: '2026-12-07', chartFile: 'soak-2026-12-07-ci.svg', run: ['commit abc'] })
  expect(md).toMatch(/^# Soak \(ci scale\), 2026-12-07: FAIL/)
  expect(md).toContain('**First figure that drifts: engine RSS grows 64.0 MB per simulated day.**')
  expect(md).toMatch(/\| rssBytes \| 1002 \| 0\.5\d-1\.00 \| 10 \|/)
  expect(md).toMatch(/\| fds \| 1002 \| 0\.50-1\.00 \| 37 \|/)
  // slope, its standard error, bound
  expect(md).toMatch(/\| 64\.0 MB \| \d+\.\d MB \| 32\.0 MB\/day \|/)
  expect(md).toContain('![trends](soak-2026-12-07-ci.svg)')
  // 15 ms of wall time per block in the example: 108 s per simulated day, 13 min a week.
  expect(wallSecondsPerDay(leaking)).toBeCloseTo(108, 5)
  expect(md).toContain('108 s per simulated day, so a week (50,400 blocks) takes about 13 min at this pace')
  expect(renderSoakReport(exampleSoakEvidence(), judgeSoak(exampleSoakEvidence()), { date: '2026-12-07' })).toContain('No figure drifts.')
})

test('behavior: the charts draw each figure, the restarts and a fitted line, and say what drifts', () => {
  const svg = renderSoakCharts(leaking, judgeSoak(leaking))
  expect(svg.startsWith('<svg')).toBe(true)
  expect(svg).toContain('first drift: engine RSS grows 64.0 MB per simulated day')
  expect(svg).toContain('Engine RSS (/proc): fitted 64.00 MB/day (worst life)')
  expect(svg).toContain('<title>SIGKILL at block 2880</title>')
  expect(svg.match(/stroke-dasharray="6 3"/g)?.length).toBeGreaterThanOrEqual(3)
  expect(renderSoakCharts({ ...leaking, samples: [] }, { firstDrift: undefined })).toContain('Engine RSS (/proc): no fit (not measured)')
})
