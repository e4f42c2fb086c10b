import { describe, expect, test } from 'vitest'
import { ciSummaryLine } from './ciSummary.ts'

const file = (...tests: Array<{ fullName: string; status: string; failureMessages?: string[] }>) => ({ assertionResults: tests.map((t) => ({ failureMessages: [], ...t })) })

describe('ciSummaryLine', () => {
  test('behavior: with no flaky test the line is exactly `tests: N passed, N failed`', () => {
    expect(ciSummaryLine({ numTotalTests: 3, numPassedTests: 2, numFailedTests: 1, testResults: [file({ fullName: 'a', status: 'passed' }, { fullName: 'b', status: 'failed', failureMessages: ['x'] })] })).toBe(
      'tests: 2 passed, 1 failed',
    )
  })

  test('behavior: tests that passed after failing an attempt are appended as flaky, with their names', () => {
    const results = {
      numTotalTests: 4,
      numPassedTests: 4,
      numFailedTests: 0,
      testResults: [file({ fullName: 'scenario: baseline, judged', status: 'passed', failureMessages: ['AssertionError: expected 1 to be 0'] }), file({ fullName: 'e2e', status: 'passed', failureMessages: ['x'] }, { fullName: 'ok', status: 'passed' })],
    }
    expect(ciSummaryLine(results)).toBe('tests: 4 passed, 0 failed, 2 flaky (scenario: baseline, judged; e2e)')
  })

  test('bad input: unreadable or truncated results count as a failure', () => {
    expect(ciSummaryLine(undefined)).toBe('tests: 0 passed, 1 failed')
    expect(ciSummaryLine({ numPassedTests: 'many' })).toBe('tests: 0 passed, 1 failed')
    expect(ciSummaryLine({ numPassedTests: 5 })).toBe('tests: 5 passed, 1 failed')
  })

  test('behavior: a failure before the tests (a dirty install) is counted with the tests', () => {
    expect(ciSummaryLine({ numTotalTests: 2, numPassedTests: 2, numFailedTests: 0 }, 1)).toBe('tests: 2 passed, 1 failed')
    expect(ciSummaryLine(undefined, 1)).toBe('tests: 0 passed, 2 failed')
  })
})
