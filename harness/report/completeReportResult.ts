import { readGitState } from './readGitState.ts'
import type { BarStatus, GitState, RunCharts, ScenarioResult, SubmissionPerBlock } from './types.ts'

/**
 * What the report reads from a scenario run beyond the mapped result: a structural subset of
 * `ScenarioRun` (harness/scenario/runScenario.ts), so this folder does not import the runner.
 */
export type ReportRun = {
  definition: { devnet: { blockTime: number }; engine: { modules: ReadonlyArray<{ name: string }> } }
  blocks: { from: bigint; to: bigint; drainedTo: bigint }
  truth: {
    /** The judged window's blocks as the chain reports them. */
    blocks: ReadonlyArray<{ number: bigint; transactions: number }>
    twap: {
      deliveries: ReadonlyArray<{ tradeableBlock: bigint; seenAt: number; acceptedAt: number; latencyMs: number }>
      missing: ReadonlyArray<{ tradeableBlock: bigint }>
      lookupFailed: ReadonlyArray<{ tradeableBlock: bigint }>
      /** Delivered parts whose block the head watcher never saw. */
      withoutStart: readonly string[]
    }
  }
  load: { drivenBlocks: ReadonlyArray<{ block: bigint; sent: number }> } | undefined
  verdict: { bars: ReadonlyArray<{ name: string; bar: string; status?: BarStatus | undefined; limitMs?: number | undefined }> }
  anomalies: readonly string[]
  notes: readonly string[]
  /** When the head watcher first saw each block; when absent, the stamps of the delivered parts' blocks stand in. */
  blockSeenAt?: ReadonlyMap<bigint, number> | undefined
}

/** Why a module has no block-to-submission figures, by design. */
const noSubmissionsBecause: Record<string, string> = {
  'ethflow-watcher': 'posts nothing by design: it checks that each EthFlow order reached the orderbook',
}
const noMeasure = 'no block-to-submission measure: only TWAP parts have a block that made them due'
const latencyBarName = 'p99 block-to-submission'

/**
 * Completes a mapped result with what the report renders beyond it: the per-block series the
 * charts draw (block-to-submission per module, TWAP parts expected against delivered, load sent
 * against mined), each bar's status, why a module's row is empty by design, the anomalies apart
 * from the notes, and the git state of the working tree.
 *
 * @example
 * const result = completeReportResult(toReportResultWithoutCharts(run), run)
 * result.charts?.submission.limitMs // 1000
 */
export function completeReportResult<T extends ScenarioResult>(result: T, run: ReportRun, options: { git?: GitState } = {}): T {
  const statusOf = new Map(run.verdict.bars.map((bar) => [bar.name, bar.status]))
  const measuredModules = new Set(result.latency.filter((m) => m.blockToSubmission).map((m) => m.module))
  return {
    ...result,
    metadata: { ...result.metadata, git: options.git ?? readGitState() },
    acceptance: result.acceptance.map((bar) => ({ ...bar, status: bar.status ?? statusOf.get(bar.bar) })),
    latency: result.latency.map((m) => (m.blockToSubmission ? m : { ...m, noSubmissionsBecause: noSubmissionsBecause[m.module] ?? noMeasure })),
    anomalies: [...run.anomalies],
    notes: [...run.notes],
    charts: runCharts(run, measuredModules),
  }
}

/**
 * The p99 bar in ms from the judge's bar: its number when it gives one, else read from its
 * target (`< 1000 ms (...)`). Undefined when neither says.
 *
 * @example
 * latencyLimitMs([{ name: 'p99 block-to-submission', bar: '< 7500 ms (outage ...)' }]) // 7500
 */
export function latencyLimitMs(bars: ReportRun['verdict']['bars']): number | undefined {
  const bar = bars.find((b) => b.name === latencyBarName)
  if (!bar) return undefined
  if (bar.limitMs !== undefined) return bar.limitMs
  const match = /^<\s*(\d+(?:\.\d+)?)\s*ms\b/.exec(bar.bar)
  return match ? Number(match[1]) : undefined
}

function runCharts(run: ReportRun, measuredModules: ReadonlySet<string>): RunCharts {
  const { deliveries, missing, lookupFailed, withoutStart } = run.truth.twap
  const window = { from: Number(run.blocks.from), to: Number(run.blocks.to), drainedTo: Number(run.blocks.drainedTo) }

  // Block to submission of the parts due in each block (the TWAP parts are twap-monitor's).
  const byBlock = new Map<number, number[]>()
  for (const d of deliveries) byBlock.set(Number(d.tradeableBlock), [...(byBlock.get(Number(d.tradeableBlock)) ?? []), d.latencyMs])
  const perBlock: SubmissionPerBlock[] = [...byBlock]
    .sort(([a], [b]) => a - b)
    .map(([block, values]) => ({ block, p50: nearestRank(values, 0.5), p99: nearestRank(values, 0.99), max: Math.max(...values), count: values.length }))
  const modules = run.definition.engine.modules.map(({ name }) =>
    measuredModules.has(name) ? { module: name, perBlock } : { module: name, noneBecause: noSubmissionsBecause[name] ?? noMeasure },
  )

  // Expected parts counted at the block that made them due; delivered ones at the last block the
  // head watcher had seen when the orderbook accepted them.
  const stamps = run.blockSeenAt ?? new Map(deliveries.map((d) => [d.tradeableBlock, d.seenAt]))
  const stamped = [...stamps].sort(([, a], [, b]) => a - b)
  const headAt = (at: number, fallback: bigint) => {
    let head: bigint | undefined
    for (const [block, seenAt] of stamped) if (seenAt <= at && (head === undefined || block > head)) head = block
    return Number(head ?? fallback)
  }
  const counts = new Map<number, { expected: number; delivered: number }>()
  const bump = (block: number, key: 'expected' | 'delivered') => {
    const row = counts.get(block) ?? { expected: 0, delivered: 0 }
    row[key]++
    counts.set(block, row)
  }
  for (const part of [...deliveries, ...missing, ...lookupFailed]) bump(Number(part.tradeableBlock), 'expected')
  for (const d of deliveries) bump(headAt(d.acceptedAt, d.tradeableBlock), 'delivered')

  const sent = new Map((run.load?.drivenBlocks ?? []).map((d) => [Number(d.block) + 1, d.sent]))
  const mined = new Map(run.truth.blocks.map((b) => [Number(b.number), b.transactions]))
  // The chain's counts cover the judged window (the load lands there; the drain carries none of it).
  const loadBlocks = [...new Set([...sent.keys(), ...mined.keys()])].filter((b) => b >= window.from && b <= window.to).sort((a, b) => a - b)

  return {
    window,
    submission: {
      modules,
      limitMs: latencyLimitMs(run.verdict.bars),
      source: "head watcher's stamp of the block that made a part due, to the orderbook's receipt of its accepted post",
    },
    delivery: {
      perBlock: [...counts].sort(([a], [b]) => a - b).map(([block, c]) => ({ block, ...c })),
      leftOut: withoutStart.length,
      source: "expected: the chain (TWAP reference model); delivered: the orderbook's record, at the head block when accepted",
    },
    load: {
      perBlock: loadBlocks.map((block) => ({ block, sent: sent.get(block) ?? 0, mined: mined.get(block) ?? 0 })),
      source: 'sent: the load generator; mined: transactions in the block (the chain, all senders)',
    },
  }
}

/** The nearest-rank quantile (the same rule as the judge's p99). */
function nearestRank(values: readonly number[], q: number): number {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil(q * sorted.length) - 1))]!
}
