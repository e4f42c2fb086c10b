import { jsonAnswer, textAnswer, toHttpResponse, type StubAnswer } from './stubExchange.ts'

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

/** The errorType the real service puts on every request it cannot read as JSON (400, 415, 422). */
export const INVALID_JSON = 'InvalidJson'

/**
 * A refusal of a request body, as the real service words it: `{ errorType: "InvalidJson",
 * description }` with 400 (JSON syntax), 415 (not a JSON content-type) or 422 (JSON that does not
 * fit the route's type: a missing field, bad hex, a wrong type, a zero where non-zero is required).
 * InvalidJson is in none of the document's error enums; the service sends it since its extractor
 * (cowprotocol/services `crates/orderbook/src/api/extract.rs`) replaced axum's plain-text refusals.
 *
 * @example
 * return { answer: invalidJsonAnswer(422, 'sellAmount: expected a decimal string, got "1.5"') }
 */
export function invalidJsonAnswer(status: 400 | 415 | 422, description: string): StubAnswer {
  const detail = status === 422 ? `Failed to deserialize the JSON body into the target type: ${description}` : description
  return apiErrorAnswer(status, INVALID_JSON, detail)
}

/**
 * A malformed path or query parameter: 400 in plain text, as the service's URL extractors answer
 * (the document specifies no body). Never an errorType: a client must not read it as a verdict on
 * an order.
 *
 * @example
 * return { answer: badParameterAnswer('path', 'orderUid: expected 56 bytes of hex, got "0x12"') }
 */
export function badParameterAnswer(where: 'path' | 'query', description: string): StubAnswer {
  return textAnswer(where === 'path' ? `Invalid URL: ${description}` : `Failed to deserialize query string: ${description}`, 400)
}
