import type { Host } from '../sdk/index.ts'

/** A part this incarnation knows is in the orderbook: the marker it wrote, and when the part ends. */
export type PostedPart = { marker: Record<string, unknown>; validTo: number }

/**
 * The parts this incarnation of the module saw accepted (posted, DuplicatedOrder, or found by a
 * lookup), until their window ends. Why memory, not only the store: a part posted in the background
 * writes its `submitted:` marker into whichever event's store batch is open when the post returns;
 * if lmdb refuses that batch, the supervisor runs the event again but the marker (and the watch's
 * reschedule, written after it) are gone, so the watch is polled again. This record makes that poll
 * write the marker again instead of posting the part a second time. A crash loses it with the
 * marker; the next incarnation's recovery lookup (recovery.ts) covers that case.
 */
export type PostedParts = {
  /** The part's entry, while its window has not ended. */
  get(uid: string): PostedPart | undefined
  remember(uid: string, part: PostedPart): void
  /** Forgets the parts whose window ended before `now` (chain time, s): none of them can be polled again. */
  forgetEnded(now: bigint): void
  readonly size: number
}

/**
 * The record of accepted parts of one module instance (per Host, like the submission queue).
 *
 * @example
 * const posted = postedPartsOf(host)
 * if (posted.get(uid)) return // already accepted in this incarnation: write its marker again, do not post
 */
export function postedPartsOf(host: Host): PostedParts {
  let parts = records.get(host)
  if (!parts) {
    parts = createPostedParts()
    records.set(host, parts)
  }
  return parts
}

const records = new WeakMap<Host, PostedParts>()

function createPostedParts(): PostedParts {
  const byUid = new Map<string, PostedPart>()
  // Forgetting scans the map: at most once per distinct chain second, so a burst costs one scan per block.
  let lastScan = -1n
  return {
    get: (uid) => byUid.get(uid.toLowerCase()),
    remember: (uid, part) => void byUid.set(uid.toLowerCase(), part),
    forgetEnded(now) {
      if (now <= lastScan || byUid.size === 0) return
      lastScan = now
      for (const [uid, part] of byUid) if (BigInt(part.validTo) < now) byUid.delete(uid)
    },
    get size() {
      return byUid.size
    },
  }
}
