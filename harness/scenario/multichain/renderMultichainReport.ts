import { escapeXml, niceTicks, panelAxes, panelScale, polylines } from '../../report/svgPanel.ts'
import { errorsSection, loadSection } from '../../report/renderSections.ts'
import type { ChainRun, MultichainRun } from './runMultichain.ts'

/** The report's header facts: what the run was made from. */
export type MultichainReportMetadata = { scenario: string; label?: string | undefined; date: string; gitCommit: string; git?: { commit: string; dirty: boolean; changed: string[] } | undefined; versions: Record<string, string>; machine: { cores: number; memoryGiB: number } }

const ms = (v: number | undefined) => (v === undefined ? '-' : `${v.toFixed(0)} ms`)
const cell = (text: string) => text.replaceAll('|', '\\|')

/**
 * The one line the reports index shows: both chains' deliveries, the steady chain's worst cursor
 * lag during the outage, its p99 and the backfill.
 *
 * @example
 * keyNumbers(run) // 'chain 11155111 55/55, chain 100 55/55; cursor 1 block behind; p99 58 vs 52 ms; backfill 36/36'
 */
export function keyNumbers(run: MultichainRun): string {
  const { steady, faulted } = run.evidence
  const f = run.verdict.figures
  return `chain ${steady.chainId} ${steady.delivered}/${steady.expected}, chain ${faulted.chainId} ${faulted.delivered}/${faulted.expected}; cursor at most ${f.outageMaxLag ?? '-'} blocks behind during the outage; p99 ${ms(f.outageP99Ms)} vs ${ms(f.baselineP99Ms)}; backfill ${f.backfilled}/${f.outageParts}`
}

/**
 * The Markdown report of a multi-chain run: the verdict, both chains side by side, the bars with
 * the bounds derived from the run and why, and notes. Pure: rendered from the run alone.
 *
 * @example
 * writeFileSync('reports/multichain.md', renderMultichainReport(run, metadata))
 */
export function renderMultichainReport(run: MultichainRun, metadata: MultichainReportMetadata): string {
  const pass = run.verdict.bars.every((b) => b.pass)
  const [a, b] = run.chains
  const o = run.evidence.outage
  const row = (name: string, f: (c: ChainRun) => string) => `| ${name} | ${cell(f(a))} | ${cell(f(b))} |`
  const lagDuring = (c: ChainRun) => {
    const lags = c.lag.filter((s) => s.at >= o.startedAt && s.at <= o.endedAt && s.cursor !== undefined).map((s) => Number(s.head - s.cursor!))
    return lags.length ? `${Math.min(...lags)}-${Math.max(...lags)} blocks (${lags.length} samples)` : '-'
  }
  const lines = [
    `# ${metadata.scenario}${metadata.label ? ` (${metadata.label})` : ''}: ${pass ? 'PASS' : 'FAIL'}`,
    '',
    run.definition.description,
    '',
    `Run ${metadata.date}, ${(run.durationMs / 1000).toFixed(0)} s, scale ${run.scale}; commit ${metadata.gitCommit}${metadata.git?.dirty ? ' (dirty tree)' : ''}; node ${metadata.versions.node}, viem ${metadata.versions.viem}, anvil ${metadata.versions.anvil}; ${metadata.machine.cores} cores, ${metadata.machine.memoryGiB} GiB.`,
    '',
    `**Key numbers:** ${keyNumbers(run)}`,
    '',
    '## Both chains side by side',
    '',
    `| | chain ${a.chainId} (${a.role}) | chain ${b.chainId} (${b.role}) |`,
    '|---|---|---|',
    row('RPC', (c) => (c.role === 'faulted' ? `through the fault proxy; down for blocks ${o.fromBlock}-${o.toBlock} (${((o.endedAt - o.startedAt) / 1000).toFixed(1)} s)` : 'direct')),
    ...(a.orderbook || b.orderbook ? [row('orderbook', (c) => c.orderbook ?? 'not recorded')] : []),
    row('judged blocks', (c) => `${c.blocks.from}-${c.blocks.to} (drained to ${c.blocks.drainedTo})`),
    row('TWAPs created (chain logs)', (c) => `${c.truth.twap.orders}`),
    row('parts expected / delivered', (c) => `${c.truth.twap.expected} / ${c.truth.twap.delivered}`),
    row('missing / duplicates', (c) => `${c.truth.twap.missing.length} / ${c.truth.twap.duplicates}`),
    row('EthFlow placed / observed at its stub', (c) => `${c.truth.ethFlow.placed} / ${c.truth.ethFlow.observed}`),
    row('orders its stub accepted', (c) => `${c.truth.orders.accepted} (${c.truth.orders.unexplained.length} unexplained)`),
    row('block-to-submission p50 / p99 / max', (c) => `${ms(c.latencyMs.p50)} / ${ms(c.latencyMs.p99)} / ${ms(c.latencyMs.max)} (${c.latencyMs.count} parts)`),
    row('cursor lag during the outage', lagDuring),
    row('cursor at the end', (c) => (c.cursorAtEnd === undefined ? '-' : `${c.cursorAtEnd}`)),
    '',
    '## Bars',
    '',
    '| bar | threshold | measured | result |',
    '|---|---|---|---|',
    ...run.verdict.bars.map((bar) => `| ${cell(bar.name)} | ${cell(bar.bar)} | ${cell(bar.measured)} | ${bar.pass ? 'pass' : bar.status === 'not measured' ? 'NOT MEASURED' : 'FAIL'} |`),
    '',
    '## Bounds derived from this run',
    '',
    `- Cursor: N = ${run.verdict.bounds.maxCursorLagBlocks.max} blocks: ${run.verdict.bounds.maxCursorLagBlocks.why}.`,
    `- p99: ${ms(run.verdict.bounds.steadyP99Ms.max)}: ${run.verdict.bounds.steadyP99Ms.why}.`,
    '',
    `![cursor lag of both chains](${'{svg}'})`,
    '',
    // The standard sections, as every scenario report renders them: the load per chain (against its
    // own chain's logs), and the errors of the one engine (both chains' module instances).
    ...run.chains.flatMap((c) => {
      const [heading, ...rest] = loadSection({ load: c.loadReport }, 20)
      return [`${heading}, chain ${c.chainId} (${c.role})`, ...rest]
    }),
    ...errorsSection(run.errors),
    '## Notes',
    '',
    ...run.notes.map((note) => `- ${note}`),
    '',
  ]
  return lines.join('\n')
}

/**
 * Two panels side by side, one per chain: how far the engine's cursor trailed the head (blocks)
 * through the run, seconds from the first sample on the x axis, the outage shaded.
 *
 * @example
 * writeFileSync('reports/multichain.svg', renderMultichainSvg(run))
 */
export function renderMultichainSvg(run: MultichainRun): string {
  const width = 980
  const height = 300
  const o = run.evidence.outage
  const t0 = Math.min(...run.chains.flatMap((c) => c.lag.map((s) => s.at)), o.startedAt)
  const out: string[] = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" font-family="sans-serif" font-size="11">`, `<rect width="${width}" height="${height}" fill="#ffffff"/>`]
  run.chains.forEach((chain, i) => {
    // The worst lag of each second: a point per second keeps the chart small and shows every spike.
    const perSecond = new Map<number, number>()
    for (const s of chain.lag) {
      if (s.cursor === undefined) continue
      const second = Math.floor((s.at - t0) / 1000)
      perSecond.set(second, Math.max(perSecond.get(second) ?? 0, Number(s.head - s.cursor)))
    }
    const seconds = [...perSecond.keys()]
    const last = seconds.length ? Math.max(...seconds) : 1
    const frame = { left: 70 + i * 480, top: 50, width: 400, height: 200, fromBlock: 0, toBlock: last, ticks: niceTicks(Math.max(2, ...perSecond.values())) }
    const scale = panelScale(frame)
    const from = scale.x((o.startedAt - t0) / 1000)
    const to = scale.x((o.endedAt - t0) / 1000)
    // The outage is shaded on both panels: the steady chain's must stay flat under it.
    out.push(`<rect x="${from}" y="${frame.top}" width="${Math.max(1, to - from)}" height="${frame.height}" fill="#fbe3e3"/>`)
    out.push(...panelAxes(frame, { title: `chain ${chain.chainId} (${chain.role}): head - cursor, by second`, yLabel: 'blocks behind', legend: [{ label: 'worst lag in the second', color: chain.role === 'steady' ? '#1f5fbf' : '#c0392b', kind: 'line' }, { label: `chain ${run.plan.faultedChainId} RPC down`, color: '#fbe3e3', kind: 'bar' }] }))
    out.push(...polylines(seconds.sort((x, y) => x - y).map((s) => [s, perSecond.get(s)!] as const), scale, { color: chain.role === 'steady' ? '#1f5fbf' : '#c0392b' }))
    out.push(`<text x="${frame.left + frame.width / 2}" y="${frame.top + frame.height + 32}" text-anchor="middle">${escapeXml('seconds since the first sample')}</text>`)
  })
  out.push('</svg>')
  return `${out.join('\n')}\n`
}
