import { BadRpcDataError } from '../chain/parseRpc.ts'
import { type ShepherdError, decideAction, describeError, findStopCause } from '../errors/base.ts'
import { RpcMethodUnsupportedError } from '../errors/ingest.ts'
import { methodNotFoundAnswer } from '../errors/methodNotFoundAnswer.ts'
import { ChainMovedError } from './createRangeFetcher.ts'

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
  const answer = methodNotFoundAnswer(error)
  if (answer !== undefined) return { action: 'stop', error: new RpcMethodUnsupportedError({ chainId, answer, request: describeError(error), cause: error }) }
  return { action: 'retry' }
}
