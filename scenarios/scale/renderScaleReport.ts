import { table } from '../../harness/report/markdown.ts'
import { ingestMsPerCreation, steadyCpuMeanMs, steadyCpuMs, type ScaleVerdict } from './judgeScale.ts'
import type { GrowthPhase, ScaleEvidence } from './scaleEvidence.ts'

export type RenderScaleReportOptions = {
  /** ISO date of the run. */
  date: string
  /** The chart file's name beside the report (linked). */
  chartFile?: string
  /** Commit, machine, command: one line each under "Run". */
  run?: readonly string[]
}

const mb = (bytes: number) => (Number.isFinite(bytes) ? (bytes / 1e6).toFixed(0) : '-')
/** RSS added per watch added since the step before, kB: the per-watch cost without the empty engine. */
const marginalKb = (before: GrowthPhase | undefined, p: GrowthPhase) =>
  before && Number.isFinite(p.rssBytes) && Number.isFinite(before.rssBytes) ? ((p.rssBytes - before.rssBytes) / (p.n - before.n) / 1024).toFixed(1) : '-'
const ms = (value: number | undefined, digits = 1) => (value === undefined || !Number.isFinite(value) ? '-' : value.toFixed(digits))

/**
 * The scale report as markdown: verdict and bars, the growth table (per N: creation, ingest per
 * creation, steady CPU per block, RPC per block by method, polls, RSS and RSS per watch, store on
 * disk, Anvil's CPU), the bursts (time to post, rate, cursor lag, where the CPU went) and the
 * notes. Pure: the same evidence renders the same text.
 *
 * @example
 * writeFileSync('reports/scale-2026-12-07.md', renderScaleReport(evidence, judgeScale(evidence), { date: '2026-12-07' }))
 */
export function renderScaleReport(e: ScaleEvidence, verdict: ScaleVerdict, options: RenderScaleReportOptions): string {
  const lines: string[] = [`# Scale (${e.scale} scale), ${options.date}: ${verdict.pass ? 'PASS' : 'FAIL'}`, '']
  lines.push(
    'Active TWAP watches created by real `ComposableCoW.create` calls (each owner contract batching its own through',
    '`ForwarderOwner.createMany`), an engine (`shepherd run`, twap-monitor) following 1 s blocks, an orderbook stub that',
    'checks every order against the chain. Judged from the chain\'s logs and the stub\'s record; CPU and RSS read from',
    '/proc for the engine process (all threads). Two shared cores: Anvil, the stub and the harness run beside the engine,',
    'so every figure is noisy (about ±25%).',
    '',
  )
  if (options.run?.length) lines.push('## Run', '', ...options.run.map((l) => `- ${l}`), '')
  lines.push('## Bars', '', ...table(['bar', 'measured', 'result'], verdict.bars.map((b) => [b.bar, b.measured, b.status === 'not measured' ? 'NOT MEASURED' : b.pass ? 'pass' : 'FAIL'])), '')
  if (options.chartFile) lines.push(`![charts](${options.chartFile})`, '')
  lines.push(
    '## Growth: cost against N',
    '',
    ...table(
      ['N', 'new watches (logs)', 'txs / blocks', 'creation ms', 'ingest ms per creation', 'due per block', 'polled per block', 'engine CPU ms per block: median / mean / max', 'RPC per block', 'RSS MB', 'main-thread heap MB', 'RSS per watch kB', 'marginal kB per watch', 'store MB', 'Anvil CPU ms per block'],
      e.growth.map((p, i) => [
        String(p.n),
        `${p.created} (${p.createdLogs})`,
        `${p.transactions} / ${p.creationBlocks}`,
        ms(p.creationMs, 0),
        ms(ingestMsPerCreation(p), 3),
        String(p.duePerBlock),
        ms(p.steady.length ? p.steady.reduce((a, b) => a + b.polled, 0) / p.steady.length : undefined),
        p.steady.length ? `${ms(steadyCpuMs(p))} / ${ms(steadyCpuMeanMs(p))} / ${Math.max(...p.steady.map((b) => b.cpuMs))}` : '-',
        Object.entries(p.rpcPerBlock)
          .filter(([, v]) => v > 0)
          .map(([k, v]) => `${k} ${v.toFixed(1)}`)
          .join(', ') || '-',
        mb(p.rssBytes),
        mb(p.heapBytes),
        Number.isFinite(p.rssBytes) ? (p.rssBytes / p.n / 1024).toFixed(1) : '-',
        marginalKb(e.growth[i - 1], p),
        mb(p.storeBytes),
        ms(p.anvilCpuMsPerBlock),
      ]),
    ),
    '',
    'RSS per watch is the whole process divided by N (it includes the ~200 MB an engine takes with no watch); the',
    'marginal figure is the RSS added per watch added since the row before: the cost of one more watch.',
    '',
  )
  if (e.dueParts) lines.push(`Steady parts: ${e.dueParts.posted}/${e.dueParts.expected} posted, ${e.dueParts.duplicates} extra posts, ${e.dueParts.unexpectedPosts} posts of a UID nobody expected.`, '')
  lines.push('## Bursts', '')
  lines.push(
    ...table(
      ['transport', 'watches', 'parts (expected)', 'at the stub', 'extra posts', 'polled by next block', 'blocks to post', 'seconds', 'parts/s', 'max cursor lag (samples)', 'CPU ms: engine / Anvil / harness'],
      e.bursts.map((b) => [
        b.transport,
        String(b.watches),
        `${b.parts} (${b.expected})`,
        String(b.posted),
        String(b.duplicates),
        String(b.polledByNextBlock),
        String(b.blocksToPost ?? '-'),
        ms(b.secondsToPost, 2),
        b.secondsToPost ? (b.posted / b.secondsToPost).toFixed(0) : '-',
        `${b.maxCursorLag} (${b.lagSamples})`,
        `${ms(b.cpuMs.engine, 0)} / ${ms(b.cpuMs.anvil, 0)} / ${ms(b.cpuMs.harness, 0)}`,
      ]),
    ),
    '',
  )
  for (const b of e.bursts)
    lines.push(
      `Timeline over ${b.transport} (block after the due block: polled, at the stub, cursor lag): ${b.timeline.map((t) => `${t.offset}: ${t.polled}/${t.posted}/${t.cursorLag}`).join(', ')}`,
      '',
    )
  if (e.notes.length) lines.push('## Notes', '', ...e.notes.map((n) => `- ${n}`), '')
  return `${lines.join('\n')}\n`
}
