// Arbitraries of GPv2 orders and of the POST /api/v1/orders body, for property tests. Not for module code.
import { BuyTokenDestination, OrderKind, SellTokenSource, SigningScheme, type OrderCreation } from '@cowprotocol/cow-sdk'
import fc from 'fast-check'
import { getAddress, type Address, type Hex } from 'viem'
import { BALANCE_ERC20, BALANCE_EXTERNAL, BALANCE_INTERNAL, ORDER_KIND_BUY, ORDER_KIND_SELL, type GPv2OrderData } from '../orders/gpv2Order.ts'

/**
 * Random hex of `min` to `max` bytes (exactly `min` when `max` is absent), lower case.
 *
 * @example
 * fc.assert(fc.property(hexBytes(32), (salt) => salt.length === 66))
 */
export const hexBytes = (min: number, max = min): fc.Arbitrary<Hex> =>
  fc.uint8Array({ minLength: min, maxLength: max }).map((bytes) => `0x${Buffer.from(bytes).toString('hex')}` as Hex)

/**
 * Any uint256.
 *
 * @example
 * fc.assert(fc.property(uint256, (n) => n >= 0n && n < 2n ** 256n))
 */
export const uint256: fc.Arbitrary<bigint> = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })

/**
 * Checksummed addresses, as viem and the SDK's decoders return them. `nonZero` leaves out address(0).
 *
 * @example
 * fc.assert(fc.property(addresses(), (a) => a === getAddress(a)))
 */
export function addresses({ nonZero = false }: { nonZero?: boolean } = {}): fc.Arbitrary<Address> {
  const raw = hexBytes(20).map((hex) => getAddress(hex))
  return nonZero ? raw.filter((a) => BigInt(a) !== 0n) : raw
}

/** Overrides of some fields' arbitraries (the others keep their defaults). */
export type GPv2OrdersParameters = Partial<{ [K in keyof GPv2OrderData]: fc.Arbitrary<GPv2OrderData[K]> }>

/**
 * Random GPv2 orders over the whole value space (lower-case addresses), for property tests that
 * compare an encoder, decoder or hash with a reference. `overrides` replaces a field's arbitrary.
 *
 * @example
 * fc.assert(fc.property(gpv2Orders(), (order) => expect(fast(order)).toEqual(reference(order))))
 */
export function gpv2Orders(overrides: GPv2OrdersParameters = {}): fc.Arbitrary<GPv2OrderData> {
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

/**
 * GPv2 orders exactly as a contract returns them and the SDK decodes them: checksummed addresses,
 * lower-case bytes32. What `decodePollReturn` gives back for a canonical answer.
 *
 * @example
 * fc.assert(fc.property(decodedOrders(), (order) => orderKindOf(order.kind) !== undefined))
 */
export function decodedOrders(overrides: GPv2OrdersParameters = {}): fc.Arbitrary<GPv2OrderData> {
  return gpv2Orders({ sellToken: addresses(), buyToken: addresses(), receiver: addresses(), ...overrides })
}

/** One order the orderbook would be sent: the on-chain data, its owner, and the POST body. */
export type OrderCreationSample = { order: GPv2OrderData; owner: Address; signingScheme: 'eip1271' | 'presign'; signature: Hex; creation: OrderCreation }

const SELL_SOURCES = { [BALANCE_ERC20]: SellTokenSource.ERC20, [BALANCE_EXTERNAL]: SellTokenSource.EXTERNAL, [BALANCE_INTERNAL]: SellTokenSource.INTERNAL } as Record<Hex, SellTokenSource>

/**
 * An on-chain order, its owner and signature, with the `OrderCreation` (POST /api/v1/orders body)
 * the API expects for it, written out field by field from the API's rules (decimal amount strings,
 * kind and balances by name, checksummed `from`, no quoteId), not by the SDK's `buildOrderCreation`,
 * so a property can hold one against the other. eip1271 signatures are never empty.
 *
 * @example
 * fc.assert(fc.property(orderCreations(), (s) => {
 *   expect(buildOrderCreation(s)).toEqual(s.creation)
 * }))
 */
export function orderCreations(overrides: GPv2OrdersParameters = {}): fc.Arbitrary<OrderCreationSample> {
  const signed = fc.oneof(
    fc.record({ signingScheme: fc.constant('eip1271' as const), signature: hexBytes(1, 200) }),
    fc.record({ signingScheme: fc.constant('presign' as const), signature: fc.constant('0x' as Hex) }),
  )
  return fc.tuple(decodedOrders(overrides), addresses({ nonZero: true }), signed).map(([order, owner, { signingScheme, signature }]) => ({
    order,
    owner,
    signingScheme,
    signature,
    creation: {
      sellToken: order.sellToken,
      buyToken: order.buyToken,
      receiver: order.receiver,
      sellAmount: order.sellAmount.toString(),
      buyAmount: order.buyAmount.toString(),
      validTo: order.validTo,
      appData: order.appData,
      feeAmount: order.feeAmount.toString(),
      kind: order.kind === ORDER_KIND_SELL ? OrderKind.SELL : OrderKind.BUY,
      partiallyFillable: order.partiallyFillable,
      sellTokenBalance: SELL_SOURCES[order.sellTokenBalance]!,
      buyTokenBalance: order.buyTokenBalance === BALANCE_ERC20 ? BuyTokenDestination.ERC20 : BuyTokenDestination.INTERNAL,
      signingScheme: signingScheme === 'eip1271' ? SigningScheme.EIP1271 : SigningScheme.PRESIGN,
      signature,
      from: owner,
    },
  }))
}
