import type { ApiErrorAction } from '../sdk/index.ts'

/** What `backoff:<uid>` holds: attempts made so far and when the next one may run. */
export type BackoffState = { attempts: number; notBefore: number; notBeforeBlock: bigint; reason: string }

export type NextRetryParameters = {
  /** Attempts made before the one that just failed. */
  previousAttempts: number
  decision: Extract<ApiErrorAction, { action: 'retry-next-block' | 'backoff' }>
  config: { backoffInitialSeconds: number; backoffMaxSeconds: number; maxAttempts: number }
  /** Host clock, ms. */
  now: number
  block: bigint
}

/**
 * The bounded exponential back-off after a retry-class failure: attempt n waits
 * min(max, initial * 2^(n-1)) seconds, or longer when the orderbook asked for longer (Retry-After,
 * the 10 min balance back-off), and always until a later block. After `maxAttempts` attempts it
 * answers `exhausted`, so no order is retried forever.
 *
 * @example
 * nextRetry({ previousAttempts: 0, decision: { action: 'retry-next-block', reason: 'QuoteNotFound' }, config, now, block: 10n })
 * // { kind: 'wait', state: { attempts: 1, notBefore: now + 5000, notBeforeBlock: 11n, reason: 'QuoteNotFound' } }
 */
export function nextRetry(parameters: NextRetryParameters): { kind: 'wait'; state: BackoffState; seconds: number } | { kind: 'exhausted'; attempts: number } {
  const { previousAttempts, decision, config, now, block } = parameters
  const attempts = previousAttempts + 1
  if (attempts >= config.maxAttempts) return { kind: 'exhausted', attempts }
  const exponential = Math.min(config.backoffMaxSeconds, config.backoffInitialSeconds * 2 ** (attempts - 1))
  const seconds = Math.max(decision.action === 'backoff' ? decision.seconds : 0, exponential)
  return { kind: 'wait', seconds, state: { attempts, notBefore: now + Math.ceil(seconds * 1000), notBeforeBlock: block + 1n, reason: decision.reason } }
}
