import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { ciSummaryLine } from './ciSummary.ts'
import { runChild, withoutVitestEnv } from './runChild.ts'

// A real vitest run (its own process) of harness/ci/fixtures: a test that fails its first attempt
// and passes its retry, one that passes, one that fails both attempts. What a scenario retry must
// leave behind: the test output, the CI summary line and both attempts' reports. A nested vitest
// takes both cores for a while: this file runs in the serial project, after the anvil tests.
const root = process.cwd()
let dir: string
let output: string
let results: unknown
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'shepherd-retries-'))
  const run = await runChild(
    process.execPath,
    [
      join(root, 'node_modules/vitest/vitest.mjs'),
      'run',
      '--config',
      join(root, 'harness/ci/fixtures/vitest.fixture.config.ts'),
      '--reporter=default',
      `--reporter=${join(root, 'harness/ci/retryReporter.ts')}`,
      '--reporter=json',
      `--outputFile.json=${join(dir, 'results.json')}`,
    ],
    // Its TMPDIR is this test's folder: vitest leaves a cache folder in TMPDIR, removed with it below.
    { cwd: root, env: { ...withoutVitestEnv(), TMPDIR: dir, SHEPHERD_FIXTURE_REPORTS: join(dir, 'reports'), NO_COLOR: '1' }, timeoutMs: 60_000 },
  )
  output = `${run.stdout}\n${run.stderr}`
  results = JSON.parse(readFileSync(join(dir, 'results.json'), 'utf8'))
}, 70_000)
afterAll(() => rmSync(dir, { recursive: true, force: true }))

describe('a retried test, end to end', () => {
  test('behavior: the CI summary keeps its prefix and appends the flaky test', () => {
    expect(ciSummaryLine(results)).toBe('tests: 2 passed, 1 failed, 1 flaky (flaky scenario)')
  })

  test('behavior: the test output says "passed on retry 1", with the first attempt\'s error, and lists the flaky tests at the end', () => {
    expect(output).toMatch(/passed on retry 1: flaky scenario \(retries\.fixture\.ts\); the earlier attempt failed with: expected \[ 'TWAP delivery', /)
    expect(output).toContain('failed on every attempt (2): broken')
    expect(output).toContain('flaky: 1 test passed only on a retry: flaky scenario')
    expect(output).toContain('[flaky scenario] attempt 2 (retry 1): verdict PASS, passed on retry 1; earlier attempts: 1 FAIL (saturation-2026-11-23-ci-attempt1.md)')
  })

  test('behavior: both attempts\' reports are kept; the final one says "Passed on retry 1" and links the first', () => {
    const reports = join(dir, 'reports')
    expect(readdirSync(reports).filter((f) => f.endsWith('.md')).sort()).toEqual(['saturation-2026-11-23-ci-attempt1.md', 'saturation-2026-11-23-ci.md'])
    const final = readFileSync(join(reports, 'saturation-2026-11-23-ci.md'), 'utf8')
    expect(final).toContain('> **Passed on retry 1** (attempt 2).')
    expect(final).toContain('[saturation-2026-11-23-ci-attempt1.md](saturation-2026-11-23-ci-attempt1.md); the test failed with: expected [')
    expect(final).toContain('>   - **FAIL** p99 block-to-submission: 1480 ms (bar: < 500 ms (1 block time))')
    expect(readFileSync(join(reports, 'saturation-2026-11-23-ci-attempt1.md'), 'utf8')).toContain('> **Attempt 1, superseded.**')
  })
})
