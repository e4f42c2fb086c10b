// CLI: `tsx harness/ci/ciSummary.ts <vitest-results.json> [failures before the tests]` prints the CI
// summary line of `.ci/run` (a failure before the tests: an install that changed a tracked file).
import { readFileSync } from 'node:fs'
import { pathToFileURL } from 'node:url'
import { z } from 'zod'

/** The part of vitest's JSON reporter output the summary reads. */
const vitestJson = z.object({
  numTotalTests: z.number().optional(),
  numPassedTests: z.number().optional(),
  numFailedTests: z.number().optional(),
  testResults: z
    .array(z.object({ assertionResults: z.array(z.object({ fullName: z.string(), status: z.string(), failureMessages: z.array(z.string()).nullable().optional() })).optional() }))
    .optional(),
})

/**
 * The line CI parses: `tests: N passed, N failed`, then `, K flaky (<names>)` when some tests passed
 * only on a retry. vitest's JSON keeps the errors of a retried test's failed attempts even when the
 * retry passed (and a test that passes has no other errors), so a passed test with failure
 * messages is one that passed on a retry. Unreadable results count as one failure.
 *
 * @example
 * ciSummaryLine(JSON.parse(readFileSync('.vitest-results.json', 'utf8')))
 * // 'tests: 412 passed, 0 failed, 1 flaky (scenario: baseline meets every acceptance bar, judged from ground truth)'
 */
export function ciSummaryLine(results: unknown, failedBeforeTests = 0): string {
  const parsed = vitestJson.safeParse(results)
  if (!parsed.success) return `tests: 0 passed, ${1 + failedBeforeTests} failed`
  const r = parsed.data
  const passed = r.numPassedTests ?? 0
  const failed = (r.numFailedTests ?? 0) + (r.numTotalTests === undefined ? 1 : 0) + failedBeforeTests
  const flaky = (r.testResults ?? []).flatMap((file) => (file.assertionResults ?? []).filter((a) => a.status === 'passed' && (a.failureMessages?.length ?? 0) > 0).map((a) => a.fullName))
  return `tests: ${passed} passed, ${failed} failed${flaky.length ? `, ${flaky.length} flaky (${flaky.join('; ')})` : ''}`
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  let results: unknown
  try {
    results = JSON.parse(readFileSync(process.argv[2] ?? '.vitest-results.json', 'utf8'))
  } catch {
    results = undefined
  }
  console.log(ciSummaryLine(results, Number(process.argv[3] ?? 0) || 0))
}
