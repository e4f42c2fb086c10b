/** 1.5 MiB: a quarter below Anvil's 2 MiB body limit (the strictest common node; geth allows 5 MB). */
export const defaultMaxRequestBytes = 1_572_864
/** The learned limit never goes below this, and a bare "Invalid request" is read as "too large" only above it. */
export const minRequestBytes = 65_536
/** Answered bodies of more than half the limit, in a row of no refusal, before the limit grows again. */
export const defaultGrowAfter = 64

/**
 * How a body was refused for its size: `answer`, the node said so (HTTP 413, a "too large" text,
 * Anvil's oversized -32600, WebSocket 1009): a fact about the node, kept as a ceiling the limit
 * never grows back past; `broken`, the connection broke twice while the same body was sent: a
 * suspicion (a proxy fault looks the same), so the limit may grow back to `max_request_bytes`.
 */
export type RequestRefusal = 'answer' | 'broken'

export type CreateRequestSizeLimitParameters = {
  /** The configured `max_request_bytes`. */
  maxBytes?: number
  /** Called when a too-large answer lowers the limit (once per change), e.g. to log it. */
  onShrink?: (change: { from: number; to: number; refusedBytes: number; refusal: RequestRefusal }) => void
  /** Called when the limit grows back after a run of answered bodies (once per change), e.g. to log it. */
  onGrow?: (change: { from: number; to: number; answered: number }) => void
  /** Answered bodies of more than half the limit before it grows again (default 64). */
  growAfter?: number
}

/** The request size budget of one chain, shared by its transport and its chain host. */
export type RequestSizeLimit = {
  /** Bytes a JSON-RPC body (or WebSocket message) may have now. */
  readonly bytes: number
  /**
   * Learns from a refusal of a body of `refusedBytes`: the limit becomes at most half of it (never
   * below `minRequestBytes`), so the hot path does not find it again every block. Returns the new
   * limit. An `answer` refusal is also remembered as a size the limit never grows back to.
   */
  shrink(refusedBytes: number, refusal?: RequestRefusal): number
  /**
   * A body of `bytes` was answered (whatever the answer inside: a revert is an answer). Bodies of
   * more than half the limit count towards growing it back; a smaller one proves nothing about it.
   */
  answered(bytes: number): void
}

/**
 * The per-chain request size limit. It starts at `max_request_bytes` and halves on each refusal.
 * After `growAfter` answered bodies of more than half the lowered limit with no refusal, it grows
 * back: doubling towards `max_request_bytes`, but never past half-way to the smallest size a node
 * refused by its answer, and only when that gains at least an eighth (so it converges: a node's
 * real limit is probed a few times at most, one refused body each, then left alone). A limit lowered
 * on a suspicion (`broken`) can grow all the way back: a flaky proxy does not shrink it for good.
 *
 * @example
 * const limit = createRequestSizeLimit({ maxBytes: 1_572_864, onShrink: ({ to }) => log.warn('request limit lowered', { to }) })
 * limit.shrink(1_500_000) // 750000
 * for (let i = 0; i < 64; i++) limit.answered(700_000) // the node takes 700 kB bodies: back up to 1125000 (half-way to 1.5 MB)
 */
export function createRequestSizeLimit({ maxBytes = defaultMaxRequestBytes, onShrink, onGrow, growAfter = defaultGrowAfter }: CreateRequestSizeLimitParameters = {}): RequestSizeLimit {
  const max = Math.max(minRequestBytes, Math.floor(maxBytes))
  let bytes = max
  // The smallest body a node refused by its answer: the limit stays below it.
  let ceiling = Number.POSITIVE_INFINITY
  let answeredInARow = 0
  return {
    get bytes() {
      return bytes
    },
    shrink(refusedBytes, refusal = 'answer') {
      answeredInARow = 0
      if (refusal === 'answer') ceiling = Math.min(ceiling, refusedBytes)
      const next = Math.max(minRequestBytes, Math.min(bytes, Math.floor(refusedBytes / 2)))
      if (next < bytes) {
        onShrink?.({ from: bytes, to: next, refusedBytes, refusal })
        bytes = next
      }
      return bytes
    },
    answered(size) {
      if (bytes >= max || size <= bytes / 2) return
      if (++answeredInARow < growAfter) return
      answeredInARow = 0
      const next = Math.min(max, 2 * bytes, Number.isFinite(ceiling) ? Math.floor((bytes + ceiling) / 2) : max)
      if (next - bytes < bytes / 8) return
      onGrow?.({ from: bytes, to: next, answered: growAfter })
      bytes = next
    },
  }
}
