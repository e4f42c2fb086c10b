import { createPublicClient, numberToHex, type PublicClient } from 'viem'
import { ChainRequestError } from '../errors/chain.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import { createTransport } from './createTransport.ts'
import { getLogsSplitting } from './getLogsSplitting.ts'
import { parseBlock, parseBlockNumber } from './parseRpc.ts'
import type { ChainSource } from './types.ts'

export type CreateRpcChainSourceParameters = {
  chainId: number
  rpcUrl: string
  metrics?: EngineMetrics
  timeoutMs?: number
}

/**
 * A ChainSource over JSON-RPC. With a ws(s) URL heads are pushed by `eth_subscribe("newHeads")`
 * and everything else goes over the same socket; with http(s) the ingestor polls. Every answer is
 * parsed from unknown, so bad data is an error the ingestor retries, never a crash.
 */
export function createRpcChainSource({ chainId, rpcUrl, metrics, timeoutMs }: CreateRpcChainSourceParameters): ChainSource & { client: PublicClient } {
  const client = createPublicClient({ transport: createTransport({ url: rpcUrl, chainId, metrics, timeoutMs }), cacheTime: 0, pollingInterval: 1000 })
  const ws = rpcUrl.startsWith('ws')
  const request = async (method: string, params: unknown[]) => {
    try {
      return await client.request({ method: method as 'eth_blockNumber', params: params as never })
    } catch (error) {
      throw new ChainRequestError(`RPC ${method} failed`, { chainId, method, cause: error, details: [`url: ${rpcUrl}`] })
    }
  }
  const getBlock = async (number: bigint) => {
    const raw = await request('eth_getBlockByNumber', [numberToHex(number), false])
    if (raw === null) throw new ChainRequestError(`Block ${number} is not available yet`, { chainId, method: 'eth_getBlockByNumber' })
    return parseBlock(raw, chainId)
  }

  return {
    chainId,
    kind: ws ? 'ws' : 'poll',
    client: client as PublicClient,
    async getBlockNumber() {
      return parseBlockNumber(await request('eth_blockNumber', []))
    },
    getBlock,
    async getBlocks(from, to) {
      const numbers: bigint[] = []
      for (let n = from; n <= to; n++) numbers.push(n)
      // Issued together, these leave as one JSON-RPC batch over http, or pipelined over ws.
      return Promise.all(numbers.map(getBlock))
    },
    getLogs(filter) {
      return getLogsSplitting((params) => request('eth_getLogs', params), filter)
    },
    watchHeads(onHead, onError) {
      if (!ws) return () => {}
      // Typed for a ws transport only; our transport is chosen at run time from the URL.
      const watch = client.watchBlockNumber as unknown as (args: { poll: false; onBlockNumber: (n: bigint) => void; onError: (e: Error) => void }) => () => void
      return watch({ poll: false, onBlockNumber: onHead, onError })
    },
    async close() {
      // viem keeps one socket per URL; closing it ends the subscription and lets the process exit.
      if (ws) {
        const { getWebSocketRpcClient } = await import('viem/utils')
        const socket = await getWebSocketRpcClient(rpcUrl).catch(() => undefined)
        socket?.close()
      }
    },
  }
}
