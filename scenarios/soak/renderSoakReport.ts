import { table } from '../../harness/report/markdown.ts'
import { judgedLives, maxFdGrowth, maxHeapSlopeBytesPerDay, maxLoopP99Seconds, maxRssSlopeBytesPerDay, type SoakVerdict } from './judgeSoak.ts'
import { BLOCKS_PER_DAY, type SoakEvidence, type SoakSample } from './soakEvidence.ts'

export type RenderSoakReportOptions = {
  /** ISO date of the run. */
  date: string
  /** The chart file's name beside the report (linked). */
  chartFile?: string
  /** Commit, machine, command: one line each under "Run". */
  run?: readonly string[]
}

const mib = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 2 ** 20).toFixed(1) : '-')
const num = (value: number, digits = 1) => (Number.isFinite(value) ? value.toFixed(digits) : '-')
const days = (blocks: number) => (blocks / BLOCKS_PER_DAY).toFixed(2)

/**
 * Seconds of wall time per simulated day at this run's pace, from its samples (the last one's wall
 * time over its chain time): what a full week would take on the same machine, restarts included.
 *
 * @example
 * wallSecondsPerDay(evidence) // e.g. 190
 */
export function wallSecondsPerDay(e: Pick<SoakEvidence, 'samples'>): number | undefined {
  const last = e.samples.at(-1)
  const first = e.samples[0]
  if (!last || !first || last.chainDays <= first.chainDays) return undefined
  return (last.wallMs - first.wallMs) / 1000 / (last.chainDays - first.chainDays)
}

/**
 * The soak report as markdown: verdict and the first figure that drifts, the bars, each trend with
 * its fitted slope per simulated day (per engine life of the judged half), the load and faults, the
 * samples, and the pace (wall time per simulated day, so a week's duration can be told). Pure.
 *
 * @example
 * writeFileSync('reports/soak-2026-12-07-ci.md', renderSoakReport(evidence, judgeSoak(evidence), { date: '2026-12-07' }))
 */
export function renderSoakReport(e: SoakEvidence, verdict: SoakVerdict, options: RenderSoakReportOptions): string {
  const lines: string[] = [`# Soak (${e.scale} scale), ${options.date}: ${verdict.pass ? 'PASS' : 'FAIL'}`, '']
  lines.push(verdict.firstDrift ? `**First figure that drifts: ${verdict.firstDrift}.**` : 'No figure drifts.', '')
  lines.push(
    `${e.blocks} blocks of 12 s of chain time (${days(e.blocks)} simulated days) mined ${e.sampleEvery > 0 ? `and sampled every ${e.sampleEvery} blocks` : ''} as fast as the engine`,
    '(`shepherd run`, five modules, behind a fault proxy) followed them, under steady load, WebSocket drops and restarts.',
    'Trends are least-squares lines over the second half of the run, one per engine life (a restart starts a cold',
    'process); memory and descriptors from /proc and the engine\'s /metrics, store keys read from lmdb by the harness,',
    'deliveries from the chain and the orderbook stub\'s record. A slope bar fails when the slope less two standard',
    'errors passes its bound: a leak must show beyond the noise of the fitted points.',
    '',
  )
  if (options.run?.length) lines.push('## Run', '', ...options.run.map((l) => `- ${l}`), '')
  const pace = wallSecondsPerDay(e)
  lines.push(
    `Wall time: ${(e.wallMs / 1000).toFixed(0)} s; ${pace === undefined ? '-' : `${pace.toFixed(0)} s per simulated day, so a week (50,400 blocks) takes about ${((pace * 7) / 60).toFixed(0)} min at this pace`}.`,
    '',
  )
  lines.push('## Bars', '', ...table(['bar', 'measured', 'result'], verdict.bars.map((b) => [b.bar, b.measured, b.status === 'not measured' ? 'NOT MEASURED' : b.pass ? 'pass' : 'FAIL'])), '')
  if (options.chartFile) lines.push(`![trends](${options.chartFile})`, '')
  const bounds: Record<string, string> = { rssBytes: `${mib(maxRssSlopeBytesPerDay)} MB/day`, heapBytes: `${mib(maxHeapSlopeBytesPerDay)} MB/day`, fds: `growth <= ${maxFdGrowth} per life` }
  lines.push(
    '## Trends (second half, per engine life)',
    '',
    ...table(
      ['figure', 'life (pid)', 'days', 'points fitted (memory: floors of 4 samples)', 'fitted start', 'slope per simulated day', 'its standard error', 'bound'],
      verdict.trends.flatMap((t) =>
        t.lives.length === 0
          ? [[t.figure, '-', '-', '0', '-', 'not measured', '-', bounds[t.figure] ?? '-']]
          : t.lives.map((l) => [
              t.figure,
              String(l.pid),
              `${l.fromDay.toFixed(2)}-${l.toDay.toFixed(2)}`,
              String(l.trend.points),
              t.unit === 'bytes' ? `${mib(l.trend.from.y)} MB` : num(l.trend.from.y),
              t.unit === 'bytes' ? `${mib(l.trend.slope)} MB` : num(l.trend.slope, 2),
              t.unit === 'bytes' ? `${mib(l.trend.slopeStandardError)} MB` : num(l.trend.slopeStandardError, 2),
              bounds[t.figure] ?? '-',
            ]),
      ),
    ),
    '',
    `Event-loop p99 bound: ${maxLoopP99Seconds * 1000} ms at every sample of the second half (judged window: ${judgedLives(e.samples).flat().length} samples).`,
    '',
  )
  lines.push(
    '## Load and faults',
    '',
    `- TWAPs created: ${e.load.twaps} (cancelled half-way: ${e.load.cancelled}; running to completion inside the run: ${e.load.completing}); EthFlow orders: ${e.load.ethFlowOrders}`,
    `- Triggers: ${e.triggers ? `${e.triggers.oracleDrops} oracle drops (price alerts ${e.triggers.priceAlerts}, stop-loss orders ${e.triggers.stopLossPosts}), ${e.triggers.transfers} transfers (balance alerts ${e.triggers.balanceAlerts})` : 'none'}`,
    `- Deliveries: ${e.delivery ? `${e.delivery.deliveredParts}/${e.delivery.expectedParts} TWAP parts, ${e.delivery.duplicates} duplicates, ${e.delivery.unexplained} unexplained, EthFlow ${e.delivery.ethFlowObserved}/${e.delivery.ethFlowPlaced} observed` : 'not collected'}`,
    `- Restarts: ${e.restarts.map((r) => `${r.signal} at block ${r.block} (day ${days(r.block)}, healthy in ${(r.downMs / 1000).toFixed(1)} s)`).join('; ') || 'none'}`,
    `- WebSocket drops: ${e.wsDrops}; marker retention: ${e.retainFinishedBlocks} blocks`,
    '',
  )
  const row = (s: SoakSample) => [String(s.block), days(s.block), String(s.pid), mib(s.rssBytes), mib(s.heapBytes), num(s.loopP99Seconds * 1000), num(s.fds, 0), mib(s.storeBytes), `${num(s.watches, 0)} / ${num(s.due, 0)} (${num(s.watchBound, 0)})`, `${num(s.markers, 0)} (${num(s.markerBound, 0)})`, num(s.rpcPerBlock, 2), String(s.submissions), (s.wallMs / 1000).toFixed(0)]
  lines.push(
    '## Samples',
    '',
    ...table(['block', 'day', 'pid', 'RSS MB', 'heap MB', 'loop p99 ms', 'fds', 'store MB', 'watches / due (bound)', 'markers (bound)', 'RPC per block', 'accepted orders', 'wall s'], e.samples.map(row)),
    '',
  )
  return `${lines.join('\n')}\n`
}
