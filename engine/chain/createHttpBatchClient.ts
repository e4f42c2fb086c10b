import { HttpRequestError, ResponseBodyTooLargeError, RpcRequestError, stringify, TimeoutError } from 'viem'
import { ChainRequestTooLargeError } from '../../modules/sdk/errors/chain.ts'
import { minRequestBytes } from './createRequestSizeLimit.ts'
import type { RequestRefusal, RequestSizeLimit } from './createRequestSizeLimit.ts'
import { isTooLargeAnswer } from './isTooLargeAnswer.ts'
import { splitBySize } from './splitBySize.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

export type CreateHttpBatchClientParameters = {
  url: string
  chainId: number
  /** The chain's request size budget: no body is larger (unless one request alone is). */
  limit: RequestSizeLimit
  /** Most requests per JSON-RPC batch. */
  batchSize?: number
  /** Per-body timeout, ms. */
  timeoutMs?: number
  /** Larger answers are refused, as viem does (10 MiB); a batch so refused is split in halves. */
  maxResponseBytes?: number
}

export type HttpBatchClient = {
  /** One JSON-RPC request; requests issued in the same tick share bodies. */
  request(method: string, params: unknown): Promise<unknown>
}

type Pending = { id: number; method: string; params: unknown; body: string; resolve: (value: unknown) => void; reject: (error: unknown) => void }
type RpcAnswer = { id?: unknown; result?: unknown; error?: { code?: unknown; message?: unknown; data?: unknown } }
type HttpAnswer = { status: number; ok: boolean; text: string }

// A node that refuses a body may answer and close before it has read it all: the sender then sees
// the connection break mid-body (Anvil 1.7.1 does so for bodies over its 2 MiB limit, at random).
// So does a stale keep-alive socket, a load balancer's idle close or a flaky proxy: a break counts
// as "too large" only when the same body, sent again alone, breaks again.
const BROKEN_MID_BODY = new Set(['EPIPE', 'ECONNRESET', 'UND_ERR_SOCKET'])
const brokenMidBody = (error: unknown) => {
  for (let e: unknown = error; e instanceof Error; e = e.cause) if (BROKEN_MID_BODY.has(String((e as { code?: unknown }).code))) return true
  return false
}

/** Request bodies larger than this appear in error messages by method and size only. */
const QUOTED_BODY_BYTES = 2_048

/**
 * JSON-RPC over HTTP whose bodies respect the node's size limit. Requests issued in the same tick
 * are grouped by `splitBySize` into JSON-RPC batches of at most `limit.bytes` and `batchSize`
 * requests (a batch costs ~10x less Node CPU than a request each). Each request is serialised
 * once, and its size is its length in characters: bytes for the hex that JSON-RPC carries (a rare
 * non-ASCII string counts short; the default limit's headroom covers it). When the node answers
 * "too large" (HTTP 413, a body-level "too large" message, Anvil's body-level -32600 for a large
 * body), the limit is halved and remembered, and the batch is split and sent again, down to single
 * requests; a single request still refused rejects with `ChainRequestTooLargeError`. A connection
 * broken while a body over 64 KiB is sent (Anvil does that for an oversized body, and so does a
 * stale keep-alive socket or a flaky proxy for any body) sends the same body once more, alone; only
 * a second break counts as too large (`refusal: 'broken'`, a limit that may grow back). Every
 * answered body tells the limit (`answered`), so a lowered limit grows back after a run of them.
 * Other errors are viem's (`RpcRequestError` with the node's code and data, `HttpRequestError`,
 * `TimeoutError`), as from viem's own http transport, so revert data and error codes are found
 * where viem looks for them.
 * Bodies go through the global fetch, as viem's do (same CPU per request, measured): with
 * keep-alive `node:http`, a node that answers and closes mid-body left a pooled socket raising an
 * unhandled EPIPE.
 *
 * @example
 * const client = createHttpBatchClient({ url: 'http://127.0.0.1:8545', chainId: 11155111, limit: createRequestSizeLimit() })
 * const [head, chainId] = await Promise.all([client.request('eth_blockNumber', []), client.request('eth_chainId', [])])
 */
export function createHttpBatchClient({ url, chainId, limit, batchSize = 200, timeoutMs = 10_000, maxResponseBytes = 10_485_760 }: CreateHttpBatchClientParameters): HttpBatchClient {
  let queue: Pending[] = []
  let timer: NodeJS.Timeout | undefined
  let nextId = 1

  const summary = (pending: Pending) => ({ method: pending.method, params: pending.body.length <= QUOTED_BODY_BYTES ? pending.params : [`(${pending.body.length} bytes)`] })

  function flush() {
    timer = undefined
    const all = queue
    queue = []
    const groups = splitBySize(all, { sizeOf: (p) => p.body.length, maxBytes: limit.bytes, maxCount: batchSize, overheadBytes: 2, separatorBytes: 1 })
    for (const group of groups) void send(group)
  }

  /** Sends one body; `brokenBefore` when it is the same body again after a broken connection. */
  async function send(group: Pending[], brokenBefore = false): Promise<void> {
    const body = group.length === 1 ? group[0]!.body : `[${group.map((p) => p.body).join(',')}]`
    const first = summary(group[0]!)
    let answer: HttpAnswer
    try {
      answer = await post(body)
    } catch (error) {
      if (error instanceof ResponseBodyTooLargeError && group.length > 1) return resend(group)
      if (brokenMidBody(error) && body.length > minRequestBytes) {
        if (!brokenBefore) return send(group, true)
        return tooLarge(group, body.length, `the node broke the connection twice while the body was sent (${errorMessage(error)})`, 'broken', error)
      }
      const failure =
        error instanceof ResponseBodyTooLargeError
          ? error
          : error instanceof Error && error.name === 'TimeoutError'
            ? new TimeoutError({ body: first, url })
            : new HttpRequestError({ body: first, cause: error as Error, details: errorMessage(error), url })
      for (const p of group) p.reject(failure)
      return
    }
    let json: unknown
    try {
      json = JSON.parse(answer.text)
    } catch {
      json = answer.text
    }
    const { ok, text } = answer
    const bodyError = wholeBodyError(json, group)
    if (isTooLargeAnswer({ status: answer.status, bodyError: bodyError ?? (ok ? undefined : text), bytes: body.length }))
      return tooLarge(group, body.length, `HTTP ${answer.status}: ${bodyError ? `${String(bodyError.code)} ${String(bodyError.message)}` : text.slice(0, 200)}`, 'answer')
    limit.answered(body.length)
    if (!ok && bodyError === undefined) {
      const failure = new HttpRequestError({ body: first, details: text.slice(0, 500) || `HTTP ${answer.status}`, status: answer.status, url })
      for (const p of group) p.reject(failure)
      return
    }
    if (bodyError !== undefined) {
      for (const p of group) p.reject(new RpcRequestError({ body: summary(p), error: bodyError as { code: number; message: string }, status: answer.status, url }))
      return
    }
    if (typeof json !== 'object' || json === null) {
      const failure = new HttpRequestError({ body: first, details: `the answer is not JSON-RPC: ${text.slice(0, 200)}`, status: answer.status, url })
      for (const p of group) p.reject(failure)
      return
    }
    const byId = new Map<unknown, RpcAnswer>()
    for (const item of Array.isArray(json) ? json : [json]) if (item !== null && typeof item === 'object') byId.set((item as RpcAnswer).id, item as RpcAnswer)
    for (const p of group) {
      const item = byId.get(p.id)
      if (item === undefined) p.reject(new HttpRequestError({ body: summary(p), details: `the answer holds no result for request id ${p.id}`, status: answer.status, url }))
      else if (item.error) p.reject(new RpcRequestError({ body: summary(p), error: item.error as { code: number; message: string }, url }))
      else p.resolve(item.result)
    }
  }

  /** The node refused a body of `bytes` for its size: lower the limit, then split it, or reject the one request. */
  async function tooLarge(group: Pending[], bytes: number, said: string, refusal: RequestRefusal, cause?: unknown): Promise<void> {
    limit.shrink(bytes, refusal)
    if (group.length > 1) return resend(group)
    const refused = group[0]!
    refused.reject(new ChainRequestTooLargeError({ chainId, method: refused.method, bytes, answer: said, refusal, limitBytes: limit.bytes, cause }))
  }

  async function post(body: string): Promise<HttpAnswer> {
    const response = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body, signal: AbortSignal.timeout(timeoutMs) })
    const declared = Number(response.headers.get('content-length') ?? 0)
    if (declared > maxResponseBytes) {
      await response.body?.cancel()
      throw new ResponseBodyTooLargeError({ maxSize: maxResponseBytes, size: declared })
    }
    const chunks: Uint8Array[] = []
    let size = 0
    for await (const chunk of response.body ?? []) {
      size += chunk.byteLength
      if (size > maxResponseBytes) throw new ResponseBodyTooLargeError({ maxSize: maxResponseBytes, size })
      chunks.push(chunk)
    }
    return { status: response.status, ok: response.ok, text: Buffer.concat(chunks).toString('utf8') }
  }

  /** A refused batch again, in halves (each at most the lowered limit); bounded: each half is smaller. */
  async function resend(group: Pending[]): Promise<void> {
    const bySize = splitBySize(group, { sizeOf: (p) => p.body.length, maxBytes: limit.bytes, overheadBytes: 2, separatorBytes: 1 })
    const middle = Math.ceil(group.length / 2)
    const parts = bySize.length > 1 ? bySize : [group.slice(0, middle), group.slice(middle)]
    await Promise.all(parts.map((part) => send(part)))
  }

  return {
    request(method, params) {
      const id = nextId++
      const body = stringify({ jsonrpc: '2.0', id, method, params })
      return new Promise((resolve, reject) => {
        queue.push({ id, method, params, body, resolve, reject })
        timer ??= setTimeout(flush, 0)
      })
    },
  }
}

/**
 * The error a node answered for the whole body rather than for one request: one error object with
 * id null (Anvil, for any body it refuses), or one error object answering a batch (geth).
 */
function wholeBodyError(json: unknown, group: readonly Pending[]): RpcAnswer['error'] | undefined {
  const single = Array.isArray(json) ? (json.length === 1 && group.length > 1 ? json[0] : undefined) : json
  if (single === null || typeof single !== 'object') return undefined
  const { id, error } = single as RpcAnswer
  if (!error || typeof error !== 'object') return undefined
  return id === null || id === undefined || group.length > 1 ? error : undefined
}
