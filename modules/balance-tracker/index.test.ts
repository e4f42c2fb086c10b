import type { Address, Hex } from 'viem'
import { afterEach, expect, test } from 'vitest'
import { createMockHost, createMockStoreBackend, type BlockRef, type MockHost } from '../sdk/index.ts'
import balanceTracker, { balanceKey } from './index.ts'
import { balanceTrackerConfig, type BalanceTrackerConfig } from './config.ts'

const A = '0x9008D19f58AAbD9eD0D60971565AA8510560ab41' as Address
const B = '0xC92E8bdf79f0507f65a392b0ab4667716BFE0110' as Address
const ETH = 10n ** 18n

let mock: MockHost
afterEach(() => mock?.dispose())

const config = (input: Record<string, unknown>): BalanceTrackerConfig => balanceTrackerConfig.parse(input)
const blockAt = (number: bigint): BlockRef => ({ chainId: 11155111, number, hash: `0x${(number + 1n).toString(16)}` as Hex, parentHash: `0x${number.toString(16)}` as Hex, timestamp: 1_700_000_000n + number * 12n })
const run = async (m: MockHost, cfg: BalanceTrackerConfig, from: bigint, to: bigint) => {
  for (let n = from; n <= to; n++) await balanceTracker.onBlock!({ host: m.host, config: cfg, block: blockAt(n) })
}

test('behavior: config fills defaults, parses a wei decimal string, and names bad input', () => {
  expect(config({ addresses: [A.toLowerCase()] })).toEqual({ chainId: 11155111, addresses: [A], everyNBlocks: 1, threshold: 1n })
  expect(config({ addresses: [A], threshold: '1000000000000000000000' }).threshold).toBe(1000n * ETH)
  expect(() => config({ addresses: [] })).toThrow(/at least one address/)
  expect(() => config({ addresses: [A, A.toLowerCase()] })).toThrow(/must not repeat/)
  expect(() => config({ addresses: ['0xnope'] })).toThrow(/20-byte hex address/)
  expect(() => config({ addresses: [A], threshold: '1.5' })).toThrow(/decimal integer/)
  expect(() => config({ addresses: [A], threshold: '0' })).toThrow(/at least 1 wei/)
  expect(() => config({ addresses: [A], extra: 1 })).toThrow(/extra/)
  expect(balanceTracker.name).toBe('balance-tracker')
})

test('behavior: the first observation sets the baseline without alerting; a change of at least the threshold alerts', async () => {
  mock = createMockHost({ module: balanceTracker })
  mock.chain.setBalance(A, 5n * ETH)
  mock.chain.setBalance(A, 4n * ETH, { fromBlock: 3n }) // -1 ETH: alerts
  mock.chain.setBalance(A, 4n * ETH + ETH / 2n, { fromBlock: 5n }) // +0.5 ETH: below threshold
  mock.chain.setBalance(A, 5n * ETH + ETH / 2n, { fromBlock: 7n }) // +1 ETH: alerts (exactly the threshold)
  await run(mock, config({ addresses: [A], threshold: ETH.toString() }), 1n, 8n)
  expect(mock.alerts.map((a) => [a.kind, a.fields?.block, a.fields?.delta])).toEqual([
    ['balance-change', 3n, -ETH],
    ['balance-change', 7n, ETH],
  ])
  expect(mock.alerts[0]!.fields).toMatchObject({ address: A, previous: 5n * ETH, current: 4n * ETH, since: 2n })
  expect(await mock.store.get(balanceKey(A))).toEqual({ wei: 5n * ETH + ETH / 2n, block: 8n })
})

test('behavior: the stored value follows every read, so slow drift below the threshold never alerts', async () => {
  mock = createMockHost({ module: balanceTracker })
  for (let n = 1n; n <= 10n; n++) mock.chain.setBalance(A, n * 100n, { fromBlock: n })
  await run(mock, config({ addresses: [A], threshold: '150' }), 1n, 10n)
  expect(mock.alerts).toHaveLength(0)
  expect(await mock.store.get(balanceKey(A))).toEqual({ wei: 1000n, block: 10n })
})

test('behavior: each address is tracked on its own, read at the block being handled', async () => {
  mock = createMockHost({ module: balanceTracker })
  mock.chain.setBalance(A, 1n)
  mock.chain.setBalance(B, 1n)
  mock.chain.setBalance(B, 9n, { fromBlock: 2n })
  await run(mock, config({ addresses: [A, B], threshold: '5' }), 1n, 2n)
  expect(mock.alerts.map((a) => a.fields?.address)).toEqual([B])
  expect(mock.recordsOf('chain.getBalance').map((r) => [r.address, r.blockNumber])).toEqual([[A, 1n], [B, 1n], [A, 2n], [B, 2n]])
})

test('behavior: with everyNBlocks balances are read on multiples of N (and on the first block)', async () => {
  mock = createMockHost({ module: balanceTracker })
  await run(mock, config({ addresses: [A], everyNBlocks: 4 }), 2n, 12n)
  expect(mock.recordsOf('chain.getBalance').map((r) => r.blockNumber)).toEqual([2n, 4n, 8n, 12n])
})

test('behavior: a failed or garbage read warns, keeps the last value, and is retried next block', async () => {
  mock = createMockHost({ module: balanceTracker })
  mock.chain.setBalance(A, 10n)
  mock.chain.setBalance(A, 20n, { fromBlock: 4n })
  const cfg = config({ addresses: [A], everyNBlocks: 4, threshold: '5' })
  await run(mock, cfg, 1n, 1n)
  mock.faults.throwNext('chain.getBalance')
  await run(mock, cfg, 4n, 4n)
  mock.faults.garbageNext('chain.getBalance')
  await run(mock, cfg, 5n, 5n)
  expect(mock.logs.filter((l) => l.message === 'balance unreadable; kept the last value').map((l) => l.fields?.block)).toEqual([4n, 5n])
  expect(await mock.store.get(balanceKey(A))).toEqual({ wei: 10n, block: 1n })
  expect(mock.alerts).toHaveLength(0)
  await run(mock, cfg, 6n, 6n) // not a multiple of 4, but the read at 4 failed: read now
  expect(mock.alerts.map((a) => [a.fields?.block, a.fields?.delta])).toEqual([[6n, 10n]])
})

test('behavior: a restarted instance compares with the stored value; replayed blocks neither re-read nor re-alert', async () => {
  const storeBackend = createMockStoreBackend()
  const cfg = config({ addresses: [A] })
  const first = createMockHost({ module: balanceTracker, storeBackend })
  first.chain.setBalance(A, 1n)
  first.chain.setBalance(A, 2n, { fromBlock: 3n })
  await run(first, cfg, 1n, 3n)
  first.dispose()
  mock = createMockHost({ module: balanceTracker, storeBackend })
  mock.chain.setBalance(A, 2n)
  mock.chain.setBalance(A, 7n, { fromBlock: 5n })
  await run(mock, cfg, 1n, 5n) // 1-3 are a replay
  expect(first.alerts.map((a) => a.fields?.block)).toEqual([3n])
  expect(mock.alerts.map((a) => [a.fields?.block, a.fields?.previous])).toEqual([[5n, 2n]])
  expect(mock.recordsOf('chain.getBalance').map((r) => r.blockNumber)).toEqual([4n, 5n])
})

test('behavior: after a reorg the replaced blocks are read again', async () => {
  mock = createMockHost({ module: balanceTracker })
  mock.chain.setBalance(A, 1n)
  const cfg = config({ addresses: [A] })
  await run(mock, cfg, 1n, 5n)
  await balanceTracker.onReorg!({ host: mock.host, config: cfg, reorg: { chainId: 11155111, fromBlock: 4n, removedLogs: [] } })
  expect(await mock.store.get(balanceKey(A))).toEqual({ wei: 1n, block: 3n })
  mock.chain.setBalance(A, 3n, { fromBlock: 4n })
  await run(mock, cfg, 4n, 4n)
  expect(mock.alerts.map((a) => a.fields?.block)).toEqual([4n])
})
