import fc from 'fast-check'
import { decodeFunctionResult, encodeFunctionResult, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { getTradeableOrderWithSignatureFunction } from '../abi/composableCow.ts'
import { ORDER_KIND_BUY, ORDER_KIND_SELL, type GPv2OrderData } from '../orders/gpv2Order.ts'
import { nonCanonicalOrderResults } from '../testing/nonCanonical.ts'
import { gpv2Orders, hexBytes } from '../testing/orderArbitraries.ts'
import { decodeOrderWithSignature } from './decodeOrderWithSignature.ts'
import { decodePollReturn } from './pollOutcome.ts'

const abi = [getTradeableOrderWithSignatureFunction]
const orders = gpv2Orders({ kind: fc.constantFrom(ORDER_KIND_SELL, ORDER_KIND_BUY, `0x${'ab'.repeat(32)}` as Hex), buyTokenBalance: hexBytes(32) })
const encode = (order: GPv2OrderData, signature: Hex) => encodeFunctionResult({ abi, functionName: 'getTradeableOrderWithSignature', result: [order, signature] })
const viemDecode = (data: Hex) => {
  const [order, signature] = decodeFunctionResult({ abi, functionName: 'getTradeableOrderWithSignature', data })
  return { order: { ...order }, signature }
}

describe('decodeOrderWithSignature', () => {
  test('behavior: equals viem for any order and any signature length', () => {
    fc.assert(
      fc.property(orders, hexBytes(0, 1500), (order, signature) => {
        const data = encode(order, signature)
        const decoded = decodeOrderWithSignature(data)
        expect(decoded).toBeDefined()
        expect(decoded).toEqual(viemDecode(data))
      }),
      { numRuns: 200 },
    )
  })

  test('behavior: refuses every non-canonical encoding (viem would read some of them as an order), and decodePollReturn calls it unknown', () => {
    fc.assert(
      fc.property(nonCanonicalOrderResults, ({ damage, data }) => {
        expect(decodeOrderWithSignature(data), damage).toBeUndefined()
        expect(decodePollReturn(data), damage).toEqual({ kind: 'unknown', data })
      }),
      { numRuns: 400 },
    )
  })

  test('behavior: the issue\'s cases: a dirty-padded address and a validTo past uint32 are not orders', () => {
    const clean = encode(fc.sample(orders, 1)[0]!, '0xc0ffee')
    const at = (word: number) => 2 + word * 64
    const put = (word: number, value: string) => `${clean.slice(0, at(word))}${value}${clean.slice(at(word) + 64)}` as Hex
    const dirtyAddress = put(0, `ff${clean.slice(at(0) + 2, at(0) + 64)}`)
    const bigValidTo = put(5, `${'0'.repeat(52)}01${clean.slice(at(5) + 54, at(5) + 64)}`) // 2^40 + validTo
    expect(viemDecode(dirtyAddress).order.sellToken).toBeDefined() // viem reads it...
    expect(viemDecode(bigValidTo).order.validTo).toBeGreaterThan(0xffffffff)
    expect(decodePollReturn(dirtyAddress).kind).toBe('unknown') // ...we do not
    expect(decodePollReturn(bigValidTo).kind).toBe('unknown')
  })

  test('behavior: upper-case hex is read as lower-case (a node dialect), the signature in lower case', () => {
    const clean = encode(fc.sample(orders, 1)[0]!, '0xC0FFEE')
    const upper = `0x${clean.slice(2).toUpperCase()}` as Hex
    expect(decodePollReturn(upper)).toEqual({ kind: 'order', ...viemDecode(clean) })
  })

  test('behavior: refuses what is not hex', () => {
    expect(decodeOrderWithSignature('0x' + 'zz'.repeat(500))).toBeUndefined()
    expect(decodeOrderWithSignature('nothex')).toBeUndefined()
  })
})
