import type { AddressInfo } from 'node:net'
import { afterEach, expect, test } from 'vitest'
import WebSocket, { WebSocketServer } from 'ws'
import { ChainRequestTooLargeError } from '../../modules/sdk/errors/chain.ts'
import { createRequestSizeLimit } from './createRequestSizeLimit.ts'
import { createWsRpcClient, WsRpcError, type WsRpcClient } from './createWsRpcClient.ts'
import { startRpcStandIn } from './startRpcStandIn.ts'

/** A tiny JSON-RPC ws server: answers eth_blockNumber, holds `eth_hang` forever, subscribes newHeads. */
async function fakeNode() {
  const server = new WebSocketServer({ port: 0, host: '127.0.0.1' })
  await new Promise((r) => server.once('listening', r))
  let subscriptions = 0
  server.on('connection', (socket) => {
    socket.on('message', (data) => {
      const { id, method } = JSON.parse(data.toString()) as { id: number; method: string }
      if (method === 'eth_blockNumber') socket.send(JSON.stringify({ jsonrpc: '2.0', id, result: '0x10' }))
      if (method === 'eth_fail') socket.send(JSON.stringify({ jsonrpc: '2.0', id, error: { code: -32005, message: 'query returned more than 10000 results' } }))
      if (method === 'eth_subscribe') {
        subscriptions++
        socket.send(JSON.stringify({ jsonrpc: '2.0', id, result: `0xsub${subscriptions}` }))
        setTimeout(() => socket.send(JSON.stringify({ jsonrpc: '2.0', method: 'eth_subscription', params: { subscription: `0xsub${subscriptions}`, result: { number: `0x${(20 + subscriptions).toString(16)}` } } })), 5)
      }
    })
  })
  return {
    url: `ws://127.0.0.1:${(server.address() as AddressInfo).port}`,
    dropAll: () => server.clients.forEach((c: WebSocket) => c.terminate()),
    subscriptions: () => subscriptions,
    close: () => new Promise((r) => server.close(r)),
  }
}

let client: WsRpcClient | undefined
let node: Awaited<ReturnType<typeof fakeNode>> | undefined
afterEach(async () => {
  client?.close()
  await node?.close()
})

const until = async (fn: () => boolean) => {
  const deadline = Date.now() + 3000
  while (!fn()) {
    if (Date.now() > deadline) throw new Error('timed out')
    await new Promise((r) => setTimeout(r, 5))
  }
}

test('behavior: a drop fails pending requests at once, then the client reconnects, counts it and renews the head subscription', async () => {
  node = await fakeNode()
  let reconnects = 0
  const heads: bigint[] = []
  client = createWsRpcClient({ url: node.url, minBackoffMs: 10, onReconnect: () => reconnects++ })
  client.watchHeads((n) => heads.push(n), () => {})
  await until(() => heads.length === 1)
  const hanging = client.request('eth_hang')
  node.dropAll()
  await expect(hanging).rejects.toThrow(/closed/)
  await until(() => heads.length === 2)
  expect(reconnects).toBe(1)
  expect(node.subscriptions()).toBe(2)
  expect(heads).toEqual([21n, 22n])
  expect(await client.request('eth_blockNumber')).toBe('0x10')
})

test('behavior: a JSON-RPC error keeps its code, so "too many results" can be recognised', async () => {
  node = await fakeNode()
  client = createWsRpcClient({ url: node.url })
  const error = await client.request('eth_fail').catch((e: unknown) => e)
  expect(error).toBeInstanceOf(WsRpcError)
  expect((error as WsRpcError).code).toBe(-32005)
})

test('behavior: a node that is down fails requests fast (no waiting on a dead socket)', async () => {
  node = await fakeNode()
  const url = node.url
  await node.close()
  node = undefined
  client = createWsRpcClient({ url, timeoutMs: 60_000 })
  // Refused, not timed out: the errors name the dead socket, and the second lands in the backoff pause.
  await expect(client.request('eth_blockNumber')).rejects.toThrow(/could not open/)
  await expect(client.request('eth_blockNumber')).rejects.toThrow(/is down; reconnecting in \d+ ms/)
})

test('behavior: a node closing the socket with 1009 (message too big) fails that request as too large, lowers the limit, and the next request works', async () => {
  const standIn = await startRpcStandIn({ answer: ({ params }) => ({ result: params[0] }), maxWsMessageBytes: 100_000 })
  try {
    const limit = createRequestSizeLimit({ maxBytes: 1_000_000 })
    client = createWsRpcClient({ url: standIn.wsUrl, chainId: 7, limit, minBackoffMs: 60_000 })
    const error = await client.request('echo', [`0x${'ab'.repeat(100_000)}`]).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainRequestTooLargeError)
    expect((error as Error).message).toMatch(/code 1009/)
    expect(limit.bytes).toBeLessThan(200_000)
    // No backoff pause after a message too big (it says nothing about the node's health).
    expect(await client.request('echo', ['0x01'])).toBe('0x01')
  } finally {
    client?.close()
    client = undefined
    await standIn.stop()
  }
})
