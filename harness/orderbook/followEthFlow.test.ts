import { afterEach, describe, expect, test, vi } from 'vitest'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { getResponse } from 'msw'
import { numberToHex, type Hex } from 'viem'
import { createOrderbookStub } from './createOrderbookStub.ts'
import type { PlacementRpcLog } from './decodeEthFlowPlacement.ts'
import { ETH_FLOW, expectedUid, placementLog, USER } from './ethFlowTestVectors.ts'
import { followEthFlow, type EthFlowFollower } from './followEthFlow.ts'

/** A JSON-RPC server answering eth_blockNumber and eth_getLogs from a fixed list of logs. */
async function fakeRpc(logs: PlacementRpcLog[], head: number): Promise<{ url: string; ranges: Array<[string, string]>; close(): Promise<void> }> {
  const ranges: Array<[string, string]> = []
  const server: Server = createServer((req, res) => {
    let text = ''
    req.on('data', (chunk: Buffer) => (text += chunk.toString()))
    req.on('end', () => {
      const { id, method, params } = JSON.parse(text) as { id: number; method: string; params: Array<{ fromBlock: Hex; toBlock: Hex }> }
      let result: unknown = null
      if (method === 'eth_blockNumber') result = numberToHex(head)
      if (method === 'eth_getLogs') {
        const { fromBlock, toBlock } = params[0]!
        ranges.push([fromBlock, toBlock])
        result = logs.filter((l) => BigInt(l.blockNumber!) >= BigInt(fromBlock) && BigInt(l.blockNumber!) <= BigInt(toBlock))
      }
      res.setHeader('Content-Type', 'application/json')
      res.end(JSON.stringify({ jsonrpc: '2.0', id, result }))
    })
  })
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    ranges,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  }
}

describe('followEthFlow (against a fake JSON-RPC server)', () => {
  const cleanups: Array<() => Promise<void>> = []
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
  })

  async function follow(logs: PlacementRpcLog[], options: { indexingDelayMs?: number; missRate?: number; seed?: number; maxBlockRange?: bigint } = {}) {
    const rpc = await fakeRpc(logs, 10)
    cleanups.push(rpc.close)
    const stub = createOrderbookStub()
    const follower: EthFlowFollower = followEthFlow(stub, { rpcUrl: rpc.url, pollIntervalMs: 10, ...options })
    cleanups.push(follower.stop)
    return { stub, follower, rpc }
  }

  test('behavior: an indexed placement becomes visible under GET /orders/{uid} with the EthFlow fields', async () => {
    const { stub, follower } = await follow([placementLog()])
    await vi.waitFor(() => expect(follower.indexed[0]?.visibleAt).toBeDefined())
    const response = await getResponse(stub.handlers(), new Request(`http://orderbook.test/api/v1/orders/${expectedUid()}`))
    expect(response?.status).toBe(200)
    expect(await response?.json()).toMatchObject({
      uid: expectedUid(),
      owner: ETH_FLOW.toLowerCase(),
      onchainUser: USER.toLowerCase(),
      ethflowData: { refundTxHash: null, userValidTo: 1_900_000_123 },
      onchainOrderData: { sender: USER.toLowerCase() },
      validTo: 0xffffffff,
      signingScheme: 'eip1271',
    })
  })

  test('behavior: reads by block range up to the head, and stop() ends the loop', async () => {
    const { follower, rpc } = await follow([placementLog(1n, 3), placementLog(2n, 9)], { maxBlockRange: 4n })
    await vi.waitFor(() => expect(follower.indexed).toHaveLength(2))
    expect(rpc.ranges.slice(0, 3)).toEqual([['0x0', '0x3'], ['0x4', '0x7'], ['0x8', '0xa']])
    await follower.stop()
    const reads = rpc.ranges.length
    await new Promise((resolve) => setTimeout(resolve, 50))
    expect(rpc.ranges.length).toBe(reads)
    expect(follower.nextBlock).toBe(11n)
  })

  test('behavior: with a delay the order is seen but not yet visible; stop() cancels it', async () => {
    const { stub, follower } = await follow([placementLog()], { indexingDelayMs: 60_000 })
    await vi.waitFor(() => expect(follower.indexed).toHaveLength(1))
    expect(stub.getOrder(expectedUid())).toBeUndefined()
    await follower.stop()
    expect(follower.indexed[0]?.visibleAt).toBeUndefined()
  })

  test('behavior: the seeded miss rate drops placements reproducibly', async () => {
    const logs = Array.from({ length: 20 }, (_, i) => placementLog(BigInt(i + 1), 1 + (i % 9)))
    const run = async () => {
      const { stub, follower } = await follow(logs, { missRate: 0.5, seed: 3 })
      await vi.waitFor(() => expect(follower.indexed).toHaveLength(20))
      await follower.stop()
      const missed = follower.indexed.filter((e) => e.missed)
      expect(missed.every((e) => stub.getOrder(e.uid) === undefined)).toBe(true)
      expect(follower.indexed.filter((e) => !e.missed).every((e) => stub.getOrder(e.uid) !== undefined)).toBe(true)
      return follower.indexed.map((e) => e.missed)
    }
    const first = await run()
    expect(first.filter(Boolean).length).toBeGreaterThan(3)
    expect(first.filter(Boolean).length).toBeLessThan(17)
    expect(await run()).toEqual(first)
  })
})
