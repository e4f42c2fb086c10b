import { describe, expect, test } from 'vitest'
import { getResponse } from 'msw'
import { createOrderbookStub } from './createOrderbookStub.ts'
import type { OrderbookStub } from './orderbookStubTypes.ts'
import { exampleOrderCreation } from './exampleOrderCreation.ts'
import { checkOrder } from './orderChecks.ts'

async function post(stub: OrderbookStub, body: unknown) {
  const init = { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) }
  const response = await getResponse(stub.handlers(), new Request('http://orderbook.test/api/v1/orders', init))
  if (!response) throw new Error('no handler')
  return { status: response.status, json: (await response.json()) as unknown }
}

describe('chain-free order checks', () => {
  test.each([
    ['sellTokenBalance "external"', { sellTokenBalance: 'external' }, 'sellTokenSource', 'UnsupportedSellTokenSource', 'Type External'],
    ['sellTokenBalance "internal"', { sellTokenBalance: 'internal' }, 'sellTokenSource', 'UnsupportedSellTokenSource', 'Type Internal'],
    ['buyTokenBalance "internal"', { buyTokenBalance: 'internal' }, 'buyTokenDestination', 'UnsupportedBuyTokenDestination', 'Type Internal'],
    ['a non-zero feeAmount', { feeAmount: '1' }, 'nonZeroFee', 'NonZeroFee', 'Fee must be zero'],
  ] as const)('behavior: %s is refused 400 %s by default, and accepted 201 with the check switched off', async (_name, override, check, errorType, description) => {
    const strict = createOrderbookStub()
    expect(await post(strict, exampleOrderCreation(override))).toEqual({ status: 400, json: { errorType, description } })
    expect(strict.orders()).toHaveLength(0)

    const lax = createOrderbookStub({ knobs: { checks: { [check]: false } } })
    expect((await post(lax, exampleOrderCreation(override))).status).toBe(201)

    // A knob changes during a run; a patch that leaves the check out turns it back on.
    strict.setKnobs({ checks: { [check]: false } })
    expect((await post(strict, exampleOrderCreation(override))).status).toBe(201)
    strict.setKnobs({ checks: {} })
    expect((await post(strict, exampleOrderCreation({ ...override, sellAmount: '5' }))).status).toBe(400)
  })

  test('behavior: a valid order passes every check; the checks run in the service\'s order', () => {
    const order = { sellTokenBalance: 'erc20', buyTokenBalance: 'erc20', feeAmount: 0n } as const
    expect(checkOrder(order, undefined)).toBeNull()
    expect(checkOrder({ ...order, sellTokenBalance: 'external', feeAmount: 5n }, null)?.errorType).toBe('UnsupportedSellTokenSource')
    expect(checkOrder({ ...order, sellTokenBalance: 'external', feeAmount: 5n }, { sellTokenSource: false })?.errorType).toBe('NonZeroFee')
  })

  test('behavior: an unknown check name or a non-boolean is refused at once, naming it', () => {
    expect(() => createOrderbookStub({ knobs: { checks: { nonzeroFee: false } as never } })).toThrow(/unknown check "nonzeroFee" \(known: signature, eip1271, presign, validTo, balance, allowance, transferSimulation, sellTokenSource, buyTokenDestination, nonZeroFee, bannedUser, unsupportedToken, appDataSigner, limitOrderCount, gasLimit\)/)
    const stub = createOrderbookStub()
    expect(() => stub.setKnobs({ checks: { nonZeroFee: 'no' } as never })).toThrow(/checks\.nonZeroFee: expected true or false/)
  })
})
