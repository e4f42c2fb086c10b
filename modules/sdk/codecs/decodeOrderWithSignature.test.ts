import fc from 'fast-check'
import { decodeFunctionResult, encodeFunctionResult, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { getTradeableOrderWithSignatureFunction } from '../abi/composableCow.ts'
import { ORDER_KIND_BUY, ORDER_KIND_SELL, type GPv2OrderData } from '../orders/gpv2Order.ts'
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

  test('behavior: trailing bytes after the signature are ignored, as viem does', () => {
    fc.assert(
      fc.property(orders, hexBytes(0, 100), hexBytes(1, 64), (order, signature, trailing) => {
        const data = `${encode(order, signature)}${trailing.slice(2)}` as Hex
        expect(decodeOrderWithSignature(data)).toEqual(viemDecode(data))
      }),
      { numRuns: 50 },
    )
  })

  test('behavior: leaves non-canonical data to viem (returns undefined), and decodePollReturn still answers as viem does', () => {
    fc.assert(
      fc.property(orders, hexBytes(1, 200), fc.constantFrom('dirtyAddress', 'bigValidTo', 'boolTwo', 'offset', 'short', 'upper', 'longLength'), (order, signature, damage) => {
        const clean = encode(order, signature)
        const at = (word: number) => 2 + word * 64
        const put = (word: number, value: string) => `${clean.slice(0, at(word))}${value}${clean.slice(at(word) + 64)}` as Hex
        const damaged: Hex = {
          dirtyAddress: put(0, `ff${clean.slice(at(0) + 2, at(0) + 64)}`),
          bigValidTo: put(5, `01${clean.slice(at(5) + 2, at(5) + 64)}`),
          boolTwo: put(9, '2'.padStart(64, '0')),
          offset: put(12, '1c0'.padStart(64, '0')),
          short: clean.slice(0, clean.length - 64) as Hex,
          upper: clean.toUpperCase().replace('0X', '0x') as Hex,
          longLength: put(13, 'ffff'.padStart(64, '0')),
        }[damage as 'short']
        fc.pre(damaged !== clean)
        expect(decodeOrderWithSignature(damaged)).toBeUndefined()
        let expected: unknown
        try {
          expected = { kind: 'order', ...viemDecode(damaged) }
        } catch {
          expected = { kind: 'unknown', data: damaged }
        }
        expect(decodePollReturn(damaged)).toEqual(expected)
      }),
      { numRuns: 150 },
    )
  })

  test('behavior: refuses what is not hex', () => {
    expect(decodeOrderWithSignature('0x' + 'zz'.repeat(500))).toBeUndefined()
    expect(decodeOrderWithSignature('nothex')).toBeUndefined()
  })
})
