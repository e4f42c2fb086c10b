import { describe, expect, test } from 'vitest'
import { getResponse } from 'msw'
import type { Address } from 'viem'
import { createOrderbookStub, type CreateOrderbookStubParameters } from './createOrderbookStub.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import type { ChainReader, OrderChainFacts } from './createChainReader.ts'
import { exampleOrderCreation, SEPOLIA_COW, SEPOLIA_WETH } from './exampleOrderCreation.ts'
import { readProtocolAppData } from './readProtocolAppData.ts'
import { serveOrderbookStub } from './serveOrderbookStub.ts'

const OWNER: Address = '0x1111111111111111111111111111111111111111'
const OTHER: Address = '0x2222222222222222222222222222222222222222'

async function send(stub: OrderbookStub, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { 'content-type': 'application/json' }, ...(body === undefined ? {} : { body: JSON.stringify(body) }) }
  const response = await getResponse(stub.handlers(), new Request(`http://orderbook.test${path}`, init))
  if (!response) throw new Error('no handler')
  return { status: response.status, json: (await response.json()) as unknown }
}
const post = (stub: OrderbookStub, body: unknown) => send(stub, 'POST', '/api/v1/orders', body)

/** A node that says yes to every chain fact, at a head timestamp the test moves. */
function fakeChain(head: { timestamp: bigint }): ChainReader {
  let calls = 0
  return {
    rpcUrl: 'http://fake.node.test',
    get calls() {
      return calls
    },
    async readOrder(): Promise<OrderChainFacts> {
      calls++
      return { timestamp: head.timestamp, eip1271Valid: true, presigned: true, balance: 10n ** 30n, allowance: 10n ** 30n, transfers: [true, true, true] }
    },
    async readPresignatures(uids) {
      return uids.map(() => true)
    },
  }
}
const withChain = (head: { timestamp: bigint }, parameters: CreateOrderbookStubParameters = {}) => createOrderbookStub({ chain: fakeChain(head), ...parameters })

describe('banned users (Forbidden)', () => {
  test('behavior: a banned owner or a banned receiver is refused 403 Forbidden; others, an empty list and the knob off pass', async () => {
    const stub = createOrderbookStub({ knobs: { policy: { bannedUsers: [OWNER.toUpperCase().replace('0X', '0x')] } } })
    const forbidden = { status: 403, json: { errorType: 'Forbidden', description: 'Forbidden, your account is deny-listed' } }
    expect(await post(stub, exampleOrderCreation())).toEqual(forbidden)
    expect(await post(stub, exampleOrderCreation({ owner: OTHER, receiver: OWNER }))).toEqual(forbidden)
    expect((await post(stub, exampleOrderCreation({ owner: OTHER }))).status).toBe(201)
    expect((await post(createOrderbookStub(), exampleOrderCreation())).status).toBe(201)
    stub.setKnobs({ checks: { bannedUser: false } })
    expect((await post(stub, exampleOrderCreation())).status).toBe(201)
  })
})

describe('deny-listed tokens (UnsupportedToken)', () => {
  test('behavior: a deny-listed sell or buy token is refused 400 UnsupportedToken naming it; other tokens and the knob off pass', async () => {
    const stub = createOrderbookStub({ knobs: { policy: { unsupportedTokens: [SEPOLIA_COW] } } })
    const refusal = { status: 400, json: { errorType: 'UnsupportedToken', description: `Token ${SEPOLIA_COW.toLowerCase()} is unsupported: deny listed` } }
    expect(await post(stub, exampleOrderCreation())).toEqual(refusal)
    expect(await post(stub, exampleOrderCreation({ sellToken: SEPOLIA_COW, buyToken: SEPOLIA_WETH }))).toEqual(refusal)
    expect((await post(stub, exampleOrderCreation({ buyToken: OTHER }))).status).toBe(201)
    stub.setKnobs({ checks: { unsupportedToken: false }, policy: { unsupportedTokens: [SEPOLIA_COW] } })
    expect((await post(stub, exampleOrderCreation())).status).toBe(201)
  })
})

describe('appData metadata.signer (AppdataFromMismatch)', () => {
  const signed = (signer: string) => JSON.stringify({ appCode: 'test', metadata: { signer }, version: '1.4.0' })
  test('behavior: a signer other than from is refused 400 AppdataFromMismatch, sent in full or registered under its hash; the owner as signer (any case) passes', async () => {
    const stub = createOrderbookStub()
    const refusal = {
      status: 400,
      json: { errorType: 'AppdataFromMismatch', description: `from address ${OWNER} cannot be different from metadata.signer ${OTHER} specified in the app data` },
    }
    expect(await post(stub, exampleOrderCreation({ appData: signed(OTHER) }))).toEqual(refusal)
    const { hash } = stub.putAppData(signed(OTHER))
    expect(await post(stub, exampleOrderCreation({ appData: hash }))).toEqual(refusal)
    expect((await post(stub, exampleOrderCreation({ appData: signed(OWNER.toUpperCase().replace('0X', '0x')) }))).status).toBe(201)
    stub.setKnobs({ checks: { appDataSigner: false } })
    expect((await post(stub, exampleOrderCreation({ appData: signed(OTHER), sellAmount: '7' }))).status).toBe(201)
  })

  test('behavior: a signer that is not an address makes the document InvalidAppData, as the service\'s typed parse does', async () => {
    const answer = await post(createOrderbookStub(), exampleOrderCreation({ appData: signed('0x12') }))
    expect(answer).toMatchObject({ status: 400, json: { errorType: 'InvalidAppData' } })
  })
})

describe('open limit orders per owner (TooManyLimitOrders)', () => {
  const head = { timestamp: 1_899_000_000n }
  // 1 WETH for 2 COW at the stub's 1:1 price: outside the market. 1 for 1 is inside it.
  const outside = (i: number, extra: Record<string, unknown> = {}) => exampleOrderCreation({ sellAmount: String(10n ** 18n + BigInt(i)), ...extra })
  const inside = (i: number) => exampleOrderCreation({ sellAmount: String(10n ** 18n + BigInt(i)), buyAmount: '1000' })

  test('behavior: with 10 open limit orders (the default cap), an 11th outside the market price is refused; one at the market price still passes', async () => {
    const stub = withChain(head)
    for (let i = 0; i < 10; i++) expect((await post(stub, outside(i))).status).toBe(201)
    expect(await post(stub, outside(10))).toEqual({ status: 400, json: { errorType: 'TooManyLimitOrders', description: 'Too many limit orders' } })
    expect((await post(stub, inside(11))).status).toBe(201)
    // Another owner has its own count.
    expect((await post(stub, outside(12, { owner: OTHER }))).status).toBe(201)
  })

  test('behavior: cancelled and expired (at chain time) orders are not counted; the cap and the check are knobs', async () => {
    const stub = withChain(head, { knobs: { policy: { maxLimitOrdersPerUser: 2 } } })
    const first = (await post(stub, outside(0))).json as string
    expect((await post(stub, outside(1))).status).toBe(201)
    expect((await post(stub, outside(2))).status).toBe(400)
    stub.cancelOrders([first])
    expect((await post(stub, outside(3))).status).toBe(201)
    expect((await post(stub, outside(4))).status).toBe(400)
    stub.setKnobs({ checks: { limitOrderCount: false }, policy: { maxLimitOrdersPerUser: 2 } })
    expect((await post(stub, outside(5))).status).toBe(201)
    stub.setKnobs({ checks: {}, policy: { maxLimitOrdersPerUser: 2 } })
    expect((await post(stub, outside(6))).status).toBe(400)
    // The head moves past every held order's validTo: none is open any more.
    head.timestamp = 1_900_000_001n
    expect((await post(stub, outside(7, { validTo: 1_900_100_000 }))).status).toBe(201)
    head.timestamp = 1_899_000_000n
  })

  test('behavior: without a chain the count cannot be judged at chain time: the post is accepted and marked unchecked', async () => {
    const stub = createOrderbookStub({ knobs: { policy: { maxLimitOrdersPerUser: 0 } } })
    expect((await post(stub, outside(0))).status).toBe(201)
    expect(stub.record.accepted()[0]?.unchecked).toContain('limitOrderCount')
  })
})

describe('gas of the quote plus hooks (TooMuchGas)', () => {
  const withHooks = (...gas: string[]) => JSON.stringify({ appCode: 'test', metadata: { hooks: { pre: gas.slice(0, 1).map((g) => ({ target: OTHER, callData: '0x', gasLimit: g })), post: gas.slice(1).map((g) => ({ target: OTHER, callData: '0x', gasLimit: g })) } }, version: '1.4.0' })
  test('behavior: 100,000 quote gas plus hooks above 8,000,000 is refused 400 TooMuchGas; at the limit it passes; the limit and the check are knobs', async () => {
    const stub = createOrderbookStub()
    expect(await post(stub, exampleOrderCreation({ appData: withHooks('4000000', '3900001') }))).toEqual({
      status: 400,
      json: { errorType: 'TooMuchGas', description: 'Executing order requires too many gas units' },
    })
    expect((await post(stub, exampleOrderCreation({ appData: withHooks('4000000', '3900000') }))).status).toBe(201)
    stub.setKnobs({ policy: { maxGasPerOrder: 200_000 } })
    expect((await post(stub, exampleOrderCreation({ appData: withHooks('100001'), sellAmount: '9' }))).status).toBe(400)
    stub.setKnobs({ policy: { maxGasPerOrder: 200_000 }, checks: { gasLimit: false } })
    expect((await post(stub, exampleOrderCreation({ appData: withHooks('100001'), sellAmount: '9' }))).status).toBe(201)
  })

  test('behavior: the deprecated backend.hooks count when there is no metadata; a gasLimit that is not a decimal u64 is InvalidAppData', () => {
    expect(readProtocolAppData('{"backend":{"hooks":{"pre":[{"gasLimit":"5"}],"post":[{"gasLimit":"7"}]}}}')).toEqual({ ok: true, value: { signer: null, hooksGas: 12n } })
    expect(readProtocolAppData('{"metadata":{},"backend":{"hooks":{"pre":[{"gasLimit":"5"}]}}}')).toEqual({ ok: true, value: { signer: null, hooksGas: 0n } })
    expect(readProtocolAppData('{"metadata":{"hooks":{"pre":[{"gasLimit":"-1"}]}}}')).toMatchObject({ ok: false, description: expect.stringMatching(/metadata\.hooks\.pre\[0\]\.gasLimit/) })
  })
})

describe('quotes by id', () => {
  test('behavior: an unknown quoteId is accepted, as the service computes a fresh quote when it finds none; GET /api/v1/quote/{id} is no route of the API', async () => {
    const stub = createOrderbookStub()
    expect((await post(stub, exampleOrderCreation({ quoteId: 987_654 }))).status).toBe(201)
    const server = await serveOrderbookStub(stub, { port: 0 })
    try {
      const route = await fetch(`${server.baseUrl}/api/v1/quote/1`)
      expect(route.status).toBe(404)
      expect(await route.json()).toEqual({ description: 'no route for GET /api/v1/quote/1' })
    } finally {
      await server.close()
    }
  })
})

describe('policy knob', () => {
  test('behavior: an unknown field, a bad address or a bad limit is refused at once, naming it', () => {
    expect(() => createOrderbookStub({ knobs: { policy: { bannedUser: [] } as never } })).toThrow(/policy: unknown field "bannedUser"/)
    expect(() => createOrderbookStub({ knobs: { policy: { unsupportedTokens: ['0x12'] } } })).toThrow(/policy\.unsupportedTokens: expected 20-byte hex addresses, got "0x12"/)
    expect(() => createOrderbookStub().setKnobs({ policy: { maxGasPerOrder: -1 } })).toThrow(/policy\.maxGasPerOrder: expected a non-negative integer/)
  })
})
