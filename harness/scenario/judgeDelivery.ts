import type { Address, Hex } from 'viem'
import type { RecordEntry } from '../orderbook/createRequestRecord.ts'
import { isOrderPost } from '../orderbook/isOrderPost.ts'

/** A block of the judged range, as the chain reports it. */
export type ChainBlock = { number: bigint; hash: Hex; timestamp: bigint; transactions: number }

/** A TWAP part the reference model says a watcher must post. */
export type ExpectedPart = {
  uid: Hex
  owner: Address
  part: bigint
  /** The first block whose timestamp falls inside the part's window: when a watcher could first see it. */
  tradeableBlock: bigint
  createdBlock: bigint
  /** The part's window in chain time (seconds): tradeable from `start` through `validTo`. */
  start: bigint
  validTo: bigint
}

/** An order some module other than twap-monitor is expected to post (e.g. the e2e stop-loss order), with why. */
export type ExplainedOrder = { uid: string; why: string }

/**
 * One delivered part: when its block was first seen and when the orderbook accepted it (ms since
 * the epoch), and its window in chain time (seconds), which bounds how long a retry may wait.
 */
export type Delivery = { uid: Hex; tradeableBlock: bigint; seenAt: number; acceptedAt: number; latencyMs: number; start: bigint; validTo: bigint }

/**
 * What explains an order the orderbook accepted. Every accepted UID gets exactly one, checked in
 * this order; `unexplained` fails the "Unexplained orders" bar.
 */
export type OrderExplanation = 'expected TWAP part' | 'TWAP part tradeable during the drain' | 'EthFlow order' | 'declared by the scenario' | 'unexplained'

export type JudgeDeliveryParameters = {
  /** Parts tradeable inside the judged window (load start to load end): each must arrive once. */
  expectedParts: readonly ExpectedPart[]
  /** Parts the same model finds tradeable in the drain blocks after the window: allowed, not required. */
  drainParts?: readonly ExpectedPart[]
  /** EthFlow placements inside the judged window: each must be verified by the watcher. */
  ethFlowUids: ReadonlyArray<{ uid: Hex; block: bigint }>
  /** Every EthFlow placement up to the end of the drain (explains an accepted EthFlow UID). */
  allEthFlowUids?: readonly Hex[]
  /** Orders other modules are expected to post (scenario markers). */
  explained?: readonly ExplainedOrder[]
  /** What the orderbook received (the stub's record, or an external orderbook's answers). */
  record: readonly RecordEntry[]
  /** UIDs whose lookup at an external orderbook failed: neither delivered nor missing, "not measured". */
  lookupFailed?: ReadonlySet<string>
  /** When the harness's head watcher first saw each block (ms since the epoch). */
  blockSeenAt: ReadonlyMap<bigint, number>
  blocks: readonly ChainBlock[]
  twapOrders: number
}

// A 201 the stub then lost (its lossy knob) is not a delivery: the order never reached the book.
const isAccepted = (e: RecordEntry) => e.status === 201 && e.injected !== 'acceptThenLose'

/**
 * Compares what should have arrived with what the orderbook received: delivery (each expected part
 * accepted), duplicates (posts of a UID after its acceptance), misses, block-to-submission latency
 * (kept raw: a negative value is a clock problem to report, not a 0), EthFlow verification, and an
 * account of every accepted order: an expected part, a part tradeable during the drain, an EthFlow
 * order, an order the scenario declares, or unexplained. Pure.
 *
 * @example
 * const delivery = judgeDelivery({ expectedParts, ethFlowUids, record, blockSeenAt, blocks, twapOrders: 5 })
 * delivery.orders.unexplained // accepted UIDs nothing accounts for
 */
export function judgeDelivery({
  expectedParts,
  drainParts = [],
  ethFlowUids,
  allEthFlowUids = ethFlowUids.map((e) => e.uid),
  explained = [],
  record,
  lookupFailed = new Set(),
  blockSeenAt,
  blocks,
  twapOrders,
}: JudgeDeliveryParameters) {
  const posts = new Map<string, RecordEntry[]>()
  const observed = new Set<string>()
  for (const entry of record) {
    const uid = entry.uid?.toLowerCase()
    if (!uid) continue
    if (isOrderPost(entry)) posts.set(uid, [...(posts.get(uid) ?? []), entry])
    if (entry.method === 'GET' && entry.path.includes('/api/v1/orders/') && entry.status === 200) observed.add(uid)
  }
  const failed = new Set([...lookupFailed].map((uid) => uid.toLowerCase()))
  const deliveries: Delivery[] = []
  const missing: ExpectedPart[] = []
  const lookupFailedParts: ExpectedPart[] = []
  const withoutStart: Hex[] = []
  for (const part of expectedParts) {
    const uid = part.uid.toLowerCase()
    const accepted = posts.get(uid)?.find(isAccepted)
    if (!accepted) {
      if (failed.has(uid)) lookupFailedParts.push(part)
      else missing.push(part)
      continue
    }
    const seenAt = blockSeenAt.get(part.tradeableBlock)
    if (seenAt === undefined) withoutStart.push(part.uid)
    else deliveries.push({ uid: part.uid, tradeableBlock: part.tradeableBlock, seenAt, acceptedAt: accepted.at, latencyMs: accepted.at - seenAt, start: part.start, validTo: part.validTo })
  }
  // A duplicate is any post of a UID after the orderbook already accepted it.
  let duplicates = 0
  const duplicateUids: string[] = []
  const duplicatePosts: Array<{ uid: string; posts: number }> = []
  for (const [uid, entries] of posts) {
    const firstAccepted = entries.findIndex((e) => e.status === 201)
    const after = firstAccepted < 0 ? 0 : entries.length - firstAccepted - 1
    if (after > 0) {
      duplicates += after
      duplicateUids.push(uid)
      duplicatePosts.push({ uid, posts: after + 1 })
    }
  }

  const expectedUids = new Set(expectedParts.map((p) => p.uid.toLowerCase()))
  const drainUids = new Set(drainParts.map((p) => p.uid.toLowerCase()))
  const ethFlowSet = new Set(allEthFlowUids.map((uid) => uid.toLowerCase()))
  const declared = new Map(explained.map((e) => [e.uid.toLowerCase(), e.why]))
  const explain = (uid: string): OrderExplanation =>
    expectedUids.has(uid) ? 'expected TWAP part' : drainUids.has(uid) ? 'TWAP part tradeable during the drain' : ethFlowSet.has(uid) ? 'EthFlow order' : declared.has(uid) ? 'declared by the scenario' : 'unexplained'
  const acceptedUids = [...posts].filter(([, entries]) => entries.some(isAccepted)).map(([uid]) => uid)
  const byExplanation: Partial<Record<OrderExplanation, number>> = {}
  const unexplained: string[] = []
  for (const uid of acceptedUids) {
    const why = explain(uid)
    byExplanation[why] = (byExplanation[why] ?? 0) + 1
    if (why === 'unexplained') unexplained.push(uid)
  }
  const declaredSeen = [...new Set(acceptedUids.filter((uid) => explain(uid) === 'declared by the scenario').map((uid) => declared.get(uid)!))]

  const ethFlowMissing = ethFlowUids.filter((e) => !observed.has(e.uid.toLowerCase()))
  const ethFlowPosted = ethFlowUids.filter((e) => posts.has(e.uid.toLowerCase()))
  return {
    blocks,
    twap: {
      orders: twapOrders,
      expected: expectedParts.length,
      delivered: expectedParts.length - missing.length - lookupFailedParts.length,
      missing,
      /** Expected parts whose lookup failed at an external orderbook: not measured, counted neither way. */
      lookupFailed: lookupFailedParts,
      duplicates,
      duplicateUids,
      duplicatePosts,
      /** Accepted UIDs nothing explains (the report's "unexpected" list). */
      unexpectedAccepted: unexplained,
      latenciesMs: deliveries.map((d) => d.latencyMs),
      deliveries,
      /** Delivered parts whose tradeable block the head watcher never saw: no latency for them. */
      withoutStart,
      drainParts: drainParts.length,
    },
    ethFlow: { placed: ethFlowUids.length, observed: ethFlowUids.length - ethFlowMissing.length, missing: ethFlowMissing, postedByWatcher: ethFlowPosted.length },
    /** Every order the orderbook accepted, by what explains it; `unexplained` lists the rest. */
    orders: { accepted: acceptedUids.length, byExplanation, unexplained, declaredReasons: declaredSeen },
  }
}

export type DeliveryVerdict = ReturnType<typeof judgeDelivery>
