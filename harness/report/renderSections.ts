// The report's body sections: each starts with where its numbers come from.
import { fixed, percent, plural, source, table, uidList } from './markdown.ts'
import { formatMs, type LatencySummary, type LoadKindCounts, type ReportEvidence, type ScenarioResult } from './types.ts'

/** The judge's order classes (harness/scenario/judgeDelivery.ts), in the plural. */
const orderClassPlural: Record<string, string> = {
  'expected TWAP part': 'expected TWAP parts',
  'TWAP part tradeable during the drain': 'TWAP parts that became due during the drain (allowed, not required)',
  'EthFlow order': 'EthFlow orders',
  'declared by the scenario': 'orders the scenario declares (posted by other modules)',
}

/**
 * Delivery, duplicates and misses, then every accepted order accounted for: the accounted-for
 * classes as one line of counts, the unexplained ones listed and called out.
 *
 * @example
 * lines.push(...deliverySection(result, 20))
 */
export function deliverySection({ delivery, evidence }: ScenarioResult, limit: number): string[] {
  const { twap, ethFlow } = delivery
  const duplicatePosts = twap.duplicates.reduce((sum, d) => sum + Math.max(0, d.count - 1), 0)
  const lines = [
    '## Delivery: every accepted order accounted for',
    '',
    ...source(
      'expected TWAP parts and EthFlow placements: the chain (the TWAP reference model over ConditionalOrderCreated logs, OrderPlacement logs); delivered, duplicates and accepted orders: the orderbook\'s record of every request',
    ),
    ...table(
      ['what', 'expected', 'delivered', 'duplicate posts', 'missing'],
      [
        ['TWAP part UIDs', String(twap.expectedParts), `${twap.submittedOnce} exactly once (${percent(twap.submittedOnce, twap.expectedParts)})`, String(duplicatePosts), String(twap.missing.length)],
        ['EthFlow orders', String(ethFlow.placed), `${ethFlow.observed} verified by the watcher (${percent(ethFlow.observed, ethFlow.placed)})`, '-', String(ethFlow.missing.length)],
      ],
    ),
  ]
  const unexplained = evidence?.orders.unexplained ?? twap.unexpected ?? []
  if (evidence) {
    const classes = Object.entries(evidence.orders.byExplanation).filter(([why, n]) => why !== 'unexplained' && (n ?? 0) > 0)
    const sum = classes.length ? classes.map(([why, n]) => `${n} ${n === 1 ? why : (orderClassPlural[why] ?? why)}`).join(' + ') : 'none'
    lines.push(`**Accepted orders: ${evidence.orders.accepted}** = ${sum}${unexplained.length ? ` + **${unexplained.length} unexplained**` : ''}. ${unexplained.length ? '' : 'Every accepted order is accounted for.'}`.trimEnd(), '')
  }
  if (unexplained.length)
    lines.push(
      ...uidList(
        `**Unexplained orders**: accepted by the orderbook but not an expected part, a part due during the drain, an EthFlow order or an order the scenario declares; they fail the "Unexplained orders" bar`,
        unexplained,
        limit,
      ),
    )
  lines.push(...uidList('Missing TWAP parts', twap.missing, limit))
  lines.push(...uidList('Duplicated TWAP parts', twap.duplicates.map((d) => [d.uid, ` (posted ${d.count} times)`] as const), limit))
  lines.push(...uidList('EthFlow orders the watcher did not verify', ethFlow.missing, limit))
  return lines
}

/**
 * Latency per module: block to submission (what the bar judges) and dispatch, with a row that is
 * empty by design saying so.
 *
 * @example
 * lines.push(...latencySection(result))
 */
export function latencySection({ latency, evidence }: ScenarioResult): string[] {
  const cells = (s: LatencySummary | undefined) => (s ? [formatMs(s.p50), formatMs(s.p95), formatMs(s.p99), formatMs(s.max), String(s.count)] : ['n/a', 'n/a', 'n/a', 'n/a', '0'])
  const lines = ['## Latency', '']
  if (latency.length === 0) return [...lines, 'No latency recorded.', '']
  const clock = evidence ? ` (clock: ${evidence.blockClock})` : ''
  const min = evidence?.submissionMinMs !== undefined ? `; minimum ${formatMs(evidence.submissionMinMs)} (a negative value is a clock problem, kept)` : ''
  lines.push(
    ...source(
      `block to submission: from the first sighting of the block that made a part due${clock} to the orderbook's receipt of its accepted post${min}. Dispatch: the engine's histogram \`shepherd_event_latency_seconds\` over the load window (a bucket estimate, capped at the observed max)`,
    ),
  )
  const rows: string[][] = []
  for (const m of latency) {
    if (m.blockToSubmission) rows.push([m.module, 'block to submission', ...cells(m.blockToSubmission)])
    else rows.push([m.module, 'block to submission', m.noSubmissionsBecause ? `(${m.noSubmissionsBecause})` : 'not measured', '', '', '', '0'])
    rows.push([m.module, 'dispatch', ...cells(m.dispatch)])
  }
  return [...lines, ...table(['module', 'what', 'p50', 'p95', 'p99', 'max', 'samples'], rows)]
}

/**
 * The load as sent (the generator) against as mined (the chain), with node-side loss named.
 *
 * @example
 * lines.push(...loadSection(result, 20))
 */
export function loadSection({ load }: Pick<ScenarioResult, 'load'>, limit: number): string[] {
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
    '## Load sent against mined',
    '',
    ...source("sent, accepted, rejected and reverted: the load generator; mined: the chain (creation and placement logs of the load's senders); never mined = accepted - mined - reverted"),
    ...table(['kind', 'sent', 'accepted', 'rejected at send', 'mined', 'reverted', 'never mined'], [row('TWAP create', load.twap), row('EthFlow createOrder', load.ethFlow), row('total', total)]),
    lossy.length === 0
      ? `Every sender's accepted transactions were mined or reverted (${plural(load.senders.length, 'sender')}): no node-side loss.`
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

/** What the errors section reads: a scenario result, or any run that has the engine's figures (multichain). */
export type ErrorsSectionInput = { errors: ScenarioResult['errors']; evidence?: Pick<ReportEvidence, 'notMeasured' | 'hostFailures' | 'endedEngines'> | undefined }

/**
 * Module errors, traps by kind, restarts, host failures and poisoned modules; a figure that was not
 * measured is named, never shown as none.
 *
 * @example
 * lines.push(...errorsSection(result))
 */
export function errorsSection({ errors, evidence }: ErrorsSectionInput): string[] {
  const lines = [
    '## Errors, traps and poison',
    '',
    ...source(
      "the engine's metrics, summed over every engine process of the run (a killed one's final figures included): `shepherd_module_errors_total`, `shepherd_module_traps_total{kind}`, `shepherd_module_restarts_total`, `shepherd_module_host_failures_total`, `shepherd_module_poisoned`",
    ),
  ]
  for (const reason of evidence?.notMeasured ?? []) lines.push(`- **Not measured**: ${reason}`)
  if (evidence?.notMeasured.length) lines.push('')
  const rows = [
    ...errors.moduleErrors.map((e) => [e.module, `error handled by the module: ${e.kind}`, String(e.count)]),
    ...errors.traps.map((t) => [t.module, t.kind ? `trap (${t.kind})` : 'trap', String(t.count)]),
    ...errors.restarts.map((r) => [r.module, 'restart after a trap', String(r.count)]),
    ...(evidence?.hostFailures ?? []).map((h) => [h.module, `host call rejected (${h.capability})`, String(h.count)]),
    ...errors.poisoned.map((module) => [module, '**POISONED** (parked)', '1']),
  ]
  if (rows.length > 0) lines.push(...table(['module', 'what', 'count'], rows))
  else if (evidence?.notMeasured.length) lines.push('Nothing else was counted.', '')
  else lines.push('No module errors, traps, restarts, host failures or poisoned modules.', '')
  for (const life of evidence?.endedEngines ?? [])
    lines.push(`- Engine process ${life.pid ?? '?'} ended (${life.exit.signal ?? `exit ${life.exit.code}`}); its final figures were ${life.finalFiguresRead ? 'read before it ended and are included' : '**not read: what it counted is lost**'}.`)
  if (evidence?.endedEngines.length) lines.push('')
  return lines
}

/**
 * RPC calls per method over the load window.
 *
 * @example
 * lines.push(...rpcSection(result))
 */
export function rpcSection({ rpc }: ScenarioResult): string[] {
  const head = ['## RPC calls per block', '', ...source("the engine's metrics (`shepherd_chain_request_total` by method, over the load window)")]
  if (rpc.length === 0) return [...head, 'No RPC calls recorded.', '']
  const sorted = [...rpc].sort((a, b) => b.total - a.total)
  const total = sorted.reduce((sum, r) => sum + r.total, 0)
  const perBlock = sorted.reduce((sum, r) => sum + r.perBlock, 0)
  return [...head, ...table(['method', 'total', 'per block'], [...sorted.map((r) => [r.method, String(r.total), fixed(r.perBlock)]), ['all', String(total), fixed(perBlock)]])]
}

/**
 * The reference figures the scenario names (e.g. the Rust original's) beside ours.
 *
 * @example
 * lines.push(...comparisonSection(result))
 */
export function comparisonSection({ comparison }: ScenarioResult): string[] {
  if (!comparison || comparison.rows.length === 0) return ['## Comparison with the Rust original', '', 'No reference numbers given.', '']
  return [
    '## Comparison with the Rust original',
    '',
    ...source(`the reference column: ${comparison.reference} (the scenario definition's \`comparison\`); this run: the figures above`),
    ...table(['metric', 'reference', 'this run'], comparison.rows.map((r) => [r.metric, r.reference, r.measured])),
    ...(comparison.notes ?? []).map((note) => `- ${note}`),
    ...(comparison.notes?.length ? [''] : []),
  ]
}

/**
 * Where and how the run was made.
 *
 * @example
 * lines.push(...metadataSection(result))
 */
export function metadataSection({ metadata: m }: ScenarioResult): string[] {
  const p = m.parameters
  const commit = m.git ? `${m.git.commit}${m.git.dirty ? ` plus uncommitted changes to ${m.git.changed.join(', ')}` : ''}` : m.gitCommit
  return [
    '## Run metadata',
    '',
    ...table(
      ['field', 'value'],
      [
        ['scenario', m.scenario],
        ['label', m.label ?? '(none)'],
        ['date', m.date],
        ['git commit', commit],
        ['versions', `node ${m.versions.node}, viem ${m.versions.viem}, anvil ${m.versions.anvil}${m.versions.shepherd ? `, shepherd ${m.versions.shepherd}` : ''}`],
        ['machine', `${m.machine.cores} cores, ${m.machine.memoryGiB} GiB${m.machine.cpuModel ? `, ${m.machine.cpuModel}` : ''}`],
        ['block time', `${p.blockTimeSeconds} s`],
        ['load', `W = ${p.senders} senders x (N = ${p.twapPerBlock} TWAP + M = ${p.ethFlowPerBlock} EthFlow) per block`],
        ['duration', `${p.durationBlocks} blocks${m.durationSeconds !== undefined ? `, ${m.durationSeconds} s wall time` : ''}`],
        ['modules', p.modules.length ? p.modules.join(', ') : '(none)'],
        ...(m.orderbook ? [['orderbook', m.orderbook]] : []),
      ],
    ),
  ]
}
