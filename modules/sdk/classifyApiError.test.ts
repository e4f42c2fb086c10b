import { OrderPostError } from '@cowprotocol/cow-sdk'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { CowApiError } from '../../engine/errors/cowApi.ts'
import type { LogFields, LogHost } from '../../engine/module/types.ts'
import { classifyApiError } from './classifyApiError.ts'
import { ORDER_POST_ERROR_TYPES } from './orderPostErrorTypes.ts'

function captureLog() {
  const warnings: Array<{ message: string; fields: LogFields | undefined }> = []
  const log: LogHost = { debug() {}, info() {}, error() {}, warn: (message, fields) => void warnings.push({ message, fields }) }
  return { log, warnings }
}

// The table from protocol-facts.md ("How mature watchers treat them"), written out independently.
const expected: Record<string, string> = {
  DuplicatedOrder: 'submitted-already',
  QuoteNotFound: 'retry-next-block',
  InvalidQuote: 'retry-next-block',
  InsufficientValidTo: 'retry-next-block',
  InvalidEip1271Signature: 'retry-next-block',
  InsufficientFee: 'retry-next-block',
  InsufficientBalance: 'backoff 600',
  InsufficientAllowance: 'backoff 600',
  TooManyLimitOrders: 'backoff 3600',
  InvalidAppData: 'backoff 60',
  InternalServerError: 'backoff 5',
}
const factsList = `DuplicatedOrder, QuoteNotFound, QuoteNotVerified, InvalidQuote, MissingFrom, WrongOwner, InvalidEip1271Signature,
  InsufficientBalance, InsufficientAllowance, InvalidSignature, SellAmountOverflow, TransferSimulationFailed, ZeroAmount,
  IncompatibleSigningScheme, TooManyLimitOrders, TooMuchGas, UnsupportedBuyTokenDestination, UnsupportedSellTokenSource,
  UnsupportedOrderType, InsufficientValidTo, ExcessiveValidTo, InvalidNativeSellToken, SameBuyAndSellToken, UnsupportedToken,
  InvalidAppData, AppDataHashMismatch, AppDataMismatch, AppdataFromMismatch, MetadataSerializationFailed, OldOrderActivelyBidOn,
  NonZeroFee, InvalidValidFrom, Forbidden, InternalServerError`.split(/[\s,]+/).filter(Boolean)

const summary = (d: ReturnType<typeof classifyApiError>) => (d.action === 'backoff' ? `backoff ${d.seconds}` : d.action)

describe('classifyApiError', () => {
  test('behavior: the known list holds every errorType of protocol-facts and of cow-sdk OrderPostError', () => {
    const known = new Set<string>(ORDER_POST_ERROR_TYPES)
    for (const type of factsList) expect(known, type).toContain(type)
    for (const type of Object.values(OrderPostError.errorType)) expect(known, type).toContain(type)
  })

  test.each([...ORDER_POST_ERROR_TYPES])('behavior: %s (HTTP 400) follows the watcher table, without a warning', (errorType) => {
    const { log, warnings } = captureLog()
    const decision = classifyApiError(new CowApiError({ status: 400, errorType, description: 'x' }), log)
    expect(summary(decision)).toBe(expected[errorType] ?? 'drop')
    expect(warnings).toEqual([])
  })

  test('behavior: an unknown errorType is dropped with a Warn carrying the body', () => {
    const { log, warnings } = captureLog()
    const decision = classifyApiError(new CowApiError({ status: 400, errorType: 'BrandNewError', description: 'huh', data: { a: 1 } }), log)
    expect(decision.action).toBe('drop')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.fields).toMatchObject({ status: 400, errorType: 'BrandNewError', description: 'huh', body: { a: 1 } })
  })

  test('behavior: transport faults and 5xx back off a few seconds', () => {
    expect(classifyApiError(new CowApiError({ status: 0 }))).toMatchObject({ action: 'backoff', seconds: 5 })
    expect(classifyApiError(new TypeError('fetch failed'))).toMatchObject({ action: 'backoff', seconds: 5, reason: 'transport fault (TypeError: fetch failed)' })
    expect(classifyApiError(new CowApiError({ status: 503 }))).toMatchObject({ action: 'backoff', seconds: 5 })
    expect(classifyApiError(new CowApiError({ status: 500, errorType: 'InternalServerError' }))).toMatchObject({ action: 'backoff', seconds: 5 })
  })

  test('behavior: 429 honours Retry-After, defaults to 10 s and clamps huge values', () => {
    expect(classifyApiError(new CowApiError({ status: 429, retryAfter: 42 }))).toMatchObject({ action: 'backoff', seconds: 42 })
    expect(classifyApiError(new CowApiError({ status: 429 }))).toMatchObject({ action: 'backoff', seconds: 10 })
    expect(classifyApiError(new CowApiError({ status: 429, retryAfter: 1e9 }))).toMatchObject({ action: 'backoff', seconds: 3600 })
  })

  test('behavior: reads cow-sdk OrderBookApiError shape (response.status, body.errorType)', () => {
    const sdkError = Object.assign(new Error('Request failed'), { response: { status: 400 }, body: { errorType: 'InsufficientAllowance', description: 'allowance' } })
    expect(classifyApiError(sdkError)).toMatchObject({ action: 'backoff', seconds: 600 })
  })

  test('behavior: 403 and 404 without an errorType are dropped with a warning', () => {
    const { log, warnings } = captureLog()
    expect(classifyApiError({ status: 404 }, log).action).toBe('drop')
    expect(warnings).toHaveLength(1)
  })

  test('property: never throws on arbitrary bodies', () => {
    const { log } = captureLog()
    const knownType = fc.constantFrom(...ORDER_POST_ERROR_TYPES)
    const body = fc.oneof(
      fc.anything(),
      fc.record({ status: fc.oneof(fc.integer(), fc.double(), fc.string()), errorType: fc.oneof(knownType, fc.string(), fc.anything()), retryAfter: fc.oneof(fc.double(), fc.anything()) }, { requiredKeys: [] }),
      fc.record({ response: fc.anything(), body: fc.anything() }, { requiredKeys: [] }),
    )
    fc.assert(
      fc.property(body, (value) => {
        const decision = classifyApiError(value, log)
        expect(['submitted-already', 'retry-next-block', 'backoff', 'drop']).toContain(decision.action)
        if (decision.action === 'backoff') expect(Number.isFinite(decision.seconds) && decision.seconds >= 0).toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})
