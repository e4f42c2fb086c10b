import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterEach, describe, expect, test } from 'vitest'
import { exampleScenarioResult } from './exampleScenarioResult.ts'
import { beginAttempt, startAttempt, type AttemptRecord } from './trackAttempts.ts'
import type { ScenarioResult } from './types.ts'

const dirs: string[] = []
const tempDir = () => {
  const dir = mkdtempSync(join(tmpdir(), 'shepherd-attempts-'))
  dirs.push(dir)
  return dir
}
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true })
})

const passing = (): ScenarioResult => {
  const result = exampleScenarioResult()
  result.acceptance = result.acceptance.map((bar) => ({ ...bar, pass: true, status: 'pass' }))
  return result
}

describe('startAttempt', () => {
  test('behavior: a first attempt writes the plain report and says nothing about retries', () => {
    const dir = tempDir()
    const { paths, line } = startAttempt({ id: 't', retryCount: 0, errors: [] }, []).write(passing(), dir)
    expect(readdirSync(dir).sort()).toEqual(['saturation-2026-11-23-ci.json', 'saturation-2026-11-23-ci.md', 'saturation-2026-11-23-ci.svg'])
    expect(line).toBeUndefined()
    expect(readFileSync(paths.markdown, 'utf8')).not.toMatch(/on retry|Attempt \d|attempt \d/)
  })

  test('behavior: a pass on the retry keeps the first attempt as -attempt1 (superseded), and the final report says "Passed on retry 1" with its failed bars', () => {
    const dir = tempDir()
    const records: AttemptRecord[] = []
    startAttempt({ id: 't', retryCount: 0, errors: [] }, records).write(exampleScenarioResult(), dir)
    const second = startAttempt({ id: 't', retryCount: 1, errors: ['expected [ …(6) ] to deeply equal []\n\n- Expected'] }, records)
    expect(second.number).toBe(2)
    const { paths, line } = second.write(passing(), dir)
    expect(readdirSync(dir).filter((f) => f.endsWith('.md')).sort()).toEqual(['saturation-2026-11-23-ci-attempt1.md', 'saturation-2026-11-23-ci.md'])
    const final = readFileSync(paths.markdown, 'utf8')
    expect(final).toContain('> **Passed on retry 1** (attempt 2).')
    expect(final).toContain('> - attempt 1: FAIL; its report: [saturation-2026-11-23-ci-attempt1.md](saturation-2026-11-23-ci-attempt1.md); the test failed with: expected [ …(6) ] to deeply equal []')
    expect(final).toContain('>   - **FAIL** TWAP delivery: 99.80% (998/1000)')
    expect(final).toContain('>   - **NOT MEASURED** Traps: not measured')
    const kept = readFileSync(join(dir, 'saturation-2026-11-23-ci-attempt1.md'), 'utf8')
    expect(kept).toContain('> **Attempt 1, superseded.**')
    expect(kept).toContain('**Verdict: FAIL**')
    expect(JSON.parse(readFileSync(paths.json, 'utf8')).keyNumbers).toMatch(/attempt 2 \(retry 1\), earlier attempts: FAIL$/)
    expect(line).toBe('attempt 2 (retry 1): verdict PASS, passed on retry 1; earlier attempts: 1 FAIL (saturation-2026-11-23-ci-attempt1.md): expected [ …(6) ] to deeply equal []')
  })

  test('behavior: an attempt that threw before its report is remembered by the test\'s error', () => {
    const dir = tempDir()
    const records: AttemptRecord[] = []
    startAttempt({ id: 't', retryCount: 0, errors: [] }, records) // runScenario threw: no write
    const { paths } = startAttempt({ id: 't', retryCount: 1, errors: ['engine did not catch up with the devnet head'] }, records).write(passing(), dir)
    expect(readFileSync(paths.markdown, 'utf8')).toContain('> - attempt 1: no verdict; it wrote no report; the test failed with: engine did not catch up with the devnet head')
    expect(readdirSync(dir).filter((f) => f.includes('attempt'))).toEqual([])
  })

  test('behavior: a first attempt written under another name (another day) is moved, not left as a second final report', () => {
    const dir = tempDir()
    const records: AttemptRecord[] = []
    const yesterday = exampleScenarioResult()
    yesterday.metadata.date = '2026-11-22T23:59:00.000Z'
    startAttempt({ id: 't', retryCount: 0, errors: [] }, records).write(yesterday, dir)
    startAttempt({ id: 't', retryCount: 1, errors: ['late'] }, records).write(passing(), dir)
    expect(readdirSync(dir).filter((f) => f.endsWith('.md')).sort()).toEqual(['saturation-2026-11-22-ci-attempt1.md', 'saturation-2026-11-23-ci.md'])
    expect(existsSync(join(dir, 'saturation-2026-11-22-ci.json'))).toBe(false)
  })
})

describe('beginAttempt', () => {
  test('behavior: outside a retried test it is a plain first attempt', async () => {
    const dir = tempDir()
    const attempt = await beginAttempt(async () => undefined)
    expect(attempt.number).toBe(1)
    expect(attempt.write(passing(), dir).line).toBeUndefined()
  })

  test('behavior: under vitest it reads the running test (this one: attempt 1)', async () => {
    const attempt = await beginAttempt()
    expect(attempt.number).toBe(1)
  })
})
