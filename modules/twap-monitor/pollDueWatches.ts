import type { Hex } from 'viem'
import {
  decodePollResult,
  dueKey,
  encodeGetTradeableOrderWithSignature,
  readHeadTime,
  recordRemovedWatch,
  submissionGate,
  type BlockRef,
  type Host,
  type MulticallCall,
  type PollOutcome,
  type SubmissionGate,
  errorMessage,
  isChainUnreachable,
} from '../sdk/index.ts'
import type { TwapMonitorConfig } from './config.ts'
import { DUE_BLOCK_PREFIX, DUE_EPOCH_PREFIX, takeDue, type Due } from '../sdk/index.ts'
import { estimateBlockIntervalMs, nextPollBudget, observeBlock, pollBudgetState, type PollBudgetState } from './pollBudget.ts'
import { pollFailed, pollSucceeded } from './pollHealth.ts'
import { postedPartsOf } from './postedParts.ts'
import { submissionQueueOf, type SubmissionQueue } from './submissionQueue.ts'
import { submitPart } from './submitPart.ts'
import { removeWatch, rescheduleWatch, watchKey, type TwapWatch } from './watchStore.ts'

export type PollDueWatchesParameters = { host: Host; config: TwapMonitorConfig; block: BlockRef }
/** What one block's pass did, for logs and tests. */
export type PollDueWatchesReturnType = {
  polled: number
  stale: number
  /** The poll cap this block ran with, and the one the next block gets. */
  cap: number
  nextCap: number
  /** Wall time of the poll multicall, ms (0 when nothing was polled), and the time it may take. */
  pollMs: number
  targetMs: number
  /** Tradeable parts this block handed to the submission queue. */
  queued: number
  /** Parts queued or being posted when the pass returned (this block's and earlier ones'). */
  backlog: number
}

const CALLDATA_CACHE_SIZE = 8192
const callDataById = new Map<string, Hex>()

/** The poll calldata of a watch: its id is keccak(owner, params), so the calldata is fixed per id; encoded once. */
function pollCallData(watch: TwapWatch): Hex {
  let callData = callDataById.get(watch.id)
  if (callData === undefined) {
    callData = encodeGetTradeableOrderWithSignature(watch.owner, watch.params, '0x', [])
    if (callDataById.size >= CALLDATA_CACHE_SIZE) callDataById.delete(callDataById.keys().next().value!)
    callDataById.set(watch.id, callData)
  }
  return callData
}

/**
 * Collects up to `cap` due watches (block-keyed first, then time-keyed), dropping stale due entries.
 * A watch whose part is still queued or being posted keeps its due entry (a restart polls it again)
 * but is not polled again now: it is skipped, and does not count against the cap.
 */
async function dueWatches(host: Host, block: BlockRef, cap: number, queue: SubmissionQueue) {
  const scan = cap + queue.size
  // Both scans at once (one round trip, not two); block-keyed entries keep their priority in the cap.
  const [byBlock, byEpoch] = await Promise.all([takeDue(host.store, DUE_BLOCK_PREFIX, block.number, scan), takeDue(host.store, DUE_EPOCH_PREFIX, block.timestamp, scan)])
  const free = ([, id]: [string, string]) => !queue.has(id)
  const entries = [...byBlock.filter(free), ...byEpoch.filter(free)].slice(0, cap)
  const loaded = await Promise.all(entries.map(([, id]) => host.store.get<TwapWatch>(watchKey(id))))
  const watches: TwapWatch[] = []
  const seen = new Set<string>()
  let stale = 0
  const staleKeys: string[] = []
  for (const [index, [key]] of entries.entries()) {
    const watch = loaded[index]
    // An entry left behind by a reschedule that did not finish, or by a removed watch.
    if (watch === undefined || watch.dueKey !== key || seen.has(watch.id)) {
      stale++
      staleKeys.push(key)
      continue
    }
    seen.add(watch.id)
    watches.push(watch)
  }
  await Promise.all(staleKeys.map((key) => host.store.delete(key)))
  return { watches, stale }
}

/**
 * Blocks to wait after the `unknowns`-th unreadable answer in a row: 1, 2, 4, ... up to `max`. An
 * answer nobody can read is usually a node or a contract in a bad moment; polling it every block
 * wastes work, and removing the watch after a few would lose the order.
 *
 * @example
 * unknownBackoffBlocks(4, 256) // 8n
 */
export function unknownBackoffBlocks(unknowns: number, max: number): bigint {
  const wait = 2n ** BigInt(Math.min(Math.max(unknowns - 1, 0), 62))
  return wait < BigInt(max) ? wait : BigInt(max)
}

/** After `maxUnknownPolls` unreadable answers in a row: removed, with a record an operator can list and undo. */
async function removeAfterUnknowns(host: Host, config: TwapMonitorConfig, block: BlockRef, watch: TwapWatch, unknowns: number, last: string | undefined) {
  const reason = `${unknowns} poll answers in a row could not be read (last: ${last ?? 'none'})`
  // Restored as it was, due at once (block 0 is always due), with the count reset.
  const restoreKey = dueKey({ kind: 'block', at: 0n }, watch.id)
  await recordRemovedWatch(host.store, {
    id: watch.id,
    reason,
    removedAt: host.clock.now(),
    block: block.number,
    details: { owner: watch.owner, handler: watch.params.handler, createdBlock: watch.createdBlock, lastAnswer: last ?? null },
    restore: [
      { key: watchKey(watch.id), value: { ...watch, unknowns: 0, dueKey: restoreKey } },
      { key: restoreKey, value: watch.id },
    ],
  })
  await removeWatch(host.store, watch)
  host.metrics.error('watch_removed', `watch removed after ${unknowns} unreadable poll answers; undo with \`shepherd watches restore ${watch.id}\``, {
    watch: watch.id,
    owner: watch.owner,
    block: block.number,
    unknowns,
    last: last ?? null,
  })
  host.log.error('conditional order watch removed after repeated unreadable poll answers; it is kept under removed:<id>', {
    watch: watch.id,
    reason,
    restore: `shepherd watches restore ${watch.id} --config <engine.toml>`,
  })
}

/** Applies one poll outcome to its watch: reschedule, remove, count an unknown, or submit. */
async function applyOutcome(context: PassContext, watch: TwapWatch, outcome: PollOutcome) {
  const { host, config, block } = context
  const nextBlock: Due = { kind: 'block', at: block.number + 1n }
  let unknownReason: string | undefined
  switch (outcome.kind) {
    case 'tryNextBlock':
      return rescheduleWatch(host.store, watch, nextBlock, { unknowns: 0 })
    case 'tryAtBlock':
      return rescheduleWatch(host.store, watch, outcome.block > block.number ? { kind: 'block', at: outcome.block } : nextBlock, { unknowns: 0 })
    case 'tryAtEpoch':
      return rescheduleWatch(host.store, watch, outcome.epoch > block.timestamp ? { kind: 'epoch', at: outcome.epoch } : nextBlock, { unknowns: 0 })
    case 'never':
    case 'notValid':
      host.log.info('conditional order no longer valid; watch removed', { watch: watch.id, owner: watch.owner, outcome: outcome.kind, reason: outcome.reason })
      return removeWatch(host.store, watch)
    case 'order': {
      const result = await submitPart({ host, chainId: config.chainId, block, watch, order: outcome.order, signature: outcome.signature, claimed: context.claimed, headTime: context.headTime, gate: context.gate })
      if ('due' in result) return rescheduleWatch(host.store, watch, result.due, { unknowns: 0 })
      unknownReason = result.unknown
      break
    }
    case 'unknown':
      unknownReason = typeof outcome.data === 'string' ? outcome.data.slice(0, 74) : typeof outcome.data
      break
  }
  const unknowns = watch.unknowns + 1
  if (unknowns >= config.maxUnknownPolls) return removeAfterUnknowns(host, config, block, watch, unknowns, unknownReason)
  const wait = unknownBackoffBlocks(unknowns, config.unknownBackoffMaxBlocks)
  host.metrics.error('poll_unknown', 'poll answer not understood; the watch backs off', { watch: watch.id, unknowns, waitBlocks: wait, answer: unknownReason })
  return rescheduleWatch(host.store, watch, { kind: 'block', at: block.number + wait }, { unknowns })
}

/** What one block's pass shares between its outcomes. */
type PassContext = {
  host: Host
  config: TwapMonitorConfig
  block: BlockRef
  /** UIDs already handled in this block (two watches may yield the same order). */
  claimed: Set<string>
  /** The chain's time now: the head's when the module is behind (see readHeadTime). */
  headTime: bigint
  gate: SubmissionGate
}


/** Resolves when `work` does or after `ms`, whichever is first (at once for 0). */
async function waitAtMost(work: Promise<void>, ms: number): Promise<void> {
  if (ms <= 0) return
  let timer: ReturnType<typeof setTimeout> | undefined
  await Promise.race([work, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
  clearTimeout(timer)
}

/**
 * One block's work: poll the due watches in one multicall at this block, then apply each outcome.
 * At most the adaptive cap is polled (`nextPollBudget`: it follows how long the multicall took
 * against `pollTimeFraction` of the block interval, within [minPollsPerBlock, maxPollsPerBlock]),
 * and no more than the queue has room for (`maxQueuedParts`: each poll may yield a part to hold).
 * Reschedules are written before it returns; tradeable orders go to the module's submission queue
 * (at most `submitConcurrency` posting, the ones whose validTo is nearest first), and the pass
 * waits for them at most `submitWaitMs`: the rest post in the background while the next blocks are
 * handled. A watch keeps its due entry until its part's outcome is written, so a crash with parts
 * queued loses none (a restart polls them again and, while recovering, looks each up first).
 * When the block is old (the module is catching up), parts are judged against the head's time,
 * and the expired ones are recorded as missed instead of posted. A failed multicall leaves every
 * watch due (polled again next block), halves the cap, is reported (`poll_failed`), and after
 * `degradedAfterFailedPolls` blocks in a row marks the `polls` health check; a failed task leaves
 * its watch due.
 *
 * @example
 * await pollDueWatches({ host, config, block })
 */
export async function pollDueWatches({ host, config, block }: PollDueWatchesParameters): Promise<PollDueWatchesReturnType> {
  const queue = submissionQueueOf(host, config.submitConcurrency)
  queue.concurrency = config.submitConcurrency
  // Parts whose window ended can no longer come back from a poll: this incarnation forgets them.
  postedPartsOf(host).forgetEnded(block.timestamp)
  const ceiling = config.maxPollsPerBlock
  const floor = Math.min(config.minPollsPerBlock, ceiling)
  const budget = pollBudgetState(host, config.initialPollsPerBlock)
  observeBlock(budget, block)
  const cap = Math.max(floor, Math.min(ceiling, budget.cap))
  const limits: PollLimits = {
    budget,
    cap,
    // Back-pressure: every poll may yield a part, and the queue holds at most maxQueuedParts.
    room: Math.max(0, Math.min(cap, config.maxQueuedParts - queue.size)),
    floor,
    ceiling,
    targetMs: estimateBlockIntervalMs({ timestamps: budget.timestamps, fallbackMs: config.blockIntervalMs }) * config.pollTimeFraction,
  }
  // The block pass goes first: no new post starts until its polls and reschedules are issued.
  const release = queue.hold()
  let pass: PassOutcome
  try {
    pass = await pollAndQueue(host, config, block, queue, limits)
  } finally {
    release()
  }
  await waitAtMost(pass.posted, config.submitWaitMs)
  return { ...pass.result, backlog: queue.size }
}

/** The adaptive cap of this block and what the next one is computed from. */
type PollLimits = { budget: PollBudgetState; cap: number; room: number; floor: number; ceiling: number; targetMs: number }
type PassOutcome = { result: Omit<PollDueWatchesReturnType, 'backlog'>; posted: Promise<void> }

/** Polls this block's due watches, writes the reschedules, and hands the tradeable parts to the queue. */
async function pollAndQueue(host: Host, config: TwapMonitorConfig, block: BlockRef, queue: SubmissionQueue, limits: PollLimits): Promise<PassOutcome> {
  const { budget, cap, room, floor, ceiling, targetMs } = limits
  const nothingPosted = Promise.resolve()
  const report = { cap, nextCap: cap, pollMs: 0, targetMs: Math.round(targetMs), queued: 0 }
  if (room === 0) return { result: { polled: 0, stale: 0, ...report }, posted: nothingPosted }
  const { watches, stale } = await dueWatches(host, block, room, queue)
  if (watches.length === 0) return { result: { polled: 0, stale, ...report }, posted: nothingPosted }
  const calls: MulticallCall[] = watches.map((watch) => ({ target: config.composableCow, callData: pollCallData(watch), allowFailure: true }))
  const fail = (cause: string, pollMs: number, unreachable = false): PassOutcome => {
    budget.cap = nextPollBudget({ current: cap, polled: watches.length, elapsedMs: pollMs, failed: true, targetMs, floor, ceiling })
    pollFailed(host, { block: block.number, watches: watches.length, cause, degradeAfter: config.degradedAfterFailedPolls, unreachable })
    return { result: { polled: 0, stale, ...report, nextCap: budget.cap, pollMs }, posted: nothingPosted }
  }
  const started = performance.now()
  let results: unknown
  try {
    results = await host.chain.multicall(config.chainId, calls, { blockNumber: block.number })
  } catch (error) {
    // The RPC not answering is the infrastructure's fault (the engine counts it as a host failure), not this module's error.
    return fail(errorMessage(error), performance.now() - started, isChainUnreachable(error))
  }
  const pollMs = performance.now() - started
  if (!Array.isArray(results) || results.length !== calls.length) {
    return fail(`the multicall answered ${Array.isArray(results) ? `${results.length} results for ${calls.length} calls` : `a ${typeof results}, not a list`}`, pollMs)
  }
  pollSucceeded(host)
  budget.cap = nextPollBudget({ current: cap, polled: watches.length, elapsedMs: pollMs, failed: false, targetMs, floor, ceiling })
  const answers: unknown[] = results
  const polled = watches.map((watch, index) => {
    const result = answers[index]
    const outcome: PollOutcome =
      typeof result === 'object' && result !== null && typeof (result as { success?: unknown }).success === 'boolean'
        ? decodePollResult(result as { success: boolean; returnData: `0x${string}` })
        : { kind: 'unknown', data: result }
    return { watch, outcome }
  })
  // Tradeable parts, nearest deadline first: when catching up, the ones still valid but about to
  // expire get the first slots (expired ones cost no post at all).
  const orders = polled.filter((item) => item.outcome.kind === 'order')
  orders.sort((a, b) => validToOf(a.outcome) - validToOf(b.outcome))
  const context: PassContext = {
    host,
    config,
    block,
    claimed: new Set<string>(),
    headTime: orders.length > 0 ? (await readHeadTime(host, config.chainId, block)).timestamp : block.timestamp,
    gate: submissionGate(host, { stopAfter: config.stopSubmissionsAfter, chainId: config.chainId }),
  }
  const failed = (error: unknown, { watch }: { watch: TwapWatch }) =>
    host.log.error('handling a poll outcome failed; the watch stays due', { watch: watch.id, error: errorMessage(error) })
  const apply = (item: (typeof polled)[number]) => applyOutcome(context, item.watch, item.outcome).catch((error: unknown) => failed(error, item))
  // Tradeable orders talk to the orderbook: queued, posted in the background (they start once the
  // pass releases the queue).
  const posted = queue.enqueue(orders.map((item) => ({ watchId: item.watch.id, run: () => apply(item) })))
  // Reschedules are store writes only: issue them all at once so the store batches them.
  await Promise.all(polled.filter((item) => item.outcome.kind !== 'order').map(apply))
  return { result: { polled: watches.length, stale, ...report, nextCap: budget.cap, pollMs, queued: orders.length }, posted }
}

const validToOf = (outcome: PollOutcome) => (outcome.kind === 'order' ? outcome.order.validTo : Number.MAX_SAFE_INTEGER)
