import type { Hex } from 'viem'
import { isCheckOn } from './orderChecks.ts'
import type { OrderbookStub, StoredOrder } from './orderbookStubTypes.ts'

/**
 * Before answering orders, asks the chain (one `eth_call` at the head) whether each `presign` order
 * still waiting for its presignature has one now, so `presignaturePending` turns `open` when the
 * owner's `setPreSignature` lands, as the service's event indexer makes it. Orders with an override
 * (`stub.setPresignature`), a stub without a chain, or the `presign` check off are left alone. A node
 * that fails leaves the last known state (a read must not fail because of it).
 *
 * @example
 * await refreshPresignatures(stub, [order])
 * orderStatusOf(stub, order) // 'open' once preSignature(uid) is set on chain
 */
export async function refreshPresignatures(stub: OrderbookStub, orders: readonly Pick<StoredOrder, 'uid' | 'signingScheme'>[]): Promise<void> {
  if (!stub.chain || !isCheckOn(stub.knobs.checks, 'presign')) return
  const uids: Hex[] = orders
    .filter((o) => o.signingScheme === 'presign' && !stub.hasPresignatureOverride(o.uid) && !stub.isCancelled(o.uid))
    .map((o) => o.uid)
  if (uids.length === 0) return
  try {
    const signed = await stub.chain.readPresignatures(uids)
    uids.forEach((uid, i) => stub.internals.notePresignature(uid, signed[i] === true))
  } catch {
    // Keep what was known; the record still shows the answer given.
  }
}
