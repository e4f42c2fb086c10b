import { ChainMethodNotFoundError, ChainRequestError, ChainUnreachableError } from '../../modules/sdk/errors/chain.ts'
import { methodNotFoundAnswer } from '../errors/methodNotFoundAnswer.ts'

export type ToChainRequestErrorParameters = {
  chainId: number
  method: string
  /** The message of a plain transport failure, e.g. "eth_call failed". */
  shortMessage: string
  details?: string[]
}

/**
 * Names the cause of a failed RPC request with a typed error, so callers decide by class: a
 * `ChainRequestTooLargeError` the transport raised (found anywhere in viem's cause chain) as is,
 * `ChainMethodNotFoundError` for a method the node does not serve (`methodNotFoundAnswer`: -32601,
 * -32004, or a node's wording for it), `ChainUnreachableError` when the node never answered
 * (`unanswered`: connection refused or broken, socket closed, timeout), otherwise a retryable
 * `ChainRequestError` (a bad answer, other node error) carrying the original as its cause.
 *
 * @example
 * try { await client.request({ method: 'eth_call', params }) }
 * catch (error) { throw toChainRequestError(error, { chainId, method: 'eth_call', shortMessage: 'eth_call failed' }) }
 */
export function toChainRequestError(error: unknown, { chainId, method, shortMessage, details }: ToChainRequestErrorParameters): ChainRequestError {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof ChainRequestError && e.action !== 'retry') return e
  const answer = methodNotFoundAnswer(error)
  if (answer !== undefined) return new ChainMethodNotFoundError({ chainId, method, answer, cause: error })
  if (unanswered(error)) return new ChainUnreachableError(shortMessage, { chainId, method, cause: error, details })
  return new ChainRequestError(shortMessage, { chainId, method, cause: error, details })
}

/**
 * viem's errors for a request the node never answered, anywhere in the cause chain: a timeout, a
 * closed, failed or down WebSocket (viem's, or `WsRpcError` without a JSON-RPC code), or an HTTP request that got no HTTP answer (no status: refused, reset,
 * DNS). An HTTP answer with a status (an error status, or a body that is not JSON-RPC) is an answer: not this.
 */
function unanswered(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) {
    if (e.name === 'TimeoutError' || e.name === 'SocketClosedError' || e.name === 'WebSocketRequestError') return true
    if (e.name === 'HttpRequestError') return (e as { status?: unknown }).status === undefined
    // Our WebSocket client's (createWsRpcClient): no JSON-RPC code means the socket failed, closed, was down or timed out.
    if (e.name === 'WsRpcError') return (e as { code?: unknown }).code === undefined
  }
  return false
}
