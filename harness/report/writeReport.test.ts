import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { exampleScenarioResult } from './exampleScenarioResult.ts'
import { reportFileName } from './reportFileName.ts'
import { writeReport } from './writeReport.ts'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-report-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

describe('writeReport', () => {
  test('behavior: writes md, json and svg named <scenario>-<date>-<label>, and the md shows the charts', () => {
    const dir = join(tempDir(), 'reports')
    const paths = writeReport(exampleScenarioResult(), { dir })
    expect(paths).toEqual({ markdown: join(dir, 'saturation-2026-11-23-ci.md'), json: join(dir, 'saturation-2026-11-23-ci.json'), svg: join(dir, 'saturation-2026-11-23-ci.svg') })
    for (const path of Object.values(paths)) expect(existsSync(path)).toBe(true)
    expect(readFileSync(paths.markdown, 'utf8')).toContain('](saturation-2026-11-23-ci.svg)')
    expect(readFileSync(paths.svg, 'utf8')).toMatch(/^<svg xmlns="http:\/\/www.w3.org\/2000\/svg"/)
    expect(readFileSync(paths.svg, 'utf8')).toContain('Block to submission per module')
  })

  test('behavior: an earlier attempt of a retried test is written under -attempt<N>, beside the final name', () => {
    const dir = tempDir()
    const result = exampleScenarioResult()
    const kept = writeReport({ ...result, attempt: { number: 1, earlier: [], supersededBy: 'saturation-2026-11-23-ci.md' } }, { dir })
    expect(kept.markdown).toBe(join(dir, 'saturation-2026-11-23-ci-attempt1.md'))
    expect(readFileSync(kept.markdown, 'utf8')).toContain('](saturation-2026-11-23-ci-attempt1.svg)')
    expect(writeReport({ ...result, attempt: { number: 2, earlier: [] } }, { dir }).markdown).toBe(join(dir, 'saturation-2026-11-23-ci.md'))
  })

  test('behavior: the json holds every number, the verdict and key numbers, with bigints as strings', () => {
    const result = exampleScenarioResult()
    const withBigint = { ...result, metadata: { ...result.metadata, parameters: { ...result.metadata.parameters, extra: 2n ** 70n } } }
    const { json } = writeReport(withBigint, { dir: tempDir() })
    const parsed = JSON.parse(readFileSync(json, 'utf8')) as Record<string, unknown> & { metadata: { parameters: { extra: unknown } } }
    expect(parsed.verdict).toBe('FAIL')
    expect(parsed.keyNumbers).toBe('TWAP parts 997/1000 once; EthFlow 495/495 verified; 1 duplicate post; 1 unexplained order; p99 block-to-submission 1.5 s (bar < 500 ms)')
    expect(parsed.metadata.parameters.extra).toBe('1180591620717411303424')
    expect(parsed.series).toEqual(result.series)
    expect(parsed.delivery).toEqual(result.delivery)
  })

  test('behavior: no label, no suffix; names are reduced to safe characters; bad names are refused', () => {
    expect(reportFileName({ scenario: 'Baseline', date: '2026-01-02T00:00:00Z' })).toBe('baseline-2026-01-02')
    expect(reportFileName({ scenario: 'e2e', date: '2026-01-02', label: 'After batching / v2' })).toBe('e2e-2026-01-02-after-batching-v2')
    expect(() => reportFileName({ scenario: '///', date: '2026-01-02' })).toThrow(/scenario name is empty/)
    expect(() => reportFileName({ scenario: 'x', date: 'yesterday' })).toThrow(/not ISO 8601[\s\S]*"yesterday"/)
  })
})
