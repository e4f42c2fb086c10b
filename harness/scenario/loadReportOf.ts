import type { LoadResult } from '../load/loadTypes.ts'
import type { LoadSection } from '../report/types.ts'
import type { LoadOnChain } from './compareLoadWithChain.ts'

/**
 * The report's "Load sent against mined" figures: sent, accepted, rejected and reverted from the load
 * generator, mined from the chain (the creation and placement logs of the load's senders, when
 * `loadOnChain` is given: the generator's receipts miss transactions a reorg replayed), per kind and
 * per sender; never mined = accepted - mined - reverted.
 *
 * @example
 * const load = loadReportOf(run.load, compareLoadWithChain(run.load, truth.chainCounts))
 * loadSection({ load }, 20)
 */
export function loadReportOf(load: LoadResult | undefined, loadOnChain: LoadOnChain | undefined): LoadSection {
  const counts = (kind: 'twap' | 'ethFlow') => {
    const c = load?.byKind[kind]
    const mined = loadOnChain ? (kind === 'twap' ? loadOnChain.twapCreations : loadOnChain.ethFlowPlacements) : (c?.mined ?? 0)
    const accepted = c?.accepted ?? 0
    const reverted = c?.reverted ?? 0
    return { sent: c?.sent ?? 0, accepted, rejected: c?.rejected ?? 0, mined, reverted, unconfirmed: Math.max(0, accepted - mined - reverted) }
  }
  const onChainBySender = new Map((loadOnChain?.perSender ?? []).map((s) => [s.address, s.twapCreations + s.ethFlowPlacements]))
  return {
    twap: counts('twap'),
    ethFlow: counts('ethFlow'),
    senders: (load?.senders ?? []).map((s) => {
      const mined = onChainBySender.get(s.address) ?? s.mined
      return { address: s.address, accepted: s.accepted, mined, reverted: s.reverted, rejected: s.rejected, unconfirmed: Math.max(0, s.accepted - mined - s.reverted) }
    }),
    rejectionsByMessage: load?.rejectionsByMessage ?? {},
  }
}
