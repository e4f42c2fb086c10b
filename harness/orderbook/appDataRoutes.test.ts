import { getResponse } from 'msw'
import { keccak256, stringToBytes, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { buildLoadAppData } from '../load/loadAppData.ts'
import { createOrderbookStub } from './createOrderbookStub.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { APP_DATA_SIZE_LIMIT, validateAppDataDocument } from './validateAppDataDocument.ts'

async function put(stub: OrderbookStub, fullAppData: string, hash: Hex = keccak256(stringToBytes(fullAppData))) {
  const request = new Request(`http://orderbook.test/api/v1/app_data/${hash}`, { method: 'PUT', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify({ fullAppData }) })
  const response = (await getResponse(stub.handlers(), request))!
  return { status: response.status, json: (await response.json()) as unknown }
}

const valid = (metadata: unknown, version = '1.15.0') => JSON.stringify({ appCode: 'Shepherd test', metadata, version })

describe('PUT /api/v1/app_data/{hash} validates the document against the published appData schema', () => {
  test('behavior: the load mix (partner fee, referrer, hooks, a 7.9 kB document) and the empty document are registered', async () => {
    const stub = createOrderbookStub()
    for (const document of await buildLoadAppData()) {
      expect(await put(stub, document.fullAppData)).toEqual({ status: 201, json: document.hash })
      expect(stub.getAppData(document.hash)).toBe(document.fullAppData)
    }
    expect((await put(stub, '{}')).status).toBeLessThan(300)
    // An older schema version is judged by its own schema.
    expect((await put(stub, JSON.stringify({ appCode: 'CoW Swap', metadata: {}, version: '0.9.0' }))).status).toBe(201)
  })

  test.each([
    ['a hook whose target is not an address', valid({ hooks: { version: '0.2.0', pre: [{ target: 'nothex', callData: '0x', gasLimit: '21000' }] } }), /hooks\/pre\/0\/target must match pattern/],
    ['a partner fee with no bps', valid({ partnerFee: { recipient: '0x1111111111111111111111111111111111111111' } }), /partnerFee/],
    ['a referrer code in lower case', valid({ referrer: { code: 'shepherd' } }), /referrer\/code must match pattern/],
    ['no version', JSON.stringify({ appCode: 'x', metadata: {} }), /required property 'version'/],
    ['an unknown version', valid({}, '9.9.9'), /9\.9\.9/],
    ['no metadata', JSON.stringify({ appCode: 'x', version: '1.15.0' }), /required property 'metadata'/],
    ['a JSON array', '[]', /expected a JSON object/],
    ['not JSON', 'not json', /invalid app data json/],
    ['a document over the size limit', valid({ hooks: { version: '0.2.0', pre: [{ target: '0x1111111111111111111111111111111111111111', callData: `0x${'ab'.repeat(4100)}`, gasLimit: '21000' }] } }), /byte size \d+ which is larger than limit 8192/],
  ])('behavior: %s is refused 400 AppDataInvalid, as the service names it, and not registered', async (_what, document, why) => {
    const stub = createOrderbookStub()
    const hash = keccak256(stringToBytes(document))
    const answer = await put(stub, document, hash)
    expect(answer.status).toBe(400)
    expect(answer.json).toMatchObject({ errorType: 'AppDataInvalid', description: expect.stringMatching(/^app data is invalid: /) })
    expect((answer.json as { description: string }).description).toMatch(why)
    expect(stub.getAppData(hash)).toBeUndefined()
  })

  test('behavior: a valid document under the wrong hash is still AppDataHashMismatch', async () => {
    const stub = createOrderbookStub()
    const answer = await put(stub, valid({}), keccak256(stringToBytes('{"other":1}')))
    expect(answer).toMatchObject({ status: 400, json: { errorType: 'AppDataHashMismatch' } })
  })

  test('behavior: the size limit is the service default, counted in bytes', async () => {
    const filler = (n: number) => JSON.stringify({ appCode: 'é'.repeat(n), metadata: {}, version: '1.15.0' })
    const base = Buffer.byteLength(filler(0))
    const fits = filler(Math.floor((APP_DATA_SIZE_LIMIT - base) / 2))
    expect(Buffer.byteLength(fits)).toBeLessThanOrEqual(APP_DATA_SIZE_LIMIT)
    expect(await validateAppDataDocument(fits)).toEqual({ ok: true })
    const over = filler(Math.floor((APP_DATA_SIZE_LIMIT - base) / 2) + 1)
    expect(Buffer.byteLength(over)).toBeGreaterThan(APP_DATA_SIZE_LIMIT)
    expect(await validateAppDataDocument(over)).toMatchObject({ ok: false })
  })
})
