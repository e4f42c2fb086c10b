import { invalidJsonAnswer } from './apiError.ts'
import type { StubAnswer, StubRequest } from './stubExchange.ts'

/** A body read as the real service reads a JSON request: the value, or the answer that refuses it. */
export type ReadJsonBodyResult = { ok: true; body: unknown } | { ok: false; body: unknown; answer: StubAnswer }

/**
 * True for `application/json` and any `application/<name>+json` (parameters such as `charset`
 * ignored): the media types the service's JSON extractor accepts.
 *
 * @example
 * isJsonContentType('application/json; charset=utf-8') // true
 * isJsonContentType('text/plain') // false
 */
export function isJsonContentType(contentType: string | undefined): boolean {
  if (contentType === undefined) return false
  const media = contentType.split(';')[0]!.trim().toLowerCase()
  return media === 'application/json' || (media.startsWith('application/') && media.endsWith('+json'))
}

/**
 * Reads a request body the way the real orderbook's JSON extractor does (axum's `Json`, wrapped by
 * the service so every refusal is a JSON `{ errorType: "InvalidJson", description }`, see
 * cowprotocol/services `crates/orderbook/src/api/extract.rs`): a content-type that is not JSON is
 * 415, a body that is not JSON (empty included) is 400. A body that parses but does not fit the
 * route's type is the route's business (422, `invalidJsonAnswer`).
 *
 * @example
 * const read = readJsonBody({ method: 'POST', path: '/api/v1/orders', headers: { 'content-type': 'text/plain' }, bodyText: '{}' })
 * read.ok // false: read.answer.status is 415
 */
export function readJsonBody(request: StubRequest): ReadJsonBodyResult {
  const text = request.bodyText
  if (!isJsonContentType(request.headers['content-type'])) {
    return { ok: false, body: text === '' ? undefined : text, answer: invalidJsonAnswer(415, 'Expected request with `Content-Type: application/json`') }
  }
  try {
    return { ok: true, body: JSON.parse(text) as unknown }
  } catch (error) {
    const reason = error instanceof SyntaxError ? error.message : 'not JSON'
    return { ok: false, body: text === '' ? undefined : text, answer: invalidJsonAnswer(400, `Failed to parse the request body as JSON: ${reason}`) }
  }
}
