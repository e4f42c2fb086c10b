import type { OrderbookStub, StoredOrder } from './orderbookStubTypes.ts'

/** The order statuses the API shows (`OrderStatus`); the stub never shows fulfilled or expired. */
export type OrderStatusName = 'presignaturePending' | 'open' | 'fulfilled' | 'cancelled' | 'expired'

/**
 * The status the stub shows for an order it holds: `cancelled` once cancelled, `presignaturePending`
 * for a `presign` order without a known presignature (`stub.hasPresignature`: the override set with
 * `stub.setPresignature`, else `preSignature(uid)` as the chain answered last; `refreshPresignatures`
 * asks the chain again before a read), else `open`.
 *
 * @example
 * orderView(order, stub.settlement, orderStatusOf(stub, order))
 */
export function orderStatusOf(stub: Pick<OrderbookStub, 'isCancelled' | 'hasPresignature'>, order: Pick<StoredOrder, 'uid' | 'signingScheme'>): OrderStatusName {
  if (stub.isCancelled(order.uid)) return 'cancelled'
  if (order.signingScheme === 'presign' && !stub.hasPresignature(order.uid)) return 'presignaturePending'
  return 'open'
}

/**
 * The JSON the real orderbook answers for GET /api/v1/orders/{uid}: the order fields as decimal
 * strings, metadata (owner, uid, creationDate, status, class, executed amounts) and, for EthFlow
 * orders, `onchainUser`, `ethflowData` and `onchainOrderData`. Addresses are lowercase, as the
 * service writes them.
 *
 * `status` is what `orderStatusOf` decides (default `open`); a cancelled order is also `invalidated`.
 *
 * @example
 * return HttpResponse.json(orderView(order, stub.settlement, orderStatusOf(stub, order)))
 */
export function orderView(order: StoredOrder, settlement: string, status: OrderStatusName = 'open'): Record<string, unknown> {
  const lower = (a: string | null) => (a === null ? null : a.toLowerCase())
  const view: Record<string, unknown> = {
    creationDate: order.creationDate,
    owner: lower(order.owner),
    uid: order.uid,
    availableBalance: null,
    executedBuyAmount: '0',
    executedSellAmount: '0',
    executedSellAmountBeforeFees: '0',
    executedFeeAmount: '0',
    executedFee: '0',
    executedFeeToken: lower(order.sellToken),
    invalidated: status === 'cancelled',
    status,
    class: order.class,
    settlementContract: lower(settlement),
    isLiquidityOrder: order.class === 'liquidity',
    fullAppData: order.fullAppData,
    sellToken: lower(order.sellToken),
    buyToken: lower(order.buyToken),
    receiver: lower(order.receiver),
    sellAmount: order.sellAmount.toString(),
    buyAmount: order.buyAmount.toString(),
    validTo: order.validTo,
    appData: order.appData,
    feeAmount: order.feeAmount.toString(),
    kind: order.kind,
    partiallyFillable: order.partiallyFillable,
    sellTokenBalance: order.sellTokenBalance,
    buyTokenBalance: order.buyTokenBalance,
    signingScheme: order.signingScheme,
    signature: order.signature,
    interactions: { pre: [], post: [] },
  }
  if (order.quoteId !== null) view.quoteId = order.quoteId
  if (order.ethflow) {
    view.onchainUser = lower(order.ethflow.sender)
    view.onchainOrderData = { sender: lower(order.ethflow.sender), placementError: null }
    view.ethflowData = { refundTxHash: null, userValidTo: order.ethflow.userValidTo }
  }
  return view
}
