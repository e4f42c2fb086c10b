import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../../engine/packageInfo.ts'
import { reportFileName } from '../../harness/report/reportFileName.ts'
import type { GitState } from '../../harness/report/types.ts'
import type { SoakVerdict } from './judgeSoak.ts'
import { renderSoakCharts } from './renderSoakCharts.ts'
import { renderSoakReport, wallSecondsPerDay } from './renderSoakReport.ts'
import type { SoakEvidence } from './soakEvidence.ts'

export type WriteSoakReportParameters = {
  evidence: SoakEvidence
  verdict: SoakVerdict
  date?: Date
  dir?: string
  run?: readonly string[]
  /** The tree the run was made from: `npm run reports:publish` refuses a dirty or unknown one. */
  git?: GitState
}
export type WriteSoakReportReturnType = { markdown: string; json: string; svg: string }

/**
 * One line of the run's key figures for the published index: the fitted RSS and heap slopes, the
 * deliveries, and the pace.
 *
 * @example
 * soakKeyNumbers(evidence, verdict) // 'RSS 1.2 MB/day, heap 0.3 MB/day; 812/812 parts; 190 s per simulated day'
 */
export function soakKeyNumbers(e: SoakEvidence, verdict: SoakVerdict): string {
  const slope = (figure: string) => {
    const s = verdict.trends.find((t) => t.figure === figure)?.worstSlopePerDay
    return s === undefined ? '-' : `${(s / 2 ** 20).toFixed(1)} MB/day`
  }
  const pace = wallSecondsPerDay(e)
  return [
    `RSS ${slope('rssBytes')}, heap ${slope('heapBytes')}`,
    e.delivery ? `${e.delivery.deliveredParts}/${e.delivery.expectedParts} parts` : 'no deliveries',
    pace === undefined ? '' : `${pace.toFixed(0)} s per simulated day`,
    verdict.firstDrift ? `first drift: ${verdict.firstDrift}` : '',
  ]
    .filter(Boolean)
    .join('; ')
}

/**
 * Writes `soak-<date>[-ci|-leak].md`, `.json` (verdict, bars, evidence) and `.svg` (trend charts)
 * into `dir` (default: the repository's `reports/`). Returns the paths.
 *
 * @example
 * const { markdown } = writeSoakReport({ evidence, verdict: judgeSoak(evidence) })
 */
export function writeSoakReport({ evidence, verdict, date = new Date(), dir = join(packageRoot, 'reports'), run, git }: WriteSoakReportParameters): WriteSoakReportReturnType {
  mkdirSync(dir, { recursive: true })
  const label = evidence.scale === 'full' ? undefined : evidence.scale
  const base = reportFileName({ scenario: 'soak', date: date.toISOString(), label })
  const paths = { markdown: join(dir, `${base}.md`), json: join(dir, `${base}.json`), svg: join(dir, `${base}.svg`) }
  writeFileSync(paths.svg, renderSoakCharts(evidence, verdict))
  const head = {
    verdict: verdict.pass ? 'PASS' : 'FAIL',
    keyNumbers: soakKeyNumbers(evidence, verdict),
    metadata: { scenario: 'soak', date: date.toISOString(), label, gitCommit: git?.commit ?? 'unknown', git },
  }
  writeFileSync(paths.json, `${JSON.stringify({ ...head, bars: verdict.bars, trends: verdict.trends, firstDrift: verdict.firstDrift, evidence }, null, 2)}\n`)
  writeFileSync(paths.markdown, renderSoakReport(evidence, verdict, { date: date.toISOString().slice(0, 10), chartFile: `${base}.svg`, run }))
  return paths
}
