import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { OrderBookApi, OrderBookApiError, SupportedChainId, type OrderCreation } from '@cowprotocol/cow-sdk'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { exampleOrderCreation, SEPOLIA_WETH } from './exampleOrderCreation.ts'
import { serveOrderbookStub, type ServedOrderbookStub } from './serveOrderbookStub.ts'

// Every route cow-sdk's OrderBookApi calls, through the real client against the served stub: a
// third-party watcher built on cow-sdk (or on plain fetch) finds the answers it expects.
const stub = createOrderbookStub()
let server: ServedOrderbookStub
const owner = '0x2222222222222222222222222222222222222222'
const unknownUid = `0x${'cd'.repeat(56)}`
beforeAll(async () => {
  server = await serveOrderbookStub(stub, { port: 0 })
})
afterAll(async () => {
  await server.close()
})
const api = () =>
  new OrderBookApi({
    chainId: SupportedChainId.SEPOLIA,
    baseUrls: { [SupportedChainId.SEPOLIA]: server.baseUrl } as Record<SupportedChainId, string>,
    backoffOpts: { numOfAttempts: 1 },
    limiterOpts: { tokensPerInterval: 1000, interval: 'second' },
  })
const rejection = async (call: Promise<unknown>) => {
  const error = await call.catch((e: unknown) => e)
  expect(error).toBeInstanceOf(OrderBookApiError)
  const apiError = error as OrderBookApiError<{ errorType: string; description: string }>
  return { status: apiError.response.status, body: apiError.body }
}

describe('the stub answers every route a CoW client calls (cow-sdk OrderBookApi)', () => {
  test('behavior: version, app data of the empty document, and an unknown UID as 404 with the API error body', async () => {
    expect(await api().getVersion()).toBe(stub.version)
    expect(await api().getAppData(EMPTY_APP_DATA_HASH)).toMatchObject({ fullAppData: '{}' })
    expect(await rejection(api().getOrder(unknownUid))).toEqual({ status: 404, body: { errorType: 'NotFound', description: 'Order was not found' } })
    const raw = await fetch(`${server.baseUrl}/api/v1/orders/${unknownUid}`)
    expect(raw.status).toBe(404)
    expect(raw.headers.get('content-type')).toMatch(/application\/json/)
    expect(await raw.json()).toEqual({ errorType: 'NotFound', description: 'Order was not found' })
  })

  test("behavior: a posted order is listed by its owner's orders, newest first, and its competition status is open", async () => {
    const first = await api().sendOrder(exampleOrderCreation({ owner, sellAmount: '1' }) as unknown as OrderCreation)
    const second = await api().sendOrder(exampleOrderCreation({ owner, sellAmount: '2' }) as unknown as OrderCreation)
    const listed = await api().getOrders({ owner })
    expect(listed.map((o) => o.uid)).toEqual([second, first])
    expect((await api().getOrders({ owner, limit: 1, offset: 1 })).map((o) => o.uid)).toEqual([first])
    expect(await api().getOrders({ owner: '0x3333333333333333333333333333333333333333' })).toEqual([])
    expect(await api().getOrderCompetitionStatus(first)).toEqual({ type: 'open' })
    expect(await rejection(api().getOrderCompetitionStatus(unknownUid))).toMatchObject({ status: 404, body: { errorType: 'OrderNotFound', description: 'Order not located in database' } })
  })

  test('behavior: trades, a transaction\'s orders, native price and total surplus answer in the API\'s shape (the stub settles nothing)', async () => {
    expect(await api().getTrades({ owner })).toEqual([])
    expect(await api().getTrades({ orderUid: unknownUid })).toEqual([])
    expect(await api().getTxOrders(`0x${'ab'.repeat(32)}`)).toEqual([])
    expect(await api().getNativePrice(SEPOLIA_WETH)).toEqual({ price: 1 })
    expect(await api().getTotalSurplus(owner)).toEqual({ totalSurplus: '0' })
    expect((await fetch(`${server.baseUrl}/api/v1/trades?owner=${owner}`)).status).toBe(200)
  })

  test('behavior: malformed path or query parameters are a plain-text 400; the handlers\' own checks answer their JSON errorTypes', async () => {
    const bad = async (path: string) => {
      const response = await fetch(`${server.baseUrl}${path}`)
      const text = await response.text()
      return { status: response.status, body: (response.headers.get('content-type') ?? '').includes('json') ? (JSON.parse(text) as unknown) : text }
    }
    expect(await bad('/api/v1/account/0x12/orders')).toEqual({ status: 400, body: 'Invalid URL: owner: expected a 20-byte hex address, got "0x12"' })
    expect(await bad(`/api/v1/account/${owner}/orders?limit=5000`)).toEqual({ status: 400, body: { errorType: 'LIMIT_OUT_OF_BOUNDS', description: 'The pagination limit is [1,1000].' } })
    expect(await bad(`/api/v1/account/${owner}/orders?limit=x`)).toMatchObject({ status: 400, body: expect.stringMatching(/^Failed to deserialize query string: /) })
    expect(await bad('/api/v2/trades')).toEqual({ status: 400, body: { errorType: 'InvalidTradeFilter', description: 'Must specify exactly one of owner or orderUid.' } })
    expect(await bad(`/api/v2/trades?owner=${owner}&orderUid=${unknownUid}`)).toMatchObject({ status: 400, body: { errorType: 'InvalidTradeFilter' } })
    expect(await bad(`/api/v2/trades?owner=${owner}&limit=0`)).toEqual({ status: 400, body: { errorType: 'InvalidLimit', description: 'limit must be between 1 and 1000' } })
    expect(await bad('/api/v1/trades?owner=0x12')).toMatchObject({ status: 400, body: expect.stringMatching(/^Failed to deserialize query string: owner/) })
    expect(await bad('/api/v1/orders/0x12/status')).toEqual({ status: 400, body: 'Invalid URL: orderUid: expected 56 bytes of hex, got "0x12"' })
    expect(await bad('/api/v1/transactions/0x12/orders')).toMatchObject({ status: 400 })
    expect(await bad('/api/v1/token/nope/native_price')).toMatchObject({ status: 400 })
    expect(await bad('/api/v1/users/nope/total_surplus')).toMatchObject({ status: 400 })
  })
})
