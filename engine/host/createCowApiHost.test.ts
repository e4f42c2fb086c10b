import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import { createCowApiHost } from './createCowApiHost.ts'

type Seen = { method: string; url: string; body: string; headers: http.IncomingHttpHeaders; socket: number }
const seen: Seen[] = []
const sockets = new Map<object, number>()
let answer: (req: Seen, res: http.ServerResponse) => void = (_req, res) => res.end()
let server: http.Server
let baseUrl: string

beforeAll(async () => {
  server = http.createServer((req, res) => {
    let body = ''
    req.on('data', (chunk) => (body += chunk))
    req.on('end', () => {
      if (!sockets.has(req.socket)) sockets.set(req.socket, sockets.size + 1)
      const entry = { method: req.method!, url: req.url!, body, headers: req.headers, socket: sockets.get(req.socket)! }
      seen.push(entry)
      answer(entry, res)
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

const json = (res: http.ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}) => {
  res.writeHead(status, { 'content-type': 'application/json', ...headers })
  res.end(JSON.stringify(body))
}
const failureOf = async (promise: Promise<unknown>) => {
  const error = await promise.then(() => undefined, (e: unknown) => e)
  if (!(error instanceof CowApiError)) throw new Error(`expected a CowApiError, got ${String(error)}`)
  return error
}
const order = { sellToken: '0x01', sellAmount: '1', signingScheme: 'eip1271' } as never

test('behavior: submitOrder posts the body as JSON to /api/v1/orders and answers the UID', async () => {
  answer = (_req, res) => json(res, 201, '0xabc')
  const cowApi = createCowApiHost({ baseUrls: new Map([[11155111, baseUrl]]) })
  await expect(cowApi.submitOrder(11155111, order)).resolves.toBe('0xabc')
  const last = seen.at(-1)!
  expect(last).toMatchObject({ method: 'POST', url: '/api/v1/orders' })
  expect(JSON.parse(last.body)).toEqual(order)
  expect(last.headers['content-type']).toBe('application/json')
  cowApi.close()
})

test('behavior: an orderbook error answer becomes a CowApiError with its errorType, description, data and Retry-After', async () => {
  const cowApi = createCowApiHost({ baseUrls: new Map([[11155111, baseUrl]]) })
  answer = (_req, res) => json(res, 400, { errorType: 'DuplicatedOrder', description: 'order already exists', data: { uid: '0x1' } })
  const duplicate = await failureOf(cowApi.submitOrder(11155111, order))
  expect(duplicate).toMatchObject({ status: 400, errorType: 'DuplicatedOrder', description: 'order already exists', data: { uid: '0x1' } })
  answer = (_req, res) => json(res, 429, { errorType: 'TooManyRequests', description: 'slow down' }, { 'retry-after': '7' })
  expect(await failureOf(cowApi.submitOrder(11155111, order))).toMatchObject({ status: 429, retryAfter: 7 })
  answer = (_req, res) => {
    res.writeHead(502, { 'content-type': 'text/plain' })
    res.end('bad gateway')
  }
  expect(await failureOf(cowApi.submitOrder(11155111, order))).toMatchObject({ status: 502, description: 'bad gateway', errorType: undefined })
  cowApi.close()
})

test('behavior: a 2xx answer without a UID string is an error, not a silent success', async () => {
  answer = (_req, res) => json(res, 201, { not: 'a uid' })
  const cowApi = createCowApiHost({ baseUrls: new Map([[11155111, baseUrl]]) })
  expect((await failureOf(cowApi.submitOrder(11155111, order))).message).toMatch(/transport fault/)
  cowApi.close()
})

test("behavior: getOrder and getAppData answer null on the orderbook's own 404 and the document otherwise", async () => {
  const cowApi = createCowApiHost({ baseUrls: new Map([[11155111, baseUrl]]) })
  answer = (req, res) => (req.url.endsWith('/0xfound') ? json(res, 200, { uid: '0xfound', status: 'open' }) : json(res, 404, { errorType: 'NotFound', description: 'no order' }))
  await expect(cowApi.getOrder(11155111, '0xfound')).resolves.toEqual({ uid: '0xfound', status: 'open' })
  await expect(cowApi.getOrder(11155111, '0xmissing')).resolves.toBeNull()
  answer = (req, res) => {
    if (req.url === '/api/v1/app_data/0x01') return json(res, 200, { fullAppData: '{}' })
    res.writeHead(404, { 'content-type': 'text/plain' })
    res.end('full app data not found')
  }
  await expect(cowApi.getAppData(11155111, '0x01')).resolves.toEqual({ fullAppData: '{}' })
  await expect(cowApi.getAppData(11155111, '0x02')).resolves.toBeNull()
  answer = (_req, res) => json(res, 500, { errorType: 'InternalServerError', description: 'boom' })
  expect(await failureOf(cowApi.getOrder(11155111, '0x1'))).toMatchObject({ status: 500 })
  cowApi.close()
})

test('behavior: a 404 that is not the orderbook\'s (a wrong orderbook_url: HTML, another JSON) rejects instead of reading "absent"', async () => {
  const cowApi = createCowApiHost({ baseUrls: new Map([[11155111, baseUrl]]) })
  answer = (_req, res) => {
    res.writeHead(404, { 'content-type': 'text/html' })
    res.end('<html><body>Not Found</body></html>')
  }
  expect(await failureOf(cowApi.getOrder(11155111, '0x1'))).toMatchObject({ status: 404 })
  expect(await failureOf(cowApi.getAppData(11155111, '0x02'))).toMatchObject({ status: 404 })
  answer = (_req, res) => json(res, 404, { message: 'no route' })
  expect(await failureOf(cowApi.getOrder(11155111, '0x1'))).toMatchObject({ status: 404, errorType: undefined })
  expect(await failureOf(cowApi.getAppData(11155111, '0x02'))).toMatchObject({ status: 404 })
  cowApi.close()
})

test('behavior: requests reuse kept-alive sockets instead of opening one per request', async () => {
  answer = (_req, res) => json(res, 201, '0xuid')
  const cowApi = createCowApiHost({ baseUrls: new Map([[11155111, baseUrl]]) })
  const before = seen.length
  for (let i = 0; i < 20; i++) await cowApi.submitOrder(11155111, order)
  const used = new Set(seen.slice(before).map((s) => s.socket))
  expect(used.size).toBe(1)
  cowApi.close()
})

test('behavior: a refused connection and a silent server are transport faults (status 0) naming the URL', async () => {
  const closed = http.createServer()
  await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve))
  const port = (closed.address() as AddressInfo).port
  await new Promise<void>((resolve) => closed.close(() => resolve()))
  const refused = createCowApiHost({ baseUrls: new Map([[11155111, `http://127.0.0.1:${port}`]]) })
  const failure = await failureOf(refused.submitOrder(11155111, order))
  expect(failure.status).toBe(0)
  expect(failure.message).toMatch(/transport fault/)
  expect(failure.details.join('\n')).toContain(`127.0.0.1:${port}/api/v1/orders`)
  refused.close()

  answer = () => {} // never answers
  const slow = createCowApiHost({ baseUrls: new Map([[11155111, baseUrl]]), timeoutMs: 200 })
  const timedOut = await failureOf(slow.getOrder(11155111, '0x1'))
  expect(timedOut).toMatchObject({ status: 0 })
  expect(timedOut.description).toMatch(/timed out after 200 ms/)
  slow.close()
})

test('behavior: a chain without an orderbook URL is refused with the config key to set', async () => {
  const cowApi = createCowApiHost({ baseUrls: new Map() })
  expect((await failureOf(cowApi.submitOrder(31337, order))).description).toMatch(/\[chains\.31337\] orderbook_url/)
  cowApi.close()
})

test('behavior: request() reaches any path and answers status and parsed body without throwing on 4xx', async () => {
  answer = (req, res) => json(res, req.url === '/api/v1/version' ? 200 : 404, req.url === '/api/v1/version' ? { version: '1' } : { errorType: 'NotFound' })
  const cowApi = createCowApiHost({ baseUrls: new Map([[11155111, baseUrl]]) })
  await expect(cowApi.request(11155111, 'GET', 'api/v1/version')).resolves.toEqual({ status: 200, body: { version: '1' } })
  await expect(cowApi.request(11155111, 'GET', '/api/v1/nothing')).resolves.toEqual({ status: 404, body: { errorType: 'NotFound' } })
  expect((await failureOf(cowApi.request(11155111, 'PATCH', '/x'))).description).toMatch(/unsupported method PATCH/)
  cowApi.close()
})

test('behavior: with several chains each call goes to the orderbook of the chain it names', async () => {
  answer = (_req, res) => json(res, 201, '0xabc')
  // One server, two base paths: the path tells which chain's orderbook a request reached.
  const cowApi = createCowApiHost({ baseUrls: new Map([[11155111, `${baseUrl}sepolia/`], [100, `${baseUrl}xdai/`]]) })
  await cowApi.submitOrder(100, order)
  await cowApi.submitOrder(11155111, order)
  await cowApi.submitOrder(100, order)
  expect(seen.slice(-3).map((s) => s.url)).toEqual(['/xdai/api/v1/orders', '/sepolia/api/v1/orders', '/xdai/api/v1/orders'])
  cowApi.close()
})
