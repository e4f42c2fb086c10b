/** Where the delays start and where they stop growing. */
export type CreateExponentialBackoffParameters = {
  initialMs: number
  maxMs: number
}

export type ExponentialBackoff = {
  /** The delay before the next try (`initialMs`, doubling with each call, at most `maxMs`). */
  next(): number
  /** After a success: the next delay is `initialMs` again. */
  reset(): void
}

/**
 * Delays that double with each failure in a row, capped: the supervisor keeps one for traps
 * (before a restart) and one for refused commits (before running the events again).
 *
 * @example
 * const backoff = createExponentialBackoff({ initialMs: 1_000, maxMs: 300_000 })
 * backoff.next() // 1000
 * backoff.next() // 2000
 * backoff.reset()
 * backoff.next() // 1000
 */
export function createExponentialBackoff({ initialMs, maxMs }: CreateExponentialBackoffParameters): ExponentialBackoff {
  let failures = 0
  return {
    next: () => Math.min(initialMs * 2 ** failures++, maxMs),
    reset() {
      failures = 0
    },
  }
}
