// JSON schemas of the CoW orderbook API's answers, written from the published OpenAPI 3.0.3
// document (cowprotocol/services, crates/orderbook/openapi.yml, 2026-08) and the facts in
// ../shared/protocol-facts.md, for the stub's contract test. Not a copy of the document: each
// schema keeps what a client relies on (required fields, types, enums) in plain JSON Schema
// (draft-07, Ajv's default). Where the document and the service disagree, the service wins and the
// schema says so:
// - `OrderCreation.appData`, `OrderParameters.appData` and `Signature` are `oneOf`s whose branches
//   are all strings, so any string matches both: validated as `anyOf`;
// - `AppDataObject` requires `appData` in the document; the service and clients use `fullAppData`;
// - `onchainOrderData.placementError` is a non-null enum in the document; the service sends null;
// - `OrderPostError.errorType` lacks NonZeroFee, InvalidValidFrom, Forbidden and InternalServerError,
//   which the service sends;
// - the by_uids answer is documented as one object but described (and sent) as an array of them;
// - `InvalidJson` (400/415/422 for a body the service cannot read) is in no document schema: it is
//   the body of the service's JSON extractor (crates/orderbook/src/api/extract.rs).

/** `nullable` in the document: the same schema, or null. */
const nullable = (schema: Record<string, unknown>) => ({ anyOf: [schema, { type: 'null' }] })
const ref = (name: string) => ({ $ref: `#/definitions/${name}` })
const errorBody = (errorTypes: readonly string[] | null) => ({
  type: 'object',
  properties: {
    errorType: errorTypes === null ? { type: 'string' } : { type: 'string', enum: errorTypes },
    description: { type: 'string' },
    data: {},
  },
  required: ['errorType', 'description'],
})

/** OrderPostError's enum (30) as published. */
export const ORDER_POST_ERROR_TYPES = [
  'DuplicatedOrder', 'QuoteNotFound', 'QuoteNotVerified', 'InvalidQuote', 'MissingFrom', 'WrongOwner', 'InvalidEip1271Signature',
  'InsufficientBalance', 'InsufficientAllowance', 'InvalidSignature', 'SellAmountOverflow', 'TransferSimulationFailed', 'ZeroAmount',
  'IncompatibleSigningScheme', 'TooManyLimitOrders', 'TooMuchGas', 'UnsupportedBuyTokenDestination', 'UnsupportedSellTokenSource',
  'UnsupportedOrderType', 'InsufficientValidTo', 'ExcessiveValidTo', 'InvalidNativeSellToken', 'SameBuyAndSellToken', 'UnsupportedToken',
  'InvalidAppData', 'AppDataHashMismatch', 'AppDataMismatch', 'AppdataFromMismatch', 'MetadataSerializationFailed', 'OldOrderActivelyBidOn',
] as const

/** errorTypes the service sends on order creation that the enum lacks (protocol-facts.md). */
export const ORDER_POST_EXTRA_ERROR_TYPES = ['NonZeroFee', 'InvalidValidFrom', 'Forbidden', 'InternalServerError'] as const

/** PriceEstimationError's enum. */
export const PRICE_ESTIMATION_ERROR_TYPES = [
  'AppDataHashMismatch', 'CustomSolverError', 'ExcessiveValidTo', 'Forbidden', 'InsufficientLiquidity', 'InsufficientValidTo',
  'InternalServerError', 'InvalidAppData', 'InvalidNativeSellToken', 'NoLiquidity', 'QuoteNotVerified', 'SameBuyAndSellToken',
  'SellAmountDoesNotCoverFee', 'TokenTemporarilySuspended', 'TradingOutsideAllowedWindow', 'UnsupportedBuyTokenDestination',
  'UnsupportedOrderType', 'UnsupportedSellTokenSource', 'UnsupportedToken',
] as const

/** OrderCancellationError's enum. */
export const ORDER_CANCELLATION_ERROR_TYPES = ['InvalidSignature', 'WrongOwner', 'OrderNotFound', 'AlreadyCancelled', 'OrderFullyExecuted', 'OrderExpired', 'OnChainOrder'] as const

/**
 * One schema document with every answer schema under `definitions`; validate against
 * `orderbook#/definitions/<Name>`.
 *
 * @example
 * const ajv = new Ajv({ allowUnionTypes: true }).addSchema(orderbookApiSchemas)
 * ajv.validate('orderbook#/definitions/Order', body)
 */
export const orderbookApiSchemas = {
  $id: 'orderbook',
  definitions: {
    Address: { type: 'string', pattern: '^0x[0-9a-fA-F]{40}$' },
    UID: { type: 'string', pattern: '^0x[0-9a-fA-F]{112}$' },
    AppDataHash: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' },
    TransactionHash: { type: 'string', pattern: '^0x[0-9a-fA-F]{64}$' },
    AppData: { type: 'string' },
    TokenAmount: { type: 'string', pattern: '^[0-9]+$' },
    BigUint: { type: 'string', pattern: '^[0-9]+$' },
    CallData: { type: 'string', pattern: '^0x([0-9a-fA-F]{2})*$' },
    EcdsaSignature: { type: 'string', pattern: '^0x[0-9a-fA-F]{130}$' },
    PreSignature: { type: 'string', pattern: '^0x([0-9a-fA-F]{2})*$' },
    Signature: { anyOf: [ref('EcdsaSignature'), ref('PreSignature')] },
    OrderKind: { type: 'string', enum: ['buy', 'sell'] },
    OrderClass: { type: 'string', enum: ['market', 'limit', 'liquidity'] },
    SellTokenSource: { type: 'string', enum: ['erc20', 'internal', 'external'] },
    BuyTokenDestination: { type: 'string', enum: ['erc20', 'internal'] },
    SigningScheme: { type: 'string', enum: ['eip712', 'ethsign', 'presign', 'eip1271'] },
    OrderStatus: { type: 'string', enum: ['presignaturePending', 'open', 'fulfilled', 'cancelled', 'expired'] },
    InteractionData: {
      type: 'object',
      properties: { target: ref('Address'), value: ref('TokenAmount'), callData: ref('CallData') },
      required: ['target', 'value', 'callData'],
    },
    OrderCreation: {
      type: 'object',
      properties: {
        sellToken: ref('Address'),
        buyToken: ref('Address'),
        receiver: nullable(ref('Address')),
        sellAmount: ref('TokenAmount'),
        buyAmount: ref('TokenAmount'),
        validTo: { type: 'integer' },
        feeAmount: ref('TokenAmount'),
        kind: ref('OrderKind'),
        partiallyFillable: { type: 'boolean' },
        sellTokenBalance: ref('SellTokenSource'),
        buyTokenBalance: ref('BuyTokenDestination'),
        signingScheme: ref('SigningScheme'),
        signature: ref('Signature'),
        from: nullable(ref('Address')),
        quoteId: { type: ['integer', 'null'] },
        appData: { anyOf: [ref('AppData'), ref('AppDataHash')] },
        appDataHash: nullable(ref('AppDataHash')),
      },
      required: ['sellToken', 'buyToken', 'sellAmount', 'buyAmount', 'validTo', 'appData', 'feeAmount', 'kind', 'partiallyFillable', 'signingScheme', 'signature'],
    },
    EthflowData: {
      type: 'object',
      properties: { refundTxHash: nullable(ref('TransactionHash')), userValidTo: { type: 'integer' } },
      required: ['refundTxHash', 'userValidTo'],
    },
    OnchainOrderData: {
      type: 'object',
      properties: {
        sender: ref('Address'),
        placementError: { anyOf: [{ type: 'string', enum: ['QuoteNotFound', 'ValidToTooFarInFuture', 'PreValidationError'] }, { type: 'null' }] },
      },
      required: ['sender'],
    },
    OrderMetaData: {
      type: 'object',
      properties: {
        creationDate: { type: 'string' },
        class: ref('OrderClass'),
        owner: ref('Address'),
        uid: ref('UID'),
        availableBalance: nullable(ref('TokenAmount')),
        executedSellAmount: ref('BigUint'),
        executedSellAmountBeforeFees: ref('BigUint'),
        executedBuyAmount: ref('BigUint'),
        executedFeeAmount: ref('BigUint'),
        invalidated: { type: 'boolean' },
        status: ref('OrderStatus'),
        isLiquidityOrder: { type: 'boolean' },
        ethflowData: ref('EthflowData'),
        onchainUser: ref('Address'),
        onchainOrderData: ref('OnchainOrderData'),
        executedFee: ref('BigUint'),
        executedFeeToken: ref('Address'),
        fullAppData: { type: ['string', 'null'] },
        validFrom: { type: ['integer', 'null'] },
        settlementContract: ref('Address'),
        quote: { anyOf: [{ type: 'object' }, { type: 'null' }] },
      },
      required: ['creationDate', 'class', 'owner', 'uid', 'executedSellAmount', 'executedSellAmountBeforeFees', 'executedBuyAmount', 'executedFeeAmount', 'invalidated', 'status', 'settlementContract'],
    },
    Order: {
      allOf: [
        ref('OrderCreation'),
        ref('OrderMetaData'),
        {
          type: 'object',
          properties: {
            interactions: {
              type: 'object',
              properties: { pre: { type: 'array', items: ref('InteractionData') }, post: { type: 'array', items: ref('InteractionData') } },
            },
          },
        },
      ],
    },
    OrderList: { type: 'array', items: ref('Order') },
    OrdersByUids: {
      type: 'array',
      items: {
        anyOf: [
          { type: 'object', properties: { order: ref('Order') }, required: ['order'] },
          {
            type: 'object',
            properties: { error: { type: 'object', properties: { uid: ref('UID'), description: { type: 'string' } }, required: ['uid', 'description'] } },
            required: ['error'],
          },
        ],
      },
    },
    OrderPostError: errorBody([...ORDER_POST_ERROR_TYPES, ...ORDER_POST_EXTRA_ERROR_TYPES]),
    OrderCancellationError: errorBody(ORDER_CANCELLATION_ERROR_TYPES),
    PriceEstimationError: errorBody(PRICE_ESTIMATION_ERROR_TYPES),
    /** The service's refusal of a body it cannot read (not in the document). */
    InvalidJsonError: errorBody(['InvalidJson']),
    /** An error in the service's `{ errorType, description }` shape whose errorType no enum lists. */
    ApiError: errorBody(null),
    OrderParameters: {
      type: 'object',
      properties: {
        sellToken: ref('Address'),
        buyToken: ref('Address'),
        receiver: nullable(ref('Address')),
        sellAmount: ref('TokenAmount'),
        buyAmount: ref('TokenAmount'),
        validTo: { type: 'integer' },
        appData: { anyOf: [ref('AppData'), ref('AppDataHash')] },
        appDataHash: ref('AppDataHash'),
        feeAmount: ref('TokenAmount'),
        gasAmount: { type: 'string' },
        gasPrice: { type: 'string' },
        sellTokenPrice: { type: 'string' },
        kind: ref('OrderKind'),
        partiallyFillable: { type: 'boolean' },
        sellTokenBalance: ref('SellTokenSource'),
        buyTokenBalance: ref('BuyTokenDestination'),
        signingScheme: ref('SigningScheme'),
      },
      required: ['sellToken', 'buyToken', 'sellAmount', 'buyAmount', 'validTo', 'appData', 'feeAmount', 'gasAmount', 'gasPrice', 'sellTokenPrice', 'kind', 'partiallyFillable'],
    },
    OrderQuoteResponse: {
      type: 'object',
      properties: {
        quote: ref('OrderParameters'),
        from: ref('Address'),
        expiration: { type: 'string' },
        id: { type: 'integer' },
        verified: { type: 'boolean' },
        protocolFeeBps: { type: 'string' },
      },
      required: ['quote', 'expiration', 'verified'],
    },
    CompetitionOrderStatus: {
      type: 'object',
      properties: {
        type: { type: 'string', enum: ['open', 'scheduled', 'active', 'solved', 'executing', 'traded', 'cancelled'] },
        value: {
          type: 'array',
          items: {
            type: 'object',
            properties: {
              solver: { type: 'string' },
              executedAmounts: { type: 'object', properties: { sell: ref('BigUint'), buy: ref('BigUint') }, required: ['sell', 'buy'] },
            },
            required: ['solver'],
          },
        },
      },
      required: ['type'],
    },
    Trade: {
      type: 'object',
      properties: {
        blockNumber: { type: 'integer' },
        logIndex: { type: 'integer' },
        orderUid: ref('UID'),
        owner: ref('Address'),
        sellToken: ref('Address'),
        buyToken: ref('Address'),
        sellAmount: ref('TokenAmount'),
        sellAmountBeforeFees: ref('BigUint'),
        buyAmount: ref('TokenAmount'),
        txHash: nullable(ref('TransactionHash')),
        executedProtocolFees: { type: 'array' },
        penaltyCapNative: nullable(ref('BigUint')),
      },
      required: ['blockNumber', 'logIndex', 'orderUid', 'owner', 'sellToken', 'buyToken', 'sellAmount', 'sellAmountBeforeFees', 'buyAmount', 'txHash'],
    },
    TradeList: { type: 'array', items: ref('Trade') },
    NativePriceResponse: { type: 'object', properties: { price: { type: 'number' } }, required: ['price'] },
    TotalSurplus: { type: 'object', properties: { totalSurplus: { type: 'string' } }, required: ['totalSurplus'] },
    AppDataObject: { type: 'object', properties: { fullAppData: ref('AppData') }, required: ['fullAppData'] },
  },
} as const

/** The name of one answer schema. */
export type OrderbookSchemaName = keyof typeof orderbookApiSchemas.definitions
