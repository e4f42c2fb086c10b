import { mkdirSync, writeFileSync } from 'node:fs'
import { basename, join, resolve } from 'node:path'
import { bigintToString, type ReportPaths } from '../../report/writeReport.ts'
import { readRunEnvironment } from '../../report/readRunEnvironment.ts'
import { reportFileName } from '../../report/reportFileName.ts'
import { keyNumbers, renderMultichainReport, renderMultichainSvg, type MultichainReportMetadata } from './renderMultichainReport.ts'
import type { MultichainRun } from './runMultichain.ts'

/**
 * Writes a multi-chain run's report as `<dir>/multichain-<date>[-<label>].{md,json,svg}` (label
 * `ci` at CI scale). The JSON carries `verdict`, `keyNumbers` and `metadata` as every report does,
 * so `npm run reports:publish` takes it like the others.
 *
 * @example
 * const paths = writeMultichainReport(run) // reports/multichain-2026-12-07-ci.md ...
 */
export function writeMultichainReport(run: MultichainRun, options: { dir?: string; label?: string } = {}): ReportPaths {
  const { gitCommit, git, versions, machine } = readRunEnvironment()
  const metadata: MultichainReportMetadata = {
    scenario: run.definition.name,
    label: options.label ?? (run.scale === 'full' ? undefined : run.scale),
    date: run.startedAt.toISOString(),
    gitCommit,
    git,
    versions,
    machine,
  }
  const dir = resolve(options.dir ?? 'reports')
  mkdirSync(dir, { recursive: true })
  const base = reportFileName(metadata)
  const paths: ReportPaths = { markdown: join(dir, `${base}.md`), json: join(dir, `${base}.json`), svg: join(dir, `${base}.svg`) }
  const verdict = run.verdict.bars.every((b) => b.pass) ? 'PASS' : 'FAIL'
  writeFileSync(paths.markdown, renderMultichainReport(run, metadata).replace('{svg}', basename(paths.svg)))
  writeFileSync(paths.svg, renderMultichainSvg(run))
  // The raw per-chain ground truth is large (every block and delivery): the JSON keeps the evidence the bars read, and per-chain summaries.
  const chains = run.chains.map((c) => ({
    chainId: c.chainId,
    role: c.role,
    blocks: c.blocks,
    load: c.load.totals,
    twap: { orders: c.truth.twap.orders, expected: c.truth.twap.expected, delivered: c.truth.twap.delivered, missing: c.truth.twap.missing, duplicates: c.truth.twap.duplicates },
    ethFlow: { placed: c.truth.ethFlow.placed, observed: c.truth.ethFlow.observed, missing: c.truth.ethFlow.missing },
    orders: c.truth.orders,
    latencyMs: c.latencyMs,
    cursorAtEnd: c.cursorAtEnd,
    lag: c.lag,
  }))
  const json = { verdict, keyNumbers: keyNumbers(run), metadata, scale: run.scale, durationMs: run.durationMs, plan: run.plan, chains, evidence: run.evidence, bars: run.verdict.bars, bounds: run.verdict.bounds, figures: run.verdict.figures, errors: run.errors, proxyCounters: run.proxyCounters, notes: run.notes }
  writeFileSync(paths.json, `${JSON.stringify(json, bigintToString, 2)}\n`)
  return paths
}
