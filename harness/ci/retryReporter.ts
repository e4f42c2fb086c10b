import type { Reporter, TestCase } from 'vitest/node'

/**
 * A vitest reporter that makes retries visible in the test output: a test that passed only on a
 * retry prints "passed on retry N" with the earlier attempt's error, and the run ends with the list
 * of such (flaky) tests. The scenarios project retries once (vitest.config.ts), so a pass on the
 * second attempt is never silent. Configured beside the default reporter in vitest.config.ts and
 * in `.ci/run`.
 *
 * @example
 * // vitest.config.ts
 * export default defineConfig({ test: { reporters: ['default', './harness/ci/retryReporter.ts'] } })
 */
export default class RetryReporter implements Reporter {
  readonly flaky: string[] = []
  private readonly print: (line: string) => void

  /** vitest passes the reporter's options object (empty when configured by name). */
  constructor(options: { print?: (line: string) => void } = {}) {
    this.print = options.print ?? ((line) => process.stdout.write(`${line}\n`))
  }

  onTestCaseResult(testCase: TestCase): void {
    const retries = testCase.diagnostic()?.retryCount ?? 0
    if (retries === 0) return
    const result = testCase.result()
    const earlier = result.errors?.[0]?.message?.split('\n')[0]
    const why = earlier ? `; the earlier attempt failed with: ${earlier}` : ''
    if (result.state === 'passed') {
      this.flaky.push(testCase.fullName)
      this.print(`\u21bb passed on retry ${retries}: ${testCase.fullName} (${testCase.module.relativeModuleId})${why}`)
    } else if (result.state === 'failed') this.print(`\u2717 failed on every attempt (${retries + 1}): ${testCase.fullName} (${testCase.module.relativeModuleId})`)
  }

  onTestRunEnd(): void {
    if (this.flaky.length) this.print(`flaky: ${this.flaky.length} ${this.flaky.length === 1 ? 'test' : 'tests'} passed only on a retry: ${this.flaky.join('; ')}`)
  }
}
