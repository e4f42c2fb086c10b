import { describe, expect, test } from 'vitest'
import { getResponse } from 'msw'
import { keccak256, stringToBytes } from 'viem'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { SEPOLIA_COW, SEPOLIA_WETH } from './exampleOrderCreation.ts'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'

const request = { sellToken: SEPOLIA_WETH, buyToken: SEPOLIA_COW, from: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8', kind: 'sell', sellAmountBeforeFee: '1000' }

async function quote(body: unknown) {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
  const response = await getResponse(createOrderbookStub().handlers(), new Request('http://orderbook.test/api/v1/quote', init))
  if (!response) throw new Error('no handler')
  return { status: response.status, json: (await response.json()) as { quote: Record<string, unknown> } & Record<string, unknown> }
}

describe('POST /api/v1/quote appData', () => {
  test('behavior: a full document is quoted with appDataHash = keccak256 of exactly the text sent', async () => {
    const document = '{"appCode":"shepherd","metadata":{"referrer":{"code":"X"}}}'
    const answer = await quote({ ...request, appData: document })
    expect(answer.status).toBe(200)
    expect(answer.json.quote.appData).toBe(document)
    expect(answer.json.quote.appDataHash).toBe(keccak256(stringToBytes(document)))
    expect(answer.json.quote.appDataHash).not.toBe(EMPTY_APP_DATA_HASH)
  })

  test('behavior: a hash comes back as appData with no appDataHash', async () => {
    const hash = keccak256(stringToBytes('{"appCode":"x"}'))
    const answer = await quote({ ...request, appData: hash })
    expect(answer.json.quote.appData).toBe(hash)
    expect(answer.json.quote).not.toHaveProperty('appDataHash')
  })

  test('behavior: no appData quotes the empty document; a mismatching appDataHash is 400 AppDataHashMismatch, a non-object 400 InvalidAppData', async () => {
    expect((await quote(request)).json.quote).toMatchObject({ appData: '{}', appDataHash: EMPTY_APP_DATA_HASH })
    expect(await quote({ ...request, appData: '{"a":1}', appDataHash: EMPTY_APP_DATA_HASH })).toMatchObject({ status: 400, json: { errorType: 'AppDataHashMismatch' } })
    expect(await quote({ ...request, appData: '[1]' })).toMatchObject({ status: 400, json: { errorType: 'InvalidAppData' } })
    expect(await quote({ ...request, appData: 7 })).toMatchObject({ status: 422, json: { errorType: 'InvalidJson' } })
  })
})
