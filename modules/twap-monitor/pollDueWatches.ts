import type { Hex } from 'viem'
import {
  decodePollResult,
  encodeGetTradeableOrderWithSignature,
  type BlockRef,
  type Host,
  type MulticallCall,
  type PollOutcome,
} from '../sdk/index.ts'
import type { TwapMonitorConfig } from './config.ts'
import { DUE_BLOCK_PREFIX, DUE_EPOCH_PREFIX, takeDue, type Due } from '../sdk/index.ts'
import { runBounded } from '../sdk/index.ts'
import { submitPart } from './submitPart.ts'
import { droppedKey, removeWatch, rescheduleWatch, watchKey, type TwapWatch } from './watchStore.ts'

export type PollDueWatchesParameters = { host: Host; config: TwapMonitorConfig; block: BlockRef }
/** What one block's pass did, for logs and tests. */
export type PollDueWatchesReturnType = { polled: number; stale: number }

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

/** Collects the due watches (block-keyed first, then time-keyed), dropping stale due entries. */
async function dueWatches(host: Host, config: TwapMonitorConfig, block: BlockRef) {
  // Both scans at once (one round trip, not two); block-keyed entries keep their priority in the cap.
  const [byBlock, byEpoch] = await Promise.all([
    takeDue(host.store, DUE_BLOCK_PREFIX, block.number, config.maxPollsPerBlock),
    takeDue(host.store, DUE_EPOCH_PREFIX, block.timestamp, config.maxPollsPerBlock),
  ])
  const entries = [...byBlock, ...byEpoch.slice(0, config.maxPollsPerBlock - byBlock.length)]
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

/** Applies one poll outcome to its watch: reschedule, remove, count an unknown, or submit. */
async function applyOutcome(host: Host, config: TwapMonitorConfig, block: BlockRef, watch: TwapWatch, outcome: PollOutcome, claimed: Set<string>) {
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
      const result = await submitPart({ host, chainId: config.chainId, block, watch, order: outcome.order, signature: outcome.signature, claimed })
      if ('due' in result) return rescheduleWatch(host.store, watch, result.due, { unknowns: 0 })
      unknownReason = result.unknown
      break
    }
    case 'unknown':
      unknownReason = typeof outcome.data === 'string' ? outcome.data.slice(0, 74) : typeof outcome.data
      break
  }
  const unknowns = watch.unknowns + 1
  host.log.warn('poll answer not understood', { watch: watch.id, unknowns, answer: unknownReason })
  if (unknowns < config.maxUnknownPolls) return rescheduleWatch(host.store, watch, nextBlock, { unknowns })
  await host.store.set(droppedKey(watch.id), { reason: `${unknowns} consecutive unknown poll answers`, last: unknownReason ?? null, owner: watch.owner, block: block.number })
  await removeWatch(host.store, watch)
}

/**
 * One block's work: poll the due watches in one multicall at this block, then apply each outcome
 * (tradeable orders with at most `submitConcurrency` in flight). A failed multicall leaves every watch due (polled
 * again next block); a failed task leaves its watch due.
 *
 * @example
 * await pollDueWatches({ host, config, block })
 */
export async function pollDueWatches({ host, config, block }: PollDueWatchesParameters): Promise<PollDueWatchesReturnType> {
  const { watches, stale } = await dueWatches(host, config, block)
  if (watches.length === 0) return { polled: 0, stale }
  const calls: MulticallCall[] = watches.map((watch) => ({ target: config.composableCow, callData: pollCallData(watch), allowFailure: true }))
  let results: unknown
  try {
    results = await host.chain.multicall(config.chainId, calls, { blockNumber: block.number })
  } catch (error) {
    host.log.warn('polling multicall failed; due watches stay due', { block: block.number, watches: watches.length, error: error instanceof Error ? error.message.split('\n')[0] : String(error) })
    return { polled: 0, stale }
  }
  if (!Array.isArray(results) || results.length !== calls.length) {
    host.log.warn('polling multicall answered the wrong shape; due watches stay due', { block: block.number, expected: calls.length })
    return { polled: 0, stale }
  }
  const answers: unknown[] = results
  const claimed = new Set<string>()
  const polled = watches.map((watch, index) => {
    const result = answers[index]
    const outcome: PollOutcome =
      typeof result === 'object' && result !== null && typeof (result as { success?: unknown }).success === 'boolean'
        ? decodePollResult(result as { success: boolean; returnData: `0x${string}` })
        : { kind: 'unknown', data: result }
    return { watch, outcome }
  })
  const failed = (error: unknown, { watch }: { watch: TwapWatch }) =>
    host.log.error('handling a poll outcome failed; the watch stays due', { watch: watch.id, error: error instanceof Error ? error.message.split('\n')[0] : String(error) })
  const apply = (item: (typeof polled)[number]) => applyOutcome(host, config, block, item.watch, item.outcome, claimed)
  // Reschedules are store writes only: issue them all at once so the store batches them.
  // Tradeable orders talk to the orderbook: at most `submitConcurrency` in flight.
  await Promise.all([
    ...polled.filter((item) => item.outcome.kind !== 'order').map((item) => apply(item).catch((error: unknown) => failed(error, item))),
    runBounded(polled.filter((item) => item.outcome.kind === 'order'), config.submitConcurrency, apply, failed),
  ])
  return { polled: watches.length, stale }
}
