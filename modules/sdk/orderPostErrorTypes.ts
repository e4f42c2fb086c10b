/**
 * Every orderbook `errorType` known to the SDK: OrderPostError's list, the ones seen from the
 * server beyond it, and InsufficientFee (older servers). `classifyApiError` has a policy for each;
 * anything else is dropped with a Warn.
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
