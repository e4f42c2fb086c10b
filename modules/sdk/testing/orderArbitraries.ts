import fc from 'fast-check'
import type { Hex } from 'viem'
import { BALANCE_ERC20, BALANCE_EXTERNAL, BALANCE_INTERNAL, ORDER_KIND_BUY, ORDER_KIND_SELL, type GPv2OrderData } from '../orders/gpv2Order.ts'

/** Random hex of `min` to `max` bytes (exactly `min` when `max` is absent). */
export const hexBytes = (min: number, max = min): fc.Arbitrary<Hex> =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((bytes) => `0x${Buffer.from(bytes).toString('hex')}` as Hex)

/** Any uint256. */
export const uint256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })

/**
 * Random GPv2 orders over the whole value space, for property tests that compare an encoder,
 * decoder or hash with a reference. `overrides` replaces a field's arbitrary.
 *
 * @example
 * fc.assert(fc.property(gpv2Orders(), (order) => expect(fast(order)).toEqual(reference(order))))
 */
export function gpv2Orders(overrides: Partial<{ [K in keyof GPv2OrderData]: fc.Arbitrary<GPv2OrderData[K]> }> = {}): fc.Arbitrary<GPv2OrderData> {
  return fc.record({
    sellToken: hexBytes(20),
    buyToken: hexBytes(20),
    receiver: hexBytes(20),
    sellAmount: uint256,
    buyAmount: uint256,
    validTo: fc.integer({ min: 0, max: 0xffffffff }),
    appData: hexBytes(32),
    feeAmount: uint256,
    kind: fc.constantFrom(ORDER_KIND_SELL, ORDER_KIND_BUY),
    partiallyFillable: fc.boolean(),
    sellTokenBalance: fc.constantFrom(BALANCE_ERC20, BALANCE_EXTERNAL, BALANCE_INTERNAL),
    buyTokenBalance: fc.constantFrom(BALANCE_ERC20, BALANCE_INTERNAL),
    ...overrides,
  }) as fc.Arbitrary<GPv2OrderData>
}
