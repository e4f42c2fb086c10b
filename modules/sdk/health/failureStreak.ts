import type { Host, LogFields } from '../module/types.ts'

// Consecutive failures per Host (one module incarnation) and health check.
const streaks = new WeakMap<object, Map<string, { count: number; degraded: boolean }>>()

function streakOf(host: Pick<Host, 'health'>, check: string) {
  let byCheck = streaks.get(host)
  if (byCheck === undefined) streaks.set(host, (byCheck = new Map()))
  let streak = byCheck.get(check)
  if (streak === undefined) byCheck.set(check, (streak = { count: 0, degraded: false }))
  return streak
}

export type ReportFailureParameters = {
  /** The health check (`shepherd_module_degraded{check}`). */
  check: string
  /** Failures in a row after which the check is degraded. */
  degradeAfter: number
  /** `shepherd_module_errors_total{error_kind}` of each failure. */
  errorKind: string
  /** The one-line message of each failure's metric and log. */
  message: string
  /**
   * What the operator reads on `/healthz` once degraded: the cause and what to do. Keep it free of
   * counters: the engine logs a degraded check again only when its reason changes.
   */
  reason: string
  fields?: LogFields
  /**
   * The failure is the endpoint not answering (e.g. `isChainUnreachable(error)`: the RPC is down),
   * which the engine already counts as a host failure: it is logged (Warn) and counts towards the
   * streak and the health check, but not as the module's own error (`shepherd_module_errors_total`),
   * so that counter stays the module's word on what went wrong in its own work.
   */
  unreachable?: boolean
}

/**
 * Reports one failure of something a module does repeatedly (a poll, a lookup): counted every time
 * (`host.metrics.error(errorKind)`, a Warn); after `degradeAfter` in a row, `host.health.degraded(check,
 * reason)` and one Error log. `reportSuccess` ends the streak and clears the check.
 *
 * @example
 * reportFailure(host, { check: 'polls', degradeAfter: 3, errorKind: 'poll_failed', message: 'poll failed', reason: `polls fail: ${cause}` })
 */
export function reportFailure(host: Pick<Host, 'health' | 'metrics' | 'log'>, { check, degradeAfter, errorKind, message, reason, fields, unreachable }: ReportFailureParameters): void {
  const streak = streakOf(host, check)
  streak.count++
  const all = { ...fields, consecutive: streak.count }
  if (unreachable) host.log.warn(message, { ...all, unreachable: errorKind })
  else host.metrics.error(errorKind, message, all)
  if (streak.count < degradeAfter) return
  if (!streak.degraded) host.log.error(reason, all)
  streak.degraded = true
  host.health.degraded(check, reason, all)
}

/**
 * Ends a failure streak: the next failure counts from one, and a degraded check is cleared.
 *
 * @example
 * reportSuccess(host, 'polls')
 */
export function reportSuccess(host: Pick<Host, 'health'>, check: string): void {
  const streak = streakOf(host, check)
  streak.count = 0
  if (!streak.degraded) return
  streak.degraded = false
  host.health.ok(check)
}
