import { ShepherdError } from './base.ts'
import type { CowApiFailure } from '../module/types.ts'

/** An orderbook answer that was not 2xx, or a transport fault (status 0). */
export class CowApiError extends ShepherdError implements CowApiFailure {
  override name = 'CowApiError'
  readonly status: number
  readonly errorType: string | undefined
  readonly description: string | undefined
  readonly data: unknown
  readonly retryAfter: number | undefined

  constructor(failure: CowApiFailure & { url?: string; cause?: unknown }) {
    const what = failure.status === 0 ? 'transport fault' : `HTTP ${failure.status}`
    super(`Orderbook ${what}${failure.errorType ? `: ${failure.errorType}` : ''}`, {
      details: [
        ...(failure.url ? [`url: ${failure.url}`] : []),
        ...(failure.description ? [`description: ${failure.description}`] : []),
        ...(failure.retryAfter !== undefined ? [`retry after: ${failure.retryAfter}s`] : []),
      ],
      cause: failure.cause,
      action: failure.status === 0 || failure.status === 429 || failure.status >= 500 ? 'retry' : 'drop',
    })
    this.status = failure.status
    this.errorType = failure.errorType
    this.description = failure.description
    this.data = failure.data
    this.retryAfter = failure.retryAfter
  }

  toJSON(): CowApiFailure {
    return { status: this.status, errorType: this.errorType, description: this.description, data: this.data, retryAfter: this.retryAfter }
  }
}

/** True for anything shaped like a CowApiFailure (a CowApiError, or one rebuilt from a worker message). */
export function isCowApiFailure(error: unknown): error is CowApiFailure {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number'
}
