import { expect, test } from 'vitest'
import { CowApiError, type MockHost, type ModuleLog } from '../sdk/index.ts'
import twapMonitor from './index.ts'
import { createdLog, blockAt, modelAnswer, twapData, twapParams } from './testing/fixtures.ts'
import { POLL, config, mockHostsForEachTest } from './testing/hosts.ts'
import { keccak256, toHex } from 'viem'

const host = mockHostsForEachTest()
const logs = (mock: MockHost, list: ModuleLog[]) => twapMonitor.onLogs!({ host: mock.host, config, block: blockAt(list[0]!.blockNumber), logs: list })
const block = (mock: MockHost, number: bigint) => twapMonitor.onBlock!({ host: mock.host, config, block: blockAt(number) })
const DOCUMENT = '{"appCode":"Shepherd test","metadata":{"partnerFee":{"recipient":"0x5e9a11e5e9a11e5e9a11e5e9a11e5e9a11e5e9a1","volumeBps":25}},"version":"1.15.0"}'

test('behavior: parts carry the appData hash their TWAP named, and its document is looked up once for all of them', async () => {
  const mock = host()
  const hash = mock.cowApi.addAppData(DOCUMENT)
  mock.chain.onMulticall(POLL, modelAnswer)
  const twaps = [twapData({ appData: hash }), twapData({ appData: hash, partSellAmount: twapData().partSellAmount + 1n })]
  await logs(mock, twaps.map((data, i) => createdLog(twapParams(data, keccak256(toHex(`salt-${i}`))), 5n, { logIndex: i })))
  for (let n = 5n; n <= 60n; n++) await block(mock, n)
  // 2 TWAPs x 4 parts, every post naming the hash (the orderbook holds its document).
  expect(mock.cowApi.submissions).toHaveLength(8)
  expect(mock.cowApi.submissions.every((s) => s.order.appData === hash)).toBe(true)
  expect(mock.recordsOf('cowApi.getAppData').map((r) => r.hash)).toEqual([hash])
})

test('behavior: a document the orderbook does not hold yet is asked for again later, and the part posted once it is there', async () => {
  const mock = host()
  const hash = keccak256(toHex(DOCUMENT))
  mock.chain.onMulticall(POLL, modelAnswer)
  mock.cowApi.onGetAppData(null, { times: 1 })
  await logs(mock, [createdLog(twapParams(twapData({ appData: hash })), 5n)])
  for (let n = 5n; n <= 12n; n++) await block(mock, n)
  expect(mock.cowApi.submissions).toHaveLength(0)
  mock.cowApi.addAppData(DOCUMENT)
  for (let n = 13n; n <= 19n; n++) await block(mock, n)
  expect(mock.cowApi.submissions.map((s) => s.order.appData)).toEqual([hash])
  expect(mock.recordsOf('cowApi.getAppData').length).toBe(2)
})

test('behavior: a failed lookup is not remembered as the answer', async () => {
  const mock = host()
  const hash = mock.cowApi.addAppData(DOCUMENT)
  mock.chain.onMulticall(POLL, modelAnswer)
  mock.cowApi.onGetAppData(new CowApiError({ status: 503, description: 'down' }), { times: 1 })
  await logs(mock, [createdLog(twapParams(twapData({ appData: hash })), 5n)])
  for (let n = 5n; n <= 19n; n++) await block(mock, n)
  expect(mock.cowApi.submissions.map((s) => s.order.appData)).toEqual([hash])
  expect(mock.recordsOf('cowApi.getAppData').length).toBe(2)
})
