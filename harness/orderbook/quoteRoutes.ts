import { apiErrorAnswer, invalidJsonAnswer } from './apiError.ts'
import { keccak256Utf8 } from '../../modules/sdk/hash/keccak256.ts'
import { readAddress, readString } from './parseOrderCreation.ts'
import { jsonAnswer } from './stubExchange.ts'
import type { Route } from './answerRoute.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'
import { STUB_QUOTE_GAS } from './policyChecks.ts'

const QUOTE_LIFETIME_MS = 60_000
const DEFAULT_VALID_FOR_S = 1800
const HASH_PATTERN = /^0x[0-9a-fA-F]{64}$/

/** A field that does not deserialize: the route answers it 422, as the service does. */
class QuoteFieldError extends Error {}

/** Reads an optional amount field of a quote request: a decimal string, non-zero (the service's `NonZeroU256`). */
function amount(body: Record<string, unknown>, field: string): bigint | undefined {
  const v = body[field]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new QuoteFieldError(`${field}: expected a decimal string`)
  const n = BigInt(v)
  if (n === 0n) throw new QuoteFieldError(`${field}: expected a non-zero amount`)
  return n
}

/**
 * The quote's `appData` and `appDataHash` as the service answers them: a full document comes back
 * with `appDataHash` = keccak256 of exactly the text sent; a hash comes back as the `appData` alone
 * (no `appDataHash`); absent, the empty document "{}" is quoted.
 */
function quoteAppData(body: Record<string, unknown>): { appData: string; appDataHash?: string } | { refused: ReturnType<typeof apiErrorAnswer> } {
  const sent = body.appData
  if (sent !== undefined && sent !== null && typeof sent !== 'string') throw new QuoteFieldError('appData: expected a string')
  const given = body.appDataHash
  if (given !== undefined && given !== null && (typeof given !== 'string' || !HASH_PATTERN.test(given))) throw new QuoteFieldError('appDataHash: expected 32 bytes of hex')
  if (typeof sent === 'string' && HASH_PATTERN.test(sent)) return { appData: sent.toLowerCase() }
  const document = typeof sent === 'string' ? sent : '{}'
  try {
    const value: unknown = JSON.parse(document)
    if (typeof value !== 'object' || value === null || Array.isArray(value)) throw new Error('not an object')
  } catch {
    return { refused: apiErrorAnswer(400, 'InvalidAppData', 'appData is not a JSON object') }
  }
  const hash = keccak256Utf8(document)
  if (typeof given === 'string' && given.toLowerCase() !== hash) {
    return { refused: apiErrorAnswer(400, 'AppDataHashMismatch', `appDataHash ${given} does not match keccak256(appData) ${hash}`) }
  }
  return { appData: document, appDataHash: hash }
}

const postQuote: Route = {
  method: 'POST',
  path: '/api/v1/quote',
  body: 'json',
  resolve({ stub, body }) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { answer: invalidJsonAnswer(422, 'body: expected a JSON object') }
    const b = body as Record<string, unknown>
    try {
      const sellToken = readAddress(b.sellToken, 'sellToken')
      const buyToken = readAddress(b.buyToken, 'buyToken')
      const from = readAddress(b.from, 'from')
      const kind = readString(b.kind, 'kind')
      if (kind !== 'sell' && kind !== 'buy') throw new QuoteFieldError(`kind: expected sell or buy, got "${kind}"`)
      const { numerator, denominator } = stub.quotePrice
      let sellAmount: bigint
      let buyAmount: bigint
      if (kind === 'sell') {
        const sell = amount(b, 'sellAmountBeforeFee') ?? amount(b, 'sellAmountAfterFee')
        if (sell === undefined) throw new QuoteFieldError('sellAmountBeforeFee: required for a sell quote')
        sellAmount = sell
        buyAmount = (sell * numerator) / denominator
      } else {
        const buy = amount(b, 'buyAmountAfterFee')
        if (buy === undefined) throw new QuoteFieldError('buyAmountAfterFee: required for a buy quote')
        buyAmount = buy
        sellAmount = (buy * denominator + numerator - 1n) / numerator
      }
      const appData = quoteAppData(b)
      if ('refused' in appData) return { answer: appData.refused }
      if (sellToken === buyToken) return { answer: apiErrorAnswer(400, 'SameBuyAndSellToken', 'Buy token is the same as the sell token.') }
      // A price that rounds the other side to nothing: the service finds no route worth quoting.
      if (sellAmount === 0n || buyAmount === 0n) return { answer: apiErrorAnswer(404, 'NoLiquidity', 'no route found') }
      const now = stub.internals.now()
      const validTo =
        typeof b.validTo === 'number' ? b.validTo : Math.floor(now / 1000) + (typeof b.validFor === 'number' ? b.validFor : DEFAULT_VALID_FOR_S)
      const quote = {
        sellToken: sellToken.toLowerCase(),
        buyToken: buyToken.toLowerCase(),
        receiver: typeof b.receiver === 'string' ? b.receiver.toLowerCase() : null,
        sellAmount: sellAmount.toString(),
        buyAmount: buyAmount.toString(),
        validTo,
        appData: appData.appData,
        ...(appData.appDataHash !== undefined ? { appDataHash: appData.appDataHash } : {}),
        feeAmount: '0',
        gasAmount: STUB_QUOTE_GAS.toString(),
        gasPrice: '1000000000',
        sellTokenPrice: '1',
        kind,
        partiallyFillable: false,
        sellTokenBalance: typeof b.sellTokenBalance === 'string' ? b.sellTokenBalance : 'erc20',
        buyTokenBalance: typeof b.buyTokenBalance === 'string' ? b.buyTokenBalance : 'erc20',
        signingScheme: typeof b.signingScheme === 'string' ? b.signingScheme : 'eip712',
      }
      return {
        answer: jsonAnswer({
          quote,
          from: from.toLowerCase(),
          expiration: new Date(now + QUOTE_LIFETIME_MS).toISOString(),
          id: stub.internals.nextQuoteId(),
          verified: true,
          protocolFeeBps: '0',
        }),
      }
    } catch (error) {
      // readAddress/readString throw the order parser's field errors; any field error is a 422.
      return { answer: invalidJsonAnswer(422, errorMessage(error)) }
    }
  },
}

/**
 * POST /api/v1/quote with a fixed, deterministic price (`quotePrice`, default 1:1).
 *
 * @example
 * const routes = [...quoteRoutes]
 */
export const quoteRoutes: readonly Route[] = [postQuote]
