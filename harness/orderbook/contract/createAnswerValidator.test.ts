import { describe, expect, test } from 'vitest'
import { createAnswerValidator } from './createAnswerValidator.ts'

const validate = createAnswerValidator()
const asJson = (status: number, body: unknown) => ({ status, contentType: 'application/json', bodyText: JSON.stringify(body) })
const uid = `0x${'ab'.repeat(56)}`
const address = `0x${'11'.repeat(20)}`
const order = {
  sellToken: address, buyToken: `0x${'22'.repeat(20)}`, receiver: address, sellAmount: '1', buyAmount: '2', validTo: 1, appData: `0x${'00'.repeat(32)}`,
  feeAmount: '0', kind: 'sell', partiallyFillable: false, sellTokenBalance: 'erc20', buyTokenBalance: 'erc20', signingScheme: 'eip1271', signature: '0x12',
  creationDate: '2026-01-01T00:00:00.000Z', class: 'limit', owner: address, uid, executedSellAmount: '0', executedSellAmountBeforeFees: '0',
  executedBuyAmount: '0', executedFeeAmount: '0', invalidated: false, status: 'open', settlementContract: address, fullAppData: null,
}

describe('createAnswerValidator: a drifting answer fails', () => {
  test('behavior: a conforming Order passes; a wrong status value, a number amount or a missing field fails, naming it', () => {
    expect(validate('GET /api/v1/orders/:uid', asJson(200, order))).toEqual({ ok: true, problems: [] })
    const pending = validate('GET /api/v1/orders/:uid', asJson(200, { ...order, status: 'pending' }))
    expect(pending.ok).toBe(false)
    expect(pending.problems.join('\n')).toMatch(/status.*must be equal to one of the allowed values/)
    expect(validate('GET /api/v1/orders/:uid', asJson(200, { ...order, sellAmount: 1 })).ok).toBe(false)
    const { settlementContract: _dropped, ...missing } = order
    expect(validate('GET /api/v1/orders/:uid', asJson(200, missing)).problems.join('\n')).toMatch(/settlementContract/)
  })

  test("behavior: the old stub's 400 InvalidRequest is refused (in no enum), InvalidJson only where the service sends it", () => {
    const old = validate('POST /api/v1/orders', asJson(400, { errorType: 'InvalidRequest', description: 'sellAmount: expected a string' }))
    expect(old.ok).toBe(false)
    expect(old.problems.join('\n')).toMatch(/OrderPostError: body\/errorType must be equal to one of the allowed values/)
    expect(validate('POST /api/v1/orders', asJson(400, { errorType: 'NonZeroFee', description: 'Fee must be zero' })).ok).toBe(true)
    expect(validate('POST /api/v1/orders', asJson(422, { errorType: 'InvalidJson', description: 'x' })).ok).toBe(true)
    expect(validate('POST /api/v1/orders', asJson(422, { errorType: 'ZeroAmount', description: 'x' })).ok).toBe(false)
  })

  test('behavior: an undocumented status, JSON where text is sent, text where JSON is expected, and an unknown route all fail', () => {
    expect(validate('GET /api/v1/orders/:uid', asJson(418, {})).problems[0]).toMatch(/status 418 is not documented/)
    expect(validate('GET /api/v1/version', asJson(200, 'v1')).ok).toBe(false)
    expect(validate('POST /api/v1/quote', { status: 200, contentType: 'text/plain', bodyText: 'ok' }).problems[0]).toMatch(/expected JSON/)
    expect(validate('POST /api/v1/quote', { status: 200, contentType: 'application/json', bodyText: '{oops' }).problems[0]).toMatch(/not JSON/)
    expect(validate('GET /api/v1/nope', asJson(200, {})).problems[0]).toMatch(/not in the contract/)
  })

  test('behavior: a quote whose appData is a document but lacks the required gas fields fails; the anyOf accepts a hash or a document', () => {
    const quote = { sellToken: address, buyToken: address, sellAmount: '1', buyAmount: '1', validTo: 1, appData: '{}', feeAmount: '0', gasAmount: '1', gasPrice: '1', sellTokenPrice: '1', kind: 'sell', partiallyFillable: false }
    const answer = { quote, from: address, expiration: 'x', id: 1, verified: true }
    expect(validate('POST /api/v1/quote', asJson(200, answer)).ok).toBe(true)
    expect(validate('POST /api/v1/quote', asJson(200, { ...answer, quote: { ...quote, appData: `0x${'00'.repeat(32)}` } })).ok).toBe(true)
    const { gasAmount: _gone, ...noGas } = quote
    expect(validate('POST /api/v1/quote', asJson(200, { ...answer, quote: noGas })).ok).toBe(false)
  })
})
