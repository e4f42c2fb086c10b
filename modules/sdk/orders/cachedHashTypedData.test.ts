import { ORDER_TYPE_FIELDS, getGlobalAdapter, hashOrder, normalizeOrder } from '@cowprotocol/cow-sdk'
import fc from 'fast-check'
import { hashTypedData, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { cachedHashTypedData } from './cachedHashTypedData.ts'
import { toCowSdkOrder } from './computeUid.ts'
import { ensureCowSdkAdapter } from './ensureCowSdkAdapter.ts'
import { gpv2Domain } from './gpv2Domain.ts'
import { BALANCE_ERC20, ORDER_KIND_SELL } from './gpv2Order.ts'
import { gpv2Orders, hexBytes } from '../testing/orderArbitraries.ts'

const orders = gpv2Orders()

describe('cachedHashTypedData', () => {
  test('behavior: equals viem hashTypedData for random orders on several domains, called again and again', () => {
    ensureCowSdkAdapter()
    fc.assert(
      fc.property(orders, fc.constantFrom(1, 100, 11155111), (order, chainId) => {
        const domain = gpv2Domain(chainId)
        const message = normalizeOrder(toCowSdkOrder(order)) as unknown as Record<string, unknown>
        const expected = hashTypedData({ domain, types: { Order: ORDER_TYPE_FIELDS }, primaryType: 'Order', message: message as never })
        expect(cachedHashTypedData(domain, { Order: ORDER_TYPE_FIELDS }, message)).toBe(expected)
      }),
      { numRuns: 150 },
    )
  })

  test('behavior: is the offline adapter hashTypedData, so cow-sdk hashOrder goes through it', () => {
    ensureCowSdkAdapter()
    expect(getGlobalAdapter().utils.hashTypedData).toBe(cachedHashTypedData)
    const domain = gpv2Domain(11155111)
    const order = toCowSdkOrder({
      sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
      buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
      receiver: '0x7bF140727D27ea64b607E042f1225680B40ECa6A',
      sellAmount: 1n,
      buyAmount: 2n,
      validTo: 3,
      appData: `0x${'00'.repeat(32)}`,
      feeAmount: 0n,
      kind: ORDER_KIND_SELL,
      partiallyFillable: false,
      sellTokenBalance: BALANCE_ERC20,
      buyTokenBalance: BALANCE_ERC20,
    })
    expect(hashOrder(domain, order)).toBe(hashTypedData({ domain, types: { Order: ORDER_TYPE_FIELDS }, primaryType: 'Order', message: normalizeOrder(order) as never }))
  })

  test('behavior: still validates the message like viem (a validTo beyond uint32 is refused)', () => {
    const domain = gpv2Domain(11155111)
    expect(() => cachedHashTypedData(domain, { Order: ORDER_TYPE_FIELDS }, { validTo: 2 ** 32 })).toThrow(/uint32|range|4294967296/i)
  })

  test('behavior: equals viem for structs with string and bytes fields, and for nested structs (viem path)', () => {
    const domain = { name: 'Mail', version: '1', chainId: 1, verifyingContract: '0x00000000000000000000000000000000000000aa' } as const
    const flat = { Note: [{ name: 'text', type: 'string' }, { name: 'blob', type: 'bytes' }, { name: 'amount', type: 'int128' }, { name: 'tag', type: 'bytes4' }] }
    fc.assert(
      fc.property(fc.string(), fc.uint8Array({ maxLength: 90 }), fc.bigInt({ min: -(1n << 127n), max: (1n << 127n) - 1n }), hexBytes(4), (text, blob, amount, tag) => {
        const message = { text, blob: `0x${Buffer.from(blob).toString('hex')}`, amount, tag }
        expect(cachedHashTypedData(domain, flat, message)).toBe(hashTypedData({ domain, types: flat, primaryType: 'Note', message: message as never }))
      }),
      { numRuns: 100 },
    )
    const nested = { Mail: [{ name: 'from', type: 'Person' }, { name: 'contents', type: 'string' }], Person: [{ name: 'name', type: 'string' }, { name: 'wallet', type: 'address' }] }
    const mail = { from: { name: 'Cow', wallet: '0xCD2a3d9F938E13CD947Ec05AbC7FE734Df8DD826' }, contents: 'Hello, Bob!' }
    expect(cachedHashTypedData(domain, nested, mail)).toBe(hashTypedData({ domain, types: nested, primaryType: 'Mail', message: mail as never }))
  })
})

