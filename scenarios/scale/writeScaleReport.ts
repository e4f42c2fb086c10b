import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { packageRoot } from '../../engine/packageInfo.ts'
import { reportFileName } from '../../harness/report/reportFileName.ts'
import type { GitState } from '../../harness/report/types.ts'
import { ingestMsPerCreation, steadyCpuMs } from './judgeScale.ts'
import type { ScaleVerdict } from './judgeScale.ts'
import { renderScaleCharts } from './renderScaleCharts.ts'
import { renderScaleReport } from './renderScaleReport.ts'
import type { ScaleEvidence } from './scaleEvidence.ts'

export type WriteScaleReportParameters = {
  evidence: ScaleEvidence
  verdict: ScaleVerdict
  date?: Date
  dir?: string
  run?: readonly string[]
  /** The tree the run was made from: `npm run reports:publish` refuses a dirty or unknown one. */
  git?: GitState
}
export type WriteScaleReportReturnType = { markdown: string; json: string; svg: string }

/**
 * One line of the run's key figures for the published index: steady CPU and ingest per creation at
 * the smallest and largest N, RSS at the largest, and each burst's blocks to post and worst lag.
 *
 * @example
 * scaleKeyNumbers(evidence) // 'CPU/block 14.0 -> 10.0 ms (N 1000 -> 10000); ingest 0.796 -> 0.914 ms/creation; ...'
 */
export function scaleKeyNumbers(e: ScaleEvidence): string {
  const first = e.growth[0]
  const last = e.growth.at(-1)
  const parts: string[] = []
  if (first && last) {
    parts.push(`CPU/block ${steadyCpuMs(first)?.toFixed(1) ?? '-'} -> ${steadyCpuMs(last)?.toFixed(1) ?? '-'} ms (N ${first.n} -> ${last.n})`)
    parts.push(`ingest ${ingestMsPerCreation(first)?.toFixed(3) ?? '-'} -> ${ingestMsPerCreation(last)?.toFixed(3) ?? '-'} ms/creation`)
    parts.push(`RSS ${(last.rssBytes / 1e6).toFixed(0)} MB at ${last.n} (${(last.rssBytes / last.n / 1024).toFixed(1)} kB/watch)`)
  }
  for (const b of e.bursts) parts.push(`${b.transport} burst ${b.posted}/${b.parts} in ${b.blocksToPost ?? '-'} blocks, lag ${b.maxCursorLag}`)
  return parts.join('; ')
}

/**
 * Writes `scale-<date>[-ci].md`, `.json` (verdict, bars, evidence) and `.svg` (charts) into `dir`
 * (default: the repository's `reports/`). Returns the paths.
 *
 * @example
 * const { markdown } = writeScaleReport({ evidence, verdict: judgeScale(evidence) })
 */
export function writeScaleReport({ evidence, verdict, date = new Date(), dir = join(packageRoot, 'reports'), run, git }: WriteScaleReportParameters): WriteScaleReportReturnType {
  mkdirSync(dir, { recursive: true })
  const base = reportFileName({ scenario: 'scale', date: date.toISOString(), label: evidence.scale === 'ci' ? 'ci' : undefined })
  const paths = { markdown: join(dir, `${base}.md`), json: join(dir, `${base}.json`), svg: join(dir, `${base}.svg`) }
  writeFileSync(paths.svg, renderScaleCharts(evidence))
  // The head fields are what `npm run reports:publish` reads (as for writeReport's JSON).
  const head = {
    verdict: verdict.pass ? 'PASS' : 'FAIL',
    keyNumbers: scaleKeyNumbers(evidence),
    metadata: { scenario: 'scale', date: date.toISOString(), label: evidence.scale === 'ci' ? 'ci' : undefined, gitCommit: git?.commit ?? 'unknown', git },
  }
  writeFileSync(paths.json, `${JSON.stringify({ ...head, bars: verdict.bars, evidence }, null, 2)}\n`)
  writeFileSync(paths.markdown, renderScaleReport(evidence, verdict, { date: date.toISOString().slice(0, 10), chartFile: `${base}.svg`, run }))
  return paths
}
