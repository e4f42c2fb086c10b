import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../../engine/packageInfo.ts'
import { reportFileName } from '../../harness/report/reportFileName.ts'
import type { ScaleVerdict } from './judgeScale.ts'
import { renderScaleCharts } from './renderScaleCharts.ts'
import { renderScaleReport } from './renderScaleReport.ts'
import type { ScaleEvidence } from './scaleEvidence.ts'

export type WriteScaleReportParameters = { evidence: ScaleEvidence; verdict: ScaleVerdict; date?: Date; dir?: string; run?: readonly string[] }
export type WriteScaleReportReturnType = { markdown: string; json: string; svg: string }

/**
 * Writes `scale-<date>[-ci].md`, `.json` (evidence and verdict) and `.svg` (charts) into `dir`
 * (default: the repository's `reports/`). Returns the paths.
 *
 * @example
 * const { markdown } = writeScaleReport({ evidence, verdict: judgeScale(evidence) })
 */
export function writeScaleReport({ evidence, verdict, date = new Date(), dir = join(packageRoot, 'reports'), run }: WriteScaleReportParameters): WriteScaleReportReturnType {
  mkdirSync(dir, { recursive: true })
  const base = reportFileName({ scenario: 'scale', date: date.toISOString(), label: evidence.scale === 'ci' ? 'ci' : undefined })
  const paths = { markdown: join(dir, `${base}.md`), json: join(dir, `${base}.json`), svg: join(dir, `${base}.svg`) }
  writeFileSync(paths.svg, renderScaleCharts(evidence))
  writeFileSync(paths.json, `${JSON.stringify({ evidence, verdict }, null, 2)}\n`)
  writeFileSync(paths.markdown, renderScaleReport(evidence, verdict, { date: date.toISOString().slice(0, 10), chartFile: `${base}.svg`, run }))
  return paths
}
