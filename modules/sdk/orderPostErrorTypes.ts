import type { ErrorAction } from './errors/base.ts'

/**
 * Every orderbook `errorType` known to the SDK: OrderPostError's list, the ones seen from the
 * server beyond it, and InsufficientFee (older servers). `classifyApiError` has a policy for each;
 * anything else is not an answer about the order (see `cowApiErrorAction`).
 */
export const ORDER_POST_ERROR_TYPES = [
  'DuplicatedOrder',
  'QuoteNotFound',
  'QuoteNotVerified',
  'InvalidQuote',
  'MissingFrom',
  'WrongOwner',
  'InvalidEip1271Signature',
  'InsufficientBalance',
  'InsufficientAllowance',
  'InvalidSignature',
  'SellAmountOverflow',
  'TransferSimulationFailed',
  'ZeroAmount',
  'IncompatibleSigningScheme',
  'TooManyLimitOrders',
  'TooMuchGas',
  'UnsupportedBuyTokenDestination',
  'UnsupportedSellTokenSource',
  'UnsupportedOrderType',
  'InsufficientValidTo',
  'ExcessiveValidTo',
  'InvalidNativeSellToken',
  'SameBuyAndSellToken',
  'UnsupportedToken',
  'InvalidAppData',
  'AppDataHashMismatch',
  'AppDataMismatch',
  'AppdataFromMismatch',
  'MetadataSerializationFailed',
  'OldOrderActivelyBidOn',
  'NonZeroFee',
  'InvalidValidFrom',
  'Forbidden',
  'InternalServerError',
  'InsufficientFee',
] as const

export type OrderPostErrorType = (typeof ORDER_POST_ERROR_TYPES)[number]

/**
 * The errorTypes the protocol documents as final for the order itself: the same order will never be
 * accepted (validation failures, and an owner the orderbook refuses). The only answers that may drop
 * an order; DuplicatedOrder is not here (the order is there already).
 */
export const FINAL_ERROR_TYPES: ReadonlySet<OrderPostErrorType> = new Set<OrderPostErrorType>([
  'QuoteNotVerified',
  'MissingFrom',
  'WrongOwner',
  'InvalidSignature',
  'SellAmountOverflow',
  'TransferSimulationFailed',
  'ZeroAmount',
  'IncompatibleSigningScheme',
  'TooMuchGas',
  'UnsupportedBuyTokenDestination',
  'UnsupportedSellTokenSource',
  'UnsupportedOrderType',
  'ExcessiveValidTo',
  'InvalidNativeSellToken',
  'SameBuyAndSellToken',
  'UnsupportedToken',
  'AppDataHashMismatch',
  'AppDataMismatch',
  'AppdataFromMismatch',
  'MetadataSerializationFailed',
  'OldOrderActivelyBidOn',
  'NonZeroFee',
  'InvalidValidFrom',
  'Forbidden',
])

const KNOWN: ReadonlySet<string> = new Set(ORDER_POST_ERROR_TYPES)

/**
 * What the caller should do about an orderbook answer, from its status and errorType (the class
 * `CowApiError.action` carries):
 * - `retry`: no answer or a temporary one (status 0, 429, 5xx), or a known errorType that a later
 *   attempt may pass (QuoteNotFound, InsufficientBalance, TooManyLimitOrders, ...);
 * - `drop`: an answer about the order itself that no retry changes (a final errorType), or
 *   DuplicatedOrder (nothing left to do: the orderbook holds it);
 * - `stop`: anything else: a 4xx without an errorType this SDK knows (404 from another server, 401/403
 *   from an auth proxy or a firewall, 413, 415, 422, an errorType newer than this code). Such an
 *   answer is not about the order: keep it, and stop submitting once it repeats.
 *
 * @example
 * cowApiErrorAction(404, undefined) // 'stop'
 * cowApiErrorAction(400, 'ZeroAmount') // 'drop'
 * cowApiErrorAction(400, 'InsufficientBalance') // 'retry'
 */
export function cowApiErrorAction(status: number, errorType: string | undefined): ErrorAction {
  if (status === 0 || status === 429 || status >= 500) return 'retry'
  if (errorType === undefined || !KNOWN.has(errorType)) return 'stop'
  if (errorType === 'DuplicatedOrder' || FINAL_ERROR_TYPES.has(errorType as OrderPostErrorType)) return 'drop'
  return 'retry'
}
