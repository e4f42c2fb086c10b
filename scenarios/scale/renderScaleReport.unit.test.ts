import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, test } from 'vitest'
import { exampleBurst, exampleScaleEvidence } from './exampleScaleEvidence.ts'
import { judgeScale } from './judgeScale.ts'
import { renderScaleCharts } from './renderScaleCharts.ts'
import { renderScaleReport } from './renderScaleReport.ts'
import { writeScaleReport } from './writeScaleReport.ts'
import { publishReport } from '../../harness/report/publishReport.ts'

describe('renderScaleReport', () => {
  test('behavior: the verdict, every bar, a row per N with RSS per watch, and a row per burst', () => {
    const evidence = exampleScaleEvidence()
    const text = renderScaleReport(evidence, judgeScale(evidence), { date: '2026-12-07', chartFile: 'scale-2026-12-07.svg' })
    expect(text.split('\n')[0]).toBe('# Scale (ci scale), 2026-12-07: PASS')
    expect(text).toContain('| engine RSS at N=10000 <= 1 GB | 200 MB (19.5 kB per watch) | pass |')
    expect(text).toContain('| 10000 | 10000 (10000) | 100 / 1 | 2000 | 1.000 | 2 | 2.0 | 20.0 / 20.0 / 20 | eth_call 1.0 | 200 | 60 | 19.5 | 0.0 | 1 | 5.0 |')
    expect(text).toContain('| http | 2000 | 500 (500) | 500 | 0 | 500 | 1 | 0.90 | 556 | 1 (30) | 300 / 100 / 400 |')
    expect(text).toContain('![charts](scale-2026-12-07.svg)')
  })

  test('behavior: a failing run says FAIL, and a bar without evidence says NOT MEASURED', () => {
    const evidence = { ...exampleScaleEvidence(), bursts: [exampleBurst('ws', { maxCursorLag: 3 })] }
    const text = renderScaleReport(evidence, judgeScale(evidence), { date: '2026-12-07' })
    expect(text.split('\n')[0]).toBe('# Scale (ci scale), 2026-12-07: FAIL')
    expect(text).toContain('| cursor never more than 2 blocks behind the head (sampled every ~100 ms) | max 3 over 30 samples | FAIL |')
    expect(text).toMatch(/no burst ran over http \| NOT MEASURED \|/)
  })
})

describe('renderScaleCharts', () => {
  test('behavior: one SVG with the steady CPU panel and, per burst, its timeline and cursor lag panels', () => {
    const svg = renderScaleCharts(exampleScaleEvidence())
    expect(svg.startsWith('<svg xmlns="http://www.w3.org/2000/svg"')).toBe(true)
    expect(svg.trim().endsWith('</svg>')).toBe(true)
    expect(svg).toContain('Engine CPU per steady 1 s block at each N (2 due per block)')
    expect(svg).toContain('Burst over ws: 500 parts due at block 20 (2000 watches)')
    expect(svg).toContain('Cursor lag during the burst over http (bar: at most 2)')
    expect(svg.match(/<polyline /g)?.length).toBe(2 + 2 * 2)
  })
})

describe('writeScaleReport', () => {
  test('behavior: writes md, json and svg that the report publisher accepts (verdict, key numbers, metadata)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'scale-report-'))
    try {
      const evidence = exampleScaleEvidence()
      const paths = writeScaleReport({ evidence, verdict: judgeScale(evidence), date: new Date('2026-12-07T18:00:00Z'), dir: join(dir, 'reports') })
      expect(paths.markdown).toBe(join(dir, 'reports', 'scale-2026-12-07-ci.md'))
      const published = publishReport(paths.markdown, { docsDir: join(dir, 'docs'), allowUnclean: 'unit test: no git state' })
      expect(published.copied.map((p) => p.split('/').at(-1))).toEqual(['scale-2026-12-07-ci.md', 'scale-2026-12-07-ci.json', 'scale-2026-12-07-ci.svg'])
      const index = readFileSync(published.index, 'utf8')
      expect(index).toContain('| scale | 2026-12-07 | ci | PASS | CPU/block 20.0 -> 20.0 ms (N 1000 -> 10000); ingest 1.000 -> 1.000 ms/creation; RSS 200 MB at 10000 (19.5 kB/watch); ws burst 500/500 in 1 blocks, lag 1; http burst 500/500 in 1 blocks, lag 1 |')
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })
})
