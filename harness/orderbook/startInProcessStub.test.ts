import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { createOrderbookStub } from './createOrderbookStub.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import { startInProcessStub, type InProcessStub } from './startInProcessStub.ts'

const stub = createOrderbookStub()
let inProcess: InProcessStub
let local: Server
let localUrl: string

beforeAll(async () => {
  local = createServer((_req, res) => res.end('real local server'))
  await new Promise<void>((resolve) => local.listen(0, '127.0.0.1', resolve))
  localUrl = `http://127.0.0.1:${(local.address() as AddressInfo).port}`
  inProcess = startInProcessStub(stub)
})
afterAll(async () => {
  inProcess.close()
  await new Promise<void>((resolve) => local.close(() => resolve()))
})

describe('startInProcessStub (MSW setupServer)', () => {
  test('behavior: fetch to the fake base URL reaches the stub', async () => {
    expect(inProcess.baseUrl).toBe('http://orderbook.shepherd.test')
    const posted = await fetch(`${inProcess.baseUrl}/api/v1/orders`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(exampleOrderCreation()),
    })
    expect(posted.status).toBe(201)
    const uid = (await posted.json()) as string
    expect((await fetch(`${inProcess.baseUrl}/api/v1/orders/${uid}`)).status).toBe(200)
    expect(stub.record.accepted().map((e) => e.uid)).toEqual([uid])
  })

  test('behavior: requests to 127.0.0.1 pass through to the real server (RPC to Anvil is not intercepted)', async () => {
    expect(await (await fetch(`${localUrl}/anything`)).text()).toBe('real local server')
  })

  test('behavior: requests to any other host are refused, so no test reaches a real orderbook', async () => {
    const error: unknown = await fetch('http://api.cow.invalid/sepolia/api/v1/version').catch((e: unknown) => e)
    // The MSW refusal, not a DNS failure: the request never left the process.
    expect(String(error)).toMatch(/\[MSW\] Cannot bypass a request/)
  })
})
