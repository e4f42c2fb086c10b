import type { Hex } from 'viem'
import { ShepherdError } from './base.ts'

/** An `eth_call` that reverted. `data` is the revert data, for the module to decode. */
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

/** The RPC failed (transport, bad answer, timeout). Retried by the ingestor. */
export class ChainRequestError extends ShepherdError {
  override name = 'ChainRequestError'
  constructor(shortMessage: string, parameters: { chainId: number; method: string; cause?: unknown; details?: string[] }) {
    super(shortMessage, {
      details: [`chain: ${parameters.chainId}`, `method: ${parameters.method}`, ...(parameters.details ?? [])],
      cause: parameters.cause,
      action: 'retry',
      hint: 'Check that the RPC endpoint is reachable; the engine retries with backoff.',
    })
  }
}
