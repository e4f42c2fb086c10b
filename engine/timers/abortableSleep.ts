/**
 * Waits `ms`, or less: it resolves at once when `signal` aborts (or already has), so a backoff
 * never holds up a shutdown. It never rejects; a caller that must not go on after an abort checks
 * `signal.aborted` when it wakes.
 *
 * @example
 * await abortableSleep(backoffMs, stopping.signal)
 * if (stopping.signal.aborted) return
 */
export function abortableSleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve()
    const timer = setTimeout(done, ms)
    function done() {
      clearTimeout(timer)
      signal?.removeEventListener('abort', done)
      resolve()
    }
    signal?.addEventListener('abort', done, { once: true })
  })
}
