import { keccak256, toHex } from 'viem'
import { expect, test } from 'vitest'
import { pollTwap } from '../../harness/twap/model.ts'
import { computeUid, type MockHost, type ModuleLog } from '../sdk/index.ts'
import twapMonitor from './index.ts'
import { CHAIN_ID, OWNER, blockAt, createdLog, modelAnswer, timeOf, twapData, twapParams } from './testing/fixtures.ts'
import { POLL, config, mockHostsForEachTest } from './testing/hosts.ts'
import { twapWatchId, type TwapWatch } from './watchStore.ts'

// The engine's order on a reorg: in-flight blocks finish, then onReorg with the removed logs, then
// the new branch block by block (one queue per module). These tests replay that order with the
// same TWAP creation mined again on the new branch, which must leave exactly one live watch.

const hosts = mockHostsForEachTest()
function host() {
  const mock = hosts()
  mock.chain.onMulticall(POLL, modelAnswer)
  return mock
}
const id = twapWatchId(OWNER, twapParams())
const uidAt = (number: bigint) => {
  const r = pollTwap({ data: twapData(), now: timeOf(number) })
  if (r.kind !== 'order') throw new Error(`no order at block ${number}`)
  return computeUid(CHAIN_ID, r.order, OWNER)
}
const onLogs = (mock: MockHost, logs: ModuleLog[]) => twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(logs[0]!.blockNumber), logs })
const onBlock = (mock: MockHost, number: bigint, hash = blockAt(number).hash) => twapMonitor.onBlock!({ host: mock.host, config, block: { ...blockAt(number), hash } })
const reorg = (mock: MockHost, fromBlock: bigint, removed: ModuleLog[]) =>
  twapMonitor.onReorg!({ host: mock.host, config, reorg: { chainId: CHAIN_ID, fromBlock, removedLogs: removed.map((l) => ({ ...l, removed: true })) } })

test('behavior: a creation re-mined in a later block of the new branch keeps one watch, from the new log', async () => {
  const mock = host()
  const old = createdLog(twapParams(), 10n)
  await onLogs(mock, [old])
  await onBlock(mock, 10n) // part 0 posted on the old branch
  await reorg(mock, 9n, [old])
  expect(await mock.store.get(`watch:${id}`)).toBeUndefined()
  const again = { ...createdLog(twapParams(), 11n), blockHash: keccak256(toHex('new branch 11')) }
  await onLogs(mock, [again])
  expect(await mock.store.get<TwapWatch>(`watch:${id}`)).toMatchObject({ createdBlock: 11n, createdBlockHash: again.blockHash })
  for (let n = 11n; n <= 40n; n++) await onBlock(mock, n)
  // Part 0 was accepted before the reorg (its marker stays): not posted again; the rest follow.
  expect(mock.cowApi.submissions.map((s) => s.uid)).toEqual([10n, 20n, 30n, 40n].map(uidAt))
})

test('behavior: a creation re-mined at the same height (new block hash) is watched again, not lost', async () => {
  const mock = host()
  const old = createdLog(twapParams(), 8n)
  await onLogs(mock, [old])
  await reorg(mock, 8n, [old])
  const again = { ...old, blockHash: keccak256(toHex('new branch 8')) }
  await onLogs(mock, [again])
  await onBlock(mock, 8n, again.blockHash)
  for (let n = 9n; n <= 20n; n++) await onBlock(mock, n)
  expect(await mock.store.get<TwapWatch>(`watch:${id}`)).toMatchObject({ createdBlock: 8n, createdBlockHash: again.blockHash })
  expect(mock.cowApi.submissions.map((s) => s.uid)).toEqual([10n, 20n].map(uidAt))
})

test('behavior: a reorg that removes only another log keeps a watch created before fromBlock', async () => {
  const mock = host()
  const kept = createdLog(twapParams(), 5n)
  const other = createdLog(twapParams(twapData(), keccak256(toHex('other'))), 9n)
  await onLogs(mock, [kept])
  await onLogs(mock, [other])
  await reorg(mock, 9n, [other, kept]) // a removed copy of an older log must not remove it
  expect(await mock.store.get(`watch:${id}`)).toMatchObject({ createdBlock: 5n })
  expect(await mock.store.list('watch:')).toHaveLength(1)
})
