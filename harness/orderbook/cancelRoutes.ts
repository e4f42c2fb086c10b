import { hashTypedData, recoverMessageAddress, recoverTypedDataAddress, type Address, type Hex } from 'viem'
import { apiErrorAnswer, invalidJsonAnswer } from './apiError.ts'
import type { Route } from './answerRoute.ts'
import type { OrderDomain } from './computeStubOrderUid.ts'
import { jsonAnswer } from './stubExchange.ts'
import { orderStatusOf } from './orderView.ts'

/** The EIP-712 type an owner signs to cancel orders: `OrderCancellations(bytes[] orderUids)`. */
export const ORDER_CANCELLATIONS_TYPES = { OrderCancellations: [{ name: 'orderUids', type: 'bytes[]' }] } as const

/** A DELETE /api/v1/orders body after parsing. */
export type OrderCancellationsBody = { orderUids: Hex[]; signature: Hex; signingScheme: 'eip712' | 'ethsign' }

const UID_PATTERN = /^0x[0-9a-fA-F]{112}$/
/** Most UIDs one DELETE /api/v1/orders may cancel (the service's `ORDER_UID_LIMIT`). */
export const MAX_CANCELLATIONS = 128
const SIGNATURE_PATTERN = /^0x[0-9a-fA-F]{130}$/

/** The body, or why it does not deserialize (answered 422 like any other body of the wrong type). */
function parseCancellations(body: unknown): OrderCancellationsBody | string {
  if (typeof body !== 'object' || body === null || Array.isArray(body)) return 'body: expected a JSON object'
  const { orderUids, signature, signingScheme } = body as Record<string, unknown>
  if (!Array.isArray(orderUids)) return 'orderUids: expected an array of order UIDs'
  const bad = orderUids.findIndex((uid) => typeof uid !== 'string' || !UID_PATTERN.test(uid))
  if (bad !== -1) return `orderUids[${bad}]: expected 56 bytes of hex, got ${JSON.stringify(orderUids[bad])}`
  if (typeof signature !== 'string' || !SIGNATURE_PATTERN.test(signature)) return 'signature: expected 65 bytes of hex (r || s || v)'
  if (signingScheme !== 'eip712' && signingScheme !== 'ethsign') return `signingScheme: expected eip712 or ethsign, got ${JSON.stringify(signingScheme)}`
  return { orderUids: orderUids.map((uid: string) => uid.toLowerCase() as Hex), signature: signature as Hex, signingScheme }
}

/**
 * The address that signed an `OrderCancellations` message in the settlement contract's domain:
 * EIP-712 typed data, or eth_sign of the same EIP-712 digest (as the service recovers both).
 * Rejects when the signature does not recover.
 *
 * @example
 * const signer = await recoverCancellationSigner(stub.domain, { orderUids: [uid], signature, signingScheme: 'eip712' })
 */
export async function recoverCancellationSigner(domain: OrderDomain, body: OrderCancellationsBody): Promise<Address> {
  const typed = { domain, types: ORDER_CANCELLATIONS_TYPES, primaryType: 'OrderCancellations', message: { orderUids: body.orderUids } } as const
  if (body.signingScheme === 'eip712') return recoverTypedDataAddress({ ...typed, signature: body.signature })
  return recoverMessageAddress({ message: { raw: hashTypedData(typed) }, signature: body.signature })
}

const cancelOrders: Route = {
  method: 'DELETE',
  path: '/api/v1/orders',
  body: 'json',
  async resolve({ stub, body }) {
    const parsed = parseCancellations(body)
    if (typeof parsed === 'string') return { answer: invalidJsonAnswer(422, parsed) }
    // The service bounds a batch itself (the body size limit does not) and answers more as an internal error.
    if (parsed.orderUids.length > MAX_CANCELLATIONS) return { answer: apiErrorAnswer(500, 'InternalServerError', '') }
    // All or nothing, in the service's order: every order must be held and cancellable off-chain
    // (find_order_for_cancellation), then the signature must recover, to every order's owner.
    for (const uid of parsed.orderUids) {
      const order = stub.getOrder(uid)
      if (!order) return { answer: apiErrorAnswer(404, 'OrderNotFound', 'Order not located in database') }
      const status = orderStatusOf(stub, order)
      const onChain = order.ethflow !== undefined || status === 'presignaturePending' || (status === 'open' && order.signingScheme !== 'eip712' && order.signingScheme !== 'ethsign')
      if (onChain) return { answer: apiErrorAnswer(400, 'OnChainOrder', 'On-chain orders must be cancelled on-chain') }
      if (status === 'cancelled') return { answer: apiErrorAnswer(400, 'AlreadyCancelled', 'Order is already cancelled') }
    }
    let signer: Address
    try {
      signer = await recoverCancellationSigner(stub.domain, parsed)
    } catch {
      return { answer: apiErrorAnswer(400, 'InvalidSignature', 'Malformed signature') }
    }
    if (parsed.orderUids.some((uid) => stub.getOrder(uid)!.owner.toLowerCase() !== signer.toLowerCase())) {
      return { answer: apiErrorAnswer(401, 'WrongOwner', "Signature recovery's owner doesn't match order's") }
    }
    stub.cancelOrders(parsed.orderUids)
    return { answer: jsonAnswer('Cancelled') }
  },
}

/**
 * DELETE /api/v1/orders: the owner cancels held orders with a signed `OrderCancellations`
 * (EIP-712 or eth_sign, domain = the settlement contract's). Answers 200 "Cancelled"; 422 for a
 * body that does not deserialize; 500 for more than `MAX_CANCELLATIONS` UIDs; then, in the
 * service's order, 404 OrderNotFound, 400 OnChainOrder (EthFlow, presign and EIP-1271 orders),
 * 400 AlreadyCancelled, 400 InvalidSignature, 401 WrongOwner, cancelling nothing. Cancelled orders then show `status:
 * "cancelled"` and `/status` answers `{ type: "cancelled" }`.
 *
 * @example
 * const routes = [...orderRoutes, ...cancelRoutes]
 */
export const cancelRoutes: readonly Route[] = [cancelOrders]
