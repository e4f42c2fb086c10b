import { describe, expect, test } from 'vitest'
import { getResponse } from 'msw'
import { concat, getAddress, keccak256, numberToHex, stringToBytes, type Address, type Hex } from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { exampleOrderCreation, SEPOLIA_COW, SEPOLIA_WETH } from './exampleOrderCreation.ts'
import { offlineAdapterRequests } from './computeStubOrderUid.ts'
import { referenceOrderDigest } from './gpv2OrderTestVectors.ts'

const OWNER: Address = '0x70997970C51812dc3A010C7d01b50e0d17dc79C8'
const SEPOLIA_DOMAIN = { name: 'Gnosis Protocol', version: 'v2', chainId: 11155111, verifyingContract: '0x9008D19f58AAbD9eD0D60971565AA8510560ab41' } as const

/** The UID computed independently of cow-sdk and of the stub's own hashing: EIP-712 digest with viem over the hand-written GPv2 types (the shared vector), then owner and validTo. */
function expectedUid(body: Record<string, unknown>, owner: Address, domain: typeof SEPOLIA_DOMAIN | (typeof SEPOLIA_DOMAIN & { chainId: number }) = SEPOLIA_DOMAIN): Hex {
  const appData = body.appData as string
  const digest = referenceOrderDigest(
    {
      sellToken: body.sellToken as Address,
      buyToken: body.buyToken as Address,
      receiver: (body.receiver as Address | undefined) ?? '0x0000000000000000000000000000000000000000',
      sellAmount: BigInt(body.sellAmount as string),
      buyAmount: BigInt(body.buyAmount as string),
      validTo: body.validTo as number,
      appData: (appData.length === 66 ? appData : keccak256(stringToBytes(appData))) as Hex,
      feeAmount: BigInt(body.feeAmount as string),
      kind: body.kind as string,
      partiallyFillable: body.partiallyFillable as boolean,
      sellTokenBalance: (body.sellTokenBalance as string | undefined) ?? 'erc20',
      buyTokenBalance: (body.buyTokenBalance as string | undefined) ?? 'erc20',
    },
    domain,
  )
  return concat([digest, owner, numberToHex(body.validTo as number, { size: 4 })]).toLowerCase() as Hex
}

/** Sends one request through the handler array, as either serving mode would. */
async function call(stub: OrderbookStub, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { 'Content-Type': 'application/json' } }
  if (body !== undefined) init.body = typeof body === 'string' ? body : JSON.stringify(body)
  const response = await getResponse(stub.handlers(), new Request(`http://orderbook.test${path}`, init))
  if (!response) throw new Error(`no handler for ${method} ${path}`)
  const text = await response.text()
  const json = (response.headers.get('Content-Type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : undefined
  return { status: response.status, text, json, headers: response.headers }
}

describe('POST /api/v1/orders', () => {
  test('behavior: answers 201 with the UID recomputed from the fields, the Sepolia domain and `from`', async () => {
    const stub = createOrderbookStub()
    const body = exampleOrderCreation({ owner: OWNER })
    const answer = await call(stub, 'POST', '/api/v1/orders', body)
    expect(answer.status).toBe(201)
    expect(answer.json).toBe(expectedUid(body, OWNER))
    expect(offlineAdapterRequests).toBe(0)
  })

  test('behavior: the UID follows the configured chain id and settlement', async () => {
    const settlement = '0x1111111111111111111111111111111111111112'
    const stub = createOrderbookStub({ chainId: 1, settlement })
    const body = exampleOrderCreation({ owner: OWNER })
    const answer = await call(stub, 'POST', '/api/v1/orders', body)
    expect(answer.json).toBe(expectedUid(body, OWNER, { ...SEPOLIA_DOMAIN, chainId: 1, verifyingContract: settlement } as never))
    expect(answer.json).not.toBe(expectedUid(body, OWNER))
  })

  test('behavior: a repeat is refused with DuplicatedOrder "order already exists"', async () => {
    const stub = createOrderbookStub()
    const body = exampleOrderCreation({ owner: OWNER })
    await call(stub, 'POST', '/api/v1/orders', body)
    const again = await call(stub, 'POST', '/api/v1/orders', body)
    expect(again.status).toBe(400)
    expect(again.json).toEqual({ errorType: 'DuplicatedOrder', description: 'order already exists' })
  })

  test.each([
    ['an array', [], /body: expected a JSON object/],
    ['a numeric amount', exampleOrderCreation({ sellAmount: 5 }), /sellAmount: expected a string/],
    ['a bad address', exampleOrderCreation({ buyToken: '0x12' }), /buyToken/],
    ['a bad kind', exampleOrderCreation({ kind: 'swap' }), /kind: expected one of sell, buy/],
    ['validTo beyond uint32', exampleOrderCreation({ validTo: 2 ** 32 }), /validTo/],
    ['a missing field', exampleOrderCreation({ partiallyFillable: undefined }), /partiallyFillable/],
    ['bad hex in the signature', exampleOrderCreation({ signature: '0xzz' }), /signature: expected 0x-prefixed hex/],
  ])('behavior: a body that does not deserialize (%s) is 422 InvalidJson naming the field, as the real service answers', async (_name, body, description) => {
    const stub = createOrderbookStub()
    const answer = await call(stub, 'POST', '/api/v1/orders', body)
    expect(answer.status).toBe(422)
    expect(answer.json).toMatchObject({ errorType: 'InvalidJson' })
    expect((answer.json as { description: string }).description).toMatch(/^Failed to deserialize the JSON body into the target type: /)
    expect((answer.json as { description: string }).description).toMatch(description)
    expect(stub.orders()).toHaveLength(0)
  })

  test('behavior: a JSON syntax error is 400 InvalidJson and a text/plain body is 415, nothing stored', async () => {
    const stub = createOrderbookStub()
    const syntax = await call(stub, 'POST', '/api/v1/orders', '{oops')
    expect(syntax).toMatchObject({ status: 400, json: { errorType: 'InvalidJson', description: expect.stringMatching(/^Failed to parse the request body as JSON/) } })
    const init = { method: 'POST', headers: { 'content-type': 'text/plain' }, body: JSON.stringify(exampleOrderCreation()) }
    const plain = await getResponse(stub.handlers(), new Request('http://orderbook.test/api/v1/orders', init))
    expect(plain?.status).toBe(415)
    expect(await plain?.json()).toEqual({ errorType: 'InvalidJson', description: 'Expected request with `Content-Type: application/json`' })
    expect(stub.orders()).toHaveLength(0)
    expect(stub.record.entries.map((e) => e.status)).toEqual([400, 415])
  })

  test.each([
    ['no from with eip1271', exampleOrderCreation({ from: undefined }), 'MissingFrom', /From address/],
    ['the same token twice', exampleOrderCreation({ buyToken: SEPOLIA_WETH }), 'SameBuyAndSellToken', /same/],
    ['a zero sellAmount', exampleOrderCreation({ sellAmount: '0' }), 'ZeroAmount', /zero/],
    ['an unknown appData hash', exampleOrderCreation({ appData: keccak256(stringToBytes('{"appCode":"x"}')) }), 'InvalidAppData', /no app data document/],
    ['a document that does not match appDataHash', exampleOrderCreation({ appData: '{"appCode":"x"}', appDataHash: EMPTY_APP_DATA_HASH }), 'AppDataHashMismatch', /does not match/],
    ['a document that is not JSON', exampleOrderCreation({ appData: 'hello' }), 'InvalidAppData', /not a JSON object/],
  ])('behavior: refuses %s with 400 %s', async (_name, body, errorType, description) => {
    const stub = createOrderbookStub()
    const answer = await call(stub, 'POST', '/api/v1/orders', body)
    expect(answer.status).toBe(400)
    expect(answer.json).toMatchObject({ errorType })
    expect((answer.json as { description: string }).description).toMatch(description)
    expect(stub.orders()).toHaveLength(0)
  })

  test('behavior: accepts an appData hash registered with PUT, and a full document whose hash matches', async () => {
    const stub = createOrderbookStub()
    const document = '{"appCode":"shepherd","metadata":{},"version":"1.15.0"}'
    const hash = keccak256(stringToBytes(document))
    expect((await call(stub, 'PUT', `/api/v1/app_data/${hash}`, { fullAppData: document })).status).toBe(201)
    const byHash = await call(stub, 'POST', '/api/v1/orders', exampleOrderCreation({ appData: hash }))
    expect(byHash.status).toBe(201)
    const byDocument = await call(stub, 'POST', '/api/v1/orders', exampleOrderCreation({ appData: '{"appCode":"other"}', sellAmount: '7' }))
    expect(byDocument.status).toBe(201)
    const stored = await call(stub, 'GET', `/api/v1/orders/${byDocument.json as string}`)
    expect(stored.json).toMatchObject({ appData: keccak256(stringToBytes('{"appCode":"other"}')), fullAppData: '{"appCode":"other"}' })
  })

  test('behavior: an ECDSA order without `from` is owned by the recovered signer', async () => {
    const account = privateKeyToAccount('0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d')
    const stub = createOrderbookStub()
    const body = exampleOrderCreation({ from: undefined, signingScheme: 'eip712', receiver: account.address })
    const digest = expectedUid(body, account.address).slice(0, 66) as Hex
    body.signature = await account.sign({ hash: digest })
    const answer = await call(stub, 'POST', '/api/v1/orders', body)
    expect(answer.status).toBe(201)
    expect(answer.json).toBe(expectedUid(body, account.address))
    expect(stub.getOrder(answer.json as string)?.owner).toBe(getAddress(account.address))
  })
})

describe('GET /api/v1/orders/{uid}', () => {
  test('behavior: answers the stored order in the real Order shape', async () => {
    const stub = createOrderbookStub({ now: () => Date.UTC(2025, 0, 2) })
    const body = exampleOrderCreation({ owner: OWNER, quoteId: 7 })
    const uid = (await call(stub, 'POST', '/api/v1/orders', body)).json as string
    const answer = await call(stub, 'GET', `/api/v1/orders/${uid}`)
    expect(answer.status).toBe(200)
    expect(answer.json).toMatchObject({
      uid,
      owner: OWNER.toLowerCase(),
      creationDate: '2025-01-02T00:00:00.000Z',
      status: 'open',
      class: 'market',
      sellToken: SEPOLIA_WETH.toLowerCase(),
      buyToken: SEPOLIA_COW.toLowerCase(),
      sellAmount: '1000000000000000000',
      buyAmount: '2000000000000000000',
      feeAmount: '0',
      validTo: 1_900_000_000,
      appData: EMPTY_APP_DATA_HASH,
      fullAppData: '{}',
      kind: 'sell',
      signingScheme: 'eip1271',
      signature: '0x1234',
      executedSellAmount: '0',
      invalidated: false,
      settlementContract: '0x9008d19f58aabd9ed0d60971565aa8510560ab41',
    })
  })

  test('behavior: answers 404 NotFound for an unknown UID and 400 for a malformed one', async () => {
    const stub = createOrderbookStub()
    const unknown = `0x${'ab'.repeat(56)}`
    expect(await call(stub, 'GET', `/api/v1/orders/${unknown}`)).toMatchObject({ status: 404, json: { errorType: 'NotFound', description: 'Order was not found' } })
    expect(await call(stub, 'GET', '/api/v1/orders/0x1234')).toMatchObject({ status: 400, text: 'Invalid URL: orderUid: expected 56 bytes of hex, got "0x1234"', json: undefined })
  })
})

describe('app data', () => {
  test('behavior: GET answers the "{}" document without registration, 404 plain text for unknown hashes', async () => {
    const stub = createOrderbookStub()
    expect(await call(stub, 'GET', `/api/v1/app_data/${EMPTY_APP_DATA_HASH}`)).toMatchObject({ status: 200, json: { fullAppData: '{}' } })
    const missing = await call(stub, 'GET', `/api/v1/app_data/${keccak256(stringToBytes('{"a":1}'))}`)
    expect(missing.status).toBe(404)
    expect(missing.text).toBe('full app data not found')
    expect(missing.json).toBeUndefined()
  })

  test('behavior: PUT answers 201 on create, 200 when it exists, AppDataHashMismatch when the hash is wrong', async () => {
    const stub = createOrderbookStub()
    const document = '{"appCode":"shepherd","metadata":{},"version":"1.15.0"}'
    const hash = keccak256(stringToBytes(document))
    expect((await call(stub, 'PUT', `/api/v1/app_data/${hash}`, { fullAppData: document })).status).toBe(201)
    expect((await call(stub, 'PUT', `/api/v1/app_data/${hash}`, { fullAppData: document })).status).toBe(200)
    expect(await call(stub, 'GET', `/api/v1/app_data/${hash}`)).toMatchObject({ status: 200, json: { fullAppData: document } })
    const wrong = await call(stub, 'PUT', `/api/v1/app_data/${EMPTY_APP_DATA_HASH}`, { fullAppData: document })
    expect(wrong).toMatchObject({ status: 400, json: { errorType: 'AppDataHashMismatch' } })
    expect(await call(stub, 'PUT', `/api/v1/app_data/${hash}`, { nope: 1 })).toMatchObject({ status: 422, json: { errorType: 'InvalidJson' } })
  })
})

describe('quote and version', () => {
  test('behavior: POST /quote answers a deterministic quote with id, expiration and verified', async () => {
    const stub = createOrderbookStub({ quotePrice: { numerator: 3n, denominator: 2n }, now: () => 1_700_000_000_000 })
    const request = { sellToken: SEPOLIA_WETH, buyToken: SEPOLIA_COW, from: OWNER, kind: 'sell', sellAmountBeforeFee: '1000' }
    const first = await call(stub, 'POST', '/api/v1/quote', request)
    expect(first.status).toBe(200)
    expect(first.json).toMatchObject({
      quote: { sellAmount: '1000', buyAmount: '1500', feeAmount: '0', kind: 'sell', validTo: 1_700_001_800 },
      from: OWNER.toLowerCase(),
      expiration: new Date(1_700_000_060_000).toISOString(),
      id: 1,
      verified: true,
    })
    const buy = await call(stub, 'POST', '/api/v1/quote', { ...request, kind: 'buy', sellAmountBeforeFee: undefined, buyAmountAfterFee: '1500' })
    expect(buy.json).toMatchObject({ quote: { sellAmount: '1000', buyAmount: '1500' }, id: 2 })
    expect(await call(stub, 'POST', '/api/v1/quote', { ...request, from: undefined })).toMatchObject({ status: 422, json: { errorType: 'InvalidJson' } })
    expect(await call(stub, 'POST', '/api/v1/quote', { ...request, sellAmountBeforeFee: '0' })).toMatchObject({ status: 422, json: { errorType: 'InvalidJson', description: expect.stringMatching(/non-zero/) } })
  })

  test('behavior: GET /version answers a version string', async () => {
    const stub = createOrderbookStub({ version: 'v9.9.9' })
    expect(await call(stub, 'GET', '/api/v1/version')).toMatchObject({ status: 200, text: 'v9.9.9' })
  })
})
