import type { Hex } from 'viem'
import { ShepherdError, type ErrorAction } from '../../modules/sdk/errors/base.ts'
import { ChainCallError, ChainRequestError, ChainUnreachableError } from '../../modules/sdk/errors/chain.ts'
import { ConfigError } from '../errors/config.ts'
import { CowApiError } from '../../modules/sdk/errors/cowApi.ts'

/** An error as it crosses a worker boundary: plain data, structured-clone friendly. */
export type SerializedError = {
  name: string
  message: string
  shortMessage?: string
  details?: string[]
  hint?: string
  action?: ErrorAction
  stack?: string
  /** CowApiError */
  status?: number
  errorType?: string
  description?: string
  data?: unknown
  retryAfter?: number
  /** ChainCallError */
  chainId?: number
  /** ConfigError */
  file?: string
  key?: string
  cause?: SerializedError
}

const maxCauseDepth = 3

/**
 * Turns anything thrown into plain data for `postMessage`. CowApiError and ChainCallError keep their
 * fields; a cause chain is kept to a few levels.
 *
 * @example
 * port.postMessage({ id, ok: false, error: serializeError(error) })
 */
export function serializeError(error: unknown, depth = 0): SerializedError {
  if (!(error instanceof Error)) return { name: 'Error', message: typeof error === 'string' ? error : safeString(error) }
  const out: SerializedError = { name: error.name, message: error.message, stack: error.stack }
  if (error instanceof ShepherdError) {
    out.shortMessage = error.shortMessage
    out.details = [...error.details]
    if (error.hint !== undefined) out.hint = error.hint
    out.action = error.action
  }
  if (error instanceof CowApiError) {
    out.status = error.status
    if (error.errorType !== undefined) out.errorType = error.errorType
    if (error.description !== undefined) out.description = error.description
    if (error.data !== undefined) out.data = cloneable(error.data)
    if (error.retryAfter !== undefined) out.retryAfter = error.retryAfter
  }
  if (error instanceof ConfigError) {
    out.file = error.file
    if (error.key !== undefined) out.key = error.key
  }
  if (error instanceof ChainCallError) {
    out.chainId = error.chainId
    if (error.data !== undefined) out.data = error.data
  }
  if (error.cause !== undefined && depth < maxCauseDepth) out.cause = serializeError(error.cause, depth + 1)
  return out
}

/**
 * Rebuilds an error from `serializeError` output as the same class where the engine knows it
 * (CowApiError, ChainCallError, ChainRequestError, ChainUnreachableError, ConfigError), so `classifyApiError`, `instanceof`,
 * revert decoding and the supervisor's permanent-error check work the same on both sides of a
 * worker. Anything else becomes a ShepherdError with the original message, and the action it had
 * (`retry` when it had none: a plain Error).
 *
 * @example
 * if (!message.ok) job.reject(deserializeError(message.error))
 */
export function deserializeError(serialized: SerializedError): Error {
  const cause = serialized.cause ? deserializeError(serialized.cause) : undefined
  const short = serialized.shortMessage ?? (serialized.name && serialized.name !== 'Error' ? `${serialized.name}: ${serialized.message}` : serialized.message)
  let error: ShepherdError
  if (serialized.name === 'CowApiError' && typeof serialized.status === 'number')
    error = new CowApiError({
      status: serialized.status,
      errorType: serialized.errorType,
      description: serialized.description,
      data: serialized.data,
      retryAfter: serialized.retryAfter,
      cause,
    })
  else if (serialized.name === 'ChainCallError')
    error = new ChainCallError({ chainId: serialized.chainId ?? 0, to: '', data: serialized.data as Hex | undefined, cause })
  else if (serialized.name === 'ChainUnreachableError') error = new ChainUnreachableError(short, { chainId: 0, method: '', cause })
  else if (serialized.name === 'ChainRequestError') error = new ChainRequestError(short, { chainId: 0, method: '', cause })
  else if (serialized.name === 'ConfigError' && typeof serialized.file === 'string') error = new ConfigError(short, { file: serialized.file, key: serialized.key, hint: serialized.hint, cause })
  // An error that said nothing of what to do (a plain Error from a module) is retried, like a throw in this thread.
  else error = new ShepherdError(short, { cause, details: serialized.details, hint: serialized.hint, action: serialized.action ?? 'retry' })
  // Keep the original text (details, hint) and where it was thrown, not where it was rebuilt.
  const fields: Record<string, unknown> = { message: serialized.message, stack: serialized.stack }
  if (serialized.details) fields.details = serialized.details
  if (serialized.shortMessage) fields.shortMessage = serialized.shortMessage
  for (const [key, value] of Object.entries(fields))
    if (value !== undefined) Object.defineProperty(error, key, { value, writable: true, configurable: true, enumerable: key !== 'stack' && key !== 'message' })
  return error
}

function safeString(value: unknown): string {
  try {
    return String(value)
  } catch {
    return Object.prototype.toString.call(value)
  }
}

/** Leaves data that structured clone carries; anything with functions becomes its JSON text. */
function cloneable(value: unknown): unknown {
  try {
    structuredClone(value)
    return value
  } catch {
    try {
      return JSON.stringify(value, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
    } catch {
      return safeString(value)
    }
  }
}
