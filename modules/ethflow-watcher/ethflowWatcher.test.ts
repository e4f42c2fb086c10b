import fc from 'fast-check'
import { encodeEventTopics, keccak256, toHex, type Hex } from 'viem'
import { afterEach, expect, test } from 'vitest'
import {
  CowApiError,
  EMPTY_APP_DATA_HASH,
  createMockHost,
  createMockStoreBackend,
  orderInvalidationEvent,
  orderPlacementEvent,
  orderRefundEvent,
  type MockHost,
  type ModuleLog,
} from '../sdk/index.ts'
import { ETH_FLOW, ethflowWatcherConfig } from './config.ts'
import ethflowWatcher from './index.ts'
import { CHAIN_ID, SENDER, blockAt, invalidationLog, placementLog, refundLog, uidOf } from './testing/fixtures.ts'

const config = ethflowWatcherConfig.parse({}) // check 2 s after placement, deadline 60 s, recheck every 1 s

let mocks: MockHost[] = []
afterEach(() => {
  for (const mock of mocks) mock.dispose()
  mocks = []
})
function host(storeBackend = createMockStoreBackend()) {
  const mock = createMockHost({ module: ethflowWatcher, storeBackend })
  mocks.push(mock)
  return mock
}
const logs = (mock: MockHost, list: ModuleLog[]) => ethflowWatcher.onLogs!({ host: mock.host, config, block: blockAt(list[0]!.blockNumber), logs: list })
const blocks = async (mock: MockHost, from: bigint, to: bigint) => {
  for (let n = from; n <= to; n++) await ethflowWatcher.onBlock!({ host: mock.host, config, block: blockAt(n) })
}
const checkedAt = (mock: MockHost) => mock.cowApi.getOrders.length
// The markers' prune index (`finished:`) is left out here; prune.test.ts is about it.
const keys = (mock: MockHost) => mock.store.entries().map(([key]) => key).filter((key) => !key.startsWith('finished:'))

test('behavior: an OrderPlacement becomes a watch on the EthFlow-owned UID, checked after the delay', async () => {
  const mock = host()
  const uid = uidOf(10n ** 17n)
  await logs(mock, [placementLog(10n ** 17n, 10n)])
  await logs(mock, [placementLog(10n ** 17n, 10n)]) // the same log again: one watch
  expect(await mock.store.get(`watch:${uid}`)).toMatchObject({ placedAt: blockAt(10n).timestamp, deadline: blockAt(10n).timestamp + 60n })
  expect(keys(mock).filter((k) => k.startsWith('due:'))).toHaveLength(1)
  await blocks(mock, 10n, 10n)
  expect(checkedAt(mock)).toBe(0) // placed + 2 s is the next block
  mock.cowApi.orders.set(uid, { uid, status: 'open' })
  await blocks(mock, 11n, 15n)
  expect(mock.cowApi.getOrders.map((g) => g.uid)).toEqual([uid])
  expect(await mock.store.get(`observed:${uid}`)).toEqual({ block: 11n, timestamp: blockAt(11n).timestamp, delaySeconds: 2n, status: 'open', appData: null, appDataDocument: 'unread' })
  expect(keys(mock)).toEqual([`observed:${uid}`])
  expect(mock.cowApi.submissions).toHaveLength(0)
})

test('behavior: a 404 is checked again until the deadline, then alerts once and writes dropped:<uid>', async () => {
  const mock = host()
  const uid = uidOf(1n)
  await logs(mock, [placementLog(1n, 10n)])
  await blocks(mock, 10n, 60n) // 2 s blocks: the deadline (60 s) is block 40
  expect(checkedAt(mock)).toBe(30) // blocks 11..40
  expect(mock.alerts).toEqual([expect.objectContaining({ kind: 'ethflow-missing', fields: expect.objectContaining({ uid }) })])
  expect(await mock.store.get(`dropped:${uid}`)).toMatchObject({ reason: 'missing', block: 40n })
  expect(keys(mock)).toEqual([`dropped:${uid}`])
  await logs(mock, [placementLog(1n, 10n)]) // a replay does not watch it again
  await blocks(mock, 10n, 60n)
  expect(mock.alerts).toHaveLength(1)
  expect(mock.cowApi.submissions).toHaveLength(0)
})

test('behavior: transport faults and unreadable answers retry with a bounded back-off, never crash', async () => {
  const mock = host()
  const uid = uidOf(1n)
  await logs(mock, [placementLog(1n, 10n)])
  mock.faults.throwNext('cowApi.getOrder', 3)
  mock.cowApi.onGetOrder({ uid: 42 } as never, { times: 1 })
  await blocks(mock, 11n, 13n)
  expect(await mock.store.get(`watch:${uid}`)).toMatchObject({ errors: 3 })
  mock.cowApi.orders.set(uid, { uid })
  await blocks(mock, 14n, 30n)
  expect(await mock.store.get(`observed:${uid}`)).toBeDefined()
  // 2 s blocks. checks: 11 (fault, 1 s -> 12), 12 (fault, 2 s -> 13), 13 (fault, 4 s -> 15), 15 (garbage, 8 s -> 19), 19 (found)
  expect(checkedAt(mock)).toBe(5)
  expect(await mock.store.get(`observed:${uid}`)).toMatchObject({ block: 19n })
})

test('behavior: past the deadline, repeated failures give up as unverified without the missing alert', async () => {
  const mock = host()
  const uid = uidOf(1n)
  await logs(mock, [placementLog(1n, 10n)])
  mock.cowApi.onGetOrder(new CowApiError({ status: 0 }))
  await blocks(mock, 10n, 300n)
  expect(await mock.store.get(`dropped:${uid}`)).toMatchObject({ reason: 'unverified' })
  expect(mock.alerts).toEqual([])
})

test.each([
  ['a lookup rejected with a 404 that is not the orderbook\'s NotFound (HTML from another server)', (mock: MockHost): { cancel(): void } | void => mock.faults.inject({ on: 'cowApi.getOrder', fault: { kind: 'throw', error: new CowApiError({ status: 404, description: '<html><body><h1>404 Not Found</h1></body></html>', url: 'http://127.0.0.1:9/api/v1/orders/0x' }) }, times: Infinity })],
  ['a 401 from an auth proxy', (mock: MockHost): { cancel(): void } | void => mock.faults.inject({ on: 'cowApi.getOrder', fault: { kind: 'throw', error: new CowApiError({ status: 401, description: 'Unauthorized', url: 'http://127.0.0.1:9/api/v1/orders/0x' }) }, times: Infinity })],
])('behavior: %s never declares an order missing nor gives it up; the lookups check says why and clears when the orderbook answers', async (_, refuse) => {
  const mock = host()
  const uid = uidOf(1n)
  await logs(mock, [placementLog(1n, 10n)])
  const refusal = refuse(mock)
  await blocks(mock, 10n, 300n) // deadline at block 40, maxCheckErrors 10: long past both
  expect(mock.alerts).toEqual([])
  expect(keys(mock).filter((k) => k.startsWith('dropped:'))).toEqual([])
  expect(await mock.store.get(`watch:${uid}`)).toBeDefined()
  expect(mock.health.checks.get('lookups')?.reason).toMatch(/HTTP 40[14]/)
  expect(mock.errors.every((e) => e.kind === 'orderbook_refused')).toBe(true)
  refusal?.cancel()
  mock.cowApi.orders.set(uid, { uid, status: 'open' })
  await blocks(mock, 301n, 330n)
  expect(await mock.store.get(`observed:${uid}`)).toBeDefined()
  expect(mock.health.checks.size).toBe(0)
})

test.each([
  ['OrderInvalidation', invalidationLog],
  ['OrderRefund', refundLog],
])('behavior: %s closes the watch with closed:<uid>', async (name, make) => {
  const mock = host()
  const uid = uidOf(5n)
  await logs(mock, [placementLog(5n, 10n)])
  await logs(mock, [make(uid, 11n)])
  await blocks(mock, 10n, 60n)
  expect(keys(mock)).toEqual([`closed:${uid}`])
  expect(await mock.store.get(`closed:${uid}`)).toMatchObject({ reason: name === 'OrderRefund' ? 'refunded' : 'invalidated' })
  expect(checkedAt(mock)).toBe(0)
  expect(mock.alerts).toEqual([])
})

test('behavior: a reorg removes watches placed in the replaced blocks only', async () => {
  const mock = host()
  const early = placementLog(1n, 5n)
  const late = placementLog(2n, 10n)
  await logs(mock, [early])
  await logs(mock, [late])
  await ethflowWatcher.onReorg!({ host: mock.host, config, reorg: { chainId: CHAIN_ID, fromBlock: 8n, removedLogs: [late, early] } })
  expect((await mock.store.list('watch:')).map(([k]) => k)).toEqual([`watch:${uidOf(1n)}`])
  expect(keys(mock).filter((k) => k.startsWith('due:'))).toHaveLength(1)
})

test('behavior: a restarted module on the same store keeps checking (and init restores a lost due entry)', async () => {
  const backend = createMockStoreBackend()
  const first = host(backend)
  const uid = uidOf(1n)
  await logs(first, [placementLog(1n, 10n)])
  const [[, watch]] = (await first.store.list<{ dueKey: string }>('watch:')) as [[string, { dueKey: string }]]
  await first.store.delete(watch.dueKey)
  const second = host(backend)
  second.cowApi.orders.set(uid, { uid })
  await ethflowWatcher.init!({ host: second.host, config })
  await blocks(second, 11n, 12n)
  expect(await second.store.get(`observed:${uid}`)).toMatchObject({ block: 11n })
})

test('behavior: logs from other contracts and undecodable logs are ignored', async () => {
  const mock = host()
  await logs(mock, [{ ...placementLog(1n, 10n), address: SENDER }, { ...placementLog(1n, 10n), data: '0x00' }])
  expect(keys(mock)).toEqual([])
  expect(mock.logs.some((l) => l.level === 'warn' && /does not decode/.test(l.message))).toBe(true)
})

test('property: never throws and never posts, whatever the logs and orderbook answers', async () => {
  const hex = (max: number) => fc.uint8Array({ maxLength: max }).map((b) => toHex(b))
  const topic0 = fc.constantFrom(...[orderPlacementEvent, orderInvalidationEvent, orderRefundEvent].map((e) => encodeEventTopics({ abi: [e] } as never)[0] as Hex))
  const log = fc.record({ topics: fc.array(fc.oneof(topic0, hex(40)), { maxLength: 3 }), data: hex(600) })
  const answer = fc.oneof(fc.constant(null), fc.anything(), fc.record({ status: fc.integer({ min: 0, max: 599 }) }).map((f) => new CowApiError(f)))
  await fc.assert(
    fc.asyncProperty(fc.array(log, { maxLength: 4 }), fc.array(answer, { maxLength: 6 }), async (raw, answers) => {
      const mock = createMockHost({ module: ethflowWatcher })
      await logs(mock, [placementLog(7n, 10n), ...raw.map((r, i) => ({ ...placementLog(7n, 10n, i + 1), ...r }))])
      for (const a of answers) mock.cowApi.onGetOrder(a as never, { times: 1 })
      await blocks(mock, 10n, 50n)
      expect(mock.cowApi.submissions).toHaveLength(0)
      // The only errors allowed are the operator alerts for a run of answers that are not the
      // orderbook's (five transport faults in a row): correct, loud decisions that say what to do.
      expect(mock.logs.filter((l) => l.level === 'error' && !l.message.includes('What to do:'))).toEqual([])
      mock.dispose()
    }),
    { numRuns: 80 },
  )
})

test('behavior: the config fills every default and rejects unknown keys', () => {
  expect(ethflowWatcherConfig.parse(undefined)).toMatchObject({ chainId: 11155111, ethFlows: [ETH_FLOW], checkDelaySeconds: 2, deadlineSeconds: 60 })
  expect(() => ethflowWatcherConfig.parse({ ethflow: [] })).toThrow(/ethflow/)
})

test('behavior: a seen order records whether the orderbook holds its appData document, and warns when it does not', async () => {
  const mock = host()
  const document = '{"appCode":"Shepherd test","metadata":{},"version":"1.15.0"}'
  const hash = keccak256(toHex(document))
  const amounts = [1n, 2n, 3n, 4n]
  const uids = amounts.map((amount) => uidOf(amount))
  await logs(mock, amounts.map((a, i) => placementLog(a, 10n, i)))
  const seen = [
    { uid: uids[0]!, status: 'open', appData: hash, fullAppData: document },
    { uid: uids[1]!, status: 'open', appData: hash, fullAppData: null },
    { uid: uids[2]!, status: 'open', appData: hash, fullAppData: '{"other":1}' },
    { uid: uids[3]!, status: 'open', appData: EMPTY_APP_DATA_HASH, fullAppData: null },
  ]
  for (const order of seen) mock.cowApi.orders.set(order.uid, order as never)
  await blocks(mock, 10n, 12n)
  const documents = await Promise.all(uids.map(async (uid) => (await mock.store.get<{ appDataDocument: string }>(`observed:${uid}`))?.appDataDocument))
  expect(documents).toEqual(['held', 'missing', 'mismatch', 'held'])
  const warned = mock.logs.filter((l) => l.level === 'warn' && /appData document is/.test(l.message)).map((l) => l.fields?.uid)
  expect(warned).toEqual([uids[1], uids[2]])
})
