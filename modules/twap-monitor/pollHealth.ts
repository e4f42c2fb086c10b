import type { Host } from '../sdk/index.ts'

/** The health check twap-monitor reports when its polls keep failing. */
export const POLLS_CHECK = 'polls'

// Consecutive blocks whose poll failed, per Host (one module incarnation).
const failures = new WeakMap<object, { blocks: number; degraded: boolean }>()

function stateOf(host: Host) {
  let state = failures.get(host)
  if (state === undefined) failures.set(host, (state = { blocks: 0, degraded: false }))
  return state
}

/**
 * Reports a block whose poll of the due watches failed (the multicall rejected, or answered the
 * wrong shape): `host.metrics.error('poll_failed')` and a Warn naming the cause every time; after
 * `degradeAfter` blocks in a row, `host.health.degraded('polls', reason)` and an Error log. The
 * watches stay due, so nothing is skipped; this makes a poll that keeps failing visible.
 *
 * @example
 * pollFailed(host, { block: block.number, watches: 120, cause: 'RPC Request failed: -32600 Invalid request', degradeAfter: 3 })
 */
export function pollFailed(host: Host, { block, watches, cause, degradeAfter }: { block: bigint; watches: number; cause: string; degradeAfter: number }): void {
  const state = stateOf(host)
  state.blocks++
  const fields = { block, watches, consecutiveBlocks: state.blocks, cause }
  host.metrics.error('poll_failed', 'polling the due watches failed; they stay due for the next block', fields)
  if (state.blocks < degradeAfter) return
  // A stable reason (no counters): the engine logs a degraded check again only when its reason changes.
  const reason =
    `polling the due watches failed in ${degradeAfter} or more blocks in a row: ${cause}. ` +
    'No watch is skipped (they stay due), but no part is posted while this lasts. ' +
    'What to do: check the chain rpc_url and the node (is it synced, does it refuse large requests, is Multicall3 deployed at multicall_address?).'
  if (!state.degraded) host.log.error(reason, fields)
  state.degraded = true
  host.health.degraded(POLLS_CHECK, reason, fields)
}

/**
 * Reports a block whose poll answered: clears the `polls` check if it was degraded.
 *
 * @example
 * pollSucceeded(host)
 */
export function pollSucceeded(host: Host): void {
  const state = stateOf(host)
  state.blocks = 0
  if (!state.degraded) return
  state.degraded = false
  host.health.ok(POLLS_CHECK)
}
