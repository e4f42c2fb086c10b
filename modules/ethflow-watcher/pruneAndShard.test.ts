import { getAddress, keccak256, toHex, type Address } from 'viem'
import { afterEach, expect, test } from 'vitest'
import { createMockHost, finishedIndexKey, shardOf, type MockHost, type ModuleLog } from '../sdk/index.ts'
import { ethflowWatcherConfig, type EthflowWatcherConfig } from './config.ts'
import ethflowWatcher from './index.ts'
import { CHAIN_ID, blockAt, invalidationLog, placementLog, uidOf } from './testing/fixtures.ts'

const config = ethflowWatcherConfig.parse({ retainFinishedBlocks: 256 })
let mocks: MockHost[] = []
afterEach(() => {
  for (const mock of mocks) mock.dispose()
  mocks = []
})
function host() {
  const mock = createMockHost({ module: ethflowWatcher })
  mocks.push(mock)
  return mock
}
const logs = (mock: MockHost, list: ModuleLog[], with_: EthflowWatcherConfig = config) =>
  ethflowWatcher.onLogs!({ host: mock.host, config: with_, block: blockAt(list[0]!.blockNumber), logs: list })
const blocks = async (mock: MockHost, from: bigint, to: bigint) => {
  for (let n = from; n <= to; n++) await ethflowWatcher.onBlock!({ host: mock.host, config, block: blockAt(n) })
}

test('behavior: observed:<uid> is kept for retainFinishedBlocks after it is written, so a replayed placement is not watched again; then it is pruned', async () => {
  const mock = host()
  const uid = uidOf(1n)
  await logs(mock, [placementLog(1n, 10n)])
  mock.cowApi.orders.set(uid, { uid, status: 'open' })
  await blocks(mock, 10n, 11n)
  expect(await mock.store.get(`observed:${uid}`)).toMatchObject({ block: 11n })
  // Observed at block 11: kept through block 266.
  await blocks(mock, 12n, 266n)
  await logs(mock, [placementLog(1n, 10n)]) // a replay within the retention
  expect(await mock.store.get(`watch:${uid}`)).toBeUndefined()
  expect(await mock.store.get(`observed:${uid}`)).toBeDefined()
  await blocks(mock, 267n, 267n)
  expect(await mock.store.get(`observed:${uid}`)).toBeUndefined()
  expect(mock.store.entries()).toEqual([])
  expect(mock.cowApi.getOrders).toHaveLength(1)
})

test('behavior: dropped:<uid> (missing at the deadline) and closed:<uid> are pruned after the retention too', async () => {
  const mock = host()
  const [missing, closed] = [uidOf(1n), uidOf(2n)]
  await logs(mock, [placementLog(1n, 10n), placementLog(2n, 10n, 1)])
  await logs(mock, [invalidationLog(closed, 12n)])
  await blocks(mock, 10n, 40n) // 2 s blocks: the 60 s deadline is block 40
  expect(await mock.store.get(`dropped:${missing}`)).toMatchObject({ reason: 'missing', block: 40n })
  expect(await mock.store.get(`closed:${closed}`)).toMatchObject({ block: 12n })
  // Closed at block 12: kept through block 267. Dropped at block 40: kept through block 295.
  await blocks(mock, 41n, 267n)
  expect(await mock.store.get(`closed:${closed}`)).toBeDefined()
  await blocks(mock, 268n, 268n)
  expect(await mock.store.get(`closed:${closed}`)).toBeUndefined()
  await blocks(mock, 269n, 295n)
  expect(await mock.store.get(`dropped:${missing}`)).toBeDefined()
  await blocks(mock, 296n, 296n)
  expect(mock.store.entries()).toEqual([])
  expect(mock.alerts.filter((a) => a.kind === 'ethflow-missing')).toHaveLength(1)
})

test('behavior: a reorg that removes the closing log deletes closed:<uid> and its index entry', async () => {
  const mock = host()
  const uid = uidOf(3n)
  const closing = invalidationLog(uid, 12n)
  await logs(mock, [closing])
  expect(await mock.store.get(finishedIndexKey({ block: 12n }, `closed:${uid}`))).toBe(`closed:${uid}`)
  await ethflowWatcher.onReorg!({ host: mock.host, config, reorg: { chainId: CHAIN_ID, fromBlock: 11n, removedLogs: [closing] } })
  expect(mock.store.entries()).toEqual([])
})

test('behavior: instances configured 1/2 and 2/2 together watch every placement exactly once, by sender', async () => {
  const senders: Address[] = Array.from({ length: 40 }, (_, i) => getAddress(keccak256(toHex(`sender ${i}`)).slice(0, 42)))
  const placements = senders.map((sender, i) => placementLog(BigInt(i + 1), 10n, i, sender))
  const watched = async (shard: string | undefined) => {
    const mock = host()
    await logs(mock, placements, ethflowWatcherConfig.parse(shard === undefined ? {} : { shard }))
    return (await mock.store.list<{ sender: Address }>('watch:')).map(([key, watch]) => ({ key, sender: watch.sender }))
  }
  const [all, first, second] = [await watched(undefined), await watched('1/2'), await watched('2/2')]
  expect(all).toHaveLength(40)
  expect(first.length).toBeGreaterThan(0)
  expect(second.length).toBeGreaterThan(0)
  expect([...first, ...second].map((w) => w.key).sort()).toEqual(all.map((w) => w.key).sort())
  expect(first.every((w) => shardOf(w.sender, 2) === 1) && second.every((w) => shardOf(w.sender, 2) === 2)).toBe(true)
})
