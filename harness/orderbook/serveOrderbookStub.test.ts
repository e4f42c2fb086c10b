import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { OrderBookApi, OrderBookApiError, SupportedChainId, type OrderCreation } from '@cowprotocol/cow-sdk'
import { Agent, request as httpRequest } from 'node:http'
import { getAddress } from 'viem'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import { serveOrderbookStub, type ServedOrderbookStub } from './serveOrderbookStub.ts'

const stub = createOrderbookStub()
let server: ServedOrderbookStub

beforeAll(async () => {
  server = await serveOrderbookStub(stub, { port: 0 })
})
afterAll(async () => {
  await server.close()
})

describe('serveOrderbookStub (a real HTTP server on 127.0.0.1)', () => {
  test('behavior: port 0 picks a free port and the base URL names it', () => {
    expect(server.port).toBeGreaterThan(0)
    expect(server.baseUrl).toBe(`http://127.0.0.1:${server.port}`)
  })

  test('behavior: answers plain fetch: post, read back, duplicate, plain-text 404, version', async () => {
    const body = exampleOrderCreation({ sellAmount: '31337' })
    const posted = await fetch(`${server.baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    expect(posted.status).toBe(201)
    const uid = (await posted.json()) as string
    expect(uid).toMatch(/^0x[0-9a-f]{112}$/)
    const read = await fetch(`${server.baseUrl}/api/v1/orders/${uid}`)
    expect(await read.json()).toMatchObject({ uid, status: 'open' })
    const again = await fetch(`${server.baseUrl}/api/v1/orders`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: JSON.stringify(body) })
    expect(again.status).toBe(400)
    expect(await again.json()).toMatchObject({ errorType: 'DuplicatedOrder' })
    const missing = await fetch(`${server.baseUrl}/api/v1/app_data/0x${'00'.repeat(32)}`)
    expect(missing.status).toBe(404)
    expect(await missing.text()).toBe('full app data not found')
    expect(await (await fetch(`${server.baseUrl}/api/v1/version`)).text()).toBe(stub.version)
    expect(stub.record.postsFor(uid).map((e) => e.status)).toEqual([201, 400])
  })

  test("behavior: an unknown path answers a JSON 404 without an errorType (not the API's NotFound), and a 429 rule reaches the client with Retry-After", async () => {
    const unknown = await fetch(`${server.baseUrl}/api/v1/nope`)
    expect(unknown.status).toBe(404)
    expect(await unknown.json()).toEqual({ description: 'no route for GET /api/v1/nope' })
    stub.addRule({ name: 'busy', match: { path: '/api/v1/version' }, respond: { status: 429, retryAfter: 2 }, times: 1 })
    const busy = await fetch(`${server.baseUrl}/api/v1/version`)
    expect(busy.status).toBe(429)
    expect(busy.headers.get('retry-after')).toBe('2')
  })

  test('behavior: an injected transport fault drops the connection', async () => {
    stub.addRule({ name: 'drop', match: { path: '/api/v1/version' }, respond: { status: 0 }, times: 1 })
    await expect(fetch(`${server.baseUrl}/api/v1/version`)).rejects.toThrow(TypeError)
    expect((await fetch(`${server.baseUrl}/api/v1/version`)).status).toBe(200)
  })
})

describe("cow-sdk's OrderBookApi against the stub", () => {
  const api = () =>
    new OrderBookApi({
      chainId: SupportedChainId.SEPOLIA,
      baseUrls: { [SupportedChainId.SEPOLIA]: server.baseUrl } as Record<SupportedChainId, string>,
      backoffOpts: { numOfAttempts: 1 },
      limiterOpts: { tokensPerInterval: 1000, interval: 'second' },
    })
  const owner = getAddress('0x3c44cdddb6a900fa2b585dd299e03d12fa4293bc')
  const order = exampleOrderCreation({ owner, sellAmount: '424242' }) as unknown as OrderCreation

  test('behavior: sendOrder resolves to the UID and getOrder reads the order back', async () => {
    const uid = await api().sendOrder(order)
    expect(uid).toMatch(/^0x[0-9a-f]{112}$/)
    expect(uid.slice(66, 106)).toBe(owner.slice(2).toLowerCase())
    const read = await api().getOrder(uid)
    expect(read).toMatchObject({ uid, owner: owner.toLowerCase(), sellAmount: '424242', signingScheme: 'eip1271', totalFee: '0' })
  })

  test('behavior: a repeat rejects with OrderBookApiError 400 DuplicatedOrder', async () => {
    const error: unknown = await api().sendOrder(order).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OrderBookApiError)
    const apiError = error as OrderBookApiError<{ errorType: string; description: string }>
    expect(apiError.response.status).toBe(400)
    expect(apiError.body.errorType).toBe('DuplicatedOrder')
    expect(apiError.body.description).toBe('order already exists')
  })

  test('behavior: getOrder of an unknown UID rejects with a 404 OrderBookApiError', async () => {
    const error: unknown = await api().getOrder(`0x${'cd'.repeat(56)}`).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(OrderBookApiError)
    expect((error as OrderBookApiError).response.status).toBe(404)
    expect((error as OrderBookApiError<{ errorType: string }>).body.errorType).toBe('NotFound')
  })
})

describe('serveOrderbookStub hot path (node:http client, keep-alive)', () => {
  const hot = createOrderbookStub()
  let hotServer: ServedOrderbookStub
  const agent = new Agent({ keepAlive: true, maxSockets: 1 })
  beforeAll(async () => {
    hotServer = await serveOrderbookStub(hot, { port: 0 })
  })
  afterAll(async () => {
    agent.destroy()
    await hotServer.close()
  })

  function send(method: string, path: string, body?: string, headers: Record<string, string> = {}) {
    return new Promise<{ status: number; text: string; reusedSocket: boolean }>((resolve, reject) => {
      const req = httpRequest({ host: '127.0.0.1', port: hotServer.port, method, path, agent, headers: { ...headers, ...(body ? { 'content-type': 'application/json' } : {}) } }, (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8'), reusedSocket: req.reusedSocket }))
      })
      req.on('error', reject)
      req.end(body)
    })
  }

  /** Counts WHATWG Request/Response/Headers constructions while `run` runs. */
  async function countWebObjects(run: () => Promise<void>): Promise<number> {
    const originals = { Request: globalThis.Request, Response: globalThis.Response, Headers: globalThis.Headers }
    let built = 0
    const counting = <T extends abstract new (...args: never[]) => object>(Original: T): T =>
      new Proxy(Original, {
        construct(target, args, newTarget) {
          built++
          return Reflect.construct(target, args, newTarget) as object
        },
      })
    Object.assign(globalThis, { Request: counting(originals.Request), Response: counting(originals.Response), Headers: counting(originals.Headers) })
    try {
      await run()
    } finally {
      Object.assign(globalThis, originals)
    }
    return built
  }

  test('behavior: order post, order read and app data read build no Request, Response or Headers', async () => {
    const built = await countWebObjects(async () => {
      const posted = await send('POST', '/api/v1/orders', JSON.stringify(exampleOrderCreation({ sellAmount: '777' })))
      expect(posted.status).toBe(201)
      expect((await send('GET', `/api/v1/orders/${JSON.parse(posted.text) as string}`)).status).toBe(200)
      expect((await send('GET', `/api/v1/app_data/${EMPTY_APP_DATA_HASH}`)).status).toBe(200)
    })
    expect(built).toBe(0)
  })

  test('behavior: a predicate that reads facts.request gets a real Request (built only then); facts.headers needs none', async () => {
    hot.addRule({ name: 'byRequest', match: (facts) => facts.request.headers.get('x-shepherd-test') === 'request', respond: { status: 418 }, times: 1 })
    hot.addRule({ name: 'byHeaders', match: (facts) => facts.headers['x-shepherd-test'] === 'plain', respond: { status: 409 }, times: 1 })
    let byRequest = 0
    const built = await countWebObjects(async () => {
      byRequest = (await send('GET', '/api/v1/version', undefined, { 'x-shepherd-test': 'request' })).status
    })
    expect(byRequest).toBe(418)
    expect(built).toBeGreaterThan(0)
    expect((await send('GET', '/api/v1/version', undefined, { 'x-shepherd-test': 'plain' })).status).toBe(409)
  })

  test('behavior: keep-alive carries consecutive requests, including after a 404 with a body', async () => {
    await send('GET', '/api/v1/version')
    expect((await send('POST', '/api/v1/nope', '{"a":1}')).status).toBe(404)
    const next = await send('GET', '/api/v1/version')
    expect(next).toMatchObject({ status: 200, reusedSocket: true })
  })

  test('behavior: routes match with a trailing slash, any letter case and a query, as MSW matched them', async () => {
    expect(await send('GET', '/API/v1/Version/?x=1')).toMatchObject({ status: 200, text: hot.version })
    expect(hot.record.entries.at(-1)).toMatchObject({ method: 'GET', path: '/API/v1/Version/' })
  })
})
