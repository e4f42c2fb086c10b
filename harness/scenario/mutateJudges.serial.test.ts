import { expect, test } from 'vitest'
import { runChild } from '../ci/runChild.ts'
import type { MutationReport } from './mutateJudges.ts'

// The mutation check of the judges (`npm run mutate:judges`) as part of `npm test`: a judge weakened
// later (a comparison turned, a bar or a derived bound dropped) with its tests still green fails
// CI here. It runs a vitest of its own for ~1.5-3 min on both cores, so it lives in the serial
// project, after the anvil tests and before the scenarios.
test('behavior: every mutant of every judge is killed by the judge tests', async () => {
  const run = await runChild(process.execPath, ['--import', 'tsx', 'harness/scenario/mutateJudges.ts', '--json'], { cwd: process.cwd(), timeoutMs: 540_000 })
  const last = run.stdout.trim().split('\n').at(-1) ?? ''
  let report: MutationReport
  try {
    report = JSON.parse(last) as MutationReport
  } catch {
    throw new Error(`the mutation check printed no report (exit ${run.code}, signal ${run.signal}):\n${run.stdout.slice(-2000)}\n${run.stderr.slice(-4000)}`)
  }
  console.info(`mutation check: ${report.killed}/${report.total} mutants killed in ${(report.durationMs / 1000).toFixed(1)} s`)
  expect(report.survivors.map((s) => `${s.file}:${s.line} ${s.kind}: ${s.description}`)).toEqual([])
  // Every judge file and the metric readers are in it (a target list emptied by mistake would score 0/0).
  expect(report.total).toBeGreaterThan(200)
  expect(run.code).toBe(0)
}, 600_000)
