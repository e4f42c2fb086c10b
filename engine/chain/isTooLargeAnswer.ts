import { minRequestBytes } from './createRequestSizeLimit.ts'

// How nodes and the proxies before them word a refused body: geth "content length too large",
// Nethermind/Kestrel and nginx "Request Entity Too Large", providers "request body exceeds the
// maximum size", "payload too big", "batch size limit exceeded".
const TOO_LARGE = /too large|too big|size limit|limit exceeded|exceeds? (the )?(max|limit|size)/i

export type IsTooLargeAnswerParameters = {
  /** HTTP status of the answer (undefined over WebSocket). */
  status?: number
  /**
   * A JSON-RPC error answered for the whole body (id null, or one error for a whole batch), or the
   * text of a non-2xx HTTP answer. Errors answered for one request id are about that request's
   * result (e.g. "exceed maximum block range" for eth_getLogs), never about the body: leave them out.
   */
  bodyError?: { code?: unknown; message?: unknown } | string
  /** Bytes of the body that got this answer. */
  bytes: number
}

/**
 * True when a node's answer means "this request body is too large", so the request should be split.
 * HTTP 413; a body-level "too large" / "exceeds" / "limit exceeded" message; or a body-level
 * `-32600 Invalid request` for a body over 64 KiB (Anvil 1.7.1 answers exactly that, with HTTP 200
 * and `id: null`, for any body over 2 MiB; our own requests are valid JSON-RPC, so an invalid-request
 * answer to a large body is its size).
 *
 * @example
 * isTooLargeAnswer({ status: 200, bodyError: { code: -32600, message: 'Invalid request' }, bytes: 3_000_000 }) // true
 */
export function isTooLargeAnswer({ status, bodyError, bytes }: IsTooLargeAnswerParameters): boolean {
  if (status === 413) return true
  if (bodyError === undefined) return false
  if (typeof bodyError === 'string') return TOO_LARGE.test(bodyError)
  if (typeof bodyError.message === 'string' && TOO_LARGE.test(bodyError.message)) return true
  return bodyError.code === -32600 && bytes > minRequestBytes
}
