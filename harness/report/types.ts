// Everything a load report needs, computed from evidence by the scenario runner: the chain's
// ground truth, the orderbook stub's records and the engine's metrics. Never from what the engine
// says about itself alone. Times are milliseconds unless a name says otherwise.

/** Percentiles of one latency distribution, in milliseconds. `count` = how many samples. */
export type LatencySummary = { p50: number; p95: number; p99: number; max: number; count: number }

/** Outcome counts of one kind of load transaction (as harness/load counts them). */
export type LoadKindCounts = { sent: number; accepted: number; rejected: number; mined: number; reverted: number; unconfirmed: number }

/** One sender's counts: `accepted - mined - reverted` > 0 means the node dropped txs (eviction), not the engine. */
export type SenderLoadCounts = { address: string; accepted: number; mined: number; reverted: number; rejected: number; unconfirmed: number }

export type RunMetadata = {
  scenario: string
  /** Free label of the run ("ci", "after-batching"...), part of the file name. */
  label?: string | undefined
  /** ISO 8601 start time of the run. */
  date: string
  gitCommit: string
  /** The working tree the run was made from: a dirty tree is shown in the report's header and refused by `reports:publish`. */
  git?: GitState | undefined
  versions: { node: string; viem: string; anvil: string; shepherd?: string | undefined }
  machine: { cores: number; memoryGiB: number; cpuModel?: string | undefined }
  parameters: {
    blockTimeSeconds: number
    /** W, N, M of the load generator. */
    senders: number
    twapPerBlock: number
    ethFlowPerBlock: number
    durationBlocks: number
    modules: string[]
  }
  /** Wall time of the whole run. */
  durationSeconds?: number | undefined
  /** Which orderbook the run posted to and how strictly it validated. */
  orderbook?: string | undefined
}

export type LoadSection = {
  twap: LoadKindCounts
  ethFlow: LoadKindCounts
  senders: SenderLoadCounts[]
  /** Refusals at send, by the node's message. */
  rejectionsByMessage: Record<string, number>
}

/**
 * Latency of one module: dispatch from the engine's histogram, block-to-submission from ground truth.
 * `noSubmissionsBecause` says why a module has no block-to-submission row by design (e.g. ethflow-watcher posts nothing).
 */
export type ModuleLatency = { module: string; dispatch?: LatencySummary | undefined; blockToSubmission?: LatencySummary | undefined; noSubmissionsBecause?: string | undefined }

export type DeliverySection = {
  twap: {
    /** Part UIDs the chain says should have been submitted in the run's window. */
    expectedParts: number
    /** Expected UIDs the stub received exactly once. */
    submittedOnce: number
    /** UIDs posted more than once, with how many times. */
    duplicates: { uid: string; count: number }[]
    /** Expected UIDs never posted. */
    missing: string[]
    /** UIDs posted that the ground truth does not expect. */
    unexpected?: string[] | undefined
  }
  ethFlow: { placed: number; observed: number; missing: string[] }
}

export type ErrorsSection = {
  moduleErrors: { module: string; kind: string; count: number }[]
  /** One row per module and trap kind (`throw`, `deadline`, `memory`, `dead_worker`) when the kind is known. */
  traps: { module: string; count: number; kind?: string | undefined }[]
  restarts: { module: string; count: number }[]
  poisoned: string[]
}

/** RPC calls the engine made, per method: total and per block of the run. */
export type RpcMethodCalls = { method: string; total: number; perBlock: number }

/** One point of the chart: dispatch latency (null: no dispatch that block) and the load level. */
export type BlockSample = {
  block: number
  /** Seconds since the run started. */
  timeSeconds: number
  dispatchMs: number | null
  /** Load transactions mined in this block. */
  loadTxs: number
}

/**
 * How a bar came out (the judge's word): `not measured` (its evidence is missing) fails the run;
 * `not applicable` (the scenario says the bar cannot apply) does not.
 */
export type BarStatus = 'pass' | 'fail' | 'not measured' | 'not applicable'

/** One acceptance bar with its target and the measured value; `status` refines `pass` when the judge gave one. */
export type AcceptanceBar = { bar: string; target: string; measured: string; pass: boolean; status?: BarStatus | undefined }

/** Reference numbers to compare with, e.g. the Rust original's. */
export type Comparison = {
  reference: string
  rows: { metric: string; reference: string; measured: string }[]
  notes?: string[] | undefined
}

/** Everything one scenario run produced, ready to render. */
export type ScenarioResult = {
  metadata: RunMetadata
  load: LoadSection
  latency: ModuleLatency[]
  delivery: DeliverySection
  errors: ErrorsSection
  rpc: RpcMethodCalls[]
  series: BlockSample[]
  anomalies: string[]
  acceptance: AcceptanceBar[]
  comparison?: Comparison | undefined
  /** What a reader should know that no bar says but is no anomaly (how a figure was measured, what explains the orders). */
  notes?: string[] | undefined
  /** The evidence behind the verdict (filled by the scenario runner's mapping, harness/scenario/toReportResult.ts). */
  evidence?: ReportEvidence | undefined
  /** Per-block series of what the bars judge, for the charts. */
  charts?: RunCharts | undefined
  /** Which attempt of a retried test this run was, and what the earlier attempts found. */
  attempt?: AttemptInfo | undefined
}

/** The working tree a run was made from. */
export type GitState = {
  /** The full commit hash of HEAD ('unknown' outside a git work tree). */
  commit: string
  /** True when a tracked file differed from the commit. */
  dirty: boolean
  /** The tracked files that differed (first 20). */
  changed: string[]
}

/**
 * The evidence behind a verdict, as the scenario runner maps it (a structural subset of its
 * `ScenarioResultEvidence`): what the report renders beside the bars.
 */
export type ReportEvidence = {
  /** Figures that could not be read, with why. */
  notMeasured: readonly string[]
  /** Host calls that rejected to a module, by capability (`shepherd_module_host_failures_total`). */
  hostFailures: ReadonlyArray<{ module: string; capability: string; count: number }>
  /** Every order the orderbook accepted, by what explains it; `unexplained` fails its bar. */
  orders: { accepted: number; byExplanation: Readonly<Partial<Record<string, number>>>; unexplained: readonly string[]; drainParts: number }
  /** Where each block's start time (block-to-submission) comes from. */
  blockClock: string
  /** Block-to-submission minimum (negative: a clock problem, kept in the data). */
  submissionMinMs: number | undefined
  /** Engine processes that ended during the run (chaos kills), with whether their final figures were read. */
  endedEngines: ReadonlyArray<{ pid: number | undefined; exit: { code: number | null; signal: string | null }; finalFiguresRead: boolean }>
}

/** Block-to-submission of the parts that became tradeable in one block (ms). */
export type SubmissionPerBlock = { block: number; p50: number; p99: number; max: number; count: number }

/** The per-block series the charts draw: each is what a bar judges, with where it comes from. */
export type RunCharts = {
  /** The judged window (load start to load end) and the end of the drain, in blocks. */
  window: { from: number; to: number; drainedTo: number }
  submission: {
    /** One entry per module: its per-block figures, or why it has none. */
    modules: Array<{ module: string; perBlock?: SubmissionPerBlock[] | undefined; noneBecause?: string | undefined }>
    /** The p99 bar in ms (drawn as a line), when known. */
    limitMs?: number | undefined
    source: string
  }
  delivery: {
    /** TWAP parts that became tradeable in each block (expected) and that arrived while it was the head (delivered). */
    perBlock: Array<{ block: number; expected: number; delivered: number }>
    /** Parts left out of the chart (no block to place them at), counted. */
    leftOut: number
    source: string
  }
  load: {
    /** Load transactions sent for each block (on seeing the block before) and transactions the chain has in it. */
    perBlock: Array<{ block: number; sent: number; mined: number }>
    source: string
  }
}

/** An earlier attempt of a retried scenario test. */
export type EarlierAttempt = {
  /** 1 for the first attempt. */
  number: number
  /** Its report's markdown file name (beside this report), when it wrote one. */
  report?: string | undefined
  verdict?: Verdict | undefined
  /** Its bars that did not pass. */
  failedBars: AcceptanceBar[]
  /** Why the test failed that attempt (the test's own error, first line). */
  error?: string | undefined
}

/** Which attempt of a test a report belongs to (vitest `retry`). */
export type AttemptInfo = {
  /** 1 for the first attempt; 2 for the first retry. */
  number: number
  /** Earlier attempts, oldest first. */
  earlier: EarlierAttempt[]
  /** On an earlier attempt's report: the file name of the report that replaced it. */
  supersededBy?: string | undefined
}

/** PASS when every bar passes, FAIL when one fails, NO BARS when none was set. */
export type Verdict = 'PASS' | 'FAIL' | 'NO BARS'

/**
 * The run's verdict from its acceptance bars.
 *
 * @example
 * reportVerdict(result) // 'FAIL'
 */
export function reportVerdict(result: Pick<ScenarioResult, 'acceptance'>): Verdict {
  if (result.acceptance.length === 0) return 'NO BARS'
  return result.acceptance.every((bar) => bar.pass) ? 'PASS' : 'FAIL'
}

/**
 * The judged figures of a run, each from the chain, the orderbook's record or the head watcher:
 * TWAP parts delivered once, EthFlow orders verified, duplicate posts, unexplained orders and p99
 * block-to-submission against its bar.
 *
 * @example
 * judgedFigures(result) // ['TWAP parts 997/1000 once', 'EthFlow 495/495 verified', '1 duplicate post', '0 unexplained orders', 'p99 block-to-submission 1.5 s (bar < 500 ms)']
 */
export function judgedFigures(result: Pick<ScenarioResult, 'delivery' | 'latency' | 'charts' | 'evidence'>): string[] {
  const { twap, ethFlow } = result.delivery
  const duplicatePosts = twap.duplicates.reduce((sum, d) => sum + Math.max(0, d.count - 1), 0)
  const unexplained = result.evidence?.orders.unexplained.length ?? twap.unexpected?.length ?? 0
  const p99 = Math.max(...result.latency.map((m) => m.blockToSubmission?.p99 ?? Number.NEGATIVE_INFINITY))
  const limit = result.charts?.submission.limitMs
  return [
    `TWAP parts ${twap.submittedOnce}/${twap.expectedParts} once`,
    `EthFlow ${ethFlow.observed}/${ethFlow.placed} verified`,
    `${duplicatePosts} duplicate ${duplicatePosts === 1 ? 'post' : 'posts'}`,
    `${unexplained} unexplained ${unexplained === 1 ? 'order' : 'orders'}`,
    `p99 block-to-submission ${Number.isFinite(p99) ? formatMs(p99) : 'not measured'}${limit !== undefined ? ` (bar < ${Math.round(limit)} ms)` : ''}`,
  ]
}

/**
 * The judged figures in one line for the published index, and the retry when the run was one.
 *
 * @example
 * keyNumbers(result) // 'TWAP parts 997/1000 once; EthFlow 495/495 verified; 1 duplicate post; 0 unexplained orders; p99 block-to-submission 1.5 s (bar < 500 ms)'
 */
export function keyNumbers(result: Pick<ScenarioResult, 'delivery' | 'latency' | 'charts' | 'evidence' | 'attempt'>): string {
  const parts = judgedFigures(result)
  const attempt = result.attempt
  if (attempt && attempt.number > 1 && !attempt.supersededBy) parts.push(`attempt ${attempt.number} (retry ${attempt.number - 1}), earlier attempts: ${attempt.earlier.map((e) => e.verdict ?? 'no report').join(', ')}`)
  return parts.join('; ')
}

/** Milliseconds for people: 0.42 ms, 12.5 ms, 420 ms, 1.3 s. */
export function formatMs(ms: number): string {
  if (!Number.isFinite(ms)) return 'n/a'
  if (ms >= 1000) return `${(ms / 1000).toFixed(ms >= 10_000 ? 0 : 1)} s`
  if (ms >= 100) return `${Math.round(ms)} ms`
  if (ms >= 10) return `${Number(ms.toFixed(1))} ms`
  return `${Number(ms.toPrecision(2))} ms`
}
