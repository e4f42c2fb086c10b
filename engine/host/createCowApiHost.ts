import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { AppDataDocument, CowApiHost, CowOrder } from '../../modules/sdk/module/types.ts'
import { createJsonHttpClient, type JsonHttpRequest, type JsonHttpResponse } from './createJsonHttpClient.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

/** The public orderbook base URL per chain, used when the config gives no `orderbook_url`. */
export const defaultOrderbookUrls: Readonly<Record<number, string>> = {
  1: 'https://api.cow.fi/mainnet',
  100: 'https://api.cow.fi/xdai',
  42161: 'https://api.cow.fi/arbitrum_one',
  8453: 'https://api.cow.fi/base',
  11155111: 'https://api.cow.fi/sepolia',
}

export type CreateCowApiHostParameters = {
  /** Base URL per chain (the config's `orderbook_url`, or the public default). */
  baseUrls: ReadonlyMap<number, string>
  metrics?: EngineMetrics
  timeoutMs?: number
}

function retryAfterOf(header: string | string[] | undefined): number | undefined {
  const value = Array.isArray(header) ? header[0] : header
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

/** The CowApiError for a non-2xx answer: the orderbook's `{ errorType, description, data }` body, and Retry-After. */
export function cowApiErrorOf(response: JsonHttpResponse, url: string): CowApiError {
  const body = response.body
  const structured = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
  return new CowApiError({
    status: response.status,
    errorType: typeof structured.errorType === 'string' ? structured.errorType : undefined,
    description: typeof structured.description === 'string' ? structured.description : typeof body === 'string' ? body : undefined,
    data: structured.data,
    retryAfter: retryAfterOf(response.headers['retry-after']),
    url,
  })
}

/** Maps anything a request threw to a CowApiError (status 0 for transport faults). */
export function toCowApiError(error: unknown, url?: string): CowApiError {
  if (error instanceof CowApiError) return error
  return new CowApiError({ status: 0, description: errorMessage(error), url, cause: error })
}

/**
 * True when a 404 is the orderbook saying it has no such order or document, in the real API's words:
 * `{"errorType":"NotFound"}` for an order, the plain text "full app data not found" for appData. Any
 * other 404 (an HTML page, another server's JSON, a proxy) is a failure: with a wrong `orderbook_url`
 * every lookup would otherwise read "absent" and modules would declare orders missing.
 *
 * @example
 * isOrderbookNotFound(new CowApiError({ status: 404, errorType: 'NotFound' }), 'order') // true
 */
export function isOrderbookNotFound(error: unknown, what: 'order' | 'appData'): boolean {
  if (!(error instanceof CowApiError) || error.status !== 404) return false
  if (error.errorType === 'NotFound') return true
  return what === 'appData' && error.errorType === undefined && /^full app data not found$/i.test((error.description ?? '').trim())
}

/**
 * The `cowApi` capability: the orderbook's REST API on its real paths, with no retries and no rate
 * limiter (the module decides when to retry; a 404 must not be retried ten times in the hot path),
 * and every failure mapped to a structured `CowApiError`. Bodies are cow-sdk's types (`OrderCreation`);
 * the transport is a keep-alive `node:http(s)` client rather than cow-sdk's `OrderBookApi`, whose
 * global-fetch calls cost ~2.5x the CPU per request on the engine's main thread (see
 * engine/host/orderbookTransport.bench.ts). `getOrder` answers the orderbook's order DTO as sent.
 *
 * @example
 * const cowApi = createCowApiHost({ baseUrls: new Map([[11155111, 'http://127.0.0.1:8080']]) })
 * const uid = await cowApi.submitOrder(11155111, body)
 */
export function createCowApiHost({ baseUrls, metrics, timeoutMs = 10_000 }: CreateCowApiHostParameters): CowApiHost & { close(): void } {
  const client = createJsonHttpClient()
  const baseUrl = (chainId: number) => {
    const url = baseUrls.get(chainId) ?? defaultOrderbookUrls[chainId]
    if (!url) throw new CowApiError({ status: 0, description: `No orderbook URL for chain ${chainId}; set [chains.${chainId}] orderbook_url` })
    return url.replace(/\/$/, '')
  }
  /** One request; a 2xx answer resolves with it, anything else rejects with a CowApiError. */
  const call = async (chainId: number, method: JsonHttpRequest['method'], path: string, body?: unknown): Promise<JsonHttpResponse> => {
    const url = `${baseUrl(chainId)}${path}`
    let response: JsonHttpResponse
    try {
      response = await client.request({ method, url, body, timeoutMs })
    } catch (error) {
      throw toCowApiError(error, url)
    }
    if (response.status < 200 || response.status >= 300) throw cowApiErrorOf(response, url)
    return response
  }
  const count = (chainId: number, outcome: string) => metrics?.cowApiSubmits.inc({ chain_id: String(chainId), outcome })

  return {
    async submitOrder(chainId, order) {
      try {
        const { body } = await call(chainId, 'POST', '/api/v1/orders', order)
        if (typeof body !== 'string') throw new CowApiError({ status: 0, description: `POST /api/v1/orders answered 2xx without an order UID string (got ${body === null ? 'nothing' : typeof body})`, url: `${baseUrl(chainId)}/api/v1/orders` })
        count(chainId, 'accepted')
        return body
      } catch (error) {
        const failure = toCowApiError(error, `${baseUrl(chainId)}/api/v1/orders`)
        count(chainId, failure.errorType ?? (failure.status === 0 ? 'transport' : `http_${failure.status}`))
        throw failure
      }
    },
    async getOrder(chainId, uid) {
      try {
        return (await call(chainId, 'GET', `/api/v1/orders/${uid}`)).body as CowOrder
      } catch (error) {
        if (isOrderbookNotFound(error, 'order')) return null
        throw error
      }
    },
    async getAppData(chainId, hash) {
      try {
        return (await call(chainId, 'GET', `/api/v1/app_data/${hash}`)).body as AppDataDocument
      } catch (error) {
        if (isOrderbookNotFound(error, 'appData')) return null
        throw error
      }
    },
    async request(chainId, method, path, body) {
      const url = `${baseUrl(chainId)}${path.startsWith('/') ? path : `/${path}`}`
      const verb = method.toUpperCase()
      if (verb !== 'GET' && verb !== 'POST' && verb !== 'PUT' && verb !== 'DELETE') throw new CowApiError({ status: 0, description: `unsupported method ${method} (GET, POST, PUT or DELETE)`, url })
      try {
        const response = await client.request({ method: verb, url, body, timeoutMs })
        return { status: response.status, body: response.body }
      } catch (error) {
        throw toCowApiError(error, url)
      }
    },
    close() {
      client.close()
    },
  }
}
