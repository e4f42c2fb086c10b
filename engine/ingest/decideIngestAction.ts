import { BadRpcDataError } from '../chain/parseRpc.ts'
import { type ShepherdError, decideAction, findStopCause } from '../../modules/sdk/errors/base.ts'
import { ChainMethodNotFoundError } from '../../modules/sdk/errors/chain.ts'
import { methodNotFoundAnswer } from '../errors/methodNotFoundAnswer.ts'
import { ChainMovedError } from './createRangeFetcher.ts'

/** The method a failed request named (a ChainRequestError's `method`), if any error in the chain says. */
function requestedMethod(error: unknown): string | undefined {
  for (let current: unknown = error, depth = 0; current instanceof Error && depth < 16; current = current.cause, depth++) {
    const method = (current as { method?: unknown }).method
    if (typeof method === 'string' && method) return method
  }
  return undefined
}

/** What the ingestor does after a failed pass: retry it with backoff, or stop the chain with a typed reason. */
export type IngestDecision = { action: 'retry' } | { action: 'stop'; error: ShepherdError }

/**
 * Decides by class what a failed ingestion pass means. A chain that moved under a fetch and
 * malformed RPC data are retried; a node that does not serve a method ingestion needs stops the
 * chain (the one place its wording is read is `methodNotFoundAnswer`), and so does `stop` by
 * `decideAction` anywhere in the cause chain (a wrong chain id, a gap under on_gap = "halt", a
 * config error). Everything else (transport faults, timeouts, unknown errors,
 * and `drop`, since a block is never dropped) is retried with backoff.
 *
 * @example
 * const decision = decideIngestAction(error, 11155111)
 * if (decision.action === 'stop') halt(decision.error)
 */
export function decideIngestAction(error: unknown, chainId: number): IngestDecision {
  if (error instanceof ChainMovedError || error instanceof BadRpcDataError) return { action: 'retry' }
  if (decideAction(error) === 'stop') return { action: 'stop', error: findStopCause(error)! }
  // An RPC source already types this (toChainRequestError); another source's raw answer is read the same way.
  const answer = methodNotFoundAnswer(error)
  if (answer !== undefined) return { action: 'stop', error: new ChainMethodNotFoundError({ chainId, method: requestedMethod(error) ?? 'a method ingestion needs', answer, cause: error }) }
  return { action: 'retry' }
}
