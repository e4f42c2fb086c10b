import { OrderPostError } from '@cowprotocol/cow-sdk'
import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { CowApiError } from './errors/cowApi.ts'
import type { LogFields, LogHost } from './module/types.ts'
import { ERROR_TYPE_POLICY, classifyApiError } from './classifyApiError.ts'
import { FINAL_ERROR_TYPES, ORDER_POST_ERROR_TYPES, cowApiErrorAction } from './orderPostErrorTypes.ts'

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

/** The errorType a failure carries, as classifyApiError reads it. */
const readType = (value: unknown) => {
  const v = value as { errorType?: unknown; body?: { errorType?: unknown } } | null
  const type = typeof v === 'object' && v !== null ? (v.errorType ?? (typeof v.body === 'object' && v.body !== null ? v.body.errorType : undefined)) : undefined
  return typeof type === 'string' ? type : undefined
}
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

  test('behavior: an unknown errorType is not the order\'s fault: stop (kept, retried in 5 s) with a Warn carrying the body', () => {
    const { log, warnings } = captureLog()
    const decision = classifyApiError(new CowApiError({ status: 400, errorType: 'BrandNewError', description: 'huh', data: { a: 1 } }), log)
    expect(decision).toMatchObject({ action: 'stop', seconds: 5 })
    expect(decision.reason).toContain('"BrandNewError"')
    expect(warnings).toHaveLength(1)
    expect(warnings[0]?.fields).toMatchObject({ status: 400, errorType: 'BrandNewError', description: 'huh', body: { a: 1 } })
  })

  test.each([
    ['401 from an auth proxy', { status: 401, description: 'Unauthorized' }],
    ['403 from a firewall', { status: 403, description: '<html><body>Request blocked</body></html>' }],
    ['404 HTML from another server (a wrong orderbook_url)', { status: 404, description: '<!DOCTYPE html><html><head><title>404 Not Found</title></head></html>' }],
    ['413 from a proxy', { status: 413, description: 'Request Entity Too Large' }],
    ['400 without an errorType', { status: 400, description: 'Bad Request' }],
    ['415, a content type the server does not take', { status: 415 }],
    ['422, a body the server does not read', { status: 422, description: 'Failed to deserialize the JSON body' }],
    ['400 with an unknown errorType', { status: 400, errorType: 'SomethingNew', description: 'new rule' }],
  ])('behavior: %s is never a drop: the error class is stop, the decision keeps the order', (_, failure) => {
    const error = new CowApiError({ ...failure, url: 'http://127.0.0.1:9/api/v1/orders' })
    expect(error.action).toBe('stop')
    expect(error.url).toBe('http://127.0.0.1:9/api/v1/orders')
    const decision = classifyApiError(error)
    expect(decision).toMatchObject({ action: 'stop', seconds: 5 })
    expect(decision.reason).toContain(`HTTP ${failure.status}`)
    expect(decision.reason).toContain('http://127.0.0.1:9/api/v1/orders')
  })

  test('behavior: only the final errorTypes drop, and the class and the decision agree for every known errorType', () => {
    for (const errorType of ORDER_POST_ERROR_TYPES) {
      const error = new CowApiError({ status: 400, errorType })
      const decision = classifyApiError(error)
      const final = FINAL_ERROR_TYPES.has(errorType)
      expect(decision.action === 'drop', errorType).toBe(final)
      expect(ERROR_TYPE_POLICY[errorType].action === 'drop', errorType).toBe(final)
      expect(error.action, errorType).toBe(final || errorType === 'DuplicatedOrder' ? 'drop' : 'retry')
    }
    expect(cowApiErrorAction(403, 'Forbidden')).toBe('drop') // the orderbook's own word: the owner is deny-listed
    expect(cowApiErrorAction(403, undefined)).toBe('stop') // a firewall's
  })

  test('behavior: the decision follows the error\'s class, also for an error rebuilt from its fields (worker boundary, cow-sdk)', () => {
    expect(classifyApiError({ status: 404, description: 'Not Found' }).action).toBe('stop')
    const sdkError = Object.assign(new Error('Request failed'), { response: { status: 401 }, body: { description: 'no token' } })
    expect(classifyApiError(sdkError).action).toBe('stop')
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
        expect(['submitted-already', 'retry-next-block', 'backoff', 'drop', 'stop']).toContain(decision.action)
        if (decision.action === 'drop') expect(FINAL_ERROR_TYPES.has(readType(value) as never)).toBe(true)
        if (decision.action === 'backoff' || decision.action === 'stop') expect(Number.isFinite(decision.seconds) && decision.seconds >= 0).toBe(true)
      }),
      { numRuns: 500 },
    )
  })
})
