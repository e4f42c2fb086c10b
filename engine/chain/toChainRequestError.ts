import { ChainMethodNotFoundError, ChainRequestError } from '../../modules/sdk/errors/chain.ts'
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
 * -32004, or a node's wording for it), otherwise a retryable `ChainRequestError`
 * (transport fault, timeout, other node error) carrying the original as its cause.
 *
 * @example
 * try { await client.request({ method: 'eth_call', params }) }
 * catch (error) { throw toChainRequestError(error, { chainId, method: 'eth_call', shortMessage: 'eth_call failed' }) }
 */
export function toChainRequestError(error: unknown, { chainId, method, shortMessage, details }: ToChainRequestErrorParameters): ChainRequestError {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (e instanceof ChainRequestError && e.action !== 'retry') return e
  const answer = methodNotFoundAnswer(error)
  if (answer !== undefined) return new ChainMethodNotFoundError({ chainId, method, answer, cause: error })
  return new ChainRequestError(shortMessage, { chainId, method, cause: error, details })
}
