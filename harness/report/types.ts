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
}

export type LoadSection = {
  twap: LoadKindCounts
  ethFlow: LoadKindCounts
  senders: SenderLoadCounts[]
  /** Refusals at send, by the node's message. */
  rejectionsByMessage: Record<string, number>
}

/** Latency of one module: dispatch from the engine's histogram, block-to-submission from ground truth. */
export type ModuleLatency = { module: string; dispatch?: LatencySummary | undefined; blockToSubmission?: LatencySummary | undefined }

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
  traps: { module: string; count: number }[]
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

/** One acceptance bar with its target and the measured value. */
export type AcceptanceBar = { bar: string; target: string; measured: string; pass: boolean }

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
 * The few numbers that sum a run up (for the report's head and the published index).
 *
 * @example
 * keyNumbers(result) // 'TWAP parts 40/40 once; EthFlow 60/60; mined 120/120; dispatch p99 12 ms'
 */
export function keyNumbers(result: Pick<ScenarioResult, 'delivery' | 'load' | 'latency'>): string {
  const { twap, ethFlow } = result.delivery
  const accepted = result.load.twap.accepted + result.load.ethFlow.accepted
  const mined = result.load.twap.mined + result.load.ethFlow.mined
  const p99 = Math.max(...result.latency.map((m) => m.dispatch?.p99 ?? Number.NEGATIVE_INFINITY))
  const parts = [
    `TWAP parts ${twap.submittedOnce}/${twap.expectedParts} once`,
    `EthFlow ${ethFlow.observed}/${ethFlow.placed}`,
    `mined ${mined}/${accepted}`,
  ]
  if (Number.isFinite(p99)) parts.push(`dispatch p99 ${formatMs(p99)}`)
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
