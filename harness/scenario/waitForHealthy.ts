import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/** One answer of the engine's `/healthz` (status 0: no answer, `body` says why). */
export type HealthAnswer = { status: number; body: string; at: number }

/**
 * The engine did not answer `/healthz` with 200 in time; `last` is its last answer (its status and
 * the engine's reasons), so a readiness failure says why.
 *
 * @example
 * try {
 *   await waitForHealthy({ metricsUrl, timeoutMs: 30_000 })
 * } catch (error) {
 *   if (error instanceof EngineNotHealthyError) console.error(error.last?.status, error.last?.body) // 503 {"ok":false,"reasons":[...]}
 *   throw error
 * }
 */
export class EngineNotHealthyError extends ShepherdError {
  override name = 'EngineNotHealthyError'
  readonly last: HealthAnswer | undefined
  constructor(what: string, timeoutMs: number, last: HealthAnswer | undefined, extra: readonly string[] = []) {
    super(`${what} was not healthy within ${timeoutMs} ms`, {
      details: [
        last ? `last /healthz answer: ${last.status === 0 ? 'none' : `HTTP ${last.status}`} ${last.body.slice(0, 2000)}` : 'no /healthz answer at all',
        ...extra,
      ],
      hint: '/healthz answers 503 with its reasons (a chain without a recent head, a cursor behind the head, a parked module) until the engine is healthy.',
    })
    this.last = last
  }
}

export type WaitForHealthyParameters = {
  /** The engine's metrics URL, e.g. `http://127.0.0.1:9100`. */
  metricsUrl: string
  timeoutMs: number
  /** Names the engine in the error (e.g. "engine pid 4242"). */
  what?: string
  intervalMs?: number
  /** Checked between polls: a reason to stop waiting at once (e.g. the process exited). */
  abortIf?: () => string | undefined
  /** More context for the error (e.g. the engine's recent log lines). */
  details?: () => readonly string[]
}

/**
 * Polls the engine's `/healthz` until it answers 200 (the engine's own word that every chain has a
 * recent head, its cursor is within `max_lag_blocks` of the head and no module is parked), and
 * returns that answer. On timeout it throws `EngineNotHealthyError` with the last answer's status
 * and body (the engine's reasons), so a readiness failure says why.
 *
 * @example
 * const healthy = await waitForHealthy({ metricsUrl: engine.metricsUrl, timeoutMs: 30_000 })
 * healthy.body // '{"ok":true,"status":"ok",...}'
 */
export async function waitForHealthy({ metricsUrl, timeoutMs, what = 'the engine', intervalMs = 100, abortIf, details }: WaitForHealthyParameters): Promise<HealthAnswer> {
  const deadline = Date.now() + timeoutMs
  let last: HealthAnswer | undefined
  for (;;) {
    try {
      const response = await fetch(`${metricsUrl}/healthz`, { signal: AbortSignal.timeout(Math.min(5_000, timeoutMs)) })
      last = { status: response.status, body: await response.text(), at: Date.now() }
      if (response.status === 200) return last
    } catch (error) {
      last = { status: 0, body: `no answer: ${errorMessage(error)}`, at: Date.now() }
    }
    const aborted = abortIf?.()
    if (aborted) throw new EngineNotHealthyError(`${what} (${aborted})`, timeoutMs, last, details?.() ?? [])
    if (Date.now() >= deadline) throw new EngineNotHealthyError(what, timeoutMs, last, details?.() ?? [])
    await new Promise((r) => setTimeout(r, intervalMs))
  }
}
