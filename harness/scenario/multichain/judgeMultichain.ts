import type { BarResult } from '../judge.ts'
import { quantile } from '../prometheus.ts'
import type { Evidence } from '../runMetrics.ts'

/** One delivered TWAP part of one chain: when the harness saw its tradeable block, when the chain's stub accepted it. */
export type ChainDelivery = { uid: string; tradeableBlock: bigint; seenAt: number; acceptedAt: number; latencyMs: number }

/** Ground truth of one chain: its chain's logs (expected parts) against what its own orderbook stub received. */
export type ChainEvidence = {
  chainId: number
  /** TWAP parts the chain's logs make due in the judged window. */
  expected: number
  /** Of those, accepted by this chain's stub. */
  delivered: number
  /** Expected parts the stub never accepted, with the block that made each tradeable. */
  missing: ReadonlyArray<{ uid: string; tradeableBlock: bigint }>
  /** Posts of a UID the stub had already accepted. */
  duplicates: number
  deliveries: readonly ChainDelivery[]
  /** Orders this chain's stub accepted that nothing on this chain explains (e.g. another chain's part posted to the wrong orderbook). */
  unexplained: number
  /** EthFlow orders this chain's logs placed in the judged window, and of those, read back from its stub (GET answered 200: ethflow-watcher verified it). */
  ethFlow: { placed: number; observed: number }
}

/** The engine's bad-news counters over the whole run, every module instance of both chains (its metrics); "not measured" when a metric is missing. */
export type EngineHealthEvidence = {
  /** Errors the modules counted (`shepherd_module_errors_total`), by module, kind and chain, rows of 0 left out. */
  moduleErrors: Evidence<ModuleErrorRow[]>
  traps: Evidence<number>
  poisoned: Evidence<number>
}

/** One row of `shepherd_module_errors_total{module,error_kind,chain_id}` over the run. */
export type ModuleErrorRow = { module: string; kind: string; chainId: string; count: number }

/** The outage of the faulted chain's RPC: its blocks (of that chain) and wall-clock span, and what the proxy refused. */
export type OutageEvidence = {
  /** First and last block of the faulted chain mined while its RPC was down. */
  fromBlock: bigint
  toBlock: bigint
  /** Blocks the scenario asked for. */
  plannedBlocks: number
  startedAt: number
  endedAt: number
  /** Connections the fault proxy cut or reset while down: the fault reached the engine. */
  refused: number
}

/** Everything judgeMultichain reads. No devnet needed to build one. */
export type MultichainEvidence = {
  blockTimeMs: number
  /** The chain that must not notice the other's outage (11155111 in the scenario). */
  steady: ChainEvidence
  /** The chain whose RPC went down (100 in the scenario). */
  faulted: ChainEvidence
  outage: OutageEvidence
  /** The steady chain's head (the harness's head watcher) and the engine's cursor there, sampled through the run. */
  lagSamples: ReadonlyArray<{ at: number; head: bigint; cursor: bigint | undefined }>
  engine: EngineHealthEvidence
}

/** The bars, and the bounds derived from the run's own baseline (the report prints them with why). */
export type MultichainVerdict = {
  bars: BarResult[]
  bounds: { maxCursorLagBlocks: { max: number; why: string }; steadyP99Ms: { max: number | undefined; why: string } }
  figures: { baselineMaxLag: number | undefined; outageMaxLag: number | undefined; baselineP99Ms: number | undefined; outageP99Ms: number | undefined; backfilled: number; outageParts: number }
}

const bar = (name: string, description: string, measured: string, pass: boolean): BarResult => ({ name, bar: description, measured, pass, status: pass ? 'pass' : 'fail' })
const notMeasured = (name: string, description: string, why: string): BarResult => ({ name, bar: description, measured: `not measured: ${why}`, pass: false, status: 'not measured' })
const during = (at: number, o: OutageEvidence) => at >= o.startedAt && at <= o.endedAt
const lagOf = (s: { head: bigint; cursor: bigint | undefined }) => (s.cursor === undefined ? undefined : Number(s.head - s.cursor))
const maxOf = (values: readonly number[]) => (values.length ? Math.max(...values) : undefined)

/**
 * Judges a multi-chain isolation run. Pure: each bar can be shown failing on synthetic evidence.
 * - Outage injected: the faulted chain's RPC was down for at least the planned blocks of that chain,
 *   and the proxy refused the engine's connections (the fault reached it).
 * - Steady cursor: during the outage the steady chain's cursor never trails its head by more than N
 *   blocks; N = max(2, the largest lag sampled before the outage + 1), so a run is judged against
 *   how this engine kept up on this machine before the fault, and never looser than that plus one.
 * - Steady deliveries: every part its chain's logs made due reached its stub, and none twice.
 * - Steady p99: the p99 block-to-submission of its parts seen during the outage is at most
 *   max(2 x the p99 of its parts seen outside it, that p99 + half a block).
 * - Orders reached their own chain: no stub accepted an order its chain does not explain.
 * - Faulted backfill: after recovery every part of the faulted chain reached its stub, none twice;
 *   the parts made tradeable by the outage's blocks were accepted only after the outage ended.
 * - EthFlow, per chain: every placement its logs show was verified at its own stub.
 * - As every scenario: no module errors, no traps, no poisoned module (the engine's metrics).
 *
 * @example
 * const verdict = judgeMultichain(evidence)
 * verdict.bars.filter((b) => !b.pass) // [] on a clean run
 */
export function judgeMultichain(e: MultichainEvidence): MultichainVerdict {
  const bars: BarResult[] = []
  const { steady, faulted, outage } = e

  // The fault itself: without it nothing below proves isolation.
  const outageBlocks = outage.toBlock >= outage.fromBlock ? Number(outage.toBlock - outage.fromBlock + 1n) : 0
  bars.push(
    bar(
      'Outage injected',
      `chain ${faulted.chainId} RPC down for >= ${outage.plannedBlocks} of its blocks, the engine's connections refused`,
      `${outageBlocks} blocks (${outage.fromBlock}-${outage.toBlock}), ${outage.refused} connections refused, ${((outage.endedAt - outage.startedAt) / 1000).toFixed(1)} s`,
      outageBlocks >= outage.plannedBlocks && outage.refused > 0,
    ),
  )

  // The steady chain's cursor, against a bound derived from its own baseline.
  const baselineLags = e.lagSamples.filter((s) => s.at < outage.startedAt).flatMap((s) => lagOf(s) ?? [])
  const outageSamples = e.lagSamples.filter((s) => during(s.at, outage))
  const outageLags = outageSamples.flatMap((s) => lagOf(s) ?? [])
  const baselineMaxLag = maxOf(baselineLags)
  const outageMaxLag = maxOf(outageLags)
  const maxLag = Math.max(2, (baselineMaxLag ?? 1) + 1)
  const lagWhy = `max(2, the largest lag sampled before the outage (${baselineMaxLag ?? 'none sampled'}) + 1): a block in flight and one whose cursor write is being flushed`
  const lagName = `Chain ${steady.chainId} cursor during the outage`
  const lagBar = `never more than ${maxLag} blocks behind its head (${outageSamples.length} samples)`
  if (outageSamples.length === 0 || outageLags.length < outageSamples.length) bars.push(notMeasured(lagName, lagBar, outageSamples.length === 0 ? 'no sample fell inside the outage' : 'the cursor was unknown in some samples'))
  else bars.push(bar(lagName, lagBar, `at most ${outageMaxLag} blocks behind (baseline ${baselineMaxLag ?? '-'})`, outageMaxLag! <= maxLag))

  // Deliveries, from each chain's logs against its own stub.
  const complete = (c: ChainEvidence) => c.expected > 0 && c.missing.length === 0 && c.delivered === c.expected
  bars.push(bar(`Chain ${steady.chainId} deliveries`, 'every part its logs made due reached its orderbook stub', `${c(steady)}`, complete(steady)))
  bars.push(bar(`Chain ${steady.chainId} duplicates`, 'no part posted again after acceptance', `${steady.duplicates}`, steady.duplicates === 0))

  // The steady chain's latency during the outage, against its own latency outside it.
  const inside = steady.deliveries.filter((d) => during(d.seenAt, outage)).map((d) => d.latencyMs)
  const outside = steady.deliveries.filter((d) => !during(d.seenAt, outage)).map((d) => d.latencyMs)
  const baselineP99Ms = quantile(outside, 0.99)
  const outageP99Ms = quantile(inside, 0.99)
  const p99Bound = baselineP99Ms === undefined ? undefined : Math.max(2 * baselineP99Ms, baselineP99Ms + e.blockTimeMs / 2)
  const p99Why = `max(2 x the p99 of chain ${steady.chainId} parts seen outside the outage (${baselineP99Ms?.toFixed(0) ?? '-'} ms), that p99 + half a block (${e.blockTimeMs / 2} ms))`
  const p99Name = `Chain ${steady.chainId} p99 during the outage`
  const p99Bar = `block-to-submission p99 <= ${p99Bound?.toFixed(0) ?? '?'} ms`
  if (inside.length === 0 || p99Bound === undefined) bars.push(notMeasured(p99Name, p99Bar, inside.length === 0 ? 'no part of this chain became tradeable during the outage' : 'no part outside the outage to compare with'))
  else bars.push(bar(p99Name, p99Bar, `${outageP99Ms!.toFixed(0)} ms over ${inside.length} parts (baseline ${baselineP99Ms!.toFixed(0)} ms over ${outside.length})`, outageP99Ms! <= p99Bound))

  // Each orderbook got its own chain's orders only: the host picks the orderbook by the event's chain.
  bars.push(
    bar(
      'Orders reached their own chain',
      "each stub accepted only orders its own chain's logs explain",
      `${steady.unexplained} unexplained at chain ${steady.chainId}'s stub, ${faulted.unexplained} at chain ${faulted.chainId}'s`,
      steady.unexplained === 0 && faulted.unexplained === 0,
    ),
  )

  // The faulted chain: nothing lost, nothing twice, and what the outage held back came after it.
  bars.push(bar(`Chain ${faulted.chainId} backfill`, 'after recovery every part its logs made due reached its orderbook stub', `${c(faulted)}`, complete(faulted)))
  bars.push(bar(`Chain ${faulted.chainId} duplicates`, 'no part posted again after acceptance', `${faulted.duplicates}`, faulted.duplicates === 0))
  const inOutage = (block: bigint) => block >= outage.fromBlock && block <= outage.toBlock
  const heldBack = faulted.deliveries.filter((d) => inOutage(d.tradeableBlock))
  const lostInOutage = faulted.missing.filter((m) => inOutage(m.tradeableBlock)).length
  const outageParts = heldBack.length + lostInOutage
  const early = heldBack.filter((d) => d.acceptedAt < outage.endedAt).length
  const backfilled = heldBack.length - early
  bars.push(
    bar(
      `Chain ${faulted.chainId} outage parts backfilled`,
      'the parts its outage blocks made tradeable were all accepted, after the RPC came back',
      `${backfilled}/${outageParts} after recovery${early ? `, ${early} accepted while the RPC was down` : ''}`,
      outageParts > 0 && lostInOutage === 0 && early === 0,
    ),
  )

  for (const chain of [steady, faulted]) {
    const name = `Chain ${chain.chainId} EthFlow observed`
    const description = 'every EthFlow placement its logs show was verified at its own orderbook stub'
    if (chain.ethFlow.placed === 0) bars.push(notMeasured(name, description, 'no EthFlow placement on this chain'))
    else bars.push(bar(name, description, `${chain.ethFlow.observed}/${chain.ethFlow.placed}`, chain.ethFlow.observed === chain.ethFlow.placed))
  }
  const none = (name: string, description: string, evidence: Evidence<number>) =>
    bars.push('notMeasured' in evidence ? notMeasured(name, description, evidence.notMeasured) : bar(name, description, `${evidence.value}`, evidence.value === 0))
  // Per chain, naming module and kind: an RPC that does not answer is the engine's host failure (ChainUnreachableError),
  // never a module's error, so the outage chain's bound is 0 too; a failure then says where it came from.
  const errors = e.engine.moduleErrors
  const errorsDescription = `0 over the run on each chain (${steady.chainId}, ${faulted.chainId}), every module instance; an RPC that does not answer is a host failure, not a module error`
  if ('notMeasured' in errors) bars.push(notMeasured('Module errors', errorsDescription, errors.notMeasured))
  else {
    const rows = errors.value.filter((r) => r.count !== 0)
    const perChain = [steady, faulted].map((chain) => `chain ${chain.chainId}: ${rows.filter((r) => r.chainId === String(chain.chainId)).reduce((sum, r) => sum + r.count, 0)}`)
    const named = rows.map((r) => `${r.module} ${r.kind} on chain ${r.chainId || '(none)'} x${r.count}`)
    bars.push(bar('Module errors', errorsDescription, `${perChain.join(', ')}${named.length ? `: ${named.join('; ')}` : ''}`, rows.length === 0))
  }
  none('Traps', '0 over the run, every module instance on both chains', e.engine.traps)
  none('Poisoned modules', '0: no module instance parked', e.engine.poisoned)

  return {
    bars,
    bounds: { maxCursorLagBlocks: { max: maxLag, why: lagWhy }, steadyP99Ms: { max: p99Bound, why: p99Why } },
    figures: { baselineMaxLag, outageMaxLag, baselineP99Ms, outageP99Ms, backfilled, outageParts },
  }
}

function c(chain: ChainEvidence): string {
  return `${chain.delivered}/${chain.expected}${chain.missing.length ? `, ${chain.missing.length} missing` : ''}`
}
