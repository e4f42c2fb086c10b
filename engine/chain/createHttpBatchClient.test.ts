import { RpcRequestError } from 'viem'
import { afterEach, describe, expect, test } from 'vitest'
import { ChainRequestTooLargeError } from '../../modules/sdk/errors/chain.ts'
import { createHttpBatchClient } from './createHttpBatchClient.ts'
import { createRequestSizeLimit } from './createRequestSizeLimit.ts'
import { startRpcStandIn, type RpcStandIn, type StartRpcStandInParameters } from './startRpcStandIn.ts'

let node: RpcStandIn | undefined
afterEach(async () => {
  await node?.stop()
  node = undefined
})

/** Echoes the first param back, so each answer proves it went to the right request. */
const echo: StartRpcStandInParameters['answer'] = ({ method, params }) =>
  method === 'echo' ? { result: params[0] } : { error: { code: 3, message: 'execution reverted', data: '0x08c379a0' } }
const blob = (i: number, bytes: number) => `0x${i.toString(16).padStart(8, '0')}${'ab'.repeat(bytes)}`

describe('createHttpBatchClient', () => {
  test('behavior: requests issued together leave as JSON-RPC batches of at most the limit, each answered', async () => {
    node = await startRpcStandIn({ answer: echo })
    const client = createHttpBatchClient({ url: node.httpUrl, chainId: 1, limit: createRequestSizeLimit({ maxBytes: 100_000 }) })
    const values = Array.from({ length: 20 }, (_, i) => blob(i, 20_000))
    expect(await Promise.all(values.map((v) => client.request('echo', [v])))).toEqual(values)
    expect(node.bodies.length).toBeGreaterThanOrEqual(8) // 20 x ~40 kB in bodies of <= 100 kB: two per body
    expect(Math.max(...node.bodies)).toBeLessThanOrEqual(100_000)
  })

  test('behavior: many small requests go as one batch (count-capped), not one body each', async () => {
    node = await startRpcStandIn({ answer: echo })
    const client = createHttpBatchClient({ url: node.httpUrl, chainId: 1, limit: createRequestSizeLimit(), batchSize: 200 })
    await Promise.all(Array.from({ length: 450 }, (_, i) => client.request('echo', [i])))
    expect(node.bodies).toHaveLength(3)
  })

  test("behavior: Anvil's -32600 for an oversized body halves the limit, the batch is resent in halves, and later bodies fit at once", async () => {
    node = await startRpcStandIn({ answer: echo, maxBodyBytes: 200_000, refuseAs: 'anvil' })
    const shrinks: number[] = []
    const limit = createRequestSizeLimit({ maxBytes: 1_000_000, onShrink: ({ to }) => shrinks.push(to) })
    const client = createHttpBatchClient({ url: node.httpUrl, chainId: 1, limit })
    const values = Array.from({ length: 20 }, (_, i) => blob(i, 15_000))
    expect(await Promise.all(values.map((v) => client.request('echo', [v])))).toEqual(values)
    expect(node.bodies[0]).toBeGreaterThan(200_000) // the first body was refused...
    expect(limit.bytes).toBeLessThanOrEqual(200_000) // ...and the limit learned from it
    expect(shrinks.length).toBeGreaterThanOrEqual(1)
    const before = node.bodies.length
    expect(await Promise.all(values.map((v) => client.request('echo', [v])))).toEqual(values)
    // The hot path does not rediscover the limit: no refused body the second time.
    expect(node.bodies.slice(before).every((bytes) => bytes <= 200_000)).toBe(true)
  })

  test("behavior: geth's HTTP 413 for one request alone rejects with ChainRequestTooLargeError naming its size", async () => {
    node = await startRpcStandIn({ answer: echo, maxBodyBytes: 100_000, refuseAs: 'geth' })
    const limit = createRequestSizeLimit({ maxBytes: 1_000_000 })
    const client = createHttpBatchClient({ url: node.httpUrl, chainId: 5, limit })
    const error = await client.request('echo', [blob(1, 80_000)]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainRequestTooLargeError)
    expect((error as ChainRequestTooLargeError).bytes).toBeGreaterThan(160_000)
    expect((error as ChainRequestTooLargeError).action).toBe('stop')
    expect((error as Error).message).toMatch(/HTTP 413: content length too large/)
    expect(limit.bytes).toBeLessThan(100_000)
  })

  test('behavior: a connection broken twice while the same large body is sent counts as too large (split, limit lowered); for a small body it is a transport fault', async () => {
    node = await startRpcStandIn({ answer: echo, maxBodyBytes: 200_000, refuseAs: 'hangup' })
    const shrinks: string[] = []
    const limit = createRequestSizeLimit({ maxBytes: 1_000_000, onShrink: ({ refusal }) => shrinks.push(refusal) })
    const client = createHttpBatchClient({ url: node.httpUrl, chainId: 1, limit })
    const values = Array.from({ length: 20 }, (_, i) => blob(i, 15_000))
    expect(await Promise.all(values.map((v) => client.request('echo', [v])))).toEqual(values)
    expect(limit.bytes).toBeLessThanOrEqual(200_000)
    expect(node.bodies.slice(0, 2)).toEqual([node.bodies[0], node.bodies[0]]) // the same body, sent again alone, broke again
    expect(shrinks[0]).toBe('broken')
    await node.stop()
    node = await startRpcStandIn({ answer: echo, maxBodyBytes: 100, refuseAs: 'hangup' })
    const small = createHttpBatchClient({ url: node.httpUrl, chainId: 1, limit: createRequestSizeLimit() })
    const error = await small.request('echo', [blob(1, 100)]).catch((e: unknown) => e)
    expect(error).not.toBeInstanceOf(ChainRequestTooLargeError)
    expect(String(error)).toMatch(/HTTP request failed/)
  })

  test('behavior: one broken connection (a stale keep-alive socket, an idle close, a proxy fault) sends the same body again and keeps the limit', async () => {
    // A proxy that drops every third body of any size: 10% or 33%, a break is not a size.
    node = await startRpcStandIn({ answer: echo, breakConnection: ({ index }) => index % 3 === 0 })
    const limit = createRequestSizeLimit({ maxBytes: 1_000_000 })
    const client = createHttpBatchClient({ url: node.httpUrl, chainId: 1, limit })
    for (let round = 0; round < 5; round++) {
      const values = Array.from({ length: 20 }, (_, i) => blob(round * 100 + i, 20_000))
      expect(await Promise.all(values.map((v) => client.request('echo', [v])))).toEqual(values)
    }
    expect(limit.bytes).toBe(1_000_000)
    expect(node.bodies.filter((bytes) => bytes > 700_000).length).toBeGreaterThanOrEqual(5) // every round went as one body (sent twice when broken)
  })

  test('behavior: a limit lowered by a proxy incident grows back to max_request_bytes once bodies are answered again', async () => {
    let incident = true
    node = await startRpcStandIn({ answer: echo, breakConnection: ({ bytes }) => incident && bytes > 100_000 })
    const grows: number[] = []
    const shrinks: number[] = []
    const limit = createRequestSizeLimit({ maxBytes: 800_000, growAfter: 4, onGrow: ({ to }) => grows.push(to), onShrink: ({ to }) => shrinks.push(to) })
    const client = createHttpBatchClient({ url: node.httpUrl, chainId: 1, limit })
    const send = async (round: number) => {
      const values = Array.from({ length: 16 }, (_, i) => blob(round * 100 + i, 20_000))
      expect(await Promise.all(values.map((v) => client.request('echo', [v])))).toEqual(values)
    }
    await send(0)
    expect(Math.min(...shrinks)).toBeLessThanOrEqual(100_000) // every large body broke twice: the limit went down
    incident = false
    for (let round = 1; round <= 40 && limit.bytes < 800_000; round++) await send(round)
    expect(limit.bytes).toBe(800_000)
    expect(grows.at(-1)).toBe(800_000)
  })

  test('behavior: a small body answered -32600 is an invalid request (not a size problem): the limit stays', async () => {
    node = await startRpcStandIn({ answer: echo, maxBodyBytes: 10, refuseAs: 'anvil' })
    const limit = createRequestSizeLimit()
    const client = createHttpBatchClient({ url: node.httpUrl, chainId: 1, limit })
    const error = await client.request('echo', ['0x01']).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(RpcRequestError)
    expect((error as RpcRequestError).code).toBe(-32600)
    expect(limit.bytes).toBe(1_572_864)
  })

  test('behavior: a per-request error keeps its code and data (revert data reaches viem as from its own transport)', async () => {
    node = await startRpcStandIn({ answer: echo })
    const client = createHttpBatchClient({ url: node.httpUrl, chainId: 1, limit: createRequestSizeLimit() })
    const [ok, failed] = await Promise.allSettled([client.request('echo', ['0x01']), client.request('eth_call', [])])
    expect(ok).toEqual({ status: 'fulfilled', value: '0x01' })
    const error = (failed as PromiseRejectedResult).reason as RpcRequestError
    expect(error).toBeInstanceOf(RpcRequestError)
    expect([error.code, error.data]).toEqual([3, '0x08c379a0'])
  })

  test('behavior: a node that is down rejects every request of the body with a transport error', async () => {
    node = await startRpcStandIn({ answer: echo })
    const url = node.httpUrl
    await node.stop()
    node = undefined
    const client = createHttpBatchClient({ url, chainId: 1, limit: createRequestSizeLimit() })
    const results = await Promise.allSettled([client.request('echo', [1]), client.request('echo', [2])])
    expect(results.map((r) => r.status)).toEqual(['rejected', 'rejected'])
    expect(String((results[0] as PromiseRejectedResult).reason)).toMatch(/HTTP request failed/)
  })
})
