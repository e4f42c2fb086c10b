import { afterEach, expect, test } from 'vitest'
import { createMockHost, createMockStoreBackend, type MockHost } from '../sdk/index.ts'
import priceAlert, { PRICE_ALERT_KEYS } from './index.ts'
import { priceAlertConfig, type PriceAlertConfig } from './config.ts'
import { FEED, T0, blockAt, encodeRound, programFeed } from '../sdk/testing/chainlinkFeed.ts'

let mock: MockHost
afterEach(() => mock?.dispose())

const config = (input: Record<string, unknown>): PriceAlertConfig => priceAlertConfig.parse(input)
const run = async (m: MockHost, cfg: PriceAlertConfig, from: bigint, to: bigint) => {
  for (let n = from; n <= to; n++) await priceAlert.onBlock!({ host: m.host, config: cfg, block: blockAt(n) })
}
const latestRoundCalls = (m: MockHost) => m.chain.calls.filter((c) => c.data.startsWith('0xfeaf968c'))

test('behavior: config fills documented defaults and keeps the threshold as an exact decimal string', () => {
  expect(config({ threshold: '2500.5', direction: 'above' })).toEqual({
    chainId: 11155111, feed: FEED, everyNBlocks: 1, threshold: '2500.5', direction: 'above', hysteresis: '0', maxAgeSeconds: 3900,
  })
  expect(config({ threshold: 2500, direction: 'below' }).threshold).toBe('2500')
})

test('behavior: config rejects a bad threshold, a bad address, a negative hysteresis and unknown keys, naming each', () => {
  expect(() => config({ threshold: '25OO', direction: 'above' })).toThrow(/decimal number in feed units/)
  expect(() => config({ threshold: '1', direction: 'above', feed: '0x1234' })).toThrow(/20-byte hex address/)
  expect(() => config({ threshold: '1', direction: 'above', hysteresis: '-1' })).toThrow(/hysteresis must not be negative/)
  expect(() => config({ threshold: '1', direction: 'sideways' })).toThrow(/direction/)
  expect(() => config({ threshold: '1', direction: 'above', treshold: '2' })).toThrow(/treshold/)
})

test('behavior: the module is named after its folder and subscribes to blocks of its chain', () => {
  expect(priceAlert.name).toBe('price-alert')
  const subs = typeof priceAlert.subscriptions === 'function' ? priceAlert.subscriptions(config({ threshold: '1', direction: 'above', chainId: 1 })) : priceAlert.subscriptions
  expect(subs).toEqual({ blocks: [{ chainId: 1 }] })
})

test('behavior: an upward crossing alerts once, with answer, threshold, direction and block', async () => {
  mock = createMockHost({ module: priceAlert })
  programFeed(mock, (b) => (b < 5n ? 2400 : 2600))
  await run(mock, config({ threshold: '2500.5', direction: 'above' }), 1n, 10n)
  expect(mock.alerts).toHaveLength(1)
  expect(mock.alerts[0]).toMatchObject({ kind: 'price-threshold', fields: { answer: 260_000_000_000n, threshold: 250_050_000_000n, direction: 'above', block: 5n } })
})

test('behavior: decimals() is read once and cached in the store', async () => {
  mock = createMockHost({ module: priceAlert })
  programFeed(mock, () => 2000)
  await run(mock, config({ threshold: '2500', direction: 'above' }), 1n, 4n)
  expect(mock.chain.calls.filter((c) => c.data === '0x313ce567')).toHaveLength(1)
  expect(await mock.store.get(`decimals:${FEED.toLowerCase()}`)).toBe(8)
  expect(latestRoundCalls(mock).map((c) => c.blockNumber)).toEqual([1n, 2n, 3n, 4n])
})

test('behavior: a first observation that already holds alerts once', async () => {
  mock = createMockHost({ module: priceAlert })
  programFeed(mock, () => 2000)
  await run(mock, config({ threshold: '2500', direction: 'below' }), 1n, 3n)
  expect(mock.alerts.map((a) => [a.kind, a.fields?.block])).toEqual([['price-threshold', 1n]])
})

test('behavior: hysteresis keeps the alert disarmed until the answer moves back past the margin, then the next crossing alerts again', async () => {
  mock = createMockHost({ module: priceAlert })
  // below 2500 with 10 USD hysteresis: 2490 alerts, 2505 and 2510 do not re-arm, 2511 re-arms, 2499 alerts again.
  const prices = [2490, 2505, 2495, 2510, 2490, 2511, 2520, 2499, 2480]
  programFeed(mock, (b) => prices[Number(b) - 1]!)
  await run(mock, config({ threshold: '2500', direction: 'below', hysteresis: '10' }), 1n, BigInt(prices.length))
  expect(mock.alerts.map((a) => a.fields?.block)).toEqual([1n, 8n])
  expect(mock.logs.filter((l) => l.message === 'price alert re-armed').map((l) => l.fields?.block)).toEqual([6n])
  expect(await mock.store.get(PRICE_ALERT_KEYS.threshold)).toEqual({ armed: false, since: 8n })
})

test('behavior: a stale answer raises price-stale once, judges no threshold, and may alert again after being fresh', async () => {
  mock = createMockHost({ module: priceAlert })
  // Blocks 3-5 and 8 see an answer last updated at T0 (age 36-96 s > 30 s).
  const staleBlocks = new Set([3n, 4n, 5n, 8n])
  programFeed(mock, () => 3000, (b) => (staleBlocks.has(b) ? T0 : T0 + b * 12n))
  await run(mock, config({ threshold: '2500', direction: 'above', maxAgeSeconds: 30 }), 3n, 9n)
  expect(mock.alerts.map((a) => [a.kind, a.fields?.block])).toEqual([
    ['price-stale', 3n],
    ['price-threshold', 6n],
    ['price-stale', 8n],
  ])
  expect(mock.alerts[0]!.fields).toMatchObject({ ageSeconds: 36n, maxAgeSeconds: 30 })
  expect(mock.logs.filter((l) => l.message === 'price feed fresh again').map((l) => l.fields?.block)).toEqual([6n, 9n])
})

test('behavior: with everyNBlocks the feed is read on multiples of N, and after a gap of N or more', async () => {
  mock = createMockHost({ module: priceAlert })
  programFeed(mock, () => 2000)
  const cfg = config({ threshold: '2500', direction: 'above', everyNBlocks: 5 })
  await run(mock, cfg, 3n, 12n) // first block reads, then multiples of 5
  for (const n of [21n, 22n, 25n]) await priceAlert.onBlock!({ host: mock.host, config: cfg, block: blockAt(n) }) // 21: 11 blocks since 10
  expect(latestRoundCalls(mock).map((c) => c.blockNumber)).toEqual([3n, 5n, 10n, 21n, 25n])
})

test('behavior: read failures (revert, garbage, transport, non-positive answer) warn, change no alert state, and retry next block', async () => {
  mock = createMockHost({ module: priceAlert })
  programFeed(mock, () => 2000)
  const cfg = config({ threshold: '2500', direction: 'below', everyNBlocks: 10 })
  await run(mock, cfg, 10n, 10n)
  expect(mock.alerts).toHaveLength(1)
  const state = await mock.store.get(PRICE_ALERT_KEYS.threshold)
  // Newest answers win: the revert answers block 20, the zero answer block 21.
  mock.chain.onCall({ to: FEED, selector: '0xfeaf968c' }, encodeRound(0n, T0), { times: 1 })
  mock.chain.onCall({ to: FEED, selector: '0xfeaf968c' }, { revert: '0x' }, { times: 1 })
  await run(mock, cfg, 20n, 21n) // revert at 20, answer 0 at 21 (retried although 21 is not a multiple)
  mock.faults.garbageNext('chain.call')
  await run(mock, cfg, 22n, 22n)
  mock.faults.throwNext('chain.call')
  await run(mock, cfg, 23n, 23n)
  const warns = mock.logs.filter((l) => l.level === 'warn' && l.message === 'price feed unreadable; no alert change')
  expect(warns.map((w) => w.fields?.block)).toEqual([20n, 21n, 22n, 23n])
  expect(String(warns[1]!.fields?.reason)).toContain('not a positive price')
  expect(mock.alerts).toHaveLength(1)
  expect(await mock.store.get(PRICE_ALERT_KEYS.threshold)).toEqual(state)
  expect(await mock.store.get(PRICE_ALERT_KEYS.lastRead)).toBe(10n)
  await run(mock, cfg, 24n, 24n) // reads again (since last read >= N) and succeeds
  expect(await mock.store.get(PRICE_ALERT_KEYS.lastRead)).toBe(24n)
})

test('behavior: unreadable decimals() warns and reads nothing else; a threshold finer than the feed is a config error', async () => {
  mock = createMockHost({ module: priceAlert })
  mock.chain.onCall({ to: FEED, selector: '0x313ce567' }, { revert: '0x' })
  await run(mock, config({ threshold: '2500', direction: 'below' }), 1n, 1n)
  expect(mock.logs.find((l) => l.message === 'price feed decimals unreadable; no alert change')).toBeDefined()
  programFeed(mock, () => 2000)
  await run(mock, config({ threshold: '2500.123456789', direction: 'below' }), 2n, 2n)
  expect(mock.logs.find((l) => l.level === 'error')?.fields?.threshold).toContain('more fraction digits than the feed\'s 8 decimals')
  expect(latestRoundCalls(mock)).toHaveLength(0)
  expect(mock.alerts).toHaveLength(0)
})

test('behavior: a restarted instance (same store, new host) continues without alerting the same crossing again', async () => {
  const storeBackend = createMockStoreBackend()
  const cfg = config({ threshold: '2500', direction: 'above' })
  const first = createMockHost({ module: priceAlert, storeBackend })
  programFeed(first, (b) => (b < 3n ? 2000 : 3000))
  await run(first, cfg, 1n, 5n)
  first.dispose()
  mock = createMockHost({ module: priceAlert, storeBackend })
  programFeed(mock, (b) => (b < 3n ? 2000 : 3000))
  await run(mock, cfg, 6n, 9n)
  expect(first.alerts).toHaveLength(1)
  expect(mock.alerts).toHaveLength(0)
  expect(mock.chain.calls.filter((c) => c.data === '0x313ce567')).toHaveLength(0) // decimals came from the store
})

test('behavior: replayed blocks are skipped, so a replay raises no second alert; a reorg lets its blocks through again', async () => {
  mock = createMockHost({ module: priceAlert })
  programFeed(mock, (b) => (b < 3n ? 2000 : 3000))
  const cfg = config({ threshold: '2500', direction: 'above' })
  await run(mock, cfg, 1n, 5n)
  await run(mock, cfg, 1n, 5n)
  expect(mock.alerts).toHaveLength(1)
  expect(latestRoundCalls(mock)).toHaveLength(5)
  await priceAlert.onReorg!({ host: mock.host, config: cfg, reorg: { chainId: 11155111, fromBlock: 4n, removedLogs: [] } })
  expect(await mock.store.get(PRICE_ALERT_KEYS.cursor)).toBe(3n)
  await run(mock, cfg, 4n, 5n)
  expect(latestRoundCalls(mock)).toHaveLength(7)
  expect(mock.alerts).toHaveLength(1) // the crossing was already alerted; the new branch keeps it
})
