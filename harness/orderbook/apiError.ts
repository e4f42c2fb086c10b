import { jsonAnswer, toHttpResponse, type StubAnswer } from './stubExchange.ts'

/** The error body the real orderbook answers with (`OrderPostError` and friends). */
export type OrderbookErrorBody = { errorType: string; description: string; data?: unknown }

/**
 * A JSON error answer in the orderbook's shape, with an optional `Retry-After` header (seconds).
 *
 * @example
 * return apiError(400, 'DuplicatedOrder', 'order already exists')
 */
export function apiError(status: number, errorType: string, description: string, options: { retryAfter?: number; data?: unknown } = {}): Response {
  return toHttpResponse(apiErrorAnswer(status, errorType, description, options))
}

/**
 * The error answer as a plain `StubAnswer` (what the routes build: no `Response` per request).
 *
 * @example
 * return { answer: apiErrorAnswer(404, 'NotFound', 'Order was not found') }
 */
export function apiErrorAnswer(
  status: number,
  errorType: string,
  description: string,
  options: { retryAfter?: number; data?: unknown } = {},
): StubAnswer {
  const body: OrderbookErrorBody = { errorType, description }
  if (options.data !== undefined) body.data = options.data
  return jsonAnswer(body, status, options.retryAfter === undefined ? undefined : { 'retry-after': String(options.retryAfter) })
}

/** The default errorType and description for an injected status, as the real service words them. */
export function defaultErrorFor(status: number): OrderbookErrorBody {
  if (status === 429) return { errorType: 'TooManyRequests', description: 'too many requests' }
  if (status === 403) return { errorType: 'Forbidden', description: 'forbidden' }
  if (status === 404) return { errorType: 'NotFound', description: 'not found' }
  if (status >= 500) return { errorType: 'InternalServerError', description: 'internal server error' }
  return { errorType: 'BadRequest', description: 'bad request' }
}
