import { afterEach, expect, test } from 'vitest'
import { createMockHost, type MockHost } from '../mockHost.ts'
import { blockAt } from '../testing/chainlinkFeed.ts'
import { readHeadTime } from './readHeadTime.ts'

let mock: MockHost
afterEach(() => mock?.dispose())
const T0 = 1_700_000_000
const head = (number: number) => ({ number: `0x${number.toString(16)}`, timestamp: `0x${(T0 + number * 12).toString(16)}` })

test('behavior: a recent block is its own time; no request', async () => {
  mock = createMockHost({ module: 'm', now: (T0 + 10 * 12) * 1000 + 900 })
  expect(await readHeadTime(mock.host, 11155111, blockAt(10n))).toEqual({ timestamp: BigInt(T0 + 120), behind: false })
  expect(mock.chain.requests).toHaveLength(0)
})

test('behavior: an old block asks the head, every time (a reused answer would let a just-expired part through)', async () => {
  mock = createMockHost({ module: 'm', now: (T0 + 30 * 12) * 1000 })
  mock.chain.onRequest('eth_getBlockByNumber', head(30))
  expect(await readHeadTime(mock.host, 11155111, blockAt(10n))).toEqual({ timestamp: BigInt(T0 + 360), behind: true })
  expect(mock.chain.requests[0]?.params).toEqual(['latest', false])
  mock.chain.onRequest('eth_getBlockByNumber', head(31))
  expect(await readHeadTime(mock.host, 11155111, blockAt(11n))).toEqual({ timestamp: BigInt(T0 + 372), behind: true })
  expect(mock.chain.requests).toHaveLength(2)
})

test('behavior: a failed or unreadable answer falls back to the block time; never throws', async () => {
  mock = createMockHost({ module: 'm', now: (T0 + 30 * 12) * 1000 })
  expect(await readHeadTime(mock.host, 11155111, blockAt(10n))).toEqual({ timestamp: BigInt(T0 + 120), behind: false })
  mock.chain.onRequest('eth_getBlockByNumber', { number: 'zz', timestamp: 12 })
  expect(await readHeadTime(mock.host, 11155111, blockAt(10n))).toEqual({ timestamp: BigInt(T0 + 120), behind: false })
  mock.chain.onRequest('eth_getBlockByNumber', null)
  expect(await readHeadTime(mock.host, 11155111, blockAt(10n))).toEqual({ timestamp: BigInt(T0 + 120), behind: false })
})

test('behavior: a head at or below the block (a lagging node) is not ahead', async () => {
  mock = createMockHost({ module: 'm', now: (T0 + 30 * 12) * 1000 })
  mock.chain.onRequest('eth_getBlockByNumber', head(9))
  expect(await readHeadTime(mock.host, 11155111, blockAt(10n))).toEqual({ timestamp: BigInt(T0 + 120), behind: false })
})
