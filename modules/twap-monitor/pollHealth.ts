import { reportFailure, reportSuccess, type Host } from '../sdk/index.ts'

/** The health check twap-monitor reports when its polls keep failing. */
export const POLLS_CHECK = 'polls'

/**
 * Reports a block whose poll of the due watches failed (the multicall rejected, or answered the
 * wrong shape): `host.metrics.error('poll_failed')` and a Warn naming the cause every time (only the
 * Warn when `unreachable`: the RPC did not answer, which the engine counts as a host failure); after
 * `degradeAfter` blocks in a row, `host.health.degraded('polls', reason)` and an Error log. The
 * watches stay due, so nothing is skipped; this makes a poll that keeps failing visible.
 *
 * @example
 * pollFailed(host, { block: block.number, watches: 120, cause: 'RPC Request failed: -32600 Invalid request', degradeAfter: 3 })
 */
export function pollFailed(host: Host, { block, watches, cause, degradeAfter, unreachable }: { block: bigint; watches: number; cause: string; degradeAfter: number; unreachable?: boolean }): void {
  reportFailure(host, {
    check: POLLS_CHECK,
    degradeAfter,
    errorKind: 'poll_failed',
    message: 'polling the due watches failed; they stay due for the next block',
    reason:
      `polling the due watches failed in ${degradeAfter} or more blocks in a row: ${cause}. ` +
      'No watch is skipped (they stay due), but no part is posted while this lasts. ' +
      'What to do: check the chain rpc_url and the node (is it synced, does it refuse large requests, is Multicall3 deployed at multicall_address?).',
    fields: { block, watches, cause },
    unreachable,
  })
}

/**
 * Reports a block whose poll answered: clears the `polls` check if it was degraded.
 *
 * @example
 * pollSucceeded(host)
 */
export function pollSucceeded(host: Host): void {
  reportSuccess(host, POLLS_CHECK)
}
