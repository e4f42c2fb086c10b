import type { BacktestResult, OutcomeClass } from './judgeBacktest.ts'

const classes: OutcomeClass[] = ['submitted', 'rejected-expected', 'rejected-unexpected', 'strategy-error', 'skipped', 'alert']
const rate = (value: number | null) => (value === null ? 'n/a (no events)' : `${(value * 100).toFixed(2)}%`)

/** The backtest result as JSON (stable key order; bigints were already strings). */
export function renderBacktestJson(result: BacktestResult): string {
  return `${JSON.stringify(result, null, 2)}\n`
}

/**
 * The backtest result as markdown: verdict, totals per module, every non-passing event with its
 * UID and block, skipped events with their reasons, and (drift mode) every difference. Pure and
 * free of timings, so the same replay renders byte-identical text.
 *
 * @example
 * writeFileSync('reports/backtest-devnet.md', renderBacktestReport(result))
 */
export function renderBacktestReport(result: BacktestResult): string {
  const c = result.cassette
  const out: string[] = [
    `# Backtest: ${c.file}`,
    '',
    `**${result.passed ? 'PASS' : 'FAIL'}**${result.failures.length ? `: ${result.failures.join('; ')}` : ''}`,
    '',
    `- Chain ${c.chainId}, blocks ${c.from}..${c.to} (${result.blocks} replayed), recorded on ${c.recordedOn} with ${c.tool}`,
    `- Modules: ${result.modules.join(', ')}; orderbook answers: ${result.orderbook}`,
    `- Pass bar: pass rate >= ${(result.bar.minPassRate * 100).toFixed(2)}%, unexpected rejections <= ${result.bar.maxUnexpectedRejections}, strategy errors <= ${result.bar.maxStrategyErrors}${result.bar.expectsNone ? ', and no event at all (expectsNone)' : '; a replay with no event fails (nothing to judge)'}`,
    `- Pass rate: ${rate(result.passRate)} of ${result.events.length} events`,
    '',
    '## Per module',
    '',
    `| module | events | ${classes.join(' | ')} | pass rate |`,
    `|---|---:|${classes.map(() => '---:').join('|')}|---:|`,
    ...result.perModule.map((m) => `| ${m.module} | ${m.events} | ${classes.map((k) => m.totals[k]).join(' | ')} | ${rate(m.passRate)} |`),
    `| **total** | ${result.events.length} | ${classes.map((k) => result.totals[k]).join(' | ')} | ${rate(result.passRate)} |`,
    '',
    '## Non-passing events',
    '',
  ]
  if (result.nonPassing.length === 0) out.push('None.')
  else out.push('| module | block | class | uid | reason |', '|---|---:|---|---|---|', ...result.nonPassing.map((e) => `| ${e.module} | ${e.block} | ${e.class} | ${e.uid ?? ''} | ${e.reason ?? ''} |`))
  const benign = result.events.filter((e) => e.class === 'skipped' || e.class === 'rejected-expected')
  out.push('', '## Skipped and expected rejections', '')
  if (benign.length === 0) out.push('None.')
  else out.push('| module | block | class | uid | reason |', '|---|---:|---|---|---|', ...benign.map((e) => `| ${e.module} | ${e.block} | ${e.class} | ${e.uid ?? ''} | ${(e.reason ?? '').replace(/\|/g, '\\|').slice(0, 120)} |`))
  if (result.drift) {
    out.push('', '## Drift against the recording', '')
    if (result.drift.differences.length === 0) out.push('No differences: the replay made exactly the recorded decisions.')
    else
      out.push(
        `${result.drift.differences.length} differences (missing = recorded but not replayed; extra = replayed but never recorded):`,
        '',
        '| change | module | block | kind | key | detail |',
        '|---|---|---:|---|---|---|',
        ...result.drift.differences.map((d) => `| ${d.change} | ${d.module} | ${d.block} | ${d.kind} | ${d.key} | ${(d.detail ?? '').replace(/\|/g, '\\|').slice(0, 120)} |`),
      )
  }
  return `${out.join('\n')}\n`
}
