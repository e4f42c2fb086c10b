import { createPublicClient, numberToHex, type Hex, type PublicClient } from 'viem'
import { ChainRequestError } from '../../modules/sdk/errors/chain.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import { createRequestSizeLimit, type CreateRequestSizeLimitParameters, type RequestSizeLimit } from './createRequestSizeLimit.ts'
import { createTransport } from './createTransport.ts'
import { createWsRpcClient } from './createWsRpcClient.ts'
import { getLogsSplitting, isTooManyResults } from './getLogsSplitting.ts'
import { BadRpcDataError, parseBlock, parseBlockNumber, parseLog } from './parseRpc.ts'
import { toChainRequestError } from './toChainRequestError.ts'
import type { ChainSource } from './types.ts'

export type CreateRpcChainSourceParameters = {
  chainId: number
  rpcUrl: string
  metrics?: EngineMetrics
  timeoutMs?: number
  /** Reconnect backoff after a WebSocket drop: first delay and cap, ms. */
  reconnectBackoffMs?: { min: number; max: number }
  /** Quick retries of one failed request before the error reaches the ingestor (which backs off). */
  requestRetries?: number
  /** `max_request_bytes`: no JSON-RPC body or WebSocket message larger (1.5 MiB by default). */
  maxRequestBytes?: number
  /** Called when a "too large" answer lowers the request size limit, e.g. to log it. */
  onRequestLimitShrink?: CreateRequestSizeLimitParameters['onShrink']
  /** Called when a lowered request size limit grows back after a run of answered bodies. */
  onRequestLimitGrow?: CreateRequestSizeLimitParameters['onGrow']
}

/**
 * A ChainSource over JSON-RPC. With a ws(s) URL heads are pushed by `eth_subscribe("newHeads")`
 * and everything else goes over the same socket, which reconnects with backoff after a drop
 * (`shepherd_stream_reconnects_total{kind="ws"}`); the ingestor keeps polling meanwhile and fetches
 * from its cursor, so the gap is backfilled. With http(s) the ingestor polls. Every answer is
 * parsed from unknown, so bad data is an error the ingestor retries, never a crash.
 *
 * @example
 * const source = createRpcChainSource({ chainId: 11155111, rpcUrl: 'ws://127.0.0.1:8545' })
 * const head = await source.getBlockNumber()
 */
export function createRpcChainSource({
  chainId,
  rpcUrl,
  metrics,
  timeoutMs,
  reconnectBackoffMs,
  requestRetries = 2,
  maxRequestBytes,
  onRequestLimitShrink,
  onRequestLimitGrow,
}: CreateRpcChainSourceParameters): ChainSource & { client: PublicClient; requestLimit: RequestSizeLimit } {
  const chain = String(chainId)
  // One budget for the chain: the transport splits batches by it, the chain host packs aggregate3 by it.
  const requestLimit = createRequestSizeLimit({ maxBytes: maxRequestBytes, onShrink: onRequestLimitShrink, onGrow: onRequestLimitGrow })
  const socket = rpcUrl.startsWith('ws')
    ? createWsRpcClient({
        url: rpcUrl,
        chainId,
        limit: requestLimit,
        timeoutMs,
        minBackoffMs: reconnectBackoffMs?.min,
        maxBackoffMs: reconnectBackoffMs?.max,
        onReconnect: () => metrics?.streamReconnects.inc({ kind: 'ws', chain_id: chain }),
      })
    : undefined
  const client = createPublicClient({ transport: createTransport({ url: rpcUrl, chainId, metrics, timeoutMs, ws: socket, limit: requestLimit }), cacheTime: 0, pollingInterval: 1000 })
  // A range fetch is many requests and fails if one does: a flaky node (a share of requests
  // failing) would otherwise fail most passes and push the ingestor into long backoffs. So each
  // request gets a few quick retries; "too many results" goes straight back to be split, and an
  // error no retry fixes (method not found, too large) straight to the ingestor.
  const request = async (method: string, params: unknown[]) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await client.request({ method: method as 'eth_blockNumber', params: params as never })
      } catch (error) {
        const failure = toChainRequestError(error, { chainId, method, shortMessage: `RPC ${method} failed`, details: [`url: ${rpcUrl}`, `attempts: ${attempt + 1}`] })
        if (attempt >= requestRetries || failure.action !== 'retry' || isTooManyResults(error)) throw failure
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt))
      }
    }
  }
  const getBlock = async (number: bigint) => {
    const raw = await request('eth_getBlockByNumber', [numberToHex(number), false])
    if (raw === null) throw new ChainRequestError(`Block ${number} is not available yet`, { chainId, method: 'eth_getBlockByNumber' })
    return parseBlock(raw, chainId)
  }

  return {
    chainId,
    kind: socket ? 'ws' : 'poll',
    client: client as PublicClient,
    requestLimit,
    async getBlockNumber() {
      return parseBlockNumber(await request('eth_blockNumber', []))
    },
    async getChainId() {
      return Number(parseBlockNumber(await request('eth_chainId', [])))
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
    async getBlockLogs(blockHash: Hex, filter) {
      const raw = await request('eth_getLogs', [
        { blockHash, ...(filter.address?.length ? { address: filter.address } : {}), topics: [filter.topic0.length ? [...filter.topic0] : null] },
      ])
      if (!Array.isArray(raw)) throw new BadRpcDataError('eth_getLogs answer (not an array)', raw)
      return raw.map(parseLog)
    },
    watchHeads(onHead, onError) {
      return socket ? socket.watchHeads(onHead, onError) : () => {}
    },
    async close() {
      socket?.close()
    },
  }
}
