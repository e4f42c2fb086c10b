import type { Host, LogFields } from '../module/types.ts'
import { readApiError, REFUSED_BACKOFF_SECONDS, type ApiErrorAction } from '../classifyApiError.ts'

/** The health check a stopped gate reports (`shepherd_module_degraded{check="submissions"}`). */
export const SUBMISSIONS_CHECK = 'submissions'
/** Consecutive answers that are not about the order after which submissions stop, unless configured. */
export const DEFAULT_STOP_AFTER_REFUSALS = 5
/** The first wait between probes of a stopped orderbook; it doubles up to `MAX_PROBE_SECONDS`. */
export const FIRST_PROBE_SECONDS = 5
export const MAX_PROBE_SECONDS = 60

export type SubmissionGateParameters = {
  /** Consecutive refusals (answers that are not about the order) that stop submissions. */
  stopAfter?: number
  /** Named in the health reason, so the operator knows which `[chains.<id>] orderbook_url` to check. */
  chainId?: number
}

/** Leave to post, from `admit()`: `probe` when submissions are stopped and this post asks whether the orderbook is back. */
export type SubmissionTicket = { go: true; probe: boolean } | { go: false; retryInSeconds: number }

/**
 * The module's switch for order posts, shared by every post it makes (one per module incarnation).
 * Open, every post goes. An answer that is not about the order (`classifyApiError` -> `stop`: a
 * wrong `orderbook_url`, an auth proxy, a firewall, an unknown errorType) is counted
 * (`host.metrics.error('orderbook_refused')`); `stopAfter` of them in a row, with no sensible answer
 * between, stop submissions: `host.health.degraded('submissions', reason)` names the status, the URL
 * and what to do, `host.metrics.error('submissions_stopped')` counts it, and an Error log says it.
 * Stopped, one post at a time is let through as a probe, 5 s after the stop and then at doubling
 * intervals (up to 60 s); the first sensible answer (accepted, or a known errorType) reopens the
 * gate and clears the check. The orders themselves are never dropped for such answers: the module
 * keeps them and tries again after `retryInSeconds`.
 */
export type SubmissionGate = {
  /** May a post go now? */
  admit(): SubmissionTicket
  /**
   * Records how a post admitted with `ticket` ended: `error` undefined for an accepted post, else
   * the failure and its `classifyApiError` decision. Returns the seconds to wait before trying an
   * order refused this way again (for a `stop` decision), else undefined.
   */
  settle(ticket: Extract<SubmissionTicket, { go: true }>, error?: unknown, decision?: ApiErrorAction): number | undefined
  /** True while submissions are stopped. */
  readonly stopped: boolean
}

type GateState = {
  refusals: number
  stopped: boolean
  stoppedAt: number
  probing: boolean
  probeSeconds: number
  nextProbeAt: number
}

// One gate per Host: a Host lives as long as one start of the module (a worker, an in-process
// runner, a MockHost), so a restarted module starts open and learns again within `stopAfter` posts.
const gates = new WeakMap<Host, GateState>()

function whatToDo(status: number | undefined, chainId: number | undefined): string {
  const key = chainId === undefined ? 'orderbook_url' : `[chains.${chainId}] orderbook_url`
  if (status === 401 || status === 403) return `an auth proxy or a firewall in front of the orderbook refuses the engine: check its credentials or allowlist, and ${key}`
  if (status === 404 || status === 405) return `no orderbook API at that address: check ${key} (e.g. https://api.cow.fi/sepolia)`
  if (status === 413) return 'a proxy in front of the orderbook refuses the request size: raise its body limit'
  return `check ${key}, any proxy in front of it, and that this version of Shepherd knows the orderbook's errorTypes`
}

/** A sensible answer, or a temporary fault that says nothing about where the posts go. */
function isInconclusive(error: unknown): boolean {
  const { status } = readApiError(error)
  return status === undefined || status === 0 || status === 429 || status >= 500
}

/**
 * The module's submission gate (see `SubmissionGate`); the same one for every call with the same
 * Host. Call `admit()` before each post and `settle()` after it.
 *
 * @example
 * const gate = submissionGate(host, { stopAfter: config.stopSubmissionsAfter, chainId })
 * const ticket = gate.admit()
 * if (!ticket.go) return retryLater(ticket.retryInSeconds)
 * try {
 *   await host.cowApi.submitOrder(chainId, body)
 *   gate.settle(ticket)
 * } catch (error) {
 *   const decision = classifyApiError(error, host.log)
 *   const wait = gate.settle(ticket, error, decision) // seconds, for a `stop` decision
 * }
 */
export function submissionGate(host: Host, { stopAfter = DEFAULT_STOP_AFTER_REFUSALS, chainId }: SubmissionGateParameters = {}): SubmissionGate {
  let state = gates.get(host)
  if (state === undefined) {
    state = { refusals: 0, stopped: false, stoppedAt: 0, probing: false, probeSeconds: FIRST_PROBE_SECONDS, nextProbeAt: 0 }
    gates.set(host, state)
  }
  const s = state
  const secondsUntil = (at: number) => Math.max(1, Math.ceil((at - host.clock.now()) / 1000))

  const reopen = () => {
    s.refusals = 0
    if (!s.stopped) return
    s.stopped = false
    s.probeSeconds = FIRST_PROBE_SECONDS
    host.health.ok(SUBMISSIONS_CHECK)
    host.log.info('the orderbook answers about orders again; submissions resumed', { stoppedForSeconds: Math.round((host.clock.now() - s.stoppedAt) / 1000) })
  }

  const refuse = (error: unknown, decision: Extract<ApiErrorAction, { action: 'stop' }>, probe: boolean): number => {
    const { status, errorType, url } = readApiError(error)
    const fields: LogFields = { status, errorType, url, refusals: s.refusals + 1 }
    s.refusals++
    host.metrics.error('orderbook_refused', `Orderbook answer is not about the order: ${decision.reason}`, fields)
    if (probe) {
      s.probing = false
      s.probeSeconds = Math.min(MAX_PROBE_SECONDS, s.probeSeconds * 2)
      s.nextProbeAt = host.clock.now() + s.probeSeconds * 1000
    }
    if (!s.stopped && s.refusals >= stopAfter) {
      s.stopped = true
      s.stoppedAt = host.clock.now()
      s.nextProbeAt = s.stoppedAt + s.probeSeconds * 1000
      const reason =
        `order posts stopped: the orderbook answered ${s.refusals} posts in a row with answers that are not about the orders (last: ${decision.reason}). ` +
        `Nothing is dropped: the orders are kept and posted once it answers again (one probe post every ${FIRST_PROBE_SECONDS}-${MAX_PROBE_SECONDS} s). ` +
        `What to do: ${whatToDo(status, chainId)}.`
      host.health.degraded(SUBMISSIONS_CHECK, reason, fields)
      host.metrics.error('submissions_stopped', 'Order submissions stopped: the orderbook does not answer about orders', fields)
      host.log.error(reason, fields)
    }
    return s.stopped ? secondsUntil(s.nextProbeAt) : decision.seconds || REFUSED_BACKOFF_SECONDS
  }

  return {
    admit() {
      if (!s.stopped) return { go: true, probe: false }
      // A probe is out: ask again in a moment, so that its success lets the others through at once.
      if (s.probing) return { go: false, retryInSeconds: 1 }
      if (host.clock.now() < s.nextProbeAt) return { go: false, retryInSeconds: secondsUntil(s.nextProbeAt) }
      s.probing = true
      return { go: true, probe: true }
    },
    settle(ticket, error, decision) {
      if (error === undefined || decision === undefined) {
        if (ticket.probe) s.probing = false
        reopen()
        return undefined
      }
      if (decision.action === 'stop') return refuse(error, decision, ticket.probe)
      if (ticket.probe) {
        s.probing = false
        if (isInconclusive(error)) s.nextProbeAt = host.clock.now() + s.probeSeconds * 1000
      }
      if (!isInconclusive(error)) reopen()
      return undefined
    },
    get stopped() {
      return s.stopped
    },
  }
}
