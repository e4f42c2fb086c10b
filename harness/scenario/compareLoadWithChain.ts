import type { LoadResult } from '../load/loadTypes.ts'

/** Who created what, from the chain's logs (lowercase address -> count); see collectGroundTruth. */
export type ChainCounts = { twapCreatedBy: Readonly<Record<string, number>>; ethFlowPlacedBy: Readonly<Record<string, number>> }

/** The load's mined counts as the chain shows them, beside the load generator's own. */
export type LoadOnChain = {
  /** TWAP creations (ConditionalOrderCreated of the TWAP handler) owned by the load's senders. */
  twapCreations: number
  /** EthFlow placements (OrderPlacement) sent by the load's senders. */
  ethFlowPlacements: number
  /** Per load sender: what the chain shows it created and placed. */
  perSender: Array<{ address: string; twapCreations: number; ethFlowPlacements: number }>
  /** One line per figure where the generator and the chain disagree, with both figures. */
  disagreements: string[]
}

/**
 * Counts the load on the chain (logs owned by the load's senders) and compares with what the load
 * generator counted from its receipts. The chain's figure is the one to report; a disagreement
 * (e.g. a reorg replayed transactions under new hashes, so the generator found no receipt for
 * them) becomes an anomaly naming both figures.
 *
 * @example
 * const onChain = compareLoadWithChain(load, truth.chainCounts)
 * onChain.disagreements // ['EthFlow placements: the load generator counted 585 mined, the chain shows 600 ...']
 */
export function compareLoadWithChain(load: LoadResult, chain: ChainCounts): LoadOnChain {
  const perSender = load.senders.map((sender) => ({
    address: sender.address,
    twapCreations: chain.twapCreatedBy[sender.address.toLowerCase()] ?? 0,
    ethFlowPlacements: chain.ethFlowPlacedBy[sender.address.toLowerCase()] ?? 0,
  }))
  const twapCreations = perSender.reduce((sum, s) => sum + s.twapCreations, 0)
  const ethFlowPlacements = perSender.reduce((sum, s) => sum + s.ethFlowPlacements, 0)
  const disagreements: string[] = []
  const compare = (what: string, generator: number, onChain: number) => {
    if (generator !== onChain)
      disagreements.push(`${what}: the load generator counted ${generator} mined (from its receipts), the chain shows ${onChain} (logs of the load's senders); the report uses the chain's figure`)
  }
  compare('TWAP creations', load.byKind.twap.mined, twapCreations)
  compare('EthFlow placements', load.byKind.ethFlow.mined, ethFlowPlacements)
  return { twapCreations, ethFlowPlacements, perSender, disagreements }
}
