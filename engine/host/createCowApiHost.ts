import { OrderBookApi, OrderBookApiError, type SupportedChainId } from '@cowprotocol/cow-sdk'
import { CowApiError } from '../errors/cowApi.ts'
import type { EngineMetrics } from '../metrics/createMetrics.ts'
import type { AppDataDocument, CowApiHost, CowOrder } from '../module/types.ts'

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

function retryAfterOf(response: Response | undefined): number | undefined {
  const header = response?.headers.get('retry-after')
  if (!header) return undefined
  const seconds = Number(header)
  if (Number.isFinite(seconds)) return Math.max(0, seconds)
  const date = Date.parse(header)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - Date.now()) / 1000))
}

/** Maps anything the orderbook client threw to a CowApiError (status 0 for transport faults). */
export function toCowApiError(error: unknown, url?: string): CowApiError {
  if (error instanceof CowApiError) return error
  if (error instanceof OrderBookApiError) {
    const body: unknown = error.body
    const structured = typeof body === 'object' && body !== null ? (body as Record<string, unknown>) : {}
    return new CowApiError({
      status: error.response.status,
      errorType: typeof structured.errorType === 'string' ? structured.errorType : undefined,
      description: typeof structured.description === 'string' ? structured.description : typeof body === 'string' ? body : undefined,
      data: structured.data,
      retryAfter: retryAfterOf(error.response),
      url: url ?? error.response.url,
      cause: error,
    })
  }
  return new CowApiError({ status: 0, description: error instanceof Error ? error.message : String(error), url, cause: error })
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} timed out after ${ms} ms`)), ms)
  })
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer))
}

/**
 * The `cowApi` capability: cow-sdk's OrderBookApi per chain with its retries and its 5/s limiter
 * turned off (the module decides when to retry; a 404 must not be retried ten times in the hot
 * path), and every failure mapped to a structured `CowApiError`.
 */
export function createCowApiHost({ baseUrls, metrics, timeoutMs = 10_000 }: CreateCowApiHostParameters): CowApiHost {
  const apis = new Map<number, OrderBookApi>()
  const baseUrl = (chainId: number) => {
    const url = baseUrls.get(chainId) ?? defaultOrderbookUrls[chainId]
    if (!url) throw new CowApiError({ status: 0, description: `No orderbook URL for chain ${chainId}; set [chains.${chainId}] orderbook_url` })
    return url.replace(/\/$/, '')
  }
  const api = (chainId: number) => {
    let client = apis.get(chainId)
    if (!client) {
      client = new OrderBookApi({
        chainId: chainId as SupportedChainId,
        env: 'prod',
        baseUrls: { [chainId]: baseUrl(chainId) } as Record<SupportedChainId, string>,
        backoffOpts: { numOfAttempts: 1 },
        limiterOpts: { tokensPerInterval: 100_000, interval: 'second' },
      })
      apis.set(chainId, client)
    }
    return client
  }
  const count = (chainId: number, outcome: string) => metrics?.cowApiSubmits.inc({ chain_id: String(chainId), outcome })

  return {
    async submitOrder(chainId, order) {
      try {
        const uid = await withTimeout(api(chainId).sendOrder(order), timeoutMs, 'POST /api/v1/orders')
        count(chainId, 'accepted')
        return uid
      } catch (error) {
        const failure = toCowApiError(error, `${baseUrl(chainId)}/api/v1/orders`)
        count(chainId, failure.errorType ?? (failure.status === 0 ? 'transport' : `http_${failure.status}`))
        throw failure
      }
    },
    async getOrder(chainId, uid) {
      try {
        return (await withTimeout(api(chainId).getOrder(uid), timeoutMs, 'GET /api/v1/orders')) as unknown as CowOrder
      } catch (error) {
        const failure = toCowApiError(error, `${baseUrl(chainId)}/api/v1/orders/${uid}`)
        if (failure.status === 404) return null
        throw failure
      }
    },
    async getAppData(chainId, hash) {
      try {
        const document = await withTimeout(api(chainId).getAppData(hash), timeoutMs, 'GET /api/v1/app_data')
        return document as AppDataDocument
      } catch (error) {
        const failure = toCowApiError(error, `${baseUrl(chainId)}/api/v1/app_data/${hash}`)
        if (failure.status === 404) return null
        throw failure
      }
    },
    async request(chainId, method, path, body) {
      const url = `${baseUrl(chainId)}${path.startsWith('/') ? path : `/${path}`}`
      let response: Response
      try {
        response = await fetch(url, {
          method,
          headers: body === undefined ? {} : { 'content-type': 'application/json' },
          body: body === undefined ? undefined : JSON.stringify(body),
          signal: AbortSignal.timeout(timeoutMs),
        })
      } catch (error) {
        throw toCowApiError(error, url)
      }
      const text = await response.text()
      let parsed: unknown = text
      try {
        parsed = text ? JSON.parse(text) : null
      } catch {}
      return { status: response.status, body: parsed }
    },
  }
}
