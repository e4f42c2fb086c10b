import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { afterEach, describe, expect, test } from 'vitest'
import { EngineNotHealthyError, waitForHealthy } from './waitForHealthy.ts'

let server: Server | undefined
afterEach(async () => {
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()))
  server = undefined
})

/** A /healthz that answers 503 with a reason `unhealthyFor` times, then 200. */
async function serveHealth(unhealthyFor: number) {
  let calls = 0
  server = createServer((request, response) => {
    if (request.url !== '/healthz') return void response.writeHead(404).end()
    calls++
    if (calls <= unhealthyFor) response.writeHead(503, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: false, status: 'unhealthy', reasons: ['chain 11155111: cursor 10 is 7 blocks behind head 17'] }))
    else response.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({ ok: true, status: 'ok' }))
  })
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve))
  return `http://127.0.0.1:${(server!.address() as AddressInfo).port}`
}

describe('waitForHealthy', () => {
  test('behavior: waits through 503 answers and returns the first 200', async () => {
    const url = await serveHealth(3)
    const answer = await waitForHealthy({ metricsUrl: url, timeoutMs: 5_000, intervalMs: 10 })
    expect(answer.status).toBe(200)
    expect(JSON.parse(answer.body)).toMatchObject({ ok: true })
  })

  test('behavior: a timeout says the last /healthz status and the engine reasons', async () => {
    const url = await serveHealth(Number.POSITIVE_INFINITY)
    const error = await waitForHealthy({ metricsUrl: url, timeoutMs: 200, intervalMs: 10, what: 'engine pid 42' }).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(EngineNotHealthyError)
    expect((error as EngineNotHealthyError).last?.status).toBe(503)
    expect((error as Error).message).toMatch(/engine pid 42 was not healthy within 200 ms/)
    expect((error as Error).message).toMatch(/HTTP 503 .*cursor 10 is 7 blocks behind head 17/)
  })

  test('behavior: nothing listening is "no answer", and an abort reason stops the wait at once', async () => {
    const error = await waitForHealthy({ metricsUrl: 'http://127.0.0.1:9', timeoutMs: 10_000, intervalMs: 10, abortIf: () => 'the process exited with code 2' }).catch((e: unknown) => e)
    expect((error as Error).message).toMatch(/the process exited with code 2/)
    expect((error as Error).message).toMatch(/last \/healthz answer: none no answer/)
  })
})
