import { rmSync } from 'node:fs'
import { basename } from 'node:path'
import { reportFileName } from './reportFileName.ts'
import { reportVerdict, type AttemptInfo, type EarlierAttempt, type ScenarioResult } from './types.ts'
import { writeReport, type ReportPaths } from './writeReport.ts'

/** The running test as the attempt tracker sees it: its id, which retry this is, and the errors of earlier attempts. */
export type TestInfo = { id: string; retryCount: number; errors: readonly string[] }

/** One attempt of a scenario test: it writes the report, keeping the earlier attempts' reports beside it. */
export type ScenarioAttempt = {
  /** 1 for the first attempt, 2 for the first retry. */
  number: number
  /**
   * Writes this attempt's report under the report's own name. On a retry, each earlier attempt's
   * report is first written again under `-attempt<N>` (saying it was superseded), and this report
   * links them and carries their failed bars. `line` is what the test output should say.
   */
  write(result: ScenarioResult, dir: string): { paths: ReportPaths; line?: string | undefined }
}

/** What the tracker remembers of one attempt: its number, how many test errors came before it, and its report. */
export type AttemptRecord = { number: number; errorsAtStart: number; result?: ScenarioResult; dir?: string; paths?: ReportPaths }

/** Attempts per test id, in this worker: vitest retries a test in the same module instance. */
const history = new Map<string, AttemptRecord[]>()

/**
 * Starts an attempt of the current vitest test (outside vitest, e.g. `npm run demo`: a plain
 * attempt 1). Call it before running the scenario, so an attempt that throws is remembered too.
 *
 * @example
 * const attempt = await beginAttempt()
 * const run = await runScenario(definition)
 * const { paths, line } = attempt.write(toReportResult(run), 'reports')
 */
export async function beginAttempt(current: () => Promise<TestInfo | undefined> = currentVitestTest): Promise<ScenarioAttempt> {
  const test = await current()
  if (!test) return { number: 1, write: (result, dir) => ({ paths: writeReport(result, { dir }) }) }
  const records = history.get(test.id) ?? []
  history.set(test.id, records)
  return startAttempt(test, records)
}

/**
 * The attempt tracker over explicit state (what `beginAttempt` uses): `records` holds the
 * earlier attempts of the same test.
 *
 * @example
 * const records = []
 * const first = startAttempt({ id: 't', retryCount: 0, errors: [] }, records)
 */
export function startAttempt(test: TestInfo, records: AttemptRecord[]): ScenarioAttempt {
  const number = test.retryCount + 1
  const record: AttemptRecord = { number, errorsAtStart: test.errors.length }
  const errorOf = (r: AttemptRecord) => {
    const next = records.find((o) => o.number > r.number)
    const own = test.errors.slice(r.errorsAtStart, next?.errorsAtStart ?? test.errors.length)
    return own.length ? own.map((e) => e.split('\n')[0]).join('; ') : undefined
  }
  const earlierRecords = records.filter((r) => r.number < number)
  const earlierErrors = new Map(earlierRecords.map((r) => [r.number, errorOf(r)]))
  records.push(record)
  return {
    number,
    write(result, dir) {
      if (number === 1) {
        const paths = writeReport(result, { dir })
        Object.assign(record, { result, dir, paths })
        return { paths }
      }
      const finalName = `${reportFileName(result.metadata)}.md`
      const earlier: EarlierAttempt[] = []
      for (let n = 1; n < number; n++) {
        const r = earlierRecords.find((o) => o.number === n)
        if (!r?.result || !r.dir || !r.paths) {
          // The attempt threw before it wrote a report: what the test said is all there is.
          earlier.push({ number: n, failedBars: [], error: r ? earlierErrors.get(n) : test.errors.map((e) => e.split('\n')[0]).join('; ') || undefined })
          continue
        }
        const kept = writeReport({ ...r.result, attempt: { number: n, earlier: [], supersededBy: finalName } }, { dir: r.dir })
        // Its files under the final name are overwritten below; under another name (another day) they go.
        if (basename(r.paths.markdown) !== finalName) for (const path of Object.values(r.paths)) rmSync(path, { force: true })
        earlier.push({ number: n, report: basename(kept.markdown), verdict: reportVerdict(r.result), failedBars: r.result.acceptance.filter((b) => !b.pass), error: earlierErrors.get(n) })
      }
      const attempt: AttemptInfo = { number, earlier }
      const paths = writeReport({ ...result, attempt }, { dir })
      Object.assign(record, { result, dir, paths })
      const verdict = reportVerdict(result)
      const line = `attempt ${number} (retry ${number - 1}): verdict ${verdict}${verdict === 'PASS' ? `, passed on retry ${number - 1}` : ''}; earlier attempts: ${earlier.map((e) => `${e.number} ${e.verdict ?? 'no report'}${e.report ? ` (${e.report})` : ''}${e.error ? `: ${e.error}` : ''}`).join('; ')}`
      return { paths, line }
    },
  }
}

/** The current vitest test, read through vitest's runner API (only under vitest). */
async function currentVitestTest(): Promise<TestInfo | undefined> {
  if (!process.env.VITEST) return undefined
  const { TestRunner } = await import('vitest')
  const test = TestRunner.getCurrentTest()
  if (!test) return undefined
  return { id: test.id, retryCount: test.result?.retryCount ?? 0, errors: (test.result?.errors ?? []).map((e) => e.message) }
}
