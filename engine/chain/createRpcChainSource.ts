import { createPublicClient, numberToHex, ResponseBodyTooLargeError, type Hex, type PublicClient } from 'viem'
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
  /** Over http: the largest answer read for an ordinary request; a larger one is split (ranges, batches). Default 10 MiB. */
  maxResponseBytes?: number
  /**
   * Over http: the largest `eth_getLogs` answer read for ONE block (`max_block_logs_bytes`), which
   * cannot be split: a block of 10,000 TWAP creations answers ~12 MB. Default 256 MiB.
   */
  maxBlockLogsBytes?: number
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
  maxResponseBytes = 10_485_760,
  maxBlockLogsBytes = 268_435_456,
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
  const client = createPublicClient({ transport: createTransport({ url: rpcUrl, chainId, metrics, timeoutMs, ws: socket, limit: requestLimit, maxResponseBytes }), cacheTime: 0, pollingInterval: 1000 })
  // One block's logs cannot be split: over http they get a client that reads a larger answer (its
  // own batch queue; used only for a block too large for the ordinary one).
  const wholeClient = socket
    ? client
    : createPublicClient({ transport: createTransport({ url: rpcUrl, chainId, metrics, timeoutMs, limit: requestLimit, maxResponseBytes: maxBlockLogsBytes }), cacheTime: 0 })
  // A range fetch is many requests and fails if one does: a flaky node (a share of requests
  // failing) would otherwise fail most passes and push the ingestor into long backoffs. So each
  // request gets a few quick retries; "too many results" goes straight back to be split, and an
  // error no retry fixes (method not found, too large) straight to the ingestor.
  const request = async (method: string, params: unknown[], via: typeof client = client) => {
    for (let attempt = 0; ; attempt++) {
      try {
        return await via.request({ method: method as 'eth_blockNumber', params: params as never })
      } catch (error) {
        const failure = toChainRequestError(error, { chainId, method, shortMessage: `RPC ${method} failed`, details: [`url: ${rpcUrl}`, `attempts: ${attempt + 1}`] })
        if (attempt >= requestRetries || failure.action !== 'retry' || isTooManyResults(error)) throw failure
        await new Promise((r) => setTimeout(r, 50 * 2 ** attempt))
      }
    }
  }
  /** One block's eth_getLogs, which cannot be split: a refusal past `maxBlockLogsBytes` names the block and the key to raise. */
  const requestBlockLogs = async (params: unknown[], block: bigint | string) => {
    try {
      return await request('eth_getLogs', params, wholeClient)
    } catch (error) {
      let tooLarge: ResponseBodyTooLargeError | undefined
      for (let e: unknown = error; e instanceof Error && !tooLarge; e = e.cause) if (e instanceof ResponseBodyTooLargeError) tooLarge = e
      if (!tooLarge) throw error
      throw new ChainRequestError(`The logs of block ${block} answer more than max_block_logs_bytes`, {
        chainId,
        method: 'eth_getLogs',
        details: [`url: ${rpcUrl}`, `max_block_logs_bytes: ${maxBlockLogsBytes}`, `answer: ${tooLarge.details}`],
        hint: `One block's logs cannot be split: raise [chains.${chainId}] max_block_logs_bytes, or narrow what the modules subscribe to. The ingestor retries with backoff.`,
        cause: error,
      })
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
      return getLogsSplitting(
        (params) => request('eth_getLogs', params),
        filter,
        (params) => requestBlockLogs(params, filter.fromBlock),
      )
    },
    async getBlockLogs(blockHash: Hex, filter) {
      // One block, so it cannot be split: the client that reads a larger answer.
      const raw = await requestBlockLogs(
        [{ blockHash, ...(filter.address?.length ? { address: filter.address } : {}), topics: [filter.topic0.length ? [...filter.topic0] : null] }],
        blockHash,
      )
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
