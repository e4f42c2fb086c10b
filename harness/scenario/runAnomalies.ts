import type { LoadResult } from '../load/loadTypes.ts'
import type { LoadOnChain } from './compareLoadWithChain.ts'
import type { GroundTruth } from './groundTruth.ts'
import type { EndedEngine } from './runMetrics.ts'

export type RunAnomaliesParameters = {
  load: LoadResult | undefined
  loadOnChain: LoadOnChain | undefined
  truth: Pick<GroundTruth, 'twap' | 'ethFlow' | 'orders' | 'lookupFailures'>
  clock: { errors(): number; lastError(): string | undefined; gaps(): readonly bigint[] }
  samplerFailures: number
  endedEngines: readonly EndedEngine[]
}

const first = <T>(items: readonly T[], n: number, show: (item: T) => string) => `${items.slice(0, n).map(show).join('; ')}${items.length > n ? `; ... and ${items.length - n} more` : ''}`

/**
 * The anomalies of a run: everything a reader must know that no bar says, each naming its
 * evidence. Load the chain does not show (with the chain's and the generator's figures when they
 * disagree), negative block-to-submission values (a clock problem: kept in the data), parts without
 * a start time, unexplained orders, failed lookups and scrapes, an engine whose final figures
 * were lost, and the first missing parts and EthFlow orders.
 *
 * @example
 * const anomalies = runAnomalies({ load, loadOnChain, truth, clock, samplerFailures: 0, endedEngines: [] })
 */
export function runAnomalies({ load, loadOnChain, truth, clock, samplerFailures, endedEngines }: RunAnomaliesParameters): string[] {
  const anomalies: string[] = []
  if (load && loadOnChain) {
    anomalies.push(...loadOnChain.disagreements)
    const onChain = loadOnChain.twapCreations + loadOnChain.ethFlowPlacements
    const missing = load.totals.accepted - load.totals.reverted - onChain
    if (missing > 0) anomalies.push(`${missing} accepted load transactions are not on the chain (the chain shows ${onChain} of ${load.totals.accepted - load.totals.reverted} accepted and not reverted): evicted by the node, not engine loss`)
    if (load.totals.reverted > 0) anomalies.push(`${load.totals.reverted} load transactions reverted: ${load.reverts.slice(0, 3).map((r) => r.reason).join('; ')}`)
  }
  const negative = truth.twap.deliveries.filter((d) => d.latencyMs < 0)
  if (negative.length)
    anomalies.push(
      `${negative.length} block-to-submission values are negative (the orderbook received the part before the head watcher saw its block; min ${Math.min(...negative.map((d) => d.latencyMs))} ms): a clock problem, or a part already due on a branch a reorg later replaced (the tradeable block comes from the final chain); kept in the data, e.g. ${first(negative, 3, (d) => `${d.uid.slice(0, 18)}... block ${d.tradeableBlock} ${d.latencyMs} ms`)}`,
    )
  if (truth.twap.withoutStart.length) anomalies.push(`${truth.twap.withoutStart.length} delivered parts have no block-to-submission value: the head watcher never saw their tradeable block`)
  if (clock.gaps().length) anomalies.push(`${clock.gaps().length} blocks got no newHeads notification and were stamped when a later one arrived (late start times): ${first(clock.gaps(), 5, String)}`)
  if (clock.errors()) anomalies.push(`${clock.errors()} head watcher errors, last: ${clock.lastError()}`)
  if (truth.orders.unexplained.length) anomalies.push(`${truth.orders.unexplained.length} accepted orders nothing explains (not an expected part, a drain part, an EthFlow order or a declared order): ${first(truth.orders.unexplained, 10, String)}`)
  if (truth.lookupFailures.length)
    anomalies.push(`${truth.lookupFailures.length} order lookups at the external orderbook failed (not measured, neither delivered nor missing): ${first(truth.lookupFailures, 3, (f) => `${f.uid.slice(0, 18)}...: ${f.reason}`)}`)
  if (samplerFailures) anomalies.push(`${samplerFailures} per-block metrics scrapes failed (the chart has gaps)`)
  for (const life of endedEngines)
    if (!life.final) anomalies.push(`the final figures of engine pid ${life.pid} were not read before it was killed (${life.finalError ?? 'no scrape'}): what it counted is lost, so its counters are not measured`)
  for (const part of truth.twap.missing.slice(0, 10)) anomalies.push(`missing TWAP part ${part.part} of ${part.owner}: uid ${part.uid}, tradeable at block ${part.tradeableBlock}`)
  for (const order of truth.ethFlow.missing.slice(0, 10)) anomalies.push(`EthFlow order not verified: uid ${order.uid}, placed at block ${order.block}`)
  return anomalies
}
