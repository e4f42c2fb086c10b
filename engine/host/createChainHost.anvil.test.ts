import type { Address, Hex } from 'viem'
import { afterAll, beforeAll, describe, expect, test } from 'vitest'
import { startDevnet, type Devnet } from '../../harness/devnet/startDevnet.ts'
import { createRpcChainSource } from '../chain/createRpcChainSource.ts'
import { ChainMethodNotFoundError, ChainRequestError } from '../../modules/sdk/errors/chain.ts'
import { createMetrics } from '../metrics/createMetrics.ts'
import { createChainHost } from './createChainHost.ts'

let net: Devnet
const sources: Array<ReturnType<typeof createRpcChainSource>> = []
beforeAll(async () => {
  net = await startDevnet({ log: () => {} })
})
afterAll(async () => {
  for (const source of sources) await source.close()
  await net?.stop()
})

/** A chain host on the devnet, with its own metrics and a record of every limit change. */
function hostOn(rpcUrl: string, { maxRequestBytes, multicallBatchSize = 500 }: { maxRequestBytes?: number; multicallBatchSize?: number } = {}) {
  const metrics = createMetrics()
  const shrinks: number[] = []
  const source = createRpcChainSource({ chainId: net.chainId, rpcUrl, metrics, maxRequestBytes, onRequestLimitShrink: ({ to }) => shrinks.push(to), requestRetries: 0 })
  sources.push(source)
  const host = createChainHost(new Map([[net.chainId, { client: source.client, multicallAddress: net.addresses.multicall3 as Address, multicallBatchSize, requestLimit: source.requestLimit }]]))
  const ethCalls = async (outcome: 'ok' | 'error') =>
    (await metrics.registry.getSingleMetric('shepherd_chain_request_total')!.get()).values.find((v) => v.labels.method === 'eth_call' && v.labels.outcome === outcome)?.value ?? 0
  return { host, source, shrinks, ethCalls }
}

// 2,000 calls of 1 kB calldata each to an address with no code (each succeeds with empty data):
// one aggregate3 of them is ~4.6 MB of JSON, over Anvil's 2 MiB body limit.
const target: Address = '0x00000000000000000000000000000000000b0b00'
const calls = Array.from({ length: 2000 }, (_, i) => ({ target, callData: `0x${i.toString(16).padStart(8, '0')}${'11'.repeat(1020)}` as Hex, allowFailure: true }))

describe('createChainHost on Anvil 1.7.1', () => {
  test('behavior: an aggregate3 over the 2 MiB body limit is halved until it fits, and the learned limit is kept for the next multicall', async () => {
    const { host, source, shrinks, ethCalls } = hostOn(net.rpcUrl, { maxRequestBytes: 8 * 1024 * 1024, multicallBatchSize: 10_000 })
    const first = await host.multicall(net.chainId, calls)
    expect(first).toHaveLength(calls.length)
    expect(first.every((r) => r.success && r.returnData === '0x')).toBe(true)
    expect(shrinks.length).toBeGreaterThanOrEqual(1) // Anvil refused the first body (-32600 Invalid request)...
    expect(source.requestLimit.bytes).toBeLessThanOrEqual(2 * 1024 * 1024) // ...and the limit learned it
    const refusedBefore = await ethCalls('error')
    const okBefore = await ethCalls('ok')
    const shrinksBefore = shrinks.length
    const second = await host.multicall(net.chainId, calls)
    expect(second).toEqual(first)
    // No rediscovery on the hot path: nothing refused, nothing lowered, just the requests the learned limit needs.
    expect(await ethCalls('error')).toBe(refusedBefore)
    expect(shrinks).toHaveLength(shrinksBefore)
    expect((await ethCalls('ok')) - okBefore).toBeLessThanOrEqual(Math.ceil(4_800_000 / source.requestLimit.bytes) + 1)
  })

  test('behavior: with the default limit, a large multicall never sends a body Anvil refuses (HTTP and WebSocket)', async () => {
    for (const rpcUrl of [net.rpcUrl, net.wsUrl]) {
      const { host, shrinks, ethCalls } = hostOn(rpcUrl, { multicallBatchSize: 10_000 })
      expect(await host.multicall(net.chainId, calls)).toHaveLength(calls.length)
      expect(await ethCalls('error')).toBe(0)
      expect(shrinks).toEqual([])
      expect(await ethCalls('ok')).toBeGreaterThanOrEqual(3) // ~4.6 MB in aggregate3 calls of <= 1.5 MiB
    }
  })

  test('behavior: a method the node does not serve rejects with ChainMethodNotFoundError (stop) over HTTP', async () => {
    const { host } = hostOn(net.rpcUrl)
    const error = await host.request(net.chainId, 'eth_noSuchMethod', []).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainMethodNotFoundError)
    expect((error as ChainMethodNotFoundError).action).toBe('stop')
    expect((error as Error).message).toMatch(/does not serve eth_noSuchMethod/)
  })

  // Anvil 1.7.1 over WebSocket answers an unknown method with -32602 "data did not match any variant
  // of untagged enum EthRpcCall", as it answers bad params: not recognisable as "method not found",
  // so it stays a (retryable) ChainRequestError. A node that answers -32601 over ws is covered by
  // engine/host/chainFailures.test.ts.
  test('behavior: over WebSocket Anvil words an unknown method as invalid params: a plain ChainRequestError', async () => {
    const { host } = hostOn(net.wsUrl)
    const error = await host.request(net.chainId, 'eth_noSuchMethod', []).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainRequestError)
    expect(error).not.toBeInstanceOf(ChainMethodNotFoundError)
  })
})
