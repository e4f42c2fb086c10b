import { keccak256, toHex } from 'viem'
import { expect, test } from 'vitest'
import { pollTwap } from '../../harness/twap/model.ts'
import { CowApiError, computeUid, type MockHost } from '../sdk/index.ts'
import { twapMonitorConfig } from './config.ts'
import twapMonitor from './index.ts'
import { CHAIN_ID, OWNER, blockAt, createdLog, modelAnswer, timeOf, twapData, twapParams } from './testing/fixtures.ts'
import { POLL, mockHostsForEachTest } from './testing/hosts.ts'

const host = mockHostsForEachTest()
const config = twapMonitorConfig.parse({ retainFinishedBlocks: 256 })
const block = (mock: MockHost, number: bigint) => twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(number) })
const blocks = async (mock: MockHost, from: bigint, to: bigint) => {
  for (let n = from; n <= to; n++) await block(mock, n)
}
const created = (mock: MockHost, data = twapData(), number = 5n, salt = keccak256(toHex('salt'))) =>
  twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(number), logs: [createdLog(twapParams(data, salt), number)] })
const uidAt = (data: ReturnType<typeof twapData>, number: bigint) => {
  const r = pollTwap({ data, now: timeOf(number) })
  if (r.kind !== 'order') throw new Error(`no order at block ${number}`)
  return computeUid(CHAIN_ID, r.order, OWNER)
}
/** Every post attempt of the part valid through `validTo` (a repeat would be recorded too, as DuplicatedOrder). */
const postsOf = (mock: MockHost, validTo: number) => mock.cowApi.submissions.filter((s) => s.order.validTo === validTo).length

// Default fixture: t0 = time of block 10, 4 parts of 120 s (10 blocks of 12 s). Part k is valid
// through the last second before block 10 + 10(k+1), so block 20 is the first past part 0's validTo.

test('behavior: a part marker is kept for retainFinishedBlocks after its validTo, then pruned with its index entry', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  const data = twapData()
  await created(mock, data)
  const parts = [10n, 20n, 30n, 40n].map((n) => uidAt(data, n))
  // Part 0's retention starts at block 20 (first block past its validTo): kept through block 275.
  await blocks(mock, 5n, 275n)
  expect(mock.cowApi.submissions.map((s) => s.uid)).toEqual(parts)
  expect(await mock.store.get(`submitted:${parts[0]}`)).toMatchObject({ block: 10n })
  await block(mock, 276n)
  expect(await mock.store.get(`submitted:${parts[0]}`)).toBeUndefined()
  expect(await mock.store.get(`submitted:${parts[1]}`)).toMatchObject({ block: 20n })
  // The last part's validTo is passed at block 50: everything is gone by block 306; no index left.
  await blocks(mock, 277n, 305n)
  expect(await mock.store.get(`submitted:${parts[3]}`)).toBeDefined()
  await block(mock, 306n)
  expect(mock.store.entries()).toEqual([])
})

test('behavior: a part still valid keeps its marker far past the retention, so a second watch of the same order does not post it twice', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  // Two parts of a day each (7,200 blocks), starting at block 10.
  const data = twapData({ n: 2n, t: 86_400n })
  const [part0, part1] = [uidAt(data, 10n), uidAt(data, 7_210n)]
  await created(mock, data, 5n)
  await blocks(mock, 5n, 10n)
  expect(mock.cowApi.submissions.map((s) => s.uid)).toEqual([part0])
  // 400 blocks later (past the 256-block retention, inside the part's window) the same order is
  // created again (another salt: the same parts, another watch), and polled: the marker is there.
  await blocks(mock, 11n, 409n)
  await created(mock, data, 410n, keccak256(toHex('other salt')))
  await blocks(mock, 410n, 420n)
  expect(await mock.store.get(`submitted:${part0}`)).toMatchObject({ block: 10n })
  expect(mock.cowApi.submissions.map((s) => s.uid)).toEqual([part0])
  expect(mock.chain.multicalls.map((m) => m.blockNumber)).toContain(410n) // the second watch did poll part 0
  // Block 7,210 is the first past part 0's validTo: both watches poll part 1, posted once.
  await blocks(mock, 7_205n, 7_465n)
  expect(mock.cowApi.submissions.map((s) => s.uid)).toEqual([part0, part1])
  expect(await mock.store.get(`submitted:${part0}`)).toBeDefined()
  await block(mock, 7_466n)
  expect(await mock.store.get(`submitted:${part0}`)).toBeUndefined()
  expect(await mock.store.get(`submitted:${part1}`)).toBeDefined()
  expect(postsOf(mock, Number(timeOf(7_210n) - 1n))).toBe(1)
})

test('behavior: dropped markers are pruned like submitted ones', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  const data = twapData()
  const parts = [10n, 20n, 30n, 40n].map((n) => uidAt(data, n))
  await created(mock, data)
  // Part 0 dropped by the orderbook (a final errorType), the rest posted.
  mock.cowApi.onSubmit(new CowApiError({ status: 400, errorType: 'ZeroAmount', description: 'zero' }), { times: 1 })
  await blocks(mock, 5n, 20n)
  expect(await mock.store.get(`dropped:${parts[0]}`)).toMatchObject({ reason: expect.stringMatching(/ZeroAmount/) })
  await blocks(mock, 21n, 275n)
  expect(await mock.store.get(`dropped:${parts[0]}`)).toBeDefined()
  await block(mock, 276n)
  expect(await mock.store.get(`dropped:${parts[0]}`)).toBeUndefined()
})

test('behavior: retainFinishedBlocks = 0 keeps every marker', async () => {
  const mock = host()
  mock.chain.onMulticall(POLL, modelAnswer)
  const forever = twapMonitorConfig.parse({ retainFinishedBlocks: 0 })
  await twapMonitor.onLogs!({ host: mock.host, config: forever, block: blockAt(5n), logs: [createdLog(twapParams(), 5n)] })
  for (let n = 5n; n <= 400n; n++) await twapMonitor.onBlock!({ host: mock.host, config: forever, block: blockAt(n) })
  expect(mock.store.entries().filter(([key]) => key.startsWith('submitted:'))).toHaveLength(4)
})

test('behavior: retainFinishedBlocks below 256 is refused with what was found', () => {
  expect(() => twapMonitorConfig.parse({ retainFinishedBlocks: 100 })).toThrow(/at least 256 blocks .*found 100/)
})
