import { afterEach, expect, test } from 'vitest'
import { CowApiError, EMPTY_APP_DATA_HASH, computeUid, createMockHost, createMockStoreBackend, type MockHost } from '../sdk/index.ts'
import stopLoss, { STOP_LOSS_KEYS } from './index.ts'
import type { PendingOrder } from './buildStopLossOrder.ts'
import { stopLossConfig, type StopLossConfig } from './config.ts'
import { FEED, T0, blockAt, programFeed } from '../sdk/testing/chainlinkFeed.ts'

const OWNER = '0x7bF140727D27ea64b607E042f1225680B40ECa6A'
const WETH = '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14'
const COW = '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59'
const base = { triggerPrice: '1800', owner: OWNER, sellToken: WETH, buyToken: COW, sellAmount: '1000000000000000000', buyAmount: '1500000000' }
const config = (extra: Record<string, unknown> = {}): StopLossConfig => stopLossConfig.parse({ ...base, ...extra })

let mock: MockHost
afterEach(() => mock?.dispose())

const run = async (m: MockHost, cfg: StopLossConfig, from: bigint, to: bigint) => {
  for (let n = from; n <= to; n++) await stopLoss.onBlock!({ host: m.host, config: cfg, block: blockAt(n) })
}
const pendingOf = (m: MockHost) => m.store.get<PendingOrder>(STOP_LOSS_KEYS.order)

test('behavior: config fills documented defaults (receiver = owner, empty appData) and names bad input', () => {
  expect(config()).toMatchObject({
    chainId: 11155111, feed: FEED, everyNBlocks: 1, maxAgeSeconds: 3900, receiver: OWNER, appData: EMPTY_APP_DATA_HASH, kind: 'sell',
    partiallyFillable: false, backoffInitialSeconds: 5, backoffMaxSeconds: 300, maxAttempts: 8, sellAmount: 10n ** 18n, buyAmount: 1_500_000_000n,
  })
  expect(() => config({ buyToken: WETH.toLowerCase() })).toThrow(/buyToken must differ from sellToken/)
  expect(() => config({ validFor: 60, validTo: 2_000_000_000 })).toThrow(/validFor or validTo, not both/)
  expect(() => config({ sellAmount: '0' })).toThrow(/sellAmount must be between 1 and 2\^256-1/)
  expect(() => config({ owner: '0x12' })).toThrow(/20-byte hex address/)
  expect(() => config({ triggerPrice: 'cheap' })).toThrow(/price in feed units/)
  expect(() => config({ kind: 'buy' })).toThrow(/kind/)
  expect(() => config({ backoffInitialSeconds: 600 })).toThrow(/must not exceed backoffMaxSeconds/)
  expect(stopLoss.name).toBe('stop-loss')
})

test('behavior: while the answer is above the trigger nothing is built or submitted', async () => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 1801)
  await run(mock, config(), 1n, 5n)
  expect(mock.cowApi.submissions).toHaveLength(0)
  expect(await pendingOf(mock)).toBeUndefined()
  expect(mock.alerts).toHaveLength(0)
})

test('behavior: an answer at the trigger submits the configured PreSign order once, with validTo from the trigger block', async () => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, (b) => (b < 4n ? 1900 : 1800))
  const cfg = config()
  await run(mock, cfg, 1n, 6n)
  expect(mock.cowApi.submissions).toHaveLength(1)
  const validTo = Number(T0 + 4n * 12n) + 1800
  const body = mock.cowApi.submissions[0]!.order
  expect(body).toMatchObject({
    sellToken: WETH, buyToken: COW, receiver: OWNER, sellAmount: '1000000000000000000', buyAmount: '1500000000', feeAmount: '0',
    validTo, appData: EMPTY_APP_DATA_HASH, kind: 'sell', partiallyFillable: false, signingScheme: 'presign', signature: OWNER, from: OWNER,
  })
  const pending = await pendingOf(mock)
  expect(pending?.uid).toBe(computeUid(11155111, pending!.order, OWNER))
  expect(pending).toMatchObject({ triggerBlock: 4n, answer: 1800n * 10n ** 8n, order: { validTo } })
  expect(await mock.store.get(`submitted:${pending!.uid}`)).toEqual({ block: 4n, duplicate: false })
  expect(mock.alerts.map((a) => a.kind)).toEqual(['stop-loss-triggered'])
  expect(String(mock.logs.find((l) => l.message.startsWith('stop-loss order submitted'))?.fields?.setPreSignatureCalldata)).toMatch(/^0xec6cb13f/)
})

test('behavior: once submitted the module is quiet: no reads, no submissions', async () => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 1000)
  await run(mock, config(), 1n, 1n)
  const chainOps = mock.records.filter((r) => r.op.startsWith('chain.')).length
  await run(mock, config(), 2n, 20n)
  expect(mock.records.filter((r) => r.op.startsWith('chain.')).length).toBe(chainOps)
  expect(mock.cowApi.submissions).toHaveLength(1)
})

test('behavior: DuplicatedOrder counts as submitted', async () => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 1000)
  mock.cowApi.onSubmit(new CowApiError({ status: 400, errorType: 'DuplicatedOrder', description: 'order already exists' }))
  await run(mock, config(), 1n, 3n)
  const pending = await pendingOf(mock)
  expect(await mock.store.get(`submitted:${pending!.uid}`)).toEqual({ block: 1n, duplicate: true })
  expect(mock.cowApi.submissions).toHaveLength(1)
})

test.each([
  ['a validation error', new CowApiError({ status: 400, errorType: 'WrongOwner' }), 'WrongOwner'],
  ['a 403 Forbidden from the orderbook (owner deny-listed)', new CowApiError({ status: 403, errorType: 'Forbidden' }), 'Forbidden'],
])('behavior: %s drops the order with its reason, and the module goes quiet', async (_, error, reason) => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 1000)
  mock.cowApi.onSubmit(error)
  await run(mock, config(), 1n, 5n)
  const pending = await pendingOf(mock)
  expect(await mock.store.get(`dropped:${pending!.uid}`)).toEqual({ reason, block: 1n })
  expect(mock.logs.find((l) => l.level === 'error')).toMatchObject({ message: 'stop-loss order dropped', fields: { reason } })
  expect(mock.alerts.map((a) => a.kind)).toEqual(['stop-loss-triggered', 'stop-loss-dropped'])
  expect(mock.cowApi.submissions).toHaveLength(1)
  expect(mock.chain.calls).toHaveLength(2) // decimals + one latestRoundData
})

test.each([
  ['404 HTML from another server', new CowApiError({ status: 404, description: '<html><body>Not Found</body></html>', url: 'http://127.0.0.1:9/api/v1/orders' })],
  ['401 from an auth proxy', new CowApiError({ status: 401, description: 'Unauthorized', url: 'http://127.0.0.1:9/api/v1/orders' })],
  ['an unknown errorType', new CowApiError({ status: 400, errorType: 'SomethingNew', url: 'http://127.0.0.1:9/api/v1/orders' })],
])('behavior: %s never drops the order nor counts as an attempt; repeated, it stops submissions until the orderbook answers', async (_, error) => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 1000)
  const refusal = mock.faults.inject({ on: 'cowApi.submitOrder', fault: { kind: 'throw', error }, times: Infinity })
  const cfg = config({ maxAttempts: 3 })
  for (let n = 1n; n <= 30n; n++) {
    mock.clock.set(Number(T0 + n * 12n) * 1000)
    await stopLoss.onBlock!({ host: mock.host, config: cfg, block: blockAt(n) })
  }
  const pending = await pendingOf(mock)
  expect(await mock.store.get(`dropped:${pending!.uid}`)).toBeUndefined() // maxAttempts 3 is long past
  expect(mock.cowApi.submissions.length).toBeGreaterThan(5)
  expect(mock.health.checks.get('submissions')?.reason).toContain(`HTTP ${error.status}`)
  expect(mock.errors.filter((e) => e.kind === 'submissions_stopped')).toHaveLength(1)
  refusal.cancel()
  for (let n = 31n; n <= 40n; n++) {
    mock.clock.set(Number(T0 + n * 12n) * 1000)
    await stopLoss.onBlock!({ host: mock.host, config: cfg, block: blockAt(n) })
  }
  expect(await mock.store.get(`submitted:${pending!.uid}`)).toMatchObject({ duplicate: false })
  expect(mock.health.checks.size).toBe(0)
  expect(mock.cowApi.submissions.filter((s) => s.outcome === 'ok')).toHaveLength(1)
})

test.each([
  ['retry-next-block (QuoteNotFound)', new CowApiError({ status: 400, errorType: 'QuoteNotFound' }), 5],
  ['InsufficientBalance (10 min)', new CowApiError({ status: 400, errorType: 'InsufficientBalance' }), 600],
  ['a 5xx', new CowApiError({ status: 502 }), 5],
  ['a 429 with Retry-After', new CowApiError({ status: 429, retryAfter: 42 }), 42],
  ['a transport fault', new CowApiError({ status: 0 }), 5],
  ['a plain thrown error', new TypeError('fetch failed'), 5],
])('behavior: %s backs off, then re-submits the same order', async (_, error, seconds) => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 1000)
  mock.cowApi.onSubmit(error instanceof CowApiError ? error : () => { throw error }, { times: 1 })
  const cfg = config()
  await run(mock, cfg, 1n, 1n)
  const pending = await pendingOf(mock)
  const backoff = await mock.store.get<{ attempts: number; notBefore: number; notBeforeBlock: bigint }>(`backoff:${pending!.uid}`)
  expect(backoff).toMatchObject({ attempts: 1, notBefore: mock.clock.now() + seconds * 1000, notBeforeBlock: 2n })
  await run(mock, cfg, 2n, 3n) // clock has not moved: still waiting
  expect(mock.cowApi.submissions).toHaveLength(1)
  mock.clock.advance(seconds * 1000)
  await run(mock, cfg, 4n, 6n)
  expect(mock.cowApi.submissions).toHaveLength(2)
  expect(mock.cowApi.submissions[1]!.order).toEqual(mock.cowApi.submissions[0]!.order) // same validTo, same UID
  expect(await mock.store.get(`submitted:${pending!.uid}`)).toEqual({ block: 4n, duplicate: false })
  expect(await mock.store.get(`backoff:${pending!.uid}`)).toBeUndefined()
})

test('behavior: back-off grows exponentially up to the cap and gives up after maxAttempts with "retries exhausted"', async () => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 1000)
  mock.cowApi.onSubmit(new CowApiError({ status: 500 }))
  const cfg = config({ backoffInitialSeconds: 5, backoffMaxSeconds: 30, maxAttempts: 6 })
  const waits: number[] = [] // seconds to wait, recorded when each failed attempt sets the back-off
  let lastAttempts = 0
  for (let n = 1n; n <= 200n; n++) {
    await stopLoss.onBlock!({ host: mock.host, config: cfg, block: blockAt(n) })
    const pending = await pendingOf(mock)
    const backoff = await mock.store.get<{ attempts: number; notBefore: number }>(`backoff:${pending!.uid}`)
    if (backoff && backoff.attempts !== lastAttempts) waits.push((backoff.notBefore - mock.clock.now()) / 1000)
    lastAttempts = backoff?.attempts ?? lastAttempts
    mock.clock.advance(1000)
  }
  expect(mock.cowApi.submissions).toHaveLength(6)
  expect(waits).toEqual([5, 10, 20, 30, 30])
  const pending = await pendingOf(mock)
  expect(await mock.store.get<{ reason: string }>(`dropped:${pending!.uid}`)).toMatchObject({ reason: 'retries exhausted after 6 attempts (last: server error (500))' })
  expect(await mock.store.get(`backoff:${pending!.uid}`)).toBeUndefined()
})

test('behavior: a restarted instance retries the stored order, not a new one', async () => {
  const storeBackend = createMockStoreBackend()
  const first = createMockHost({ module: stopLoss, storeBackend })
  programFeed(first, () => 1000)
  first.cowApi.onSubmit(new CowApiError({ status: 503 }))
  await run(first, config(), 1n, 1n)
  first.dispose()
  mock = createMockHost({ module: stopLoss, storeBackend, now: first.clock.now() + 60_000 })
  programFeed(mock, () => 1000)
  await run(mock, config(), 50n, 50n) // a later block with another timestamp
  expect(mock.cowApi.submissions).toHaveLength(1)
  expect(mock.cowApi.submissions[0]!.order).toEqual(first.cowApi.submissions[0]!.order)
  expect(mock.chain.calls).toHaveLength(0) // the trigger is in the store: no feed reads
  const pending = await pendingOf(mock)
  expect(await mock.store.get(`submitted:${pending!.uid}`)).toBeDefined()
})

test('behavior: a stale, unreadable or non-positive answer never triggers', async () => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 1000, () => T0) // updatedAt at T0: block 400 is 4800 s later
  const cfg = config()
  await run(mock, cfg, 400n, 402n)
  expect(mock.logs.filter((l) => l.message.startsWith('price feed is stale'))).toHaveLength(1)
  mock.faults.garbageNext('chain.call')
  await run(mock, cfg, 403n, 403n)
  programFeed(mock, () => 0n)
  await run(mock, cfg, 404n, 404n)
  expect(mock.logs.filter((l) => l.message === 'price feed unreadable; not triggering')).toHaveLength(2)
  expect(mock.cowApi.submissions).toHaveLength(0)
  programFeed(mock, () => 1000)
  await run(mock, cfg, 405n, 405n)
  expect(mock.cowApi.submissions).toHaveLength(1)
})

test('behavior: with everyNBlocks the feed is read on multiples of N only', async () => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 2000)
  await run(mock, config({ everyNBlocks: 3 }), 1n, 9n)
  expect(mock.chain.calls.filter((c) => c.data === '0xfeaf968c').map((c) => c.blockNumber)).toEqual([1n, 3n, 6n, 9n])
})

test('behavior: an absolute validTo already past at the trigger drops the order without submitting', async () => {
  mock = createMockHost({ module: stopLoss })
  programFeed(mock, () => 1000)
  await run(mock, config({ validTo: Number(T0) }), 1n, 3n)
  const pending = await pendingOf(mock)
  expect(await mock.store.get<{ reason: string }>(`dropped:${pending!.uid}`)).toMatchObject({ reason: `validTo ${T0} passed before the trigger` })
  expect(mock.cowApi.submissions).toHaveLength(0)
})

test('behavior: the same trigger block gives the same UID on two independent replays', async () => {
  const uids: string[] = []
  for (let i = 0; i < 2; i++) {
    const m = createMockHost({ module: stopLoss, now: 1_700_000_000_000 + i * 999_999 })
    programFeed(m, (b) => (b < 7n ? 2000 : 1000))
    await run(m, config(), 1n, 9n)
    uids.push((await pendingOf(m))!.uid)
    m.dispose()
  }
  expect(uids[0]).toBe(uids[1])
})
