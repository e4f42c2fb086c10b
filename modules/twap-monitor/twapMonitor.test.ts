import { getAddress, keccak256, toHex } from 'viem'
import { expect, test } from 'vitest'
import { pollTwap } from '../../harness/twap/model.ts'
import { CowApiError, computeUid, createMockStoreBackend, restoreRemovedWatch, type MockHost, type ModuleLog } from '../sdk/index.ts'
import { twapMonitorConfig } from './config.ts'
import twapMonitor from './index.ts'
import { CHAIN_ID, OWNER, blockAt, createdLog, modelAnswer, orderResult, pollRevert, timeOf, twapData, twapParams } from './testing/fixtures.ts'
import { POLL, config, mockHostsForEachTest } from './testing/hosts.ts'
import { twapWatchId } from './watchStore.ts'

const host = mockHostsForEachTest()
const logs = (mock: MockHost, list: ModuleLog[], number = list[0]!.blockNumber) => twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(number), logs: list })
const block = (mock: MockHost, number: bigint) => twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(number) })
const polls = (mock: MockHost) => mock.chain.multicalls.flatMap((m) => m.calls.map(() => m.blockNumber))
// The markers' prune index (`finished:`) is left out here; prune.test.ts is about it.
const keys = (mock: MockHost) => mock.store.entries().map(([key]) => key).filter((key) => !key.startsWith('finished:'))
const uidAt = (data = twapData(), number: bigint) => {
  const r = pollTwap({ data, now: timeOf(number) })
  if (r.kind !== 'order') throw new Error(`no order at block ${number}`)
  return computeUid(CHAIN_ID, r.order, OWNER)
}

test('behavior: a ConditionalOrderCreated of a watched handler becomes one watch, even when delivered twice', async () => {
  const mock = host()
  const log = createdLog(twapParams(), 5n)
  await logs(mock, [log])
  await logs(mock, [log])
  const id = twapWatchId(OWNER, twapParams())
  expect(await mock.store.list('watch:')).toEqual([[`watch:${id}`, expect.objectContaining({ owner: OWNER, createdBlock: 5n, unknowns: 0 })]])
  expect(keys(mock).filter((k) => k.startsWith('due:'))).toEqual([`due:b:${'5'.padStart(20, '0')}:${id}`])
})

test('behavior: orders of other handlers and undecodable logs are ignored', async () => {
  const mock = host()
  const other = getAddress('0x1111111111111111111111111111111111111111')
  await logs(mock, [createdLog(twapParams(twapData(), undefined, other), 5n), { ...createdLog(twapParams(), 5n), data: '0x1234' }])
  expect(keys(mock)).toEqual([])
  expect(mock.logs.some((l) => l.level === 'debug' && /unwatched handler/.test(l.message))).toBe(true)
  expect(mock.logs.some((l) => l.level === 'warn' && /does not decode/.test(l.message))).toBe(true)
})

test('behavior: a TWAP is submitted once per part, polled once per part, and forgotten after it finishes', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  const data = twapData() // t0 = time of block 10, 4 parts of 120 s = 10 blocks each
  await logs(mock, [createdLog(twapParams(data), 5n)])
  for (let n = 5n; n <= 60n; n++) await block(mock, n)
  const expected = [10n, 20n, 30n, 40n].map((n) => uidAt(data, n))
  expect(mock.cowApi.submissions.map((s) => s.uid)).toEqual(expected)
  expect(mock.cowApi.submissions.every((s) => s.order.signingScheme === 'eip1271' && s.order.from === OWNER && s.order.signature === '0xc0ffee')).toBe(true)
  // block 5 (before start -> t0), then the first block of each part, then the finish at block 50.
  expect(polls(mock)).toEqual([5n, 10n, 20n, 30n, 40n, 50n])
  expect(mock.chain.multicalls.every((m) => m.blockNumber !== undefined && m.chainId === CHAIN_ID)).toBe(true)
  expect(keys(mock).sort()).toEqual(expected.map((uid) => `submitted:${uid}`).sort())
  expect(await mock.store.get(`submitted:${expected[1]}`)).toMatchObject({ block: 20n, part: 1n, owner: OWNER })
  expect(mock.logs.filter((l) => l.level === 'info' && l.message === 'TWAP part submitted').map((l) => l.fields?.uid)).toEqual(expected)
})

test('behavior: with a span, the next poll is at the next part start', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  const data = twapData({ span: 36n }) // parts open 3 blocks of every 10
  await logs(mock, [createdLog(twapParams(data), 10n)])
  for (let n = 10n; n <= 35n; n++) await block(mock, n)
  expect(polls(mock)).toEqual([10n, 20n, 30n])
  expect(mock.cowApi.submissions).toHaveLength(3)
})

test('behavior: tryNextBlock, tryAtBlock and tryAtEpoch decide the next poll', async () => {
  const mock = host()
  await logs(mock, [createdLog(twapParams(), 1n)])
  mock.chain.onMulticall(POLL, pollRevert('PollTryNextBlock', ['wait']), { times: 1 })
  await block(mock, 1n)
  mock.chain.onMulticall(POLL, pollRevert('PollTryAtBlock', [5n, 'later']), { times: 1 })
  await block(mock, 2n)
  mock.chain.onMulticall(POLL, pollRevert('PollTryAtEpoch', [timeOf(8n) + 1n, 'later']), { times: 1 })
  for (let n = 3n; n <= 5n; n++) await block(mock, n)
  mock.chain.onMulticall(POLL, pollRevert('PollTryNextBlock', ['again']))
  for (let n = 6n; n <= 10n; n++) await block(mock, n)
  expect(polls(mock)).toEqual([1n, 2n, 5n, 9n, 10n])
})

test.each([
  ['never', pollRevert('PollNever', ['stop'])],
  ['notValid', pollRevert('OrderNotValid', ['after twap finish'])],
  ['SingleOrderNotAuthed', pollRevert('SingleOrderNotAuthed')],
])('behavior: %s removes the watch and every key of it', async (_, answer) => {
  const mock = host()
  const id = twapWatchId(OWNER, twapParams())
  await logs(mock, [createdLog(twapParams(), 1n)])
  await mock.store.set(`backoff:${id}`, { until: 0n })
  mock.chain.onMulticall(POLL, answer)
  await block(mock, 1n)
  await block(mock, 2n)
  expect(keys(mock)).toEqual([])
  expect(polls(mock)).toEqual([1n])
})

test('behavior: unreadable answers back off exponentially in blocks; after maxUnknownPolls the watch is removed, metered, and restorable', async () => {
  const mock = host()
  const id = twapWatchId(OWNER, twapParams())
  const cfg = { ...config, maxUnknownPolls: 5, unknownBackoffMaxBlocks: 4 }
  await logs(mock, [createdLog(twapParams(), 1n)])
  mock.chain.onMulticall(POLL, { revert: '0xdeadbeef' })
  for (let n = 1n; n <= 20n; n++) await twapMonitor.onBlock!({ host: mock.host, config: cfg, block: blockAt(n) })
  expect(polls(mock)).toEqual([1n, 2n, 4n, 8n, 12n]) // waits of 1, 2, 4 and (capped) 4 blocks
  expect(keys(mock)).toEqual([`removed:${id}`])
  expect(await mock.store.get(`removed:${id}`)).toMatchObject({ id, reason: '5 poll answers in a row could not be read (last: 0xdeadbeef)', block: 12n })
  expect(mock.errors.map((e) => e.kind)).toEqual(['poll_unknown', 'poll_unknown', 'poll_unknown', 'poll_unknown', 'watch_removed'])
  expect(mock.logs.some((l) => l.level === 'error' && String(l.fields?.restore).includes(`shepherd watches restore ${id}`))).toBe(true)

  // An operator restores it: it is polled at the next block, with its count reset.
  expect(await restoreRemovedWatch(mock.store, id)).toBe(true)
  mock.chain.onMulticall(POLL, modelAnswer)
  await twapMonitor.onBlock!({ host: mock.host, config: cfg, block: blockAt(21n) })
  expect(polls(mock).at(-1)).toBe(21n)
  expect(await mock.store.get(`watch:${id}`)).toMatchObject({ unknowns: 0 })
  expect(await mock.store.get(`removed:${id}`)).toBeUndefined()
})

test('behavior: an unknown answer followed by a known one resets the count', async () => {
  const mock = host()
  await logs(mock, [createdLog(twapParams(), 1n)])
  for (let n = 1n; n <= 12n; n++) {
    mock.chain.onMulticall(POLL, n % 4n === 0n ? pollRevert('PollTryNextBlock', ['x']) : { revert: '0x' }, { times: 1 })
    await block(mock, n)
  }
  expect(await mock.store.list('watch:')).toHaveLength(1)
})

test('behavior: an already expired part is never submitted: it is recorded as missed and metered, once', async () => {
  const mock = host()
  const order = pollTwap({ data: twapData(), now: timeOf(10n) })
  if (order.kind !== 'order') throw new Error('model')
  mock.chain.onMulticall(POLL, orderResult(order.order))
  await logs(mock, [createdLog(twapParams(), 25n)])
  await block(mock, 25n) // part 0 ended at block 20
  await block(mock, 26n)
  expect(mock.cowApi.submissions).toHaveLength(0)
  expect(await mock.store.get(`missed:${uidAt(undefined, 10n)}`)).toMatchObject({ validTo: order.order.validTo, headTime: timeOf(25n) })
  expect(mock.errors.map((e) => e.kind)).toEqual(['part_missed'])
})

test('behavior: a block that is not old by the clock costs no head lookup', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  await logs(mock, [createdLog(twapParams(), 10n)])
  mock.clock.set(Number(timeOf(10n)) * 1000 + 900)
  await block(mock, 10n)
  expect(mock.cowApi.submissions).toHaveLength(1)
  expect(mock.chain.requests).toHaveLength(0)
})

test('behavior: catching up, a part valid at the old block but expired at the head is recorded as missed, not posted', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  // The head is block 25 (part 0 ended at block 20); the module is still at block 10.
  mock.clock.set(Number(timeOf(25n)) * 1000 + 1500)
  mock.chain.onRequest('eth_getBlockByNumber', { number: '0x19', timestamp: `0x${timeOf(25n).toString(16)}` })
  await logs(mock, [createdLog(twapParams(), 10n)])
  await block(mock, 10n)
  expect(mock.cowApi.submissions).toHaveLength(0)
  expect(await mock.store.get(`missed:${uidAt(undefined, 10n)}`)).toMatchObject({ block: 10n, headTime: timeOf(25n) })
  expect(mock.errors.map((e) => e.kind)).toEqual(['part_missed'])
  // Catching up further: the next poll (part 1, at block 20) asks the head again, and part 1 is posted.
  for (let n = 11n; n <= 20n; n++) await block(mock, n)
  expect(mock.chain.requests).toHaveLength(2)
  expect(mock.cowApi.submissions.map((s) => s.uid)).toEqual([uidAt(undefined, 20n)])
})

test('behavior: tradeable parts of one block are posted nearest validTo first', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  // Six TWAPs whose part 0 ends at different times; created in an order unrelated to it.
  const periods = [360n, 120n, 600n, 240n, 480n, 180n]
  const datas = periods.map((t) => twapData({ t }))
  await logs(mock, datas.map((data, i) => createdLog(twapParams(data, keccak256(toHex(`p${i}`))), 10n, { logIndex: i })))
  await twapMonitor.onBlock!({ host: mock.host, config: { ...config, submitConcurrency: 1 }, block: blockAt(10n) })
  const validTos = mock.cowApi.submissions.map((s) => s.order.validTo)
  expect(validTos).toHaveLength(6)
  expect(validTos).toEqual([...validTos].sort((a, b) => a - b))
})

test('behavior: a part marked submitted is skipped and the watch waits for the next part', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  await mock.store.set(`submitted:${uidAt(undefined, 10n)}`, { block: 1n })
  await logs(mock, [createdLog(twapParams(), 10n)])
  for (let n = 10n; n <= 20n; n++) await block(mock, n)
  expect(mock.cowApi.submissions.map((s) => s.uid)).toEqual([uidAt(undefined, 20n)])
  expect(polls(mock)).toEqual([10n, 20n])
})

test('behavior: DuplicatedOrder counts as submitted and moves on to the next part', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  mock.cowApi.onSubmit(new CowApiError({ status: 400, errorType: 'DuplicatedOrder' }), { times: 1 })
  await logs(mock, [createdLog(twapParams(), 10n)])
  for (let n = 10n; n <= 19n; n++) await block(mock, n)
  expect(await mock.store.get(`submitted:${uidAt(undefined, 10n)}`)).toMatchObject({ already: true })
  expect(polls(mock)).toEqual([10n])
})

test('behavior: a retry-next-block error polls and submits again next block', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  mock.cowApi.onSubmit(new CowApiError({ status: 400, errorType: 'QuoteNotFound' }), { times: 1 })
  await logs(mock, [createdLog(twapParams(), 10n)])
  for (let n = 10n; n <= 12n; n++) await block(mock, n)
  expect(polls(mock)).toEqual([10n, 11n])
  expect(mock.cowApi.submissions.map((s) => s.outcome)).toEqual(['error', 'ok'])
})

test('behavior: a backoff error writes backoff:<id> and the watch is not polled before it ends', async () => {
  const mock = host()
  const id = twapWatchId(OWNER, twapParams())
  mock.chain.onMulticall(POLL, modelAnswer)
  mock.cowApi.onSubmit(new CowApiError({ status: 429, retryAfter: 30 }), { times: 1 })
  await logs(mock, [createdLog(twapParams(), 10n)])
  await block(mock, 10n)
  expect(await mock.store.get(`backoff:${id}`)).toMatchObject({ until: timeOf(10n) + 30n, reason: 'rate limited (429)' })
  for (let n = 11n; n <= 14n; n++) await block(mock, n)
  expect(polls(mock)).toEqual([10n, 13n]) // 10 + 30 s lands in block 13 (time 36 s later)
  expect(mock.cowApi.submissions.map((s) => s.outcome)).toEqual(['error', 'ok'])
  expect(await mock.store.get(`backoff:${id}`)).toBeUndefined()
})

test('behavior: a drop error writes dropped:<uid> and the next part is still submitted', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  mock.cowApi.onSubmit(new CowApiError({ status: 400, errorType: 'ExcessiveValidTo' }), { times: 1 })
  await logs(mock, [createdLog(twapParams(), 10n)])
  for (let n = 10n; n <= 20n; n++) await block(mock, n)
  expect(await mock.store.get(`dropped:${uidAt(undefined, 10n)}`)).toMatchObject({ reason: 'ExcessiveValidTo' })
  expect(polls(mock)).toEqual([10n, 20n])
  expect(mock.cowApi.submissions.map((s) => s.outcome)).toEqual(['error', 'ok'])
})

test('behavior: appData the orderbook does not know backs off a minute (InvalidAppData)', async () => {
  const mock = host()
  const data = twapData({ appData: keccak256(toHex('{"appCode":"x"}')) })
  mock.chain.onMulticall(POLL, modelAnswer)
  await logs(mock, [createdLog(twapParams(data), 10n)])
  await block(mock, 10n)
  expect(mock.cowApi.submissions).toHaveLength(0)
  expect(await mock.store.get(`backoff:${twapWatchId(OWNER, twapParams(data))}`)).toMatchObject({ until: timeOf(10n) + 60n })
  mock.cowApi.addAppData('{"appCode":"x"}')
  for (let n = 11n; n <= 15n; n++) await block(mock, n)
  expect(mock.cowApi.submissions.map((s) => s.outcome)).toEqual(['ok'])
  expect(polls(mock)).toEqual([10n, 15n])
})

test('behavior: a failed multicall leaves the due watches due for the next block', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  await logs(mock, [createdLog(twapParams(), 10n)])
  mock.faults.throwNext('chain.multicall')
  await block(mock, 10n)
  await block(mock, 11n)
  expect(mock.cowApi.submissions).toHaveLength(1)
})

test('behavior: two watches yielding the same order submit it once', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  await logs(mock, [createdLog(twapParams(twapData(), keccak256('0x01')), 10n), createdLog(twapParams(twapData(), keccak256('0x02')), 10n, { logIndex: 1 })])
  await block(mock, 10n)
  expect(mock.cowApi.submissions).toHaveLength(1)
  expect(await mock.store.list('watch:')).toHaveLength(2)
})

test('behavior: at most maxPollsPerBlock watches are polled per block, in one multicall', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, pollRevert('PollTryNextBlock', ['x']))
  await logs(mock, Array.from({ length: 10 }, (_, i) => createdLog(twapParams(twapData(), keccak256(toHex(i))), 1n, { logIndex: i })))
  await twapMonitor.onBlock!({ host: mock.host, config: { ...config, maxPollsPerBlock: 3 }, block: blockAt(1n) })
  expect(mock.chain.multicalls).toHaveLength(1)
  expect(mock.chain.multicalls[0]!.calls).toHaveLength(3)
  expect(mock.chain.multicalls[0]!.blockNumber).toBe(1n)
})

test('behavior: a reorg removes a watch created in the replaced blocks and keeps submitted markers', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  const old = createdLog(twapParams(twapData(), keccak256('0x01')), 3n)
  const fresh = createdLog(twapParams(), 10n)
  await logs(mock, [old])
  await logs(mock, [fresh])
  await block(mock, 10n)
  await twapMonitor.onReorg!({ host: mock.host, config, reorg: { chainId: CHAIN_ID, fromBlock: 10n, removedLogs: [{ ...fresh, removed: true }, { ...old, removed: true }] } })
  const left = keys(mock)
  expect(left.filter((k) => k.startsWith('watch:'))).toEqual([`watch:${twapWatchId(OWNER, twapParams(twapData(), keccak256('0x01')))}`])
  expect(left.filter((k) => k.startsWith('submitted:'))).toHaveLength(1)
  expect(left.some((k) => k.includes(twapWatchId(OWNER, twapParams())))).toBe(false)
})

test('behavior: a restarted module on the same store continues without resubmitting', async () => {
  const backend = createMockStoreBackend()
  const first = host({ module: twapMonitor, storeBackend: backend })
  first.chain.onMulticall(POLL, modelAnswer)
  await logs(first, [createdLog(twapParams(), 10n)])
  for (let n = 10n; n <= 12n; n++) await block(first, n)
  // Crash between writes: the due entry is lost; init puts it back.
  const [[, watch]] = (await first.store.list<{ dueKey: string }>('watch:')) as [[string, { dueKey: string }]]
  await first.store.delete(watch.dueKey)

  const second = host({ module: twapMonitor, storeBackend: backend })
  second.chain.onMulticall(POLL, modelAnswer)
  second.cowApi.orders.set(uidAt(undefined, 10n), { uid: uidAt(undefined, 10n) })
  await twapMonitor.init!({ host: second.host, config })
  for (let n = 12n; n <= 25n; n++) await block(second, n)
  expect(second.cowApi.submissions.map((s) => s.uid)).toEqual([uidAt(undefined, 20n)])
  expect(polls(second)).toEqual([20n])
})

test('behavior: the config fills every default and rejects unknown keys', () => {
  expect(twapMonitorConfig.parse(undefined)).toEqual({
    chainId: 11155111,
    composableCow: '0xfdaFc9d1902f4e0b84f65F49f244b32b31013b74',
    handlers: ['0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5'],
    maxPollsPerBlock: 10000,
    submitConcurrency: 256,
    maxUnknownPolls: 12,
    unknownBackoffMaxBlocks: 256,
    stopSubmissionsAfter: 5,
    degradedAfterFailedPolls: 3,
    retainFinishedBlocks: 50_400,
    initialPollsPerBlock: 10_000,
    minPollsPerBlock: 100,
    pollTimeFraction: 0.4,
    blockIntervalMs: 12000,
    submitWaitMs: 250,
    maxQueuedParts: 10000,
  })
  expect(() => twapMonitorConfig.parse({ handler: [] })).toThrow(/handler/)
  expect(() => twapMonitorConfig.parse({ handlers: ['0x12'] })).toThrow(/address/)
})
