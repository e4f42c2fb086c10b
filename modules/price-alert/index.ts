import { defineModule, type BlockRef, type Host } from '../sdk/index.ts'
import { priceAlertConfig, type PriceAlertConfig } from './config.ts'
import { evaluateThreshold, type ThresholdState } from './evaluateThreshold.ts'
import { isDue } from '../sdk/index.ts'
import { readFeedDecimals, readLatestRound } from '../sdk/index.ts'
import { toFeedUnits } from '../sdk/index.ts'

/** Store keys, all in the module's namespace. */
export const PRICE_ALERT_KEYS = {
  /** The last block handled (a block at or below it is a replay and is skipped). */
  cursor: 'cursor',
  /** The block of the last successful read. */
  lastRead: 'last-read',
  threshold: 'state:threshold',
  stale: 'state:stale',
  /** The last good round: `{ roundId, answer, updatedAt, block }`. */
  observed: 'observed:price',
} as const

type StaleState = { stale: boolean; since: bigint }

async function handleBlock(host: Host, config: PriceAlertConfig, block: BlockRef): Promise<void> {
  const { store, log } = host
  const cursor = await store.get<bigint>(PRICE_ALERT_KEYS.cursor)
  if (cursor !== undefined && block.number <= cursor) return log.debug('block already handled; skipped', { block: block.number, cursor })
  await store.set(PRICE_ALERT_KEYS.cursor, block.number)
  if (!isDue(block.number, config.everyNBlocks, await store.get<bigint>(PRICE_ALERT_KEYS.lastRead))) return

  const decimals = await readFeedDecimals(host, config.chainId, config.feed, block.number)
  if (!decimals.ok) return log.warn('price feed decimals unreadable; no alert change', { feed: config.feed, block: block.number, reason: decimals.reason })
  const threshold = toFeedUnits(config.threshold, decimals.value)
  const hysteresis = toFeedUnits(config.hysteresis, decimals.value)
  if (!threshold.ok || !hysteresis.ok)
    return log.error('price-alert threshold does not fit the feed precision; fix the config', {
      feed: config.feed, decimals: decimals.value, threshold: threshold.ok ? undefined : threshold.error, hysteresis: hysteresis.ok ? undefined : hysteresis.error,
    })

  const round = await readLatestRound(host, config.chainId, config.feed, block.number)
  if (!round.ok) return log.warn('price feed unreadable; no alert change', { feed: config.feed, block: block.number, reason: round.reason })
  const { answer, updatedAt, roundId } = round.value
  await store.set(PRICE_ALERT_KEYS.lastRead, block.number)
  await store.set(PRICE_ALERT_KEYS.observed, { roundId, answer, updatedAt, block: block.number })

  // A stale answer is not evidence about the price: alert once about staleness, judge nothing else.
  const age = block.timestamp - updatedAt
  const stale = (await store.get<StaleState>(PRICE_ALERT_KEYS.stale)) ?? { stale: false, since: block.number }
  if (age > BigInt(config.maxAgeSeconds)) {
    if (!stale.stale) {
      host.metrics.alert('price-stale', `Price feed ${config.feed} is stale: last update ${age}s ago (max ${config.maxAgeSeconds}s)`, {
        feed: config.feed, updatedAt, ageSeconds: age, maxAgeSeconds: config.maxAgeSeconds, block: block.number,
      })
      await store.set(PRICE_ALERT_KEYS.stale, { stale: true, since: block.number })
    }
    return
  }
  if (stale.stale) {
    log.info('price feed fresh again', { feed: config.feed, ageSeconds: age, block: block.number })
    await store.set(PRICE_ALERT_KEYS.stale, { stale: false, since: block.number })
  }

  const state = (await store.get<ThresholdState>(PRICE_ALERT_KEYS.threshold)) ?? { armed: true, since: block.number }
  const next = evaluateThreshold({ state, answer, threshold: threshold.value, direction: config.direction, hysteresis: hysteresis.value, block: block.number })
  if (next.event === null) return
  if (next.event === 'alert')
    host.metrics.alert('price-threshold', `Price ${config.direction} ${config.threshold}: answer ${answer} (${decimals.value} decimals) at block ${block.number}`, {
      answer, threshold: threshold.value, direction: config.direction, block: block.number, feed: config.feed, roundId,
    })
  else log.info('price alert re-armed', { answer, threshold: threshold.value, hysteresis: hysteresis.value, direction: config.direction, block: block.number })
  await store.set(PRICE_ALERT_KEYS.threshold, next.state)
}

/**
 * price-alert: reads a Chainlink feed every N blocks and raises `price-threshold` once when the
 * answer crosses the threshold in the configured direction, re-arming only after it moves back by
 * the hysteresis; a stale answer raises `price-stale` once until the feed is fresh again.
 *
 * @example
 * // engine.toml
 * // [modules.price-alert]
 * // threshold = "2500.5"
 * // direction = "below"
 */
export default defineModule<PriceAlertConfig>({
  name: 'price-alert',
  config: priceAlertConfig,
  subscriptions: (config) => ({ blocks: [{ chainId: config.chainId }] }),
  async onBlock({ host, config, block }) {
    await handleBlock(host, config, block)
  },
  async onReorg({ host, reorg }) {
    // Blocks from `fromBlock` on arrive again with new contents: let them through the replay guard.
    for (const key of [PRICE_ALERT_KEYS.cursor, PRICE_ALERT_KEYS.lastRead]) {
      const value = await host.store.get<bigint>(key)
      if (value !== undefined && value >= reorg.fromBlock) await host.store.set(key, reorg.fromBlock - 1n)
    }
  },
})
