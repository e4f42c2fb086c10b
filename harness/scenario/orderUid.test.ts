import fc from 'fast-check'
import { concat, numberToHex, type Address, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { BALANCE_ERC20, BALANCE_EXTERNAL, BALANCE_INTERNAL, ORDER_KIND_BUY, ORDER_KIND_SELL } from '../../modules/sdk/orders/gpv2Order.ts'
import { computeUid } from '../../modules/sdk/orders/computeUid.ts'
import { gpv2Orders, hexBytes } from '../../modules/sdk/testing/orderArbitraries.ts'
import { referenceOrderDigest } from '../orderbook/gpv2OrderTestVectors.ts'
import { groundTruthOrderUid } from './orderUid.ts'

const orders = gpv2Orders({ receiver: hexBytes(20).filter((r) => BigInt(r) !== 0n) })
const names: Record<string, string> = { [ORDER_KIND_SELL]: 'sell', [ORDER_KIND_BUY]: 'buy', [BALANCE_ERC20]: 'erc20', [BALANCE_EXTERNAL]: 'external', [BALANCE_INTERNAL]: 'internal' }

describe('groundTruthOrderUid', () => {
  test('behavior: equals viem hashTypedData ‖ owner ‖ validTo and cow-sdk computeOrderUid, on two domains', () => {
    // Two references, both independent of groundTruthOrderUid's own types: viem over the hand-written GPv2 types (the shared vector), and cow-sdk through computeUid.
    fc.assert(
      fc.property(orders, hexBytes(20), fc.constantFrom(1, 11155111), (order, owner, chainId) => {
        const verifyingContract: Address = '0x9008D19f58AAbD9eD0D60971565AA8510560ab41'
        const digest = referenceOrderDigest(
          { ...order, kind: names[order.kind]!, sellTokenBalance: names[order.sellTokenBalance]!, buyTokenBalance: names[order.buyTokenBalance]! },
          { chainId, verifyingContract },
        )
        const uid = groundTruthOrderUid(order, owner as Address, chainId)
        expect(uid).toBe(concat([digest, owner, numberToHex(order.validTo, { size: 4 })]).toLowerCase())
        expect(uid).toBe(computeUid(chainId, order, owner as Address))
      }),
      { numRuns: 60 },
    )
  })

  test('behavior: refuses an unknown enum hash, naming it', () => {
    fc.assert(
      fc.property(orders, (order) => {
        expect(() => groundTruthOrderUid({ ...order, kind: `0x${'12'.repeat(32)}` }, order.receiver)).toThrow(/Unknown GPv2 enum hash 0x1212/)
      }),
      { numRuns: 3 },
    )
  })
})
