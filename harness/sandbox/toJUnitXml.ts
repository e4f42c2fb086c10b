import type { SandboxResult } from './sandboxResult.ts'

const escape = (text: string) =>
  text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!).replace(/[\u0000-\u0008\u000B\u000C\u000E-\u001F]/g, '')

/**
 * The result as JUnit XML for CI systems: one suite named after the sandbox, one test case per
 * health check and one for the test command (skipped when it did not run), plus a `teardown` case.
 *
 * @example
 * writeFileSync('sandbox.junit.xml', toJUnitXml(result))
 */
export function toJUnitXml(result: SandboxResult): string {
  const cases: string[] = []
  const seconds = (ms: number | undefined) => ((ms ?? 0) / 1000).toFixed(3)
  for (const check of result.healthChecks)
    cases.push(
      `    <testcase classname="${escape(result.name)}.health" name="${escape(check.name)}" time="${seconds(check.readyInMs)}">${check.ready ? '' : check.error === undefined ? '<skipped message="not finished: the stack or another check failed first"/>' : `<failure message="${escape(check.error.split('\n')[0]!)}">${escape(check.error)}</failure>`}</testcase>`,
    )
  const test = result.test
  if (test === null) cases.push(`    <testcase classname="${escape(result.name)}" name="test_command" time="0"><skipped message="${escape(result.error?.split('\n')[0] ?? 'not run')}"/></testcase>`)
  else {
    const failed = test.timedOut || test.exitCode !== 0
    const why = test.timedOut ? `timed out after ${test.timeoutMs / 1000} s (process tree ended)` : `exit code ${test.exitCode ?? test.signal}`
    cases.push(
      `    <testcase classname="${escape(result.name)}" name="${escape(test.command)}" time="${seconds(test.durationMs)}">${failed ? `<failure message="${escape(why)}">${escape(test.outputTail.join('\n'))}</failure>` : ''}<system-out>${escape(test.outputTail.join('\n'))}</system-out></testcase>`,
    )
  }
  cases.push(
    `    <testcase classname="${escape(result.name)}" name="teardown (${result.teardown.policy}${result.teardown.keep ? ', --keep' : ''})" time="0">${result.teardown.ok ? '' : `<failure message="teardown failed">${escape(result.teardown.steps.filter((s) => !s.ok).map((s) => `${s.step}: ${s.error}`).join('\n'))}</failure>`}</testcase>`,
  )
  const failures = result.healthChecks.filter((c) => !c.ready && c.error !== undefined).length + (test && (test.timedOut || test.exitCode !== 0) ? 1 : 0) + (result.teardown.ok ? 0 : 1)
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="shepherd e2e" tests="${cases.length}" failures="${failures}" time="${seconds(result.durationMs)}">`,
    `  <testsuite name="${escape(result.name)}" tests="${cases.length}" failures="${failures}" skipped="${(test === null ? 1 : 0) + result.healthChecks.filter((c) => !c.ready && c.error === undefined).length}" timestamp="${result.startedAt}" time="${seconds(result.durationMs)}">`,
    ...cases,
    '  </testsuite>',
    '</testsuites>',
    '',
  ].join('\n')
}
