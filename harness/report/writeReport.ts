import { mkdirSync, writeFileSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { renderReport } from './renderReport.ts'
import { renderRunCharts } from './renderRunCharts.ts'
import { reportFileName } from './reportFileName.ts'
import { keyNumbers, reportVerdict, type ScenarioResult } from './types.ts'

export type WriteReportOptions = { dir?: string }

/** Absolute paths of the three files of one report. */
export type ReportPaths = { markdown: string; json: string; svg: string }

/**
 * Writes `<dir>/<scenario>-<YYYY-MM-DD>[-<label>].md`, `.json` (every number; bigints as decimal
 * strings; plus the verdict and key numbers) and `.svg` (the charts of what the bars judge, shown
 * in the md). An earlier attempt of a retried test (`result.attempt.supersededBy`) gets
 * `-attempt<N>` at the end of its name. Creates `dir`; overwrites a report of the same name.
 *
 * @example
 * import { writeReport } from './writeReport.ts'
 * const { markdown } = writeReport(result, { dir: 'reports' })
 */
export function writeReport(result: ScenarioResult, options: WriteReportOptions = {}): ReportPaths {
  const dir = resolve(options.dir ?? 'reports')
  const base = reportFileName(result.metadata) + (result.attempt?.supersededBy ? `-attempt${result.attempt.number}` : '')
  const paths: ReportPaths = { markdown: join(dir, `${base}.md`), json: join(dir, `${base}.json`), svg: join(dir, `${base}.svg`) }
  mkdirSync(dir, { recursive: true })
  const m = result.metadata
  const title = `${m.scenario}: what the bars judge, per block (${m.parameters.blockTimeSeconds} s blocks, W=${m.parameters.senders})`
  writeFileSync(paths.svg, renderRunCharts(result.charts, { title }))
  writeFileSync(paths.json, `${JSON.stringify({ verdict: reportVerdict(result), keyNumbers: keyNumbers(result), ...result }, bigintToString, 2)}\n`)
  writeFileSync(paths.markdown, renderReport(result, { chartFile: `${base}.svg` }))
  return paths
}

/** JSON.stringify replacer: bigints as decimal strings (JSON has no bigint). */
export function bigintToString(_key: string, value: unknown): unknown {
  return typeof value === 'bigint' ? value.toString() : value
}
