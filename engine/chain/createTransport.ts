import { createTransport as createViemTransport, custom, type Transport } from 'viem'
import type { WsRpcClient } from './createWsRpcClient.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import { createHttpBatchClient } from './createHttpBatchClient.ts'
import { createRequestSizeLimit, type RequestSizeLimit } from './createRequestSizeLimit.ts'
import { isRevertAnswer } from './revertDataOf.ts'

export type CreateTransportParameters = {
  url: string
  chainId: number
  metrics?: EngineMetrics
  /** Per-request timeout. */
  timeoutMs?: number
  /** For a ws(s) URL: the reconnecting socket client every request goes through. */
  ws?: WsRpcClient
  /** The chain's request size budget (`max_request_bytes`, lowered by "too large" answers). */
  limit?: RequestSizeLimit
  /** Over http: larger answers are refused (a refused batch is split). Default 10 MiB, as viem. */
  maxResponseBytes?: number
}

/**
 * A viem transport for an http(s) or ws(s) URL that counts every request in
 * `shepherd_chain_request_total{chain_id,method,outcome}`: `ok`, `revert` (the node answered that
 * the call reverted: code 3 or revert data, see `isRevertAnswer`; an answer, not a failure) or
 * `error` (a transport fault, a timeout, any other node error). HTTP requests issued together go as
 * JSON-RPC batches, ~10x cheaper in Node CPU than one request each, split so that no body passes
 * the chain's `max_request_bytes` (see `createHttpBatchClient`). viem's own retries are off: the
 * ingestor and the modules decide when to retry.
 *
 * @example
 * const client = createPublicClient({ transport: createTransport({ url: 'http://127.0.0.1:8545', chainId: 11155111 }) })
 */
export function createTransport({ url, chainId, metrics, timeoutMs = 10_000, ws, limit = createRequestSizeLimit(), maxResponseBytes }: CreateTransportParameters): Transport {
  // Over ws, requests go through our own reconnecting client: viem's socket cache keeps a dead
  // socket forever once `reconnect` is off, and its own reconnect gives up after 5 attempts.
  const http = ws ? undefined : createHttpBatchClient({ url, chainId, limit, timeoutMs, maxResponseBytes })
  const inner: Transport = ws
    ? custom({ request: ({ method, params }: { method: string; params?: unknown }) => ws.request(method, Array.isArray(params) ? params : []) }, { retryCount: 0 })
    : () => createViemTransport({ key: 'http', name: 'HTTP JSON-RPC', type: 'http', retryCount: 0, timeout: timeoutMs, request: (({ method, params }: { method: string; params?: unknown }) => http!.request(method, params ?? [])) as never }, { url })
  if (!metrics) return inner
  const chain = String(chainId)
  return ((options) => {
    const transport = inner(options)
    const innerRequest = transport.request as (args: { method: string; params?: unknown }, options?: unknown) => Promise<unknown>
    const request = async (args: { method: string; params?: unknown }, requestOptions?: unknown) => {
      try {
        const result = await innerRequest(args, requestOptions)
        metrics.chainRequests.inc({ chain_id: chain, method: args.method, outcome: 'ok' })
        return result
      } catch (error) {
        metrics.chainRequests.inc({ chain_id: chain, method: args.method, outcome: isRevertAnswer(error) ? 'revert' : 'error' })
        throw error
      }
    }
    return { ...transport, request: request as typeof transport.request }
  }) as Transport
}
