/**
 * The wait before retrying an order post after a fault of the server or the transport (5xx,
 * status 0, no status) for which the server named no Retry-After. The policy's few seconds are a
 * guess; the order's validity window is a hard deadline: sleeping past it loses the order. So the
 * wait is at most a quarter of what is left of the window (at least 1 s): retries bunch up as the
 * deadline nears (a 13 s window gets ~10 tries instead of 3, so a 20% 5xx rate loses 1 part in
 * 10^7, not 1 in 125). The harness's judges bound retry latency by the same function.
 *
 * @param seconds - The back-off the policy asks for (`classifyApiError`'s `seconds`).
 * @param now - The chain's time now (seconds).
 * @param validTo - The order's `validTo` (seconds).
 * @returns The seconds to wait, between 1 and `seconds`.
 *
 * @example
 * fitRetryToWindow(5, 1_000n, 1_012) // 3
 */
export function fitRetryToWindow(seconds: number, now: bigint, validTo: number): number {
  const left = BigInt(validTo) - now
  const quarter = left > 4n ? Number(left / 4n) : 1
  return Math.max(1, Math.min(seconds, quarter))
}
