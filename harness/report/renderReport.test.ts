import { describe, expect, test } from 'vitest'
import { exampleScenarioResult } from './exampleScenarioResult.ts'
import { renderReport } from './renderReport.ts'
import { judgedFigures, keyNumbers, reportVerdict, type ScenarioResult } from './types.ts'

function emptyResult(): ScenarioResult {
  const base = exampleScenarioResult()
  return {
    ...base,
    metadata: { ...base.metadata, gitCommit: 'abc1234', git: { commit: 'abc1234', dirty: false, changed: [] } },
    load: { ...base.load, senders: [], rejectionsByMessage: {} },
    latency: [],
    delivery: { twap: { expectedParts: 0, submittedOnce: 0, duplicates: [], missing: [] }, ethFlow: { placed: 0, observed: 0, missing: [] } },
    errors: { moduleErrors: [], traps: [], restarts: [], poisoned: [] },
    rpc: [],
    series: [],
    anomalies: [],
    notes: [],
    acceptance: [],
    comparison: undefined,
    evidence: undefined,
    charts: undefined,
  }
}

/** The text of one `## ` section (heading included), up to the next. */
const section = (text: string, heading: string) => {
  const start = text.indexOf(`\n## ${heading}`)
  const next = text.indexOf('\n## ', start + 1)
  return text.slice(start, next === -1 ? undefined : next)
}

describe('renderReport', () => {
  test('behavior: renders the fixed example exactly as the reviewed snapshot', async () => {
    await expect(renderReport(exampleScenarioResult(), { chartFile: 'saturation-2026-11-23-ci.svg' })).toMatchFileSnapshot('./__snapshots__/example-report.md')
  })

  test('behavior: reads in one pass: verdict, anomalies, checklist and charts first, reference material last', () => {
    const text = renderReport(exampleScenarioResult(), { chartFile: 'x.svg' })
    const sections = [...text.matchAll(/^## (.+)$/gm)].map((m) => m[1])
    expect(sections).toEqual([
      'Anomalies (2): read these first',
      'Acceptance checklist',
      'Delivery: every accepted order accounted for',
      'Latency',
      'Load sent against mined',
      'Errors, traps and poison',
      'RPC calls per block',
      'Notes',
      'Comparison with the Rust original',
      'Run metadata',
    ])
    expect(text.indexOf('**Verdict:')).toBeLessThan(text.indexOf('## Anomalies'))
    expect(text.indexOf('![')).toBeGreaterThan(text.indexOf('## Acceptance checklist'))
    expect(text.indexOf('![')).toBeLessThan(text.indexOf('## Delivery'))
  })

  test('behavior: the headline states the judged figures (block-to-submission against its bar), not dispatch', () => {
    const text = renderReport(exampleScenarioResult())
    const headline = text.split('\n').find((line) => line.startsWith('**Verdict'))!
    expect(headline).toBe(
      '**Verdict: FAIL** (3 of 9 bars pass, **1 not measured**). TWAP parts 997/1000 once · EthFlow 495/495 verified · 1 duplicate post · 1 unexplained order · p99 block-to-submission 1.5 s (bar < 500 ms).',
    )
    expect(headline).not.toMatch(/dispatch/)
  })

  test('behavior: not applicable bars are counted apart, and a missing latency says not measured', () => {
    const result = exampleScenarioResult()
    result.acceptance = [
      { bar: 'TWAP delivery', target: 't', measured: 'm', pass: true, status: 'pass' },
      { bar: 'Duplicates', target: 't', measured: 'not applicable: external orderbook', pass: true, status: 'not applicable' },
    ]
    result.latency = [{ module: 'twap-monitor' }]
    const text = renderReport(result)
    expect(text).toContain('**Verdict: PASS** (1 of 1 bar pass, 1 not applicable).')
    expect(text).toContain('p99 block-to-submission not measured (bar < 500 ms)')
    expect(text).toContain('| n/a | Duplicates | t | not applicable: external orderbook |')
  })

  test('behavior: every section with a table says where its numbers come from, before the table', () => {
    const text = renderReport(exampleScenarioResult())
    for (const heading of ['Acceptance checklist', 'Delivery', 'Latency', 'Load sent against mined', 'Errors, traps and poison', 'RPC calls per block', 'Comparison with the Rust original']) {
      const body = section(text, heading)
      expect(body, heading).toMatch(/\*Source: [^*]+\*/)
      expect(body.indexOf('*Source:'), heading).toBeLessThan(body.indexOf('\n| '))
    }
    expect(section(text, 'Load sent against mined')).toContain('mined: the chain')
    expect(section(text, 'Delivery')).toContain("the orderbook's record")
    expect(section(text, 'Errors, traps and poison')).toContain('`shepherd_module_traps_total{kind}`')
  })

  test('behavior: a report from a dirty tree says so at the top, naming the changed files; a clean one does not', () => {
    const text = renderReport(exampleScenarioResult())
    expect(text.split('\n')[2]).toBe(
      '> **Made from a dirty tree**: commit 0123456789ab with uncommitted changes to tracked files: package-lock.json. No commit reproduces these numbers; `npm run reports:publish` refuses this report.',
    )
    const clean = exampleScenarioResult()
    clean.metadata.git = { commit: '0123456789abcdef0123456789abcdef01234567', dirty: false, changed: [] }
    expect(renderReport(clean)).not.toContain('dirty tree')
    // A report written before metadata.git existed: the commit's -dirty suffix is the evidence.
    const old = exampleScenarioResult()
    old.metadata = { ...old.metadata, git: undefined, gitCommit: '5d90f21-dirty' }
    expect(renderReport(old)).toContain('> **Made from a dirty tree**: commit 5d90f21 with uncommitted changes to tracked files.')
  })

  test('behavior: anomalies (two sources disagreeing, with both figures) come before the checklist', () => {
    const text = renderReport(exampleScenarioResult())
    const anomalies = section(text, 'Anomalies')
    expect(anomalies).toContain('- EthFlow placements: the load generator counted 492 mined (from its receipts), the chain shows 495')
    expect(text.indexOf('## Anomalies')).toBeLessThan(text.indexOf('## Acceptance checklist'))
    expect(renderReport(emptyResult())).toContain('## Anomalies\n\nNone: the sources agree and no evidence is missing.')
  })

  test('behavior: accounted-for orders are one line of counts by class; unexplained ones are listed and called out', () => {
    const text = section(renderReport(exampleScenarioResult()), 'Delivery')
    expect(text).toContain(
      '**Accepted orders: 1520** = 998 expected TWAP parts + 26 TWAP parts that became due during the drain (allowed, not required) + 495 EthFlow orders + **1 unexplained**.',
    )
    expect(text).toContain(`**Unexplained orders**: accepted by the orderbook but not an expected part`)
    expect(text).toContain(`- \`0x${'99'.repeat(56)}\``)
    expect(text).not.toMatch(/Unexpected TWAP submissions/)
    const clean = exampleScenarioResult()
    clean.evidence = { ...clean.evidence!, orders: { accepted: 1519, byExplanation: { 'expected TWAP part': 998, 'TWAP part tradeable during the drain': 26, 'EthFlow order': 495 }, unexplained: [], drainParts: 26 } }
    clean.delivery.twap.unexpected = []
    const cleanText = section(renderReport(clean), 'Delivery')
    expect(cleanText).toContain('Every accepted order is accounted for.')
    expect(cleanText).not.toContain('Unexplained orders')
  })

  test('behavior: a row that is empty by design says so (ethflow-watcher posts nothing)', () => {
    const text = section(renderReport(exampleScenarioResult()), 'Latency')
    expect(text).toContain('| ethflow-watcher | block to submission | (posts nothing by design: it checks that each EthFlow order reached the orderbook) |  |  |  | 0 |')
    expect(text).toContain('(clock: a head watcher in its own worker thread')
  })

  test('behavior: a figure that was not measured is named in the errors section, never shown as none', () => {
    const result = exampleScenarioResult()
    result.errors.moduleErrors = []
    result.evidence = { ...result.evidence!, hostFailures: [] }
    const text = section(renderReport(result), 'Errors, traps and poison')
    expect(text).toContain('- **Not measured**: shepherd_module_traps_total absent from /metrics of engine pid 4242')
    expect(text).toContain('Nothing else was counted.')
    expect(text).not.toContain('No module errors')
    expect(renderReport(emptyResult())).toContain('No module errors, traps, restarts, host failures or poisoned modules.')
  })

  test('behavior: traps are shown by kind, and an engine process whose figures were lost says so', () => {
    const result = exampleScenarioResult()
    result.errors.traps = [{ module: 'traps-every-k', kind: 'throw', count: 3 }]
    result.evidence = { ...result.evidence!, endedEngines: [{ pid: 4242, exit: { code: null, signal: 'SIGKILL' }, finalFiguresRead: false }] }
    const text = section(renderReport(result), 'Errors, traps and poison')
    expect(text).toContain('| traps-every-k | trap (throw) | 3 |')
    expect(text).toContain('- Engine process 4242 ended (SIGKILL); its final figures were **not read: what it counted is lost**.')
  })

  test('behavior: a pass on a retry says "Passed on retry N", links the first attempt and carries its failed bars', () => {
    const result = exampleScenarioResult()
    result.acceptance = result.acceptance.map((bar) => ({ ...bar, pass: true, status: 'pass' }))
    result.attempt = {
      number: 2,
      earlier: [{ number: 1, report: 'saturation-2026-11-23-ci-attempt1.md', verdict: 'FAIL', failedBars: [exampleScenarioResult().acceptance[8]!], error: 'expected [ { name: "p99 block-to-submission" } ] to equal []' }],
    }
    const text = renderReport(result)
    expect(text).toContain('> **Passed on retry 1** (attempt 2). The earlier attempts failed:')
    expect(text).toContain('> - attempt 1: FAIL; its report: [saturation-2026-11-23-ci-attempt1.md](saturation-2026-11-23-ci-attempt1.md); the test failed with: expected')
    expect(text).toContain('>   - **FAIL** p99 block-to-submission: 1480 ms (bar: < 500 ms (1 block time))')
    expect(keyNumbers(result)).toMatch(/; attempt 2 \(retry 1\), earlier attempts: FAIL$/)
    result.acceptance[0]!.pass = false
    expect(renderReport(result)).toContain('> **Attempt 2 (retry 1)**, and the earlier attempts failed too:')
  })

  test('behavior: an earlier attempt kept beside the final report says it was superseded and links it', () => {
    const result = exampleScenarioResult()
    result.attempt = { number: 1, earlier: [], supersededBy: 'saturation-2026-11-23-ci.md' }
    const text = renderReport(result)
    expect(text).toContain('> **Attempt 1, superseded.** The test failed this attempt and ran again: the report of the next attempt is [saturation-2026-11-23-ci.md](saturation-2026-11-23-ci.md).')
    expect(keyNumbers(result)).not.toContain('attempt')
  })

  test('behavior: empty sections say so instead of rendering empty tables', () => {
    const text = renderReport(emptyResult())
    expect(text).toContain('No latency recorded.')
    expect(text).toContain('No RPC calls recorded.')
    expect(text).toContain('No acceptance bars were set for this run.')
    expect(text).toContain('No reference numbers given.')
    expect(text).toContain('**Verdict: NO BARS** (no bars set)')
    expect(text).not.toContain('![')
    expect(text).not.toContain('## Notes')
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

describe('reportVerdict, judgedFigures and keyNumbers', () => {
  test('behavior: the key numbers are the judged figures: delivery, EthFlow, duplicates, unexplained orders, p99 against its bar', () => {
    expect(judgedFigures(exampleScenarioResult())).toEqual(['TWAP parts 997/1000 once', 'EthFlow 495/495 verified', '1 duplicate post', '1 unexplained order', 'p99 block-to-submission 1.5 s (bar < 500 ms)'])
    expect(keyNumbers(exampleScenarioResult())).toBe('TWAP parts 997/1000 once; EthFlow 495/495 verified; 1 duplicate post; 1 unexplained order; p99 block-to-submission 1.5 s (bar < 500 ms)')
    expect(reportVerdict({ acceptance: [] })).toBe('NO BARS')
  })

  test('behavior: a not-measured bar makes the verdict FAIL', () => {
    expect(reportVerdict({ acceptance: [{ bar: 'Traps', target: '<= 0', measured: 'not measured: absent', pass: false, status: 'not measured' }] })).toBe('FAIL')
  })
})
