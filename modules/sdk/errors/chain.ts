import type { Hex } from 'viem'
import { ShepherdError, type ErrorAction } from './base.ts'

/**
 * An `eth_call` that reverted. `data` is the revert data (canonical lower-case hex), for the module to decode.
 *
 * @example
 * throw new ChainCallError({ chainId: 1, to: '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74', data: '0x7a933234' })
 */
export class ChainCallError extends ShepherdError {
  override name = 'ChainCallError'
  readonly chainId: number
  readonly data: Hex | undefined

  constructor(parameters: { chainId: number; to: string; data: Hex | undefined; cause?: unknown }) {
    super('Contract call reverted', {
      details: [`chain: ${parameters.chainId}`, `to: ${parameters.to}`, `revert data: ${parameters.data ?? '(none)'}`],
      cause: parameters.cause,
      action: 'drop',
    })
    this.chainId = parameters.chainId
    this.data = parameters.data
  }
}

export type ChainRequestErrorParameters = {
  chainId: number
  method: string
  cause?: unknown
  details?: string[]
  hint?: string
  action?: ErrorAction
}

/**
 * The RPC failed (transport, bad answer, timeout). Retried by the ingestor. Subclasses name causes
 * no retry fixes (`action: 'stop'`).
 *
 * @example
 * throw new ChainRequestError('eth_call failed', { chainId: 1, method: 'eth_call', cause: error })
 */
export class ChainRequestError extends ShepherdError {
  override name = 'ChainRequestError'
  readonly chainId: number
  readonly method: string
  constructor(shortMessage: string, parameters: ChainRequestErrorParameters) {
    super(shortMessage, {
      details: [`chain: ${parameters.chainId}`, `method: ${parameters.method}`, ...(parameters.details ?? [])],
      cause: parameters.cause,
      action: parameters.action ?? 'retry',
      hint: parameters.hint ?? 'Check that the RPC endpoint is reachable; the engine retries with backoff.',
    })
    this.chainId = parameters.chainId
    this.method = parameters.method
  }
}

/**
 * The node refused a request for its size (HTTP 413, Anvil's `-32600 Invalid request` for a body
 * over 2 MiB, geth's "content length too large", a closed WebSocket with 1009 "message too big"),
 * and it could not be split further: the same request fails again until the limit is raised or the
 * request made smaller, so retrying it as is does not help.
 *
 * @example
 * if (error instanceof ChainRequestTooLargeError) console.log(`${error.bytes} bytes refused`)
 */
export class ChainRequestTooLargeError extends ChainRequestError {
  override name = 'ChainRequestTooLargeError'
  /** Bytes of the JSON-RPC body (or WebSocket message) the node refused. */
  readonly bytes: number
  /** `answer`: the node said "too large"; `broken`: the connection broke twice while the body was sent. */
  readonly refusal: 'answer' | 'broken'
  constructor(parameters: { chainId: number; method: string; bytes: number; answer: string; refusal?: 'answer' | 'broken'; limitBytes?: number; cause?: unknown }) {
    super(`The node refused a ${parameters.method} request of ${parameters.bytes} bytes as too large`, {
      chainId: parameters.chainId,
      method: parameters.method,
      cause: parameters.cause,
      details: [`answer: ${parameters.answer}`, ...(parameters.limitBytes === undefined ? [] : [`max_request_bytes now: ${parameters.limitBytes}`])],
      action: 'stop',
      hint: "Lower [chains.<id>] max_request_bytes below the node's body limit, or raise the node's limit (Anvil: 2 MiB, geth: 5 MB over HTTP).",
    })
    this.bytes = parameters.bytes
    this.refusal = parameters.refusal ?? 'answer'
  }
}

/**
 * The node does not serve this JSON-RPC method (-32601, -32004, or a node's wording for it, see
 * `methodNotFoundAnswer`): no retry fixes it. `answer` is the node's own text, kept verbatim.
 *
 * @example
 * if (error instanceof ChainMethodNotFoundError) log.error('point rpc_url at a node that serves it', { method: error.method })
 */
export class ChainMethodNotFoundError extends ChainRequestError {
  override name = 'ChainMethodNotFoundError'
  constructor(parameters: { chainId: number; method: string; answer?: string; cause?: unknown }) {
    super(`The node does not serve ${parameters.method}`, {
      chainId: parameters.chainId,
      method: parameters.method,
      details: parameters.answer === undefined ? [] : [`answer: ${parameters.answer}`],
      cause: parameters.cause,
      action: 'stop',
      hint: 'Point rpc_url at a node (or provider plan) that serves this method.',
    })
  }
}

/**
 * The RPC endpoint did not answer the request at all: the connection was refused or broke, the
 * socket closed, or the request timed out. An infrastructure fault, not the module's: retried, and
 * counted by the engine as a host failure (`shepherd_module_host_failures_total`), so a module that
 * gets one must not count it again as its own error (`shepherd_module_errors_total`); see
 * `isChainUnreachable`.
 *
 * @example
 * if (isChainUnreachable(error)) host.log.warn('RPC down; the watches stay due', { cause: error.message })
 */
export class ChainUnreachableError extends ChainRequestError {
  override name = 'ChainUnreachableError'
  constructor(shortMessage: string, parameters: Omit<ChainRequestErrorParameters, 'action'>) {
    super(shortMessage, { ...parameters, action: 'retry' })
  }
}

/**
 * Whether an error (or one in its cause chain) is a `ChainUnreachableError`. By name, so an error
 * rebuilt on the other side of a worker boundary answers the same.
 *
 * @example
 * try { await host.chain.multicall(chainId, calls) } catch (error) { if (isChainUnreachable(error)) return }
 */
export function isChainUnreachable(error: unknown): boolean {
  for (let e: unknown = error, depth = 0; e instanceof Error && depth < 8; e = e.cause, depth++) if (e.name === 'ChainUnreachableError') return true
  return false
}
