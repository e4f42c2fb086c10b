import { keccak256, toHex } from 'viem'
import { expect, test } from 'vitest'
import { pollTwap } from '../../harness/twap/model.ts'
import { computeUid, createMockStoreBackend, type MockHost, type MockStoreBackend } from '../sdk/index.ts'
import twapMonitor from './index.ts'
import { CHAIN_ID, OWNER, blockAt, createdLog, modelAnswer, timeOf, twapData, twapParams } from './testing/fixtures.ts'
import { POLL, config, mockHostsForEachTest } from './testing/hosts.ts'
import { submissionQueueOf } from './submissionQueue.ts'
import { twapWatchId } from './watchStore.ts'

const hosts = mockHostsForEachTest()
// The pass does not wait for its posts at all: what is still posting when it returns is in the background.
const background = { ...config, submitWaitMs: 0 }
const datas = [120n, 240n, 360n].map((t) => twapData({ t }))
const params = datas.map((data, i) => twapParams(data, keccak256(toHex(`s${i}`))))
const uidOf = (data: (typeof datas)[number], number: bigint) => {
  const r = pollTwap({ data, now: timeOf(number) })
  if (r.kind !== 'order') throw new Error(`no order at block ${number}`)
  return computeUid(CHAIN_ID, r.order, OWNER)
}
const uids = datas.map((data) => uidOf(data, 10n))
/** What lmdb had made durable at one moment: a deep copy of the store backend. */
const snapshot = (backend: MockStoreBackend): MockStoreBackend => ({ namespaces: new Map([...backend.namespaces].map(([name, map]) => [name, new Map(map)])) })

/** A host with the three TWAPs created at block 10, whose posts wait until `open()`. */
async function withHeldPosts(backend = createMockStoreBackend()) {
  const mock = hosts({ storeBackend: backend })
  mock.chain.onMulticall(POLL, modelAnswer)
  let open!: () => void
  const opened = new Promise<void>((resolve) => (open = resolve))
  mock.cowApi.onSubmit(async (order) => {
    await opened
    return uids[datas.findIndex((data) => Number(data.t0 + data.t - 1n) === order.validTo)]!
  })
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: params.map((p, i) => createdLog(p, 10n, { logIndex: i })) })
  return { mock, open }
}
const onBlock = (mock: MockHost, number: bigint) => twapMonitor.onBlock!({ host: mock.host, config: background, block: blockAt(number) })
const dueKeys = (mock: MockHost) => mock.store.entries().map(([key]) => key).filter((key) => key.startsWith('due:'))

test('behavior: a block pass returns while its parts still post; the next block does not poll or post them again', async () => {
  const { mock, open } = await withHeldPosts()
  await onBlock(mock, 10n)
  expect(mock.chain.multicalls).toHaveLength(1)
  expect(submissionQueueOf(mock.host, 1).size).toBe(3)
  // Still posting: the watches keep their due entries (due at block 10) but block 11 skips them.
  await onBlock(mock, 11n)
  expect(mock.chain.multicalls).toHaveLength(1)
  expect(dueKeys(mock)).toHaveLength(3)
  expect(dueKeys(mock).every((key) => key.startsWith(`due:b:${'10'.padStart(20, '0')}:`))).toBe(true)
  open()
  await submissionQueueOf(mock.host, 1).idle()
  expect(mock.cowApi.submissions.map((s) => s.uid).sort()).toEqual([...uids].sort())
  for (const uid of uids) expect(await mock.store.get(`submitted:${uid}`)).toMatchObject({ block: 10n })
  // Posted: each watch now sleeps until its next part.
  expect(dueKeys(mock).every((key) => key.startsWith('due:t:'))).toBe(true)
  for (let n = 12n; n <= 13n; n++) await onBlock(mock, n)
  expect(mock.cowApi.submissions).toHaveLength(3)
})

test('behavior: parts queued at a crash are neither lost nor posted twice by the next life', async () => {
  const backend = createMockStoreBackend()
  const { mock: first } = await withHeldPosts(backend)
  await onBlock(first, 10n) // returns with three posts under way; the engine's cursor passes block 10
  // The kill: one post had been accepted (its marker never written), two were still waiting.
  const durable = snapshot(backend)
  const second = hosts({ storeBackend: durable })
  second.chain.onMulticall(POLL, modelAnswer)
  second.chain.onRequest('eth_blockNumber', '0xb') // head 11 when the new life starts
  second.cowApi.orders.set(uids[0]!.toLowerCase(), { uid: uids[0]! })
  await twapMonitor.init!({ host: second.host, config })
  await onBlock(second, 11n) // the cursor resumes after block 10: the watches are still due
  await submissionQueueOf(second.host, 1).idle()
  expect(second.cowApi.getOrders.map((g) => g.uid).sort()).toEqual([...uids].sort())
  expect(second.cowApi.submissions.map((s) => s.uid).sort()).toEqual([uids[1], uids[2]].sort())
  expect(await second.store.get(`submitted:${uids[0]}`)).toMatchObject({ already: true })
  for (const uid of uids.slice(1)) expect(await second.store.get(`submitted:${uid}`)).toMatchObject({ block: 11n })
})

test('behavior: the default pass waits for its posts, so a quick orderbook leaves nothing in the background', async () => {
  const mock = hosts()
  mock.chain.onMulticall(POLL, modelAnswer)
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(twapParams(), 10n)] })
  await twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(10n) })
  expect(submissionQueueOf(mock.host, 1).size).toBe(0)
  expect(await mock.store.get(`submitted:${uidOf(twapData(), 10n)}`)).toBeDefined()
  expect(await mock.store.get(`watch:${twapWatchId(OWNER, twapParams())}`)).toMatchObject({ dueKey: expect.stringMatching(/^due:t:/) })
})

test('behavior: a block polls no more watches than the queue has room for; the rest wait, still due', async () => {
  const { mock, open } = await withHeldPosts()
  const small = { ...background, maxQueuedParts: 2 }
  const pass = (number: bigint) => twapMonitor.onBlock!({ host: mock.host, config: small, block: blockAt(number) })
  await pass(10n)
  expect(mock.chain.multicalls.map((m) => m.calls.length)).toEqual([2])
  await pass(11n) // the queue is full: nothing is polled
  expect(mock.chain.multicalls.map((m) => m.calls.length)).toEqual([2])
  open()
  await submissionQueueOf(mock.host, 1).idle()
  await pass(12n)
  expect(mock.chain.multicalls.map((m) => m.calls.length)).toEqual([2, 1])
  await submissionQueueOf(mock.host, 1).idle()
  expect(mock.cowApi.submissions.map((s) => s.uid).sort()).toEqual([...uids].sort())
})

test('behavior: a queued part whose window ended while it waited (a newer block handled) is recorded as missed, not posted late', async () => {
  const mock = hosts()
  mock.chain.onMulticall(POLL, modelAnswer)
  await twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(10n), logs: [createdLog(params[0]!, 10n)] })
  // Something keeps the queue from starting posts (here: an outside hold) past the part's validTo.
  const release = submissionQueueOf(mock.host, 1).hold()
  await onBlock(mock, 10n) // part 0 of a 120 s TWAP: validTo = time of block 10 + 119 s
  await onBlock(mock, 20n) // time of block 10 + 120 s: the part's window has ended
  release()
  await submissionQueueOf(mock.host, 1).idle()
  expect(mock.cowApi.submissions).toHaveLength(0)
  expect(await mock.store.get(`missed:${uids[0]}`)).toMatchObject({ block: 10n, headTime: timeOf(20n) })
})
