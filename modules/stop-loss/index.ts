import { defineModule, type BlockRef, type Host } from '../sdk/index.ts'
import { buildStopLossOrder, type PendingOrder } from './buildStopLossOrder.ts'
import { stopLossConfig, type StopLossConfig } from './config.ts'
import { isDue } from '../sdk/index.ts'
import { readFeedDecimals, readLatestRound } from '../sdk/index.ts'
import { dropPending, markers, submitPending } from './submitPending.ts'
import { toFeedUnits } from '../sdk/index.ts'

/** Store keys besides the per-UID markers (`submitted:`, `dropped:`, `backoff:`). */
export const STOP_LOSS_KEYS = {
  /** The triggered order (`PendingOrder`), kept so every retry sends the same order and UID. */
  order: 'order',
  lastRead: 'last-read',
  /** True while the feed answer is stale (so the warning is logged once). */
  stale: 'state:stale',
} as const

async function watch(host: Host, config: StopLossConfig, block: BlockRef): Promise<PendingOrder | undefined> {
  const { store, log } = host
  if (!isDue(block.number, config.everyNBlocks, await store.get<bigint>(STOP_LOSS_KEYS.lastRead))) return
  const decimals = await readFeedDecimals(host, config.chainId, config.feed, block.number)
  if (!decimals.ok) return void log.warn('price feed decimals unreadable; not triggering', { feed: config.feed, block: block.number, reason: decimals.reason })
  const trigger = toFeedUnits(config.triggerPrice, decimals.value)
  if (!trigger.ok) return void log.error('stop-loss triggerPrice does not fit the feed precision; fix the config', { feed: config.feed, reason: trigger.error })
  const round = await readLatestRound(host, config.chainId, config.feed, block.number)
  if (!round.ok) return void log.warn('price feed unreadable; not triggering', { feed: config.feed, block: block.number, reason: round.reason })
  await store.set(STOP_LOSS_KEYS.lastRead, block.number)

  const age = block.timestamp - round.value.updatedAt
  const wasStale = (await store.get<boolean>(STOP_LOSS_KEYS.stale)) === true
  if (age > BigInt(config.maxAgeSeconds)) {
    if (!wasStale) log.warn('price feed is stale; a stale answer never triggers', { feed: config.feed, ageSeconds: age, maxAgeSeconds: config.maxAgeSeconds, block: block.number })
    if (!wasStale) await store.set(STOP_LOSS_KEYS.stale, true)
    return
  }
  if (wasStale) await store.set(STOP_LOSS_KEYS.stale, false)
  if (round.value.answer > trigger.value) return

  const { order, uid } = buildStopLossOrder(config, block.timestamp)
  const pending: PendingOrder = { uid, owner: config.owner, order, triggerBlock: block.number, answer: round.value.answer }
  await store.set(STOP_LOSS_KEYS.order, pending) // before submitting: a crash mid-submit retries the same order
  host.metrics.alert('stop-loss-triggered', `Stop-loss triggered: answer ${round.value.answer} <= ${trigger.value} at block ${block.number}`, {
    uid, answer: round.value.answer, trigger: trigger.value, block: block.number, validTo: order.validTo,
  })
  if (BigInt(order.validTo) <= block.timestamp) {
    await dropPending(host, pending, block, `validTo ${order.validTo} passed before the trigger`)
    return
  }
  return pending
}

/**
 * stop-loss: watches a Chainlink feed and, the first time a fresh answer is at or below
 * `triggerPrice`, places the configured PreSign sell order for `owner` exactly once, retrying
 * retry-class orderbook errors with a bounded back-off. Once submitted or dropped it is silent.
 *
 * @example
 * // engine.toml
 * // [modules.stop-loss]
 * // triggerPrice = "1800"
 * // owner = "0x..."; sellToken = "0xfFf9...6B14"; buyToken = "0x0625...BB59"
 * // sellAmount = "1000000000000000000"; buyAmount = "1500000000"
 */
export default defineModule<StopLossConfig>({
  name: 'stop-loss',
  config: stopLossConfig,
  subscriptions: (config) => ({ blocks: [{ chainId: config.chainId }] }),
  async onBlock({ host, config, block }) {
    let pending = await host.store.get<PendingOrder>(STOP_LOSS_KEYS.order)
    if (pending !== undefined) {
      const keys = markers(pending.uid)
      if ((await host.store.get(keys.submitted)) !== undefined || (await host.store.get(keys.dropped)) !== undefined) return // done: no reads
    } else {
      pending = await watch(host, config, block)
      if (pending === undefined) return
    }
    await submitPending(host, config, pending, block)
  },
})
