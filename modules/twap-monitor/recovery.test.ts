import { keccak256, toHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { pollTwap } from '../../harness/twap/model.ts'
import { CowApiError, computeUid, createMockStoreBackend, type BlockRef, type MockHost, type MockStoreBackend } from '../sdk/index.ts'
import twapMonitor from './index.ts'
import { CHAIN_ID, GENESIS_TIME, OWNER, blockAt, createdLog, modelAnswer, orderResult, timeOf, twapData, twapParams } from './testing/fixtures.ts'
import { POLL, config, mockHostsForEachTest } from './testing/hosts.ts'
import { submissionQueueOf } from './submissionQueue.ts'
import { twapWatchId } from './watchStore.ts'

const hosts = mockHostsForEachTest()
const host = (storeBackend: MockStoreBackend = createMockStoreBackend()) => hosts({ storeBackend })
const onBlock = (mock: MockHost, block: BlockRef) => twapMonitor.onBlock!({ host: mock.host, config, block })
const blocks = async (mock: MockHost, from: bigint, to: bigint) => {
  for (let n = from; n <= to; n++) await onBlock(mock, blockAt(n))
}
const uidAt = (number: bigint, data = twapData()) => {
  const r = pollTwap({ data, now: timeOf(number) })
  if (r.kind !== 'order') throw new Error(`no order at block ${number}`)
  return computeUid(CHAIN_ID, r.order, OWNER)
}
/** What lmdb had made durable at one moment: a deep copy of the store backend. */
const snapshot = (backend: MockStoreBackend): MockStoreBackend => ({ namespaces: new Map([...backend.namespaces].map(([name, map]) => [name, new Map(map)])) })

test('behavior: after a kill, a part the previous life posted but never marked is found in the orderbook, not posted again', async () => {
  const backend = createMockStoreBackend()
  const first = host(backend)
  first.chain.onMulticall(POLL, modelAnswer)
  await twapMonitor.onLogs!({ host: first.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
  // The kill lands after the post of block 10 was accepted, before its marker was committed.
  const durable = snapshot(backend)
  await onBlock(first, blockAt(10n))
  expect(first.cowApi.submissions.map((s) => s.outcome)).toEqual(['ok'])

  const second = host(durable)
  second.chain.onMulticall(POLL, modelAnswer)
  second.chain.onRequest('eth_blockNumber', '0xb') // head 11 when the new life starts
  for (const [uid, order] of first.cowApi.orders) second.cowApi.orders.set(uid, order) // the same orderbook
  await twapMonitor.init!({ host: second.host, config })
  await blocks(second, 10n, 25n) // resumed from the cursor: block 10 is handled again
  expect(second.cowApi.getOrders.map((g) => g.uid)).toEqual([uidAt(10n), uidAt(20n)])
  expect(second.cowApi.submissions.map((s) => s.uid)).toEqual([uidAt(20n)]) // part 1 is new: posted once
  expect(await second.store.get(`submitted:${uidAt(10n)}`)).toMatchObject({ already: true, block: 10n })
})

test('behavior: parts that start after the head at start plus a margin post without a lookup (steady state)', async () => {
  const backend = createMockStoreBackend()
  const first = host(backend)
  await twapMonitor.onLogs!({ host: first.host, config, block: blockAt(5n), logs: [createdLog(twapParams(), 5n)] })
  const second = host(backend)
  second.chain.onMulticall(POLL, modelAnswer)
  second.chain.onRequest('eth_blockNumber', '0x5') // head 5: recovery covers parts that started by block 5 + 16 = 21
  await twapMonitor.init!({ host: second.host, config })
  await blocks(second, 5n, 45n)
  expect(second.cowApi.submissions.map((s) => s.uid)).toEqual([10n, 20n, 30n, 40n].map((n) => uidAt(n)))
  expect(second.cowApi.getOrders.map((g) => g.uid)).toEqual([uidAt(10n), uidAt(20n)])
})

test('behavior: a fresh start (no watches) does no recovery lookups at all', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  await twapMonitor.init!({ host: mock.host, config })
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
  await blocks(mock, 10n, 12n)
  expect(mock.chain.requests).toHaveLength(0)
  expect(mock.cowApi.getOrders).toHaveLength(0)
  expect(mock.cowApi.submissions).toHaveLength(1)
})

test('behavior: a failed lookup while recovering posts nothing that block and asks again next block', async () => {
  const backend = createMockStoreBackend()
  await twapMonitor.onLogs!({ host: host(backend).host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
  const second = host(backend)
  second.chain.onMulticall(POLL, modelAnswer)
  second.chain.onRequest('eth_blockNumber', '0xa')
  second.cowApi.onGetOrder(new CowApiError({ status: 0, description: 'connection reset' }), { times: 1 })
  await twapMonitor.init!({ host: second.host, config })
  await onBlock(second, blockAt(10n))
  expect(second.cowApi.submissions).toHaveLength(0)
  await onBlock(second, blockAt(11n))
  expect(second.cowApi.getOrders.map((g) => g.outcome)).toEqual(['error', 'ok'])
  expect(second.cowApi.submissions.map((s) => s.uid)).toEqual([uidAt(10n)])
})

test('behavior: without the head at start, recovery is bounded by time instead', async () => {
  const backend = createMockStoreBackend()
  await twapMonitor.onLogs!({ host: host(backend).host, config, block: blockAt(5n), logs: [createdLog(twapParams(), 5n)] })
  const second = host(backend) // no eth_blockNumber answer: the read fails
  second.chain.onMulticall(POLL, modelAnswer)
  await twapMonitor.init!({ host: second.host, config })
  await blocks(second, 5n, 45n)
  // The clock starts at GENESIS_TIME: 300 s of recovery cover blocks up to 25.
  expect(second.cowApi.getOrders.map((g) => g.uid)).toEqual([uidAt(10n), uidAt(20n)])
  expect(second.cowApi.submissions).toHaveLength(4)
})

/** A host whose polls answer the first part of a 2-part TWAP with 14 s parts starting at genesis. */
function fourteenSecondPart() {
  const mock = host()
  const data = twapData({ t0: GENESIS_TIME, t: 14n, n: 2n })
  const part = pollTwap({ data, now: GENESIS_TIME })
  if (part.kind !== 'order') throw new Error('model')
  mock.chain.onMulticall(POLL, orderResult(part.order))
  return { mock, data, part }
}

test('behavior: with 1 s blocks and a 14 s part, six 5xx in a row still leave time to deliver the part', async () => {
  const { mock, data, part } = fourteenSecondPart()
  mock.cowApi.onSubmit(new CowApiError({ status: 500, errorType: 'InternalServerError' }), { times: 6 })
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(0n), logs: [createdLog(twapParams(data), 0n)] })
  // The policy's 5 s back-off would give 3 tries (t = 0, 5, 10) before validTo = t0 + 13.
  for (let n = 0n; n <= 13n; n++) await onBlock(mock, { ...blockAt(n), timestamp: GENESIS_TIME + n })
  expect(mock.cowApi.submissions.map((s) => s.outcome)).toEqual([...Array(6).fill('error'), 'ok'])
  expect(mock.cowApi.submissions.at(-1)!.uid).toBe(computeUid(CHAIN_ID, part.order, OWNER))
})

test('behavior: a 429 with Retry-After is honoured as the server said, even past the window', async () => {
  const { mock, data, part } = fourteenSecondPart()
  mock.cowApi.onSubmit(new CowApiError({ status: 429, retryAfter: 30 }), { times: 1 })
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(0n), logs: [createdLog(twapParams(data), 0n)] })
  await onBlock(mock, { ...blockAt(0n), timestamp: GENESIS_TIME })
  expect(await mock.store.get(`backoff:${twapWatchId(OWNER, twapParams(data))}`)).toMatchObject({ until: GENESIS_TIME + 30n })
})

test('behavior: a post that ended in a transport fault is looked up before it is posted again', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  // The orderbook stores the order, but the answer never arrives (a timeout after the server stored it).
  mock.cowApi.onSubmit(
    (order) => {
      mock.cowApi.orders.set(uidAt(10n).toLowerCase(), { ...order, uid: uidAt(10n) })
      return new CowApiError({ status: 0, description: 'timeout' })
    },
    { times: 1 },
  )
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
  await blocks(mock, 10n, 25n)
  expect(mock.cowApi.submissions.map((s) => s.uid ?? s.outcome)).toEqual(['error', uidAt(20n)])
  expect(mock.cowApi.getOrders.map((g) => g.uid)).toEqual([uidAt(10n)])
  expect(await mock.store.get(`submitted:${uidAt(10n)}`)).toMatchObject({ already: true })
})

test('behavior: a 5xx (the server answered) leaves no doubt: the retry posts without a lookup', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  mock.cowApi.onSubmit(new CowApiError({ status: 503, errorType: 'InternalServerError' }), { times: 1 })
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
  await blocks(mock, 10n, 12n)
  expect(mock.cowApi.submissions.map((s) => s.outcome)).toEqual(['error', 'ok'])
  expect(mock.cowApi.getOrders).toHaveLength(0)
})

describe('recovery follows when a part became due, not when the backlog reaches it', () => {
  // One watch polled per block: 30 watches due at block 10 take 30 blocks to poll.
  const narrow = { ...config, maxPollsPerBlock: 1, minPollsPerBlock: 1, initialPollsPerBlock: 1 }
  // Hour-long parts (300 blocks of 12 s): still valid when the backlog reaches them.
  const backlog = Array.from({ length: 30 }, (_, i) => twapData({ t: 3600n, partSellAmount: 10n ** 17n + BigInt(i) }))
  const backlogParams = backlog.map((data, i) => twapParams(data, keccak256(toHex(`backlog${i}`))))
  // Its first part starts at block 40: well after the head at start (11) plus the margin.
  const later = twapData({ t: 3600n, t0: timeOf(40n), partSellAmount: 7n })
  const laterParams = twapParams(later, keccak256(toHex('later')))
  // Due entries are taken in key order (block, then id): the largest id is polled last.
  const last = backlogParams.map((p, i) => ({ id: twapWatchId(OWNER, p), i })).sort((a, b) => (a.id < b.id ? -1 : 1)).at(-1)!.i
  const uidOf = (data: ReturnType<typeof twapData>, number: bigint) => uidAt(number, data)

  test('behavior: after a restart with a backlog larger than the poll budget, a part the dead life posted is looked up however late it is polled, and not posted again; a part due after the start posts without a lookup', async () => {
    const backend = createMockStoreBackend()
    const logs = [...backlogParams, laterParams].map((p, i) => createdLog(p, 10n, { logIndex: i }))
    await twapMonitor.onLogs!({ host: host(backend).host, config: narrow, block: blockAt(10n), logs })
    const second = host(backend)
    second.chain.onMulticall(POLL, modelAnswer)
    second.chain.onRequest('eth_blockNumber', '0xb') // head 11 when the new life starts
    // The dead life posted the last watch's part (its marker never committed): the orderbook has it.
    const posted = uidOf(backlog[last]!, 10n)
    second.cowApi.orders.set(posted.toLowerCase(), { uid: posted })
    await twapMonitor.init!({ host: second.host, config: narrow })
    for (let n = 10n; n <= 45n; n++) await twapMonitor.onBlock!({ host: second.host, config: narrow, block: blockAt(n) })
    await submissionQueueOf(second.host, 1).idle()

    const marker = await second.store.get<{ already?: boolean; block: bigint }>(`submitted:${posted}`)
    expect(marker).toMatchObject({ already: true })
    expect(marker!.block).toBeGreaterThanOrEqual(11n + 20n) // polled 20+ blocks after the start
    // No post of it at all (a repeat would be answered DuplicatedOrder and recorded without a uid).
    expect(second.cowApi.submissions.filter((s) => s.outcome !== 'ok')).toEqual([])
    expect(second.cowApi.submissions.filter((s) => BigInt(s.order.sellAmount) === backlog[last]!.partSellAmount)).toEqual([])
    expect(second.cowApi.getOrders.map((g) => g.uid)).toContain(posted)
    // Every other backlog part posted exactly once; the later part posted once, without a lookup.
    const others = backlog.filter((_, i) => i !== last).map((data) => uidOf(data, 10n))
    const laterUid = uidOf(later, 40n)
    expect(second.cowApi.submissions.map((s) => s.uid).sort()).toEqual([...others, laterUid].sort())
    expect(second.cowApi.getOrders.map((g) => g.uid)).not.toContain(laterUid)
    expect(await second.store.get(`submitted:${laterUid}`)).toMatchObject({ block: expect.any(BigInt) })
  })
})
