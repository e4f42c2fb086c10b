import { formatMs, keyNumbers, reportVerdict, type LatencySummary, type LoadKindCounts, type ScenarioResult } from './types.ts'

export type RenderReportOptions = {
  /** File name of the latency chart beside the markdown; the report links it. Omit: no link. */
  chartFile?: string | undefined
  /** How many UIDs / senders a list shows before "... and N more". Default 20. */
  listLimit?: number | undefined
}

/**
 * Renders a scenario result as a markdown report: metadata, load, latency, delivery, errors, RPC
 * calls, anomalies, the acceptance checklist and the comparison with the reference. Pure: same
 * result, same text (no clock, no file system).
 *
 * @example
 * import { renderReport } from './renderReport.ts'
 * const markdown = renderReport(result, { chartFile: 'saturation-2026-11-23.svg' })
 */
export function renderReport(result: ScenarioResult, options: RenderReportOptions = {}): string {
  const limit = options.listLimit ?? 20
  const { metadata: m } = result
  const verdict = reportVerdict(result)
  const passed = result.acceptance.filter((bar) => bar.pass).length
  const lines: string[] = [
    `# ${m.scenario} load report: ${m.date.slice(0, 10)}${m.label ? ` (${m.label})` : ''}`,
    '',
    `**Verdict: ${verdict}** (${passed}/${result.acceptance.length} bars pass). ${keyNumbers(result)}.`,
    '',
    ...metadataSection(result),
    ...loadSection(result, limit),
    ...latencySection(result, options.chartFile),
    ...deliverySection(result, limit),
    ...errorsSection(result),
    ...rpcSection(result),
    ...anomaliesSection(result),
    ...acceptanceSection(result),
    ...comparisonSection(result),
  ]
  return `${lines.join('\n').trimEnd()}\n`
}

function metadataSection({ metadata: m }: ScenarioResult): string[] {
  const p = m.parameters
  return [
    '## Run metadata',
    '',
    ...table(
      ['field', 'value'],
      [
        ['scenario', m.scenario],
        ['label', m.label ?? '(none)'],
        ['date', m.date],
        ['git commit', m.gitCommit],
        ['versions', `node ${m.versions.node}, viem ${m.versions.viem}, anvil ${m.versions.anvil}${m.versions.shepherd ? `, shepherd ${m.versions.shepherd}` : ''}`],
        ['machine', `${m.machine.cores} cores, ${m.machine.memoryGiB} GiB${m.machine.cpuModel ? `, ${m.machine.cpuModel}` : ''}`],
        ['block time', `${p.blockTimeSeconds} s`],
        ['load', `W = ${p.senders} senders x (N = ${p.twapPerBlock} TWAP + M = ${p.ethFlowPerBlock} EthFlow) per block`],
        ['duration', `${p.durationBlocks} blocks${m.durationSeconds !== undefined ? `, ${m.durationSeconds} s wall time` : ''}`],
        ['modules', p.modules.length ? p.modules.join(', ') : '(none)'],
      ],
    ),
  ]
}

function loadSection({ load }: ScenarioResult, limit: number): string[] {
  const row = (kind: string, c: LoadKindCounts) => [kind, c.sent, c.accepted, c.rejected, c.mined, c.reverted, c.unconfirmed].map(String)
  const total: LoadKindCounts = {
    sent: load.twap.sent + load.ethFlow.sent,
    accepted: load.twap.accepted + load.ethFlow.accepted,
    rejected: load.twap.rejected + load.ethFlow.rejected,
    mined: load.twap.mined + load.ethFlow.mined,
    reverted: load.twap.reverted + load.ethFlow.reverted,
    unconfirmed: load.twap.unconfirmed + load.ethFlow.unconfirmed,
  }
  const lossy = load.senders.filter((s) => s.unconfirmed > 0)
  const lines = [
    '## Load delivered vs load sent',
    '',
    ...table(['kind', 'sent', 'accepted', 'rejected at send', 'mined', 'reverted', 'never mined'], [row('TWAP create', load.twap), row('EthFlow createOrder', load.ethFlow), row('total', total)]),
    lossy.length === 0
      ? `Every sender's accepted transactions were mined or reverted (${load.senders.length} senders): no node-side loss.`
      : `**${lossy.length} of ${load.senders.length} senders have accepted transactions that were never mined** (node eviction, not engine loss):`,
    '',
  ]
  if (lossy.length > 0) {
    lines.push(...table(['sender', 'accepted', 'mined', 'reverted', 'never mined'], lossy.slice(0, limit).map((s) => [s.address, s.accepted, s.mined, s.reverted, s.unconfirmed].map(String))))
    if (lossy.length > limit) lines.push(`... and ${lossy.length - limit} more senders.`, '')
  }
  const rejections = Object.entries(load.rejectionsByMessage).sort((a, b) => b[1] - a[1])
  if (rejections.length > 0) lines.push('Rejections at send:', '', ...table(['node message', 'count'], rejections.map(([message, count]) => [message, String(count)])))
  return lines
}

function latencySection({ latency }: ScenarioResult, chartFile: string | undefined): string[] {
  const cells = (s: LatencySummary | undefined) => (s ? [formatMs(s.p50), formatMs(s.p95), formatMs(s.p99), formatMs(s.max), String(s.count)] : ['n/a', 'n/a', 'n/a', 'n/a', '0'])
  const lines = ['## Latency', '']
  if (latency.length === 0) lines.push('No latency recorded.', '')
  else {
    lines.push('Dispatch: from the engine histogram (a quantile is a bucket estimate, shown no higher than the observed max). Block to submission: from when the harness saw the block that made the part tradeable (its own head poll, every 20 ms) to the arrival of the POST at the orderbook.', '')
    lines.push(...table(['module', 'what', 'p50', 'p95', 'p99', 'max', 'samples'], latency.flatMap((m) => [[m.module, 'dispatch', ...cells(m.dispatch)], [m.module, 'block to submission', ...cells(m.blockToSubmission)]])))
  }
  if (chartFile) lines.push(`![Dispatch latency and load per block](${chartFile})`, '')
  return lines
}

function deliverySection({ delivery }: ScenarioResult, limit: number): string[] {
  const { twap, ethFlow } = delivery
  const lines = [
    '## Delivery, duplicates and misses',
    '',
    ...table(
      ['what', 'expected', 'delivered', 'duplicates', 'missing'],
      [
        ['TWAP part UIDs', String(twap.expectedParts), `${twap.submittedOnce} exactly once (${percent(twap.submittedOnce, twap.expectedParts)})`, String(twap.duplicates.length), String(twap.missing.length)],
        ['EthFlow orders', String(ethFlow.placed), `${ethFlow.observed} observed (${percent(ethFlow.observed, ethFlow.placed)})`, '-', String(ethFlow.missing.length)],
      ],
    ),
  ]
  lines.push(...uidList('Missing TWAP parts', twap.missing, limit))
  lines.push(...uidList('Duplicated TWAP parts', twap.duplicates.map((d) => [d.uid, ` (posted ${d.count} times)`] as const), limit))
  lines.push(...uidList('Unexpected TWAP submissions', twap.unexpected ?? [], limit))
  lines.push(...uidList('Missing EthFlow orders', ethFlow.missing, limit))
  if (twap.missing.length + twap.duplicates.length + (twap.unexpected?.length ?? 0) + ethFlow.missing.length === 0) lines.push('No duplicates, no misses.', '')
  return lines
}

function errorsSection({ errors }: ScenarioResult): string[] {
  const lines = ['## Errors, traps and poison', '']
  const rows = [
    ...errors.moduleErrors.map((e) => [e.module, `error: ${e.kind}`, String(e.count)]),
    ...errors.traps.map((t) => [t.module, 'trap', String(t.count)]),
    ...errors.restarts.map((r) => [r.module, 'restart', String(r.count)]),
    ...errors.poisoned.map((module) => [module, 'POISONED', '1']),
  ]
  if (rows.length === 0) lines.push('No module errors, traps, restarts or poisoned modules.', '')
  else lines.push(...table(['module', 'what', 'count'], rows))
  return lines
}

function rpcSection({ rpc }: ScenarioResult): string[] {
  if (rpc.length === 0) return ['## RPC calls per block', '', 'No RPC calls recorded.', '']
  const sorted = [...rpc].sort((a, b) => b.total - a.total)
  const total = sorted.reduce((sum, r) => sum + r.total, 0)
  const perBlock = sorted.reduce((sum, r) => sum + r.perBlock, 0)
  return ['## RPC calls per block', '', ...table(['method', 'total', 'per block'], [...sorted.map((r) => [r.method, String(r.total), fixed(r.perBlock)]), ['all', String(total), fixed(perBlock)]])]
}

function anomaliesSection({ anomalies }: ScenarioResult): string[] {
  return ['## Anomalies', '', ...(anomalies.length === 0 ? ['None observed.'] : anomalies.map((a) => `- ${a}`)), '']
}

function acceptanceSection({ acceptance }: ScenarioResult): string[] {
  if (acceptance.length === 0) return ['## Acceptance checklist', '', 'No acceptance bars were set for this run.', '']
  return ['## Acceptance checklist', '', ...table(['result', 'bar', 'target', 'measured'], acceptance.map((b) => [b.pass ? 'PASS' : '**FAIL**', b.bar, b.target, b.measured]))]
}

function comparisonSection({ comparison }: ScenarioResult): string[] {
  if (!comparison || comparison.rows.length === 0) return ['## Comparison with the Rust original', '', 'No reference numbers given.', '']
  return [
    '## Comparison with the Rust original',
    '',
    `Reference: ${comparison.reference}.`,
    '',
    ...table(['metric', 'reference', 'this run'], comparison.rows.map((r) => [r.metric, r.reference, r.measured])),
    ...(comparison.notes ?? []).map((note) => `- ${note}`),
    ...(comparison.notes?.length ? [''] : []),
  ]
}

function uidList(title: string, items: readonly (string | readonly [string, string])[], limit: number): string[] {
  if (items.length === 0) return []
  const shown = items.slice(0, limit).map((item) => (typeof item === 'string' ? `- \`${item}\`` : `- \`${item[0]}\`${item[1]}`))
  if (items.length > limit) shown.push(`- ... and ${items.length - limit} more (all in the JSON)`)
  return [`${title} (${items.length}):`, '', ...shown, '']
}

function table(header: readonly string[], rows: readonly (readonly string[])[]): string[] {
  const cell = (value: string) => value.replaceAll('|', '\\|').replaceAll('\n', ' ')
  return [`| ${header.map(cell).join(' | ')} |`, `|${header.map(() => '---').join('|')}|`, ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`), '']
}

function percent(part: number, whole: number): string {
  return whole === 0 ? 'n/a' : `${((100 * part) / whole).toFixed(1)}%`
}

function fixed(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(2)
}
