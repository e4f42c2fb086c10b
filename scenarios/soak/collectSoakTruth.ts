import type { Address, PublicClient } from 'viem'
import { sepoliaAddresses } from '../../harness/devnet/addresses.ts'
import type { RecordEntry } from '../../harness/orderbook/createRequestRecord.ts'
import { isOrderPost } from '../../harness/orderbook/isOrderPost.ts'
import { collectGroundTruth } from '../../harness/scenario/groundTruth.ts'
import type { SoakDelivery } from './soakEvidence.ts'

export type CollectSoakTruthParameters = {
  client: PublicClient
  fromBlock: bigint
  toBlock: bigint
  drainedTo: bigint
  record: readonly RecordEntry[]
  blockSeenAt: ReadonlyMap<bigint, number>
  stopLossOwner: Address
  /** Owners (one TWAP each) whose TWAP was removed on chain, and the chain time of the removal block. */
  cancelled: ReadonlyArray<{ owner: Address; time: bigint }>
}

/**
 * The soak's ground truth with the shared reference (collectGroundTruth: the chain's creation and
 * placement logs, the TWAP model, the stub's record): expected parts, misses, duplicates, orders
 * nothing explains, EthFlow orders looked up. The reference does not know about removals, so a
 * part of a cancelled TWAP that starts at or after the removal is excused (the poll reverts from
 * then on), and the stop-loss owner's PreSign orders are declared (counted separately: exactly one
 * is expected).
 *
 * @example
 * const { delivery, stopLossPosts } = await collectSoakTruth({ client, fromBlock, toBlock, drainedTo, record, blockSeenAt, stopLossOwner, cancelled })
 */
export async function collectSoakTruth(p: CollectSoakTruthParameters): Promise<{ delivery: SoakDelivery; stopLossPosts: number }> {
  const stopLoss = p.record.filter((e) => {
    const body = e.body as { from?: string; signingScheme?: string } | undefined
    return isOrderPost(e) && e.status === 201 && body?.signingScheme === 'presign' && body.from?.toLowerCase() === p.stopLossOwner.toLowerCase()
  })
  const truth = await collectGroundTruth({
    client: p.client,
    addresses: { composableCow: sepoliaAddresses.composableCow, twap: sepoliaAddresses.twap, ethFlow: sepoliaAddresses.ethFlow },
    fromBlock: p.fromBlock,
    toBlock: p.toBlock,
    drainedTo: p.drainedTo,
    record: p.record,
    blockSeenAt: p.blockSeenAt,
    explained: stopLoss.map((e) => ({ uid: e.uid!, why: 'stop-loss order (oracle below the trigger)' })),
  })
  const removedAt = new Map(p.cancelled.map((c) => [c.owner.toLowerCase(), c.time]))
  const missing = truth.twap.missing.filter((part) => {
    const removed = removedAt.get(part.owner.toLowerCase())
    return removed === undefined || part.start < removed
  })
  const excused = truth.twap.missing.length - missing.length
  return {
    delivery: {
      expectedParts: truth.twap.expected - excused,
      deliveredParts: truth.twap.delivered,
      missing: missing.map((part) => part.uid),
      duplicates: truth.twap.duplicates,
      unexplained: truth.orders.unexplained.length,
      ethFlowPlaced: truth.ethFlow.placed,
      ethFlowObserved: truth.ethFlow.observed,
    },
    stopLossPosts: new Set(stopLoss.map((e) => e.uid?.toLowerCase())).size,
  }
}
