import { describe, expect, test } from 'vitest'
import { getResponse } from 'msw'
import { createOrderbookStub } from './createOrderbookStub.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'

async function call(stub: OrderbookStub, method: string, path: string, body?: unknown) {
  const init: RequestInit = { method, headers: { 'Content-Type': 'application/json' } }
  if (body !== undefined) init.body = JSON.stringify(body)
  const response = await getResponse(stub.handlers(), new Request(`http://orderbook.test${path}`, init))
  if (!response) throw new Error(`no handler for ${method} ${path}`)
  const json = (response.headers.get('Content-Type') ?? '').includes('json') ? ((await response.json()) as unknown) : await response.text()
  return { status: response.status, json, headers: response.headers, type: response.type }
}

const post = (stub: OrderbookStub, i: number) => call(stub, 'POST', '/api/v1/orders', exampleOrderCreation({ sellAmount: String(1000 + i) }))
const statuses = async (stub: OrderbookStub, n: number) => {
  const out: number[] = []
  for (let i = 0; i < n; i++) out.push((await post(stub, i)).status)
  return out
}

describe('error injection by rate', () => {
  test('behavior: fails about the configured fraction of requests, the same ones for the same seed', async () => {
    const run = async (seed: number) => statuses(createOrderbookStub({ seed, knobs: { failRate: { rate: 0.3, status: 500 } } }), 100)
    const first = await run(11)
    const failed = first.filter((s) => s === 500).length
    expect(failed).toBeGreaterThan(15)
    expect(failed).toBeLessThan(45)
    expect(first.filter((s) => s !== 500).every((s) => s === 201)).toBe(true)
    expect(await run(11)).toEqual(first)
    expect(await run(12)).not.toEqual(first)
  })

  test('behavior: an injected 500 carries the real error shape and is marked in the record', async () => {
    const stub = createOrderbookStub({ knobs: { failRate: { rate: 1, status: 500 } } })
    const answer = await post(stub, 0)
    expect(answer).toMatchObject({ status: 500, json: { errorType: 'InternalServerError', description: 'internal server error' } })
    expect(stub.record.entries[0]).toMatchObject({ status: 500, injected: 'failRate', responseBody: { errorType: 'InternalServerError' } })
    expect(stub.orders()).toHaveLength(0)
  })
})

describe('error injection by rule', () => {
  test('behavior: a 429 rule sends Retry-After, fires `times` times, then the request succeeds', async () => {
    const stub = createOrderbookStub({
      knobs: { rules: [{ name: 'throttle', match: { method: 'POST', path: '/api/v1/orders' }, respond: { status: 429, retryAfter: 3 }, times: 2 }] },
    })
    const body = exampleOrderCreation()
    const first = await call(stub, 'POST', '/api/v1/orders', body)
    expect(first.status).toBe(429)
    expect(first.headers.get('Retry-After')).toBe('3')
    expect((await call(stub, 'POST', '/api/v1/orders', body)).status).toBe(429)
    expect((await call(stub, 'POST', '/api/v1/orders', body)).status).toBe(201)
    expect(stub.record.entries.map((e) => e.injected)).toEqual(['rule:throttle', 'rule:throttle', undefined])
    expect(stub.record.postsFor(stub.record.accepted()[0]!.uid)).toHaveLength(3)
  })

  test('behavior: a rule matches by UID and owner, and a predicate sees the parsed body', async () => {
    const target = exampleOrderCreation({ sellAmount: '5' })
    const targetUid = (await call(createOrderbookStub(), 'POST', '/api/v1/orders', target)).json as string
    const stub = createOrderbookStub({
      knobs: {
        rules: [
          { name: 'byUid', match: { uid: targetUid.toUpperCase().replace('0X', '0x') }, respond: { status: 400, errorType: 'InsufficientBalance', description: 'order owner must have funds worth at least x in his account' } },
          { name: 'byOwner', match: { owner: '0x2222222222222222222222222222222222222222' }, respond: { status: 403 } },
          { name: 'byBody', match: (facts) => (facts.body as { sellAmount?: string } | undefined)?.sellAmount === '77', respond: { status: 503, retryAfter: 1 } },
        ],
      },
    })
    expect(await call(stub, 'POST', '/api/v1/orders', target)).toMatchObject({ status: 400, json: { errorType: 'InsufficientBalance' } })
    expect(await call(stub, 'POST', '/api/v1/orders', exampleOrderCreation({ owner: '0x2222222222222222222222222222222222222222' }))).toMatchObject({ status: 403, json: { errorType: 'Forbidden' } })
    expect((await call(stub, 'POST', '/api/v1/orders', exampleOrderCreation({ sellAmount: '77' }))).status).toBe(503)
    expect((await call(stub, 'POST', '/api/v1/orders', exampleOrderCreation({ sellAmount: '78' }))).status).toBe(201)
    // The order read path matches the same UID rule.
    expect((await call(stub, 'GET', `/api/v1/orders/${targetUid}`)).status).toBe(400)
  })

  test('behavior: status 0 answers a transport fault (network error)', async () => {
    const stub = createOrderbookStub({ knobs: { rules: [{ match: { path: '/api/v1/version' }, respond: { status: 0 } }] } })
    expect((await call(stub, 'GET', '/api/v1/version')).type).toBe('error')
    expect(stub.record.entries[0]).toMatchObject({ status: 0, injected: 'rule:0' })
  })
})

describe('knobs change during a run', () => {
  test('behavior: setKnobs and addRule take effect on the next request; null turns a knob off', async () => {
    const stub = createOrderbookStub()
    expect((await post(stub, 1)).status).toBe(201)
    stub.setKnobs({ failRate: { rate: 1, status: 502 } })
    expect((await post(stub, 2)).status).toBe(502)
    stub.setKnobs({ failRate: null })
    expect((await post(stub, 3)).status).toBe(201)
    stub.addRule({ match: { method: 'POST' }, respond: { status: 429, retryAfter: 5 }, times: 1 })
    expect((await post(stub, 4)).status).toBe(429)
    expect((await post(stub, 4)).status).toBe(201)
  })

  test('behavior: bad knob values are refused, naming the knob', () => {
    const stub = createOrderbookStub()
    expect(() => stub.setKnobs({ failRate: { rate: 2, status: 500 } })).toThrow(/failRate: rate must be in \[0, 1\], got 2/)
    expect(() => stub.setKnobs({ latencyMs: { min: 5, max: 1 } })).toThrow(/latencyMs/)
  })

  test('behavior: latency delays answers by the fixed value or a seeded draw in [min, max]', async () => {
    const stub = createOrderbookStub({ knobs: { latencyMs: 40 } })
    await call(stub, 'GET', '/api/v1/version')
    stub.setKnobs({ latencyMs: { min: 1, max: 9 } })
    for (let i = 0; i < 5; i++) await call(stub, 'GET', '/api/v1/version')
    const [fixed, ...drawn] = stub.record.entries
    expect(fixed!.delayMs).toBe(40)
    // A lower bound only: the answer cannot come before the delay (timers never fire early by more than ~1 ms).
    expect(fixed!.answeredAt - fixed!.at).toBeGreaterThanOrEqual(38)
    expect(drawn.every((e) => e.delayMs >= 1 && e.delayMs <= 9)).toBe(true)
    expect(new Set(drawn.map((e) => e.delayMs)).size).toBeGreaterThan(1)
  })
})

describe('acceptThenLose (lossy mode)', () => {
  test('behavior: answers 201 with the UID but never stores the order nor counts it as accepted', async () => {
    const stub = createOrderbookStub({ knobs: { acceptThenLose: { times: 1 } } })
    const lost = await post(stub, 1)
    const kept = await post(stub, 2)
    expect(lost.status).toBe(201)
    expect(kept.status).toBe(201)
    expect((await call(stub, 'GET', `/api/v1/orders/${lost.json as string}`)).status).toBe(404)
    expect((await call(stub, 'GET', `/api/v1/orders/${kept.json as string}`)).status).toBe(200)
    expect(stub.record.accepted().map((e) => e.uid)).toEqual([kept.json])
    expect(stub.record.postsFor(lost.json as string)).toMatchObject([{ status: 201, injected: 'acceptThenLose' }])
  })

  test('behavior: a lost order can be posted again and is then kept', async () => {
    const stub = createOrderbookStub({ knobs: { acceptThenLose: { times: 1 } } })
    const first = await post(stub, 1)
    const again = await post(stub, 1)
    expect(again).toMatchObject({ status: 201, json: first.json })
    expect(stub.record.accepted()).toHaveLength(1)
  })
})

describe('record', () => {
  test('behavior: records each request with seq, method, path, parsed body, status, response body and UID; clear() empties it', async () => {
    const stub = createOrderbookStub()
    const body = exampleOrderCreation()
    const uid = (await call(stub, 'POST', '/api/v1/orders', body)).json as string
    await call(stub, 'GET', `/api/v1/orders/${uid}`)
    await call(stub, 'POST', '/api/v1/orders', body)
    expect(stub.record.entries).toMatchObject([
      { seq: 1, method: 'POST', path: '/api/v1/orders', body, status: 201, responseBody: uid, uid },
      { seq: 2, method: 'GET', path: `/api/v1/orders/${uid}`, status: 200, responseBody: { uid }, uid },
      { seq: 3, method: 'POST', status: 400, responseBody: { errorType: 'DuplicatedOrder' }, uid },
    ])
    expect(stub.record.entries.every((e) => e.answeredAt >= e.at)).toBe(true)
    expect(stub.record.accepted().map((e) => e.uid)).toEqual([uid])
    expect(stub.record.postsFor(uid).map((e) => e.status)).toEqual([201, 400])
    stub.record.clear()
    expect(stub.record.entries).toHaveLength(0)
  })
})
