import { isAddress } from 'viem'
import { apiErrorAnswer, badParameterAnswer } from './apiError.ts'
import type { Route, RouteContext } from './answerRoute.ts'
import { orderStatusOf, orderView } from './orderView.ts'
import { refreshPresignatures } from './refreshPresignatures.ts'
import { jsonAnswer } from './stubExchange.ts'

// The read routes a CoW client calls besides orders, app data, quotes and the version (cow-sdk's
// OrderBookApi: getOrders, getTrades, getOrderCompetitionStatus, getTxOrders, getNativePrice,
// getTotalSurplus), so a third-party watcher that reads them at start or per block works unchanged.
// The stub never settles anything: trades and a transaction's orders are empty, surplus is 0.
// A malformed path or query parameter is a plain-text 400 as the service's URL extractors answer;
// the checks the service's handlers make themselves answer their JSON errorTypes.

const UID_PATTERN = /^0x[0-9a-fA-F]{112}$/
const HASH_PATTERN = /^0x[0-9a-fA-F]{64}$/
const badPath = (what: string, found: string) => ({ answer: badParameterAnswer('path', `${what}, got "${found}"`) })
const badQuery = (what: string, found: string) => ({ answer: badParameterAnswer('query', `${what}, got "${found}"`) })
const queryOf = (context: RouteContext) => new URLSearchParams(context.request.query ?? '')

/** A non-negative integer query parameter, its default when absent, or undefined when malformed. */
function count(query: URLSearchParams, name: string, fallback: number): number | undefined {
  const raw = query.get(name)
  if (raw === null) return fallback
  return /^\d+$/.test(raw) ? Number(raw) : undefined
}

const accountOrders: Route = {
  method: 'GET',
  path: '/api/v1/account/:owner/orders',
  async resolve(context) {
    const owner = context.params.owner ?? ''
    if (!isAddress(owner, { strict: false })) return badPath('owner: expected a 20-byte hex address', owner)
    const query = queryOf(context)
    const offset = count(query, 'offset', 0)
    const limit = count(query, 'limit', 10)
    if (offset === undefined || limit === undefined) return badQuery('offset and limit: expected unsigned integers', context.request.query ?? '')
    if (limit < 1 || limit > 1000) return { answer: apiErrorAnswer(400, 'LIMIT_OUT_OF_BOUNDS', 'The pagination limit is [1,1000].') }
    // Newest first, as the service lists them.
    const mine = context.stub
      .orders()
      .filter((order) => order.owner.toLowerCase() === owner.toLowerCase())
      .reverse()
      .slice(offset, offset + limit)
    await refreshPresignatures(context.stub, mine)
    return { answer: jsonAnswer(mine.map((order) => orderView(order, context.stub.settlement, orderStatusOf(context.stub, order)))) }
  },
}

/**
 * GET /api/v1/trades and (paginated) /api/v2/trades: exactly one of `owner` and `orderUid`
 * (`InvalidTradeFilter`), v2's limit in 1..1000 (`InvalidLimit`); the stub settles nothing, so [].
 */
const trades = (path: string, paginated: boolean): Route => ({
  method: 'GET',
  path,
  resolve(context) {
    const query = queryOf(context)
    const owner = query.get('owner')
    const orderUid = query.get('orderUid')
    if (owner !== null && !isAddress(owner, { strict: false })) return badQuery('owner: expected a 20-byte hex address', owner)
    if (orderUid !== null && !UID_PATTERN.test(orderUid)) return badQuery('orderUid: expected 56 bytes of hex', orderUid)
    if (paginated) {
      const offset = count(query, 'offset', 0)
      const limit = count(query, 'limit', 10)
      if (offset === undefined || limit === undefined) return badQuery('offset and limit: expected unsigned integers', context.request.query ?? '')
      if ((owner === null) === (orderUid === null)) return { answer: apiErrorAnswer(400, 'InvalidTradeFilter', 'Must specify exactly one of owner or orderUid.') }
      if (limit < 1 || limit > 1000) return { answer: apiErrorAnswer(400, 'InvalidLimit', 'limit must be between 1 and 1000') }
    } else if ((owner === null) === (orderUid === null)) {
      return { answer: apiErrorAnswer(400, 'InvalidTradeFilter', 'Must specify exactly one of owner or orderUid.') }
    }
    return { answer: jsonAnswer([]) }
  },
})

const orderStatus: Route = {
  method: 'GET',
  path: '/api/v1/orders/:uid/status',
  resolve({ stub, params }) {
    const uid = params.uid ?? ''
    if (!UID_PATTERN.test(uid)) return badPath('orderUid: expected 56 bytes of hex', uid)
    // The service's words for this route (it differs from GET /orders/{uid}'s NotFound).
    if (!stub.getOrder(uid)) return { answer: apiErrorAnswer(404, 'OrderNotFound', 'Order not located in database') }
    // The stub runs no auction: every order it holds is open until its owner cancels it.
    return { answer: jsonAnswer({ type: stub.isCancelled(uid) ? 'cancelled' : 'open' }) }
  },
}

const transactionOrders: Route = {
  method: 'GET',
  path: '/api/v1/transactions/:txHash/orders',
  resolve({ params }) {
    const hash = params.txHash ?? ''
    if (!HASH_PATTERN.test(hash)) return badPath('txHash: expected 32 bytes of hex', hash)
    return { answer: jsonAnswer([]) }
  },
}

const nativePrice: Route = {
  method: 'GET',
  path: '/api/v1/token/:token/native_price',
  resolve({ params }) {
    const token = params.token ?? ''
    if (!isAddress(token, { strict: false })) return badPath('token: expected a 20-byte hex address', token)
    // No market in the stub: every token is worth its amount in the native token (price 1).
    return { answer: jsonAnswer({ price: 1 }) }
  },
}

const totalSurplus: Route = {
  method: 'GET',
  path: '/api/v1/users/:address/total_surplus',
  resolve({ params }) {
    const address = params.address ?? ''
    if (!isAddress(address, { strict: false })) return badPath('address: expected a 20-byte hex address', address)
    return { answer: jsonAnswer({ totalSurplus: '0' }) }
  },
}

/**
 * The read-only routes a CoW client may call beyond orders, app data, quotes and the version.
 *
 * @example
 * const routes = [...orderRoutes, ...readRoutes]
 */
export const readRoutes: readonly Route[] = [accountOrders, trades('/api/v1/trades', false), trades('/api/v2/trades', true), orderStatus, transactionOrders, nativePrice, totalSurplus]
