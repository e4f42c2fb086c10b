import { ShepherdError } from './errors/base.ts'
import { errorMessage } from './errors/errorMessage.ts'
import type { LogHost } from './module/types.ts'
import { cowApiErrorAction, type OrderPostErrorType } from './orderPostErrorTypes.ts'

/** What a watcher should do after a failed submission. */
export type ApiErrorAction =
  /** DuplicatedOrder: the orderbook already holds it; treat as submitted. */
  | { action: 'submitted-already'; reason: string }
  /** A transient condition tied to chain state: poll and submit again next block. */
  | { action: 'retry-next-block'; reason: string }
  /** Wait `seconds` before trying this order again. */
  | { action: 'backoff'; seconds: number; reason: string }
  /** The orderbook said the order can never be accepted as it is (a final errorType): stop trying it. */
  | { action: 'drop'; reason: string }
  /**
   * The answer is not about the order (a wrong URL, an auth proxy, a firewall, an errorType this code
   * does not know): keep the order and try again after `seconds`; when such answers repeat, stop
   * submitting until the orderbook answers sensibly (`createSubmissionGate`).
   */
  | { action: 'stop'; seconds: number; reason: string }

/** Back-off for 5xx and transport faults: short, the server or network usually recovers. */
export const TRANSPORT_BACKOFF_SECONDS = 5
/** Back-off for a 429 without a usable Retry-After. */
export const RATE_LIMIT_BACKOFF_SECONDS = 10
/** The first wait after an answer that is not about the order (see the `stop` action). */
export const REFUSED_BACKOFF_SECONDS = 5
/** The longest Retry-After honoured; a larger value is clamped to it. */
export const MAX_RETRY_AFTER_SECONDS = 3600

/** The policy per known errorType (statuses 0, 429 and 5xx are decided before the errorType). */
export const ERROR_TYPE_POLICY: Readonly<Record<OrderPostErrorType, ApiErrorAction>> = {
  DuplicatedOrder: { action: 'submitted-already', reason: 'DuplicatedOrder' },
  QuoteNotFound: { action: 'retry-next-block', reason: 'QuoteNotFound' },
  InvalidQuote: { action: 'retry-next-block', reason: 'InvalidQuote' },
  InsufficientValidTo: { action: 'retry-next-block', reason: 'InsufficientValidTo' },
  InvalidEip1271Signature: { action: 'retry-next-block', reason: 'InvalidEip1271Signature' },
  InsufficientFee: { action: 'retry-next-block', reason: 'InsufficientFee' },
  InsufficientBalance: { action: 'backoff', seconds: 600, reason: 'InsufficientBalance' },
  InsufficientAllowance: { action: 'backoff', seconds: 600, reason: 'InsufficientAllowance' },
  TooManyLimitOrders: { action: 'backoff', seconds: 3600, reason: 'TooManyLimitOrders' },
  InvalidAppData: { action: 'backoff', seconds: 60, reason: 'InvalidAppData' },
  InternalServerError: { action: 'backoff', seconds: TRANSPORT_BACKOFF_SECONDS, reason: 'InternalServerError' },
  QuoteNotVerified: { action: 'drop', reason: 'QuoteNotVerified' },
  MissingFrom: { action: 'drop', reason: 'MissingFrom' },
  WrongOwner: { action: 'drop', reason: 'WrongOwner' },
  InvalidSignature: { action: 'drop', reason: 'InvalidSignature' },
  SellAmountOverflow: { action: 'drop', reason: 'SellAmountOverflow' },
  TransferSimulationFailed: { action: 'drop', reason: 'TransferSimulationFailed' },
  ZeroAmount: { action: 'drop', reason: 'ZeroAmount' },
  IncompatibleSigningScheme: { action: 'drop', reason: 'IncompatibleSigningScheme' },
  TooMuchGas: { action: 'drop', reason: 'TooMuchGas' },
  UnsupportedBuyTokenDestination: { action: 'drop', reason: 'UnsupportedBuyTokenDestination' },
  UnsupportedSellTokenSource: { action: 'drop', reason: 'UnsupportedSellTokenSource' },
  UnsupportedOrderType: { action: 'drop', reason: 'UnsupportedOrderType' },
  ExcessiveValidTo: { action: 'drop', reason: 'ExcessiveValidTo' },
  InvalidNativeSellToken: { action: 'drop', reason: 'InvalidNativeSellToken' },
  SameBuyAndSellToken: { action: 'drop', reason: 'SameBuyAndSellToken' },
  UnsupportedToken: { action: 'drop', reason: 'UnsupportedToken' },
  AppDataHashMismatch: { action: 'drop', reason: 'AppDataHashMismatch' },
  AppDataMismatch: { action: 'drop', reason: 'AppDataMismatch' },
  AppdataFromMismatch: { action: 'drop', reason: 'AppdataFromMismatch' },
  MetadataSerializationFailed: { action: 'drop', reason: 'MetadataSerializationFailed' },
  OldOrderActivelyBidOn: { action: 'drop', reason: 'OldOrderActivelyBidOn' },
  NonZeroFee: { action: 'drop', reason: 'NonZeroFee' },
  InvalidValidFrom: { action: 'drop', reason: 'InvalidValidFrom' },
  Forbidden: { action: 'drop', reason: 'Forbidden' },
}

export type ApiErrorFields = {
  status: number | undefined
  errorType: string | undefined
  description: string | undefined
  retryAfter: number | undefined
  /** The URL asked, when the error names it (a CowApiError does). */
  url: string | undefined
}

function field(value: unknown, key: string): unknown {
  if (typeof value !== 'object' || value === null) return undefined
  try {
    return (value as Record<string, unknown>)[key]
  } catch {
    return undefined // a throwing getter or a revoked proxy
  }
}

/**
 * Reads status, errorType, description and Retry-After from a CowApiFailure/CowApiError, or
 * cow-sdk's OrderBookApiError (`response.status`, `body.errorType`); a field that is not there or
 * not of its type is undefined. Never throws.
 *
 * @example
 * const { status, retryAfter } = readApiError(error)
 */
export function readApiError(error: unknown): ApiErrorFields {
  const status = field(error, 'status') ?? field(field(error, 'response'), 'status')
  const body = field(error, 'body')
  const errorType = field(error, 'errorType') ?? field(body, 'errorType')
  const description = field(error, 'description') ?? field(body, 'description')
  const retryAfter = field(error, 'retryAfter')
  const url = field(error, 'url')
  return {
    url: typeof url === 'string' ? url : undefined,
    status: typeof status === 'number' && Number.isInteger(status) ? status : undefined,
    errorType: typeof errorType === 'string' ? errorType : undefined,
    description: typeof description === 'string' ? description : undefined,
    retryAfter: typeof retryAfter === 'number' && Number.isFinite(retryAfter) && retryAfter >= 0 ? retryAfter : undefined,
  }
}

/** The error's own class when it carries one (a CowApiError), else the same rule applied to its fields. */
function actionOf(error: unknown, status: number, errorType: string | undefined) {
  return error instanceof ShepherdError ? error.action : cowApiErrorAction(status, errorType)
}

/**
 * Decides what to do after a failed order submission, by the error's class (`CowApiError.action`,
 * see `cowApiErrorAction`), then the table mature watchers use for the timing:
 * - retry: 5xx and transport faults (status 0 or a non-orderbook error) -> back off a few seconds;
 *   429 -> honour Retry-After; DuplicatedOrder -> submitted-already; quote/validTo/signature
 *   hiccups -> retry-next-block; balance/allowance -> back off 10 min; TooManyLimitOrders -> 1 h;
 *   InvalidAppData -> 1 min;
 * - drop: a final errorType about the order (validation failures, see `FINAL_ERROR_TYPES`);
 * - stop: anything else (401/403/404/413 without a known errorType, an unknown errorType): the
 *   answer is not about the order, so it is kept and tried again after 5 s; a Warn with the body
 *   goes to `log`. A module counts these with `createSubmissionGate` and stops submitting when
 *   they repeat.
 * Never throws, whatever it is given.
 *
 * @example
 * try { await host.cowApi.submitOrder(chainId, body) } catch (error) {
 *   const decision = classifyApiError(error, host.log)
 *   if (decision.action === 'backoff') await host.store.set(`backoff:${uid}`, host.clock.now() + decision.seconds * 1000)
 * }
 */
export function classifyApiError(error: unknown, log?: LogHost): ApiErrorAction {
  const { status, errorType, description, retryAfter, url } = readApiError(error)
  if (status === undefined) {
    return { action: 'backoff', seconds: TRANSPORT_BACKOFF_SECONDS, reason: `transport fault (${errorMessage(error)})` }
  }
  if (status === 0) return { action: 'backoff', seconds: TRANSPORT_BACKOFF_SECONDS, reason: 'transport fault (status 0)' }
  if (status === 429)
    return {
      action: 'backoff',
      seconds: retryAfter === undefined ? RATE_LIMIT_BACKOFF_SECONDS : Math.min(Math.ceil(retryAfter), MAX_RETRY_AFTER_SECONDS),
      reason: 'rate limited (429)',
    }
  if (status >= 500)
    return {
      action: 'backoff',
      seconds: retryAfter === undefined ? TRANSPORT_BACKOFF_SECONDS : Math.min(Math.ceil(retryAfter), MAX_RETRY_AFTER_SECONDS),
      reason: `server error (${status}${errorType ? ` ${errorType}` : ''})`,
    }
  const action = actionOf(error, status, errorType)
  if (action !== 'stop' && errorType !== undefined && Object.hasOwn(ERROR_TYPE_POLICY, errorType)) return ERROR_TYPE_POLICY[errorType as OrderPostErrorType]
  log?.warn('Orderbook answer is not about the order; keeping the order', { status, errorType, description, url, body: field(error, 'data') ?? field(error, 'body') })
  return { action: 'stop', seconds: REFUSED_BACKOFF_SECONDS, reason: refusalReason({ status, errorType, description, url }) }
}

/**
 * One line naming an answer that is not about the order: status, errorType, where, and a short
 * piece of the body.
 *
 * @example
 * refusalReason({ status: 404, errorType: undefined, description: '<html>...', url: 'http://x/api/v1/orders' })
 * // 'HTTP 404 without a known errorType from http://x/api/v1/orders ("<html>...")'
 */
export function refusalReason({ status, errorType, description, url }: Pick<ApiErrorFields, 'status' | 'errorType' | 'description' | 'url'>): string {
  const what = errorType === undefined ? 'without a known errorType' : `with errorType "${errorType}", unknown to this version`
  const body = description === undefined ? '' : ` ("${description.replace(/\s+/g, ' ').trim().slice(0, 80)}")`
  return `HTTP ${status ?? '?'} ${what}${url === undefined ? '' : ` from ${url}`}${body}`
}
