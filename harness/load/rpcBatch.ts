import { ShepherdError } from '../../modules/sdk/errors/base.ts'
import { createJsonHttpClient, type JsonHttpResponse } from '../../engine/host/createJsonHttpClient.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

// One keep-alive pool for the harness's RPC (the block clock polls every 20 ms, the load generator
// sends a batch per block): the global fetch costs this process several times the CPU per request,
// and the harness must not be what slows a scenario down. Idle sockets do not keep the process alive.
const http = createJsonHttpClient({ maxSockets: 16 })

/** One JSON-RPC call of a batch. */
export type RpcCall = { method: string; params: readonly unknown[] }

/** The answer to one call: its result, or the node's error message (and revert data when any). */
export type RpcOutcome = { ok: true; result: unknown } | { ok: false; message: string; code?: number; data?: unknown }

export type RpcBatchParameters = {
  /** Abort the HTTP request after this long. Default 30 s. */
  timeoutMs?: number
}

/**
 * Sends `calls` as ONE JSON-RPC batch (one HTTP request) and returns the outcomes in call order.
 * A batch costs Node far less CPU than one viem request per call (toolchain-facts.md: ~21k calls/s
 * as batches of 100 against ~2k/s one by one). A transport failure throws; a per-call error is an
 * outcome, so one refused transaction never hides the others.
 *
 * @example
 * const [count] = await rpcBatch(url, [{ method: 'eth_getTransactionCount', params: [from, 'pending'] }])
 */
export async function rpcBatch(url: string, calls: readonly RpcCall[], parameters: RpcBatchParameters = {}): Promise<RpcOutcome[]> {
  if (calls.length === 0) return []
  const body = JSON.stringify(calls.map((call, id) => ({ jsonrpc: '2.0', id, method: call.method, params: call.params })))
  let response: JsonHttpResponse
  try {
    response = await http.request({ method: 'POST', url, body, timeoutMs: parameters.timeoutMs ?? 30_000 })
  } catch (cause) {
    throw new ShepherdError('JSON-RPC batch request failed', {
      cause,
      details: [`rpc: ${url}`, `calls: ${calls.length} (first: ${calls[0]?.method})`, `reason: ${errorMessage(cause)}`],
      action: 'retry',
      hint: 'Check that the node is running and reachable.',
    })
  }
  if (response.status < 200 || response.status >= 300)
    throw new ShepherdError(`JSON-RPC batch answered HTTP ${response.status}`, { details: [`rpc: ${url}`, `body: ${JSON.stringify(response.body).slice(0, 200)}`], action: 'retry' })
  if (typeof response.body !== 'object' || response.body === null)
    throw new ShepherdError('JSON-RPC batch answer is not JSON', { details: [`rpc: ${url}`, `body: ${String(response.body).slice(0, 200)}`] })
  return parseBatchAnswer(response.body, calls.length)
}

/** Parses a batch answer (any order, by id) into outcomes in call order; missing answers become errors. */
export function parseBatchResponse(text: string, count: number, url = '(rpc)'): RpcOutcome[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (cause) {
    throw new ShepherdError('JSON-RPC batch answer is not JSON', { cause, details: [`rpc: ${url}`, `body: ${text.slice(0, 200)}`] })
  }
  return parseBatchAnswer(parsed, count)
}

/** A parsed batch answer (any order, by id) into outcomes in call order; missing answers become errors. */
export function parseBatchAnswer(parsed: unknown, count: number): RpcOutcome[] {
  // A node that refuses the whole batch answers one error object instead of an array.
  const items = Array.isArray(parsed) ? parsed : [parsed]
  const outcomes: RpcOutcome[] = Array.from({ length: count }, () => ({ ok: false, message: 'no answer for this call in the batch' }))
  for (const item of items) {
    if (typeof item !== 'object' || item === null) continue
    const { id, result, error } = item as { id?: unknown; result?: unknown; error?: unknown }
    if (!Array.isArray(parsed) && error !== undefined) return outcomes.map(() => toError(error))
    if (typeof id !== 'number' || id < 0 || id >= count) continue
    outcomes[id] = error !== undefined && error !== null ? toError(error) : { ok: true, result }
  }
  return outcomes
}

function toError(error: unknown): RpcOutcome {
  if (typeof error !== 'object' || error === null) return { ok: false, message: String(error) }
  const { message, code, data } = error as { message?: unknown; code?: unknown; data?: unknown }
  return {
    ok: false,
    message: typeof message === 'string' ? message : JSON.stringify(error),
    ...(typeof code === 'number' ? { code } : {}),
    ...(data !== undefined ? { data } : {}),
  }
}

/**
 * Sends one call and returns its result, throwing a ShepherdError naming the method on a node error.
 *
 * @example
 * const hexNumber = await rpcCall(url, 'eth_blockNumber', [])
 */
export async function rpcCall(url: string, method: string, params: readonly unknown[] = []): Promise<unknown> {
  const [outcome] = await rpcBatch(url, [{ method, params }])
  if (!outcome?.ok) throw new ShepherdError(`${method} failed`, { details: [`rpc: ${url}`, `reason: ${outcome?.message ?? 'no answer'}`] })
  return outcome.result
}
