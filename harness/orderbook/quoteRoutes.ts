import { apiErrorAnswer } from './apiError.ts'
import { EMPTY_APP_DATA_HASH } from '../../modules/sdk/appData.ts'
import { readAddress, readString } from './parseOrderCreation.ts'
import { jsonAnswer } from './stubExchange.ts'
import type { Route } from './answerRoute.ts'
import { errorMessage } from '../../modules/sdk/errors/errorMessage.ts'

const QUOTE_LIFETIME_MS = 60_000
const DEFAULT_VALID_FOR_S = 1800

/** Reads an optional decimal amount field of a quote request. */
function amount(body: Record<string, unknown>, field: string): bigint | undefined {
  const v = body[field]
  if (v === undefined || v === null) return undefined
  if (typeof v !== 'string' || !/^\d+$/.test(v)) throw new Error(`${field}: expected a decimal string`)
  return BigInt(v)
}

const postQuote: Route = {
  method: 'POST',
  path: '/api/v1/quote',
  resolve({ stub, body }) {
    if (typeof body !== 'object' || body === null || Array.isArray(body)) return { answer: apiErrorAnswer(400, 'InvalidRequest', 'body: expected a JSON object') }
    const b = body as Record<string, unknown>
    try {
      const sellToken = readAddress(b.sellToken, 'sellToken')
      const buyToken = readAddress(b.buyToken, 'buyToken')
      const from = readAddress(b.from, 'from')
      const kind = readString(b.kind, 'kind')
      if (kind !== 'sell' && kind !== 'buy') throw new Error(`kind: expected sell or buy, got "${kind}"`)
      if (sellToken === buyToken) return { answer: apiErrorAnswer(400, 'SameBuyAndSellToken', 'Buy token is the same as the sell token.') }
      const { numerator, denominator } = stub.quotePrice
      let sellAmount: bigint
      let buyAmount: bigint
      if (kind === 'sell') {
        const sell = amount(b, 'sellAmountBeforeFee') ?? amount(b, 'sellAmountAfterFee')
        if (sell === undefined) throw new Error('sellAmountBeforeFee: required for a sell quote')
        sellAmount = sell
        buyAmount = (sell * numerator) / denominator
      } else {
        const buy = amount(b, 'buyAmountAfterFee')
        if (buy === undefined) throw new Error('buyAmountAfterFee: required for a buy quote')
        buyAmount = buy
        sellAmount = (buy * denominator + numerator - 1n) / numerator
      }
      if (sellAmount === 0n || buyAmount === 0n) return { answer: apiErrorAnswer(400, 'ZeroAmount', 'Buy or sell amount is zero.') }
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
        appData: typeof b.appData === 'string' ? b.appData : '{}',
        appDataHash: typeof b.appDataHash === 'string' ? b.appDataHash : EMPTY_APP_DATA_HASH,
        feeAmount: '0',
        gasAmount: '100000',
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
      return { answer: apiErrorAnswer(400, 'InvalidRequest', errorMessage(error)) }
    }
  },
}

/** POST /api/v1/quote with a fixed, deterministic price (`quotePrice`, default 1:1). */
export const quoteRoutes: readonly Route[] = [postQuote]
