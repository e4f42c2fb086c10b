/** 1.5 MiB: a quarter below Anvil's 2 MiB body limit (the strictest common node; geth allows 5 MB). */
export const defaultMaxRequestBytes = 1_572_864
/** The learned limit never goes below this, and a bare "Invalid request" is read as "too large" only above it. */
export const minRequestBytes = 65_536

export type CreateRequestSizeLimitParameters = {
  /** The configured `max_request_bytes`. */
  maxBytes?: number
  /** Called when a too-large answer lowers the limit (once per change), e.g. to log it. */
  onShrink?: (change: { from: number; to: number; refusedBytes: number }) => void
}

/** The request size budget of one chain, shared by its transport and its chain host. */
export type RequestSizeLimit = {
  /** Bytes a JSON-RPC body (or WebSocket message) may have now. */
  readonly bytes: number
  /**
   * Learns from a too-large answer for a body of `refusedBytes`: the limit becomes at most half of
   * it (never below `minRequestBytes`) and stays there, so the hot path does not find it again
   * every block. Returns the new limit.
   */
  shrink(refusedBytes: number): number
}

/**
 * The per-chain request size limit: starts at `max_request_bytes` and only goes down, halving on
 * each too-large answer.
 *
 * @example
 * const limit = createRequestSizeLimit({ maxBytes: 1_572_864, onShrink: ({ to }) => log.warn('request limit lowered', { to }) })
 * limit.shrink(1_500_000) // 750000
 */
export function createRequestSizeLimit({ maxBytes = defaultMaxRequestBytes, onShrink }: CreateRequestSizeLimitParameters = {}): RequestSizeLimit {
  let bytes = Math.max(minRequestBytes, Math.floor(maxBytes))
  return {
    get bytes() {
      return bytes
    },
    shrink(refusedBytes) {
      const next = Math.max(minRequestBytes, Math.min(bytes, Math.floor(refusedBytes / 2)))
      if (next < bytes) {
        onShrink?.({ from: bytes, to: next, refusedBytes })
        bytes = next
      }
      return bytes
    },
  }
}
