import type { Address } from 'viem'
import { debugAddress, type ResolvedOrderPolicy } from './orderPolicy.ts'
import type { OrderCheckRejection } from './orderChecks.ts'
import type { OrderFields } from './parseOrderCreation.ts'
import type { StoredOrder } from './orderbookStubTypes.ts'

// Every description below is the service's own wording (cowprotocol/services
// `crates/orderbook/src/api/post_order.rs`, the `IntoResponse` of `ValidationError` and
// `PartialValidationError`); addresses are printed as its H160 Debug prints them (lower-case hex).

/**
 * `partial_validate`'s first check: the owner or the receiver (address(0) or none means the owner)
 * is a banned user -> 403 `Forbidden` "Forbidden, your account is deny-listed".
 *
 * @example
 * judgeBannedUser(owner, null, policy) // null unless the owner is banned
 */
export function judgeBannedUser(owner: Address, receiver: Address | null, policy: ResolvedOrderPolicy): OrderCheckRejection | null {
  if (policy.bannedUsers.size === 0) return null
  const banned = [receiver ?? owner, owner].some((a) => policy.bannedUsers.has(a.toLowerCase()))
  return banned ? { status: 403, errorType: 'Forbidden', description: 'Forbidden, your account is deny-listed' } : null
}

/**
 * `partial_validate`'s last check: the sell token, then the buy token, against the deny list ->
 * 400 `UnsupportedToken` "Token 0x.. is unsupported: deny listed" (the list-based detector's reason).
 *
 * @example
 * judgeUnsupportedToken(order, policy) // null unless a token is deny-listed
 */
export function judgeUnsupportedToken(order: Pick<OrderFields, 'sellToken' | 'buyToken'>, policy: ResolvedOrderPolicy): OrderCheckRejection | null {
  for (const token of [order.sellToken, order.buyToken]) {
    if (policy.unsupportedTokens.has(token.toLowerCase())) {
      return { status: 400, errorType: 'UnsupportedToken', description: `Token ${debugAddress(token)} is unsupported: deny listed` }
    }
  }
  return null
}

/**
 * `verify_owner`'s last step: an appData `metadata.signer` that is not the order's owner -> 400
 * `AppdataFromMismatch` (compared as addresses, so case does not matter).
 *
 * @example
 * judgeAppdataSigner(owner, null) // null: no signer declared
 */
export function judgeAppdataSigner(owner: Address, signer: Address | null): OrderCheckRejection | null {
  if (signer === null || signer.toLowerCase() === owner.toLowerCase()) return null
  return {
    status: 400,
    errorType: 'AppdataFromMismatch',
    description: `from address ${debugAddress(owner)} cannot be different from metadata.signer ${debugAddress(signer)} specified in the app data`,
  }
}

/** The gas every stub quote carries (`quote.gasAmount` of POST /api/v1/quote). */
export const STUB_QUOTE_GAS = 100_000n

/** The amounts of the stub's own quote for an order (its fixed `quotePrice`, fee 0), or null when it rounds a side to 0 (the service's NoLiquidity: no quote). */
export type StubQuote = { sellAmount: bigint; buyAmount: bigint }

/**
 * The quote the stub would answer for the order's side and amount at `price` (as POST /quote does).
 *
 * @example
 * quoteFor({ kind: 'sell', sellAmount: 100n, buyAmount: 1n }, { numerator: 1n, denominator: 1n }) // { sellAmount: 100n, buyAmount: 100n }
 */
export function quoteFor(order: Pick<OrderFields, 'kind' | 'sellAmount' | 'buyAmount'>, price: { numerator: bigint; denominator: bigint }): StubQuote | null {
  const quote =
    order.kind === 'sell'
      ? { sellAmount: order.sellAmount, buyAmount: (order.sellAmount * price.numerator) / price.denominator }
      : { sellAmount: (order.buyAmount * price.denominator + price.numerator - 1n) / price.numerator, buyAmount: order.buyAmount }
  return quote.sellAmount === 0n || quote.buyAmount === 0n ? null : quote
}

/**
 * The service's `is_order_outside_market_price` with a zero quote fee: a sell order asks more than
 * the quote buys, a buy order offers less than the quote sells.
 *
 * @example
 * isOutsideMarketPrice({ kind: 'sell', sellAmount: 100n, buyAmount: 60n }, { sellAmount: 100n, buyAmount: 50n }) // true
 */
export function isOutsideMarketPrice(order: Pick<OrderFields, 'kind' | 'sellAmount' | 'buyAmount'>, quote: StubQuote): boolean {
  // With a zero fee the service's sell and buy formulas are the same cross-multiplication.
  return order.sellAmount * quote.buyAmount < quote.sellAmount * order.buyAmount
}

/**
 * The owner's open limit orders, as the service's `count_limit_orders_by_owner` counts them: class
 * limit (a zero fee), `validTo` not before `now` (chain time), not cancelled.
 *
 * @example
 * countOpenLimitOrders(stub.orders(), owner, head.timestamp, stub.isCancelled)
 */
export function countOpenLimitOrders(orders: readonly StoredOrder[], owner: Address, now: bigint, isCancelled: (uid: string) => boolean): number {
  const key = owner.toLowerCase()
  let n = 0
  for (const order of orders) {
    if (order.owner.toLowerCase() === key && order.feeAmount === 0n && order.ethflow === undefined && BigInt(order.validTo) >= now && !isCancelled(order.uid)) n++
  }
  return n
}

/**
 * For a limit order (zero fee) outside the market price: `open` limit orders already at the cap is
 * 400 `TooManyLimitOrders` "Too many limit orders". In-market orders are never counted against it.
 *
 * @example
 * judgeLimitOrderCount(true, 10, policy) // TooManyLimitOrders (default cap 10)
 */
export function judgeLimitOrderCount(outsideMarket: boolean, open: number, policy: ResolvedOrderPolicy): OrderCheckRejection | null {
  if (!outsideMarket || open < policy.maxLimitOrdersPerUser) return null
  return { status: 400, errorType: 'TooManyLimitOrders', description: 'Too many limit orders' }
}

/**
 * The quote's gas plus the hooks' gas above the cap -> 400 `TooMuchGas` "Executing order requires
 * too many gas units" (only when there is a quote, as in the service).
 *
 * @example
 * judgeGas(100_000n, 8_000_000n, policy) // TooMuchGas: 8,100,000 > 8,000,000
 */
export function judgeGas(quoteGas: bigint, additionalGas: bigint, policy: ResolvedOrderPolicy): OrderCheckRejection | null {
  if (quoteGas + additionalGas <= BigInt(policy.maxGasPerOrder)) return null
  return { status: 400, errorType: 'TooMuchGas', description: 'Executing order requires too many gas units' }
}
