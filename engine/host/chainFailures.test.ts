import { decodeFunctionData, encodeFunctionResult, multicall3Abi, type Address, type Hex } from 'viem'
import { afterEach, describe, expect, test } from 'vitest'
import { createRpcChainSource } from '../chain/createRpcChainSource.ts'
import { startRpcStandIn, type RpcStandIn, type StandInAnswer, type StartRpcStandInParameters } from '../chain/startRpcStandIn.ts'
import { ChainMethodNotFoundError, ChainRequestError, ChainRequestTooLargeError } from '../../modules/sdk/errors/chain.ts'
import { createChainHost } from './createChainHost.ts'

// Chain failures reach a module as typed errors naming the cause (decisions go by class).
const CHAIN = 1
const MULTICALL: Address = '0xcA11bde05977b3631167028862bE2a173976CA11'
const target: Address = '0x00000000000000000000000000000000000b0b00'

/** A node that answers aggregate3 by echoing each inner calldata back as its return data. */
const node3: StartRpcStandInParameters['answer'] = ({ method, params }): StandInAnswer => {
  if (method !== 'eth_call') return { error: { code: -32601, message: 'Method not found' } }
  const { to, data } = params[0] as { to: string; data: Hex }
  if (to.toLowerCase() !== MULTICALL.toLowerCase()) return { result: 'not hex at all' }
  const { args } = decodeFunctionData({ abi: multicall3Abi, data })
  const inner = (args[0] as ReadonlyArray<{ callData: Hex }>).map(({ callData }) => ({ success: true, returnData: callData }))
  return { result: encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: inner }) }
}

let node: RpcStandIn | undefined
const sources: Array<ReturnType<typeof createRpcChainSource>> = []
afterEach(async () => {
  for (const source of sources.splice(0)) await source.close()
  await node?.stop()
  node = undefined
})
function hostOn(rpcUrl: string, maxRequestBytes?: number) {
  const source = createRpcChainSource({ chainId: CHAIN, rpcUrl, maxRequestBytes, requestRetries: 0 })
  sources.push(source)
  return { source, host: createChainHost(new Map([[CHAIN, { client: source.client, multicallAddress: MULTICALL, multicallBatchSize: 10_000, requestLimit: source.requestLimit }]])) }
}
const calls = (count: number, bytes: number) => Array.from({ length: count }, (_, i) => ({ target, callData: `0x${i.toString(16).padStart(8, '0')}${'22'.repeat(bytes)}` as Hex, allowFailure: true }))

describe('chain failures, typed', () => {
  for (const transport of ['http', 'ws'] as const)
    test(`behavior: over ${transport}, -32601 is ChainMethodNotFoundError (stop); a non-hex eth_call answer is a retryable ChainRequestError`, async () => {
      node = await startRpcStandIn({ answer: node3 })
      const { host } = hostOn(transport === 'http' ? node.httpUrl : node.wsUrl)
      const missing = await host.request(CHAIN, 'eth_whatever', []).catch((e: unknown) => e)
      expect(missing).toBeInstanceOf(ChainMethodNotFoundError)
      expect((missing as ChainMethodNotFoundError).action).toBe('stop')
      const garbage = await host.call(CHAIN, { to: target, data: '0x01' }).catch((e: unknown) => e)
      expect(garbage).toBeInstanceOf(ChainRequestError)
      expect((garbage as ChainRequestError).action).toBe('retry')
      expect((garbage as Error).message).toMatch(/not hex/)
    })

  test('behavior: a node down is a retryable ChainRequestError, not a revert', async () => {
    node = await startRpcStandIn({ answer: node3 })
    const { host } = hostOn(node.httpUrl)
    await node.stop()
    node = undefined
    const error = await host.multicall(CHAIN, calls(2, 10)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainRequestError)
    expect(error).not.toBeInstanceOf(ChainRequestTooLargeError)
    expect((error as ChainRequestError).action).toBe('retry')
  })

  for (const refuseAs of ['anvil', 'geth'] as const)
    test(`behavior: an aggregate3 a node refuses as too large (${refuseAs} style) is split until it fits, results in call order`, async () => {
      node = await startRpcStandIn({ answer: node3, maxBodyBytes: 300_000, refuseAs })
      const { host, source } = hostOn(node.httpUrl, 2_000_000)
      const many = calls(600, 1000) // one aggregate3 of ~1.3 MB of JSON
      const results = await host.multicall(CHAIN, many)
      expect(results.map((r) => r.returnData)).toEqual(many.map((c) => c.callData))
      expect(source.requestLimit.bytes).toBeLessThanOrEqual(300_000)
      expect(Math.max(...node.bodies.slice(-4))).toBeLessThanOrEqual(300_000)
    })

  test('behavior: one inner call too large for the node even alone rejects with ChainRequestTooLargeError naming the size', async () => {
    node = await startRpcStandIn({ answer: node3, maxBodyBytes: 100_000, refuseAs: 'geth' })
    const { host } = hostOn(node.httpUrl)
    const error = await host.multicall(CHAIN, calls(1, 200_000)).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(ChainRequestTooLargeError)
    expect((error as ChainRequestTooLargeError).bytes).toBeGreaterThan(400_000)
    expect((error as Error).message).toMatch(/max_request_bytes/)
  })

  test('behavior: over WebSocket, a message the node closes the socket for (1009) is split the same way', async () => {
    node = await startRpcStandIn({ answer: node3, maxWsMessageBytes: 300_000 })
    const { host, source } = hostOn(node.wsUrl, 2_000_000)
    const many = calls(600, 1000)
    const results = await host.multicall(CHAIN, many)
    expect(results.map((r) => r.returnData)).toEqual(many.map((c) => c.callData))
    expect(source.requestLimit.bytes).toBeLessThanOrEqual(300_000)
  })
})
