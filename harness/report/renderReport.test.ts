import { describe, expect, test } from 'vitest'
import { exampleScenarioResult } from './exampleScenarioResult.ts'
import { renderReport } from './renderReport.ts'
import { keyNumbers, reportVerdict, type ScenarioResult } from './types.ts'

function emptyResult(): ScenarioResult {
  const base = exampleScenarioResult()
  return {
    ...base,
    load: { ...base.load, senders: [], rejectionsByMessage: {} },
    latency: [],
    delivery: { twap: { expectedParts: 0, submittedOnce: 0, duplicates: [], missing: [] }, ethFlow: { placed: 0, observed: 0, missing: [] } },
    errors: { moduleErrors: [], traps: [], restarts: [], poisoned: [] },
    rpc: [],
    series: [],
    anomalies: [],
    acceptance: [],
    comparison: undefined,
  }
}

describe('renderReport', () => {
  test('behavior: renders the fixed example exactly as the reviewed snapshot', async () => {
    await expect(renderReport(exampleScenarioResult(), { chartFile: 'saturation-2026-11-23-ci.svg' })).toMatchFileSnapshot('./__snapshots__/example-report.md')
  })

  test('behavior: has every section, in order', () => {
    const text = renderReport(exampleScenarioResult())
    const sections = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])
    expect(sections).toEqual([
      'Run metadata',
      'Load delivered vs load sent',
      'Latency',
      'Delivery, duplicates and misses',
      'Errors, traps and poison',
      'RPC calls per block',
      'Anomalies',
      'Acceptance checklist',
      'Comparison with the Rust original',
    ])
  })

  test('behavior: a failing bar renders as FAIL with its measured value, and the verdict is FAIL', () => {
    const result = exampleScenarioResult()
    const text = renderReport(result)
    expect(text).toContain('| **FAIL** | TWAP parts submitted exactly once | 100% | 99.7% (997/1000) |')
    expect(text).toContain('| PASS | TWAP dispatch p99 | < 100 ms | 30 ms |')
    expect(text).toContain('**Verdict: FAIL** (3/4 bars pass)')
    result.acceptance[0]!.pass = true
    expect(renderReport(result)).toContain('**Verdict: PASS** (4/4 bars pass)')
  })

  test('behavior: empty sections say so instead of rendering empty tables', () => {
    const text = renderReport(emptyResult())
    expect(text).toContain('No latency recorded.')
    expect(text).toContain('No module errors, traps, restarts or poisoned modules.')
    expect(text).toContain('No RPC calls recorded.')
    expect(text).toContain('## Anomalies\n\nNone observed.')
    expect(text).toContain('No acceptance bars were set for this run.')
    expect(text).toContain('No reference numbers given.')
    expect(text).toContain('**Verdict: NO BARS**')
    expect(text).not.toContain('![')
  })

  test('behavior: senders that lost accepted txs are named as node loss, and long UID lists are cut', () => {
    const result = exampleScenarioResult()
    result.delivery.twap.missing = Array.from({ length: 25 }, (_, i) => `0x${i.toString(16).padStart(112, '0')}`)
    const text = renderReport(result, { listLimit: 20 })
    expect(text).toContain('**1 of 2 senders have accepted transactions that were never mined** (node eviction, not engine loss)')
    expect(text).toContain('| 0x00000000000000000000000000000000000000a2 | 98 | 95 | 1 | 2 |')
    expect(text).toContain('Missing TWAP parts (25):')
    expect(text).toContain('- ... and 5 more (all in the JSON)')
  })

  test('behavior: a pipe inside a value does not break the table', () => {
    const result = exampleScenarioResult()
    result.acceptance = [{ bar: 'a | b', target: 'x', measured: 'y', pass: true }]
    expect(renderReport(result)).toContain('| PASS | a \\| b | x | y |')
  })
})

describe('reportVerdict and keyNumbers', () => {
  test('behavior: key numbers sum delivery, mining and the worst dispatch p99', () => {
    expect(keyNumbers(exampleScenarioResult())).toBe('TWAP parts 997/1000 once; EthFlow 495/495; mined 995/998; dispatch p99 30.2 ms')
    expect(reportVerdict({ acceptance: [] })).toBe('NO BARS')
  })
})
