import type { StoredOrder } from './orderbookStubTypes.ts'

/**
 * The JSON the real orderbook answers for GET /api/v1/orders/{uid}: the order fields as decimal
 * strings, metadata (owner, uid, creationDate, status, class, executed amounts) and, for EthFlow
 * orders, `onchainUser`, `ethflowData` and `onchainOrderData`. Addresses are lowercase, as the
 * service writes them.
 *
 * @example
 * return HttpResponse.json(orderView(order, stub.settlement))
 */
export function orderView(order: StoredOrder, settlement: string): Record<string, unknown> {
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
    invalidated: false,
    status: 'open',
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
