import { classifyApiError } from '../../modules/sdk/classifyApiError.ts'
import { fitRetryToWindow } from '../../modules/sdk/submissions/fitRetryToWindow.ts'

/** An orderbook answer to a post, as the stub recorded it: its status and the Retry-After it carried. */
export type RecordedAnswer = { status: number; retryAfter?: number | undefined }

/** A TWAP part's window in chain time (seconds). */
export type PartWindow = { start: bigint; validTo: bigint }

/**
 * The longest twap-monitor waits, by its own policy, before posting a part again after the
 * orderbook answered `answer`: `classifyApiError`'s back-off (a 429 honours Retry-After, 10 s
 * without; a 5xx or a transport fault 5 s), and for a 5xx or transport fault without Retry-After
 * (our guess, not the server's word) `fitRetryToWindow`: at most a quarter of what is left of the
 * part's window, at least 1 s, taken at the window's start, where the most is left. An answer that
 * is not a back-off (retry next block, drop, ...) waits 0 here: the next block is the bar's own
 * block time. A judge bounds retry latency by this, never by the retries it observed.
 *
 * @example
 * twapRetrySeconds({ status: 429, retryAfter: 1 }, { start: 1_000n, validTo: 1_014n }) // 1
 * twapRetrySeconds({ status: 500 }, { start: 1_000n, validTo: 1_014n }) // 3 (a quarter of 14 s)
 * twapRetrySeconds({ status: 500 }, { start: 1_000n, validTo: 1_059n }) // 5 (the policy's 5 s)
 */
export function twapRetrySeconds(answer: RecordedAnswer, window: PartWindow): number {
  const decision = classifyApiError({ status: answer.status, ...(answer.retryAfter === undefined ? {} : { retryAfter: answer.retryAfter }) })
  if (decision.action !== 'backoff') return 0
  const guessed = answer.retryAfter === undefined && (answer.status === 0 || answer.status >= 500)
  return guessed ? fitRetryToWindow(decision.seconds, window.start, Number(window.validTo)) : decision.seconds
}
