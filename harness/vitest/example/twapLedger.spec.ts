// A unit test and property tests of the user's module, with MockHost and the arbitraries
// (in your repository: from 'shepherd/sdk' and 'shepherd/sdk/testing').
import fc from 'fast-check'
import { expect, test } from 'vitest'
import { createMockHost } from '../../../modules/sdk/index.ts'
import { blockAt, conditionalOrderCreatedLogs, twapCreatedLogs } from '../../../modules/sdk/testing/index.ts'
import twapLedger from './twapLedger.ts'

const config = { chainId: 11155111 }

test('property: every TWAP created on ComposableCoW gets one entry with its parts and interval', async () => {
  await fc.assert(
    fc.asyncProperty(twapCreatedLogs(), async ({ log, expected, twap }) => {
      const mock = createMockHost({ module: twapLedger })
      await twapLedger.onLogs!({ host: mock.host, config, block: blockAt(log.blockNumber), logs: [log] })
      expect(await mock.store.get(`twap:${expected.owner}:${expected.params.salt}`)).toEqual({ n: twap.n, t: twap.t, block: log.blockNumber })
      mock.dispose()
    }),
    { numRuns: 50 },
  )
})

test('property: a conditional order of another handler is not a TWAP: nothing stored, no error', async () => {
  await fc.assert(
    fc.asyncProperty(conditionalOrderCreatedLogs(), async ({ log }) => {
      const mock = createMockHost({ module: twapLedger })
      await twapLedger.onLogs!({ host: mock.host, config, block: blockAt(log.blockNumber), logs: [log] })
      expect(await mock.store.list('twap:')).toEqual([])
      expect(mock.errors).toEqual([])
      mock.dispose()
    }),
    { numRuns: 50 },
  )
})

test('unit: a log whose data does not decode is reported as an error and stores nothing', async () => {
  const { log } = fc.sample(twapCreatedLogs(), 1)[0]!
  const mock = createMockHost({ module: twapLedger })
  await twapLedger.onLogs!({ host: mock.host, config, block: blockAt(log.blockNumber), logs: [{ ...log, data: '0x1234' }] })
  expect(mock.errors.map((e) => e.kind)).toEqual(['undecodable-log'])
  expect(await mock.store.list('twap:')).toEqual([])
  mock.dispose()
})
