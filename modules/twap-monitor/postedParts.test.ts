import { expect, test } from 'vitest'
import { postedPartsOf } from './postedParts.ts'
import { mockHostsForEachTest } from './testing/hosts.ts'

const hosts = mockHostsForEachTest()

test('behavior: an accepted part is remembered per host until a block past its validTo, then forgotten', () => {
  const mock = hosts()
  const posted = postedPartsOf(mock.host)
  posted.remember('0xAB', { marker: { block: 10n }, validTo: 1000 })
  expect(postedPartsOf(mock.host).get('0xab')).toMatchObject({ marker: { block: 10n } })
  expect(postedPartsOf(hosts().host).get('0xab')).toBeUndefined() // another incarnation knows nothing
  posted.forgetEnded(1000n) // still inside its window (validTo is its last second)
  expect(posted.size).toBe(1)
  posted.forgetEnded(1001n)
  expect(posted.get('0xab')).toBeUndefined()
  expect(posted.size).toBe(0)
})
