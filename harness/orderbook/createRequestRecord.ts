import type { Hex } from 'viem'
import { isOrderPost } from './isOrderPost.ts'

/** One request and what the stub actually answered. */
export type RecordEntry = {
  /** Arrival order, from 1. */
  seq: number
  /** Arrival time, ms since the epoch. */
  at: number
  /** When the answer was ready, ms since the epoch (includes injected latency). */
  answeredAt: number
  method: string
  /** The pathname, e.g. `/api/v1/orders`. */
  path: string
  /** The parsed JSON body (or the raw text when it is not JSON; undefined when empty). */
  body: unknown
  /** HTTP status answered; 0 for a dropped connection. */
  status: number
  responseBody: unknown
  /** The order UID (computed for posts, taken from the path for order reads). */
  uid?: Hex
  /** Latency the `latencyMs` knob added to this answer, ms. */
  delayMs: number
  /** Which knob decided the answer: `rule:<name>`, `failRate` or `acceptThenLose`. */
  injected?: string
  /**
   * Chain checks that were on but could not run for this accepted post (the stub has no node):
   * the order was accepted without them, never judged to pass them.
   */
  unchecked?: string[]
  /** The `Retry-After` the answer carried (seconds), when it carried one: what a client's back-off follows. */
  retryAfter?: number
}

export type RequestRecord = {
  readonly entries: readonly RecordEntry[]
  push(entry: RecordEntry): void
  /** Order posts answered 201 and really stored (not lost by `acceptThenLose`), in order. */
  accepted(): Array<RecordEntry & { uid: Hex }>
  /** Every POST /api/v1/orders for this UID, whatever the answer. */
  postsFor(uid: string): RecordEntry[]
  clear(): void
}


/**
 * The evidence log of an orderbook stub.
 *
 * @example
 * const record = createRequestRecord()
 * record.accepted().map((e) => e.uid)
 */
export function createRequestRecord(): RequestRecord {
  let entries: RecordEntry[] = []
  return {
    get entries() {
      return entries
    },
    push(entry) {
      entries.push(entry)
    },
    accepted() {
      return entries.filter(
        (e): e is RecordEntry & { uid: Hex } => isOrderPost(e) && e.status === 201 && e.uid !== undefined && e.injected !== 'acceptThenLose',
      )
    },
    postsFor(uid) {
      const wanted = uid.toLowerCase()
      return entries.filter((e) => isOrderPost(e) && e.uid?.toLowerCase() === wanted)
    },
    clear() {
      entries = []
    },
  }
}
