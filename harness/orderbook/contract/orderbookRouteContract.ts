import type { OrderbookSchemaName } from './orderbookApiSchemas.ts'

/**
 * What an answer with one status must be: JSON valid against any of the named schemas, plain text
 * (`'text'`), or anything (`'any'`, where the document specifies no body).
 */
export type AnswerExpectation = { json: readonly OrderbookSchemaName[] } | 'text' | 'any'

/** A route's documented statuses and what each answers. */
export type RouteContract = Readonly<Record<number, AnswerExpectation>>

const json = (...names: OrderbookSchemaName[]): AnswerExpectation => ({ json: names })
// The service's JSON extractor refuses a body it cannot read: 400 (syntax), 415 (content-type), 422 (type).
const bodyRefusals = { 415: json('InvalidJsonError'), 422: json('InvalidJsonError') } as const

/**
 * The stub's routes (keys in the stub's path syntax, `METHOD /path/:param`) and, per status, what
 * the published document (and, where marked, the service's code) says the answer is. A status
 * that is not listed is drift.
 *
 * @example
 * orderbookRouteContract['GET /api/v1/orders/:uid'][200] // { json: ['Order'] }
 */
export const orderbookRouteContract: Readonly<Record<string, RouteContract>> = {
  'POST /api/v1/orders': {
    201: json('UID'),
    400: json('OrderPostError', 'InvalidJsonError'),
    403: json('OrderPostError'),
    404: 'any',
    ...bodyRefusals,
    429: 'any',
    500: 'any',
  },
  // 401 and 404 carry OrderCancellationError in the service's code (the document names no body).
  // 500 InternalServerError for more UIDs than the service's ORDER_UID_LIMIT (it answers them as `Other`).
  'DELETE /api/v1/orders': { 200: 'any', 400: json('OrderCancellationError', 'InvalidJsonError'), 401: json('OrderCancellationError'), 404: json('OrderCancellationError'), 500: json('ApiError'), ...bodyRefusals },
  'POST /api/v1/orders/by_uids': { 200: json('OrdersByUids'), 400: json('ApiError', 'InvalidJsonError'), ...bodyRefusals },
  'GET /api/v1/orders/:uid': { 200: json('Order'), 400: 'any', 404: 'any' },
  // 404 OrderNotFound is the service's (get_order_status.rs), not in the document.
  'GET /api/v1/orders/:uid/status': { 200: json('CompetitionOrderStatus'), 400: 'any', 404: json('ApiError') },
  'GET /api/v1/transactions/:txHash/orders': { 200: json('OrderList'), 400: 'any' },
  // v1 documents only 200; the service answers a bad filter 400 InvalidTradeFilter as v2 does.
  'GET /api/v1/trades': { 200: json('TradeList'), 400: 'any' },
  'GET /api/v2/trades': { 200: json('TradeList'), 400: 'any' },
  'GET /api/v1/account/:owner/orders': { 200: json('OrderList'), 400: 'any' },
  'GET /api/v1/token/:token/native_price': { 200: json('NativePriceResponse'), 400: 'any', 404: 'any' },
  'POST /api/v1/quote': {
    200: json('OrderQuoteResponse'),
    400: json('PriceEstimationError', 'InvalidJsonError'),
    403: json('PriceEstimationError'),
    404: json('PriceEstimationError'),
    ...bodyRefusals,
    429: 'any',
    500: json('PriceEstimationError'),
  },
  'GET /api/v1/version': { 200: 'text' },
  // The document specifies the 404 with no body; the service answers it in plain text.
  'GET /api/v1/app_data/:hash': { 200: json('AppDataObject'), 400: 'any', 404: 'text' },
  'PUT /api/v1/app_data/:hash': { 200: json('AppDataHash'), 201: json('AppDataHash'), 400: json('ApiError', 'InvalidJsonError'), ...bodyRefusals, 500: 'any' },
  'PUT /api/v1/app_data': { 200: json('AppDataHash'), 201: json('AppDataHash'), 400: json('ApiError', 'InvalidJsonError'), ...bodyRefusals, 500: 'any' },
  'GET /api/v1/users/:address/total_surplus': { 200: json('TotalSurplus'), 400: 'any' },
}
