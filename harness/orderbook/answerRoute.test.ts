import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { getResponse } from 'msw'
import { createOrderbookStub } from './createOrderbookStub.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import { serveOrderbookStub, type ServedOrderbookStub } from './serveOrderbookStub.ts'

// The two serving modes share one core (answerRoute). These tests send the same requests to two
// identical stubs, one through the MSW handlers and one through serveOrderbookStub over real HTTP,
// and require the same answers and the same record.

type Outcome = { dropped: true } | { status: number; contentType: string | null; retryAfter: string | null; body: string }
type Call = { method: string; path: string; body?: string }

const fixedClock = () => 1_700_000_000_000
const served = createOrderbookStub({ seed: 5, now: fixedClock })
const inProcess = createOrderbookStub({ seed: 5, now: fixedClock })
let server: ServedOrderbookStub

beforeAll(async () => {
  server = await serveOrderbookStub(served, { port: 0 })
})
afterAll(async () => {
  await server.close()
})

async function overHttp(call: Call): Promise<Outcome> {
  const init: RequestInit = { method: call.method, ...(call.body !== undefined ? { body: call.body, headers: { 'content-type': 'application/json' } } : {}) }
  const response = await fetch(`${server.baseUrl}${call.path}`, init).catch((error: unknown) => error)
  if (response instanceof TypeError) return { dropped: true }
  if (!(response instanceof Response)) throw response
  return { status: response.status, contentType: response.headers.get('content-type'), retryAfter: response.headers.get('retry-after'), body: await response.text() }
}

async function throughMsw(stub: OrderbookStub, call: Call): Promise<Outcome> {
  const init: RequestInit = { method: call.method, ...(call.body !== undefined ? { body: call.body, headers: { 'content-type': 'application/json' } } : {}) }
  const response = await getResponse(stub.handlers(), new Request(`http://orderbook.test${call.path}`, init))
  if (!response) throw new Error(`no MSW handler for ${call.method} ${call.path}`)
  if (response.type === 'error') return { dropped: true }
  return { status: response.status, contentType: response.headers.get('content-type'), retryAfter: response.headers.get('retry-after'), body: await response.text() }
}

/** Sends one request both ways and returns the served outcome, after checking the MSW one is equal. */
async function both(call: Call): Promise<Outcome> {
  const viaHttp = await overHttp(call)
  const viaMsw = await throughMsw(inProcess, call)
  expect(viaHttp, `${call.method} ${call.path}`).toEqual(viaMsw)
  return viaHttp
}

const order = JSON.stringify(exampleOrderCreation({ sellAmount: '123456' }))

describe('served (node:http) and MSW answers agree', () => {
  test('behavior: a valid order is 201 with the same UID both ways, and reads back the same', async () => {
    const posted = await both({ method: 'POST', path: '/api/v1/orders', body: order })
    expect(posted).toMatchObject({ status: 201, contentType: 'application/json' })
    const uid = JSON.parse((posted as { body: string }).body) as string
    expect(await both({ method: 'GET', path: `/api/v1/orders/${uid}` })).toMatchObject({ status: 200 })
  })

  test('behavior: invalid orders, a duplicate and an unknown UID get the same 400/404 errors', async () => {
    expect(await both({ method: 'POST', path: '/api/v1/orders', body: '{not json' })).toMatchObject({ status: 400 })
    expect(await both({ method: 'POST', path: '/api/v1/orders', body: JSON.stringify(exampleOrderCreation({ sellAmount: '0' })) })).toMatchObject({ status: 400 })
    const duplicate = await both({ method: 'POST', path: '/api/v1/orders', body: order })
    expect(duplicate).toMatchObject({ status: 400 })
    expect(JSON.parse((duplicate as { body: string }).body)).toEqual({ errorType: 'DuplicatedOrder', description: 'order already exists' })
    expect(await both({ method: 'GET', path: `/api/v1/orders/0x${'ab'.repeat(56)}` })).toMatchObject({ status: 404 })
    expect(await both({ method: 'GET', path: `/api/v1/app_data/0x${'00'.repeat(32)}` })).toMatchObject({ status: 404, contentType: 'text/plain', body: 'full app data not found' })
  })

  test('behavior: an injected 503 carries the same body and Retry-After, and a transport fault drops both ways', async () => {
    for (const stub of [served, inProcess]) {
      stub.addRule({ name: 'busy', match: { method: 'POST', path: '/api/v1/orders' }, respond: { status: 503, retryAfter: 7 }, times: 1 })
      stub.addRule({ name: 'drop', match: (facts) => facts.path === '/api/v1/version', respond: { status: 0 }, times: 1 })
    }
    const busy = await both({ method: 'POST', path: '/api/v1/orders', body: JSON.stringify(exampleOrderCreation({ sellAmount: '9' })) })
    expect(busy).toMatchObject({ status: 503, retryAfter: '7', contentType: 'application/json' })
    expect(await both({ method: 'GET', path: '/api/v1/version' })).toEqual({ dropped: true })
    expect(await both({ method: 'GET', path: '/api/v1/version' })).toMatchObject({ status: 200 })
  })

  test('behavior: both stubs recorded the same entries, field for field', () => {
    expect(served.record.entries.length).toBeGreaterThan(8)
    expect(served.record.entries).toEqual(inProcess.record.entries)
    expect(served.record.entries.map((e) => e.injected).filter(Boolean)).toEqual(['rule:busy', 'rule:drop'])
    // The Retry-After the client was told is in the record: the chaos judge bounds a 429's retry by it.
    expect(served.record.entries.filter((e) => e.retryAfter !== undefined).map((e) => [e.injected, e.status, e.retryAfter])).toEqual([['rule:busy', 503, 7]])
  })
})
