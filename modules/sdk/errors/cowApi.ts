import { ShepherdError } from './base.ts'
import type { CowApiFailure } from '../module/types.ts'
import { cowApiErrorAction } from '../orderPostErrorTypes.ts'

const URL_DETAIL = 'url: '

/**
 * An orderbook answer that was not 2xx, or a transport fault (status 0). Its `action` says what to
 * do (see `cowApiErrorAction`): `retry` (status 0, 429, 5xx, a known errorType a later attempt may
 * pass), `drop` (a final errorType about the order, or DuplicatedOrder), `stop` (an answer that is
 * not about the order: 401/403/404/413 without a known errorType, an unknown errorType).
 *
 * @example
 * const error = new CowApiError({ status: 404, description: '<html>Not Found</html>', url: 'http://host/api/v1/orders' })
 * error.action // 'stop'
 * error.url // 'http://host/api/v1/orders'
 */
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
        ...(failure.url ? [`${URL_DETAIL}${failure.url}`] : []),
        ...(failure.description ? [`description: ${failure.description}`] : []),
        ...(failure.retryAfter !== undefined ? [`retry after: ${failure.retryAfter}s`] : []),
      ],
      cause: failure.cause,
      action: cowApiErrorAction(failure.status, failure.errorType),
    })
    this.status = failure.status
    this.errorType = failure.errorType
    this.description = failure.description
    this.data = failure.data
    this.retryAfter = failure.retryAfter
  }

  /**
   * The URL asked, when known. Read from the details, which also cross a worker boundary (the
   * rebuilt error gets the original details back), so a module in a worker can name it too.
   */
  get url(): string | undefined {
    return this.details.find((line) => line.startsWith(URL_DETAIL))?.slice(URL_DETAIL.length)
  }

  toJSON(): CowApiFailure {
    return { status: this.status, errorType: this.errorType, description: this.description, data: this.data, retryAfter: this.retryAfter }
  }
}

/**
 * True for anything shaped like a CowApiFailure: a CowApiError, or an orderbook failure rebuilt on
 * the other side of a worker boundary (plain data with a numeric `status`). Use it where an error
 * may have crossed from a worker, so `instanceof` does not answer.
 *
 * @param error - anything thrown or rejected by `host.cowApi`
 * @returns true when it has a numeric `status` (0 for a transport fault, else the HTTP status)
 *
 * @example
 * try {
 *   await host.cowApi.submitOrder(chainId, order)
 * } catch (error) {
 *   if (isCowApiFailure(error) && error.status === 429) return retryAfter(error.retryAfter ?? 1)
 *   throw error
 * }
 */
export function isCowApiFailure(error: unknown): error is CowApiFailure {
  return typeof error === 'object' && error !== null && typeof (error as { status?: unknown }).status === 'number'
}
