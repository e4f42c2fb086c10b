import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { Hex } from 'viem'
import { afterAll, beforeAll, expect, test } from 'vitest'
import { readOrderbookRecord } from './readOrderbookRecord.ts'

const uid = (n: number) => `0x${n.toString(16).padStart(112, '0')}` as Hex
// uid(1): TWAP found; uid(2): TWAP absent; uid(3): server error; uid(4): found without creationDate; uid(5): EthFlow found.
const answers = new Map<string, [number, unknown]>([
  [uid(1), [200, { uid: uid(1), creationDate: '2026-01-02T03:04:05.678Z' }]],
  [uid(3), [500, { errorType: 'InternalServerError' }]],
  [uid(4), [200, { uid: uid(4) }]],
  [uid(5), [200, { uid: uid(5), creationDate: '2026-01-02T03:04:06.000Z' }]],
])
let server: http.Server
let url: string
beforeAll(async () => {
  server = http.createServer((req, res) => {
    const [status, body] = answers.get(req.url!.split('/').at(-1)!) ?? [404, { errorType: 'NotFound' }]
    res.writeHead(status, { 'content-type': 'application/json' })
    res.end(JSON.stringify(body))
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}/`
})
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())))

test('behavior: a found TWAP part becomes an accepted post at its creationDate; absent orders leave no entry', async () => {
  const { entries, failures } = await readOrderbookRecord({ url, twapUids: [uid(1), uid(2)], ethFlowUids: [uid(5)] })
  expect(entries).toHaveLength(2)
  expect(entries[0]).toMatchObject({ method: 'POST', path: '/api/v1/orders', status: 201, uid: uid(1), at: Date.parse('2026-01-02T03:04:05.678Z'), seq: 1 })
  expect(entries[1]).toMatchObject({ method: 'GET', path: `/api/v1/orders/${uid(5)}`, status: 200, uid: uid(5), seq: 2 })
  expect(failures).toEqual([])
})

test('behavior: errors and unreadable answers are reported as failures, never counted as delivered', async () => {
  const { entries, failures } = await readOrderbookRecord({ url, twapUids: [uid(3), uid(4)], ethFlowUids: [] })
  expect(entries).toEqual([])
  expect(failures).toEqual([
    { uid: uid(3), reason: 'HTTP 500' },
    { uid: uid(4), reason: 'found, but without a readable creationDate' },
  ])
})

test('behavior: an unreachable orderbook makes every lookup a failure naming the URL', async () => {
  const { entries, failures } = await readOrderbookRecord({ url: 'http://127.0.0.1:9', twapUids: [uid(1)], ethFlowUids: [], timeoutMs: 2000 })
  expect(entries).toEqual([])
  expect(failures[0]!.reason).toMatch(/127\.0\.0\.1:9\/api\/v1\/orders/)
})
