// Arbitraries of TWAP static inputs, valid and invalid by the TWAP handler's own rules. Not for module code.
import fc from 'fast-check'
import { zeroAddress } from 'viem'
import type { TwapStaticInput } from '../codecs/twapStaticInput.ts'
import { addresses, hexBytes } from './orderArbitraries.ts'

const UINT32_MAX = 2n ** 32n - 1n
const YEAR_SECONDS = 365n * 24n * 3600n

/** Overrides of some fields' arbitraries (the others keep their defaults). */
export type TwapStaticInputsParameters = Partial<{ [K in keyof TwapStaticInput]: fc.Arbitrary<TwapStaticInput[K]> }>

/**
 * TWAP static inputs the TWAP handler accepts (protocol-facts.md, "TWAP semantics"): two different
 * non-zero tokens, a non-zero receiver (cow-sdk refuses address(0)), part sell amount and min part
 * limit > 0, t0 < 2^32-1 (0 = start from the cabinet), 1 < n <= 2^32-1, 0 < t <= 365 days,
 * span <= t (0 = the whole interval). `overrides` replaces a field's arbitrary; an override can
 * break the rules on purpose.
 *
 * @example
 * fc.assert(fc.property(twapStaticInputs(), (twap) => {
 *   expect(decodeTwapStaticInput(encodeTwapStaticInput(twap))).toEqual({ ok: true, value: twap })
 * }))
 */
export function twapStaticInputs(overrides: TwapStaticInputsParameters = {}): fc.Arbitrary<TwapStaticInput> {
  const tokens = fc.tuple(addresses({ nonZero: true }), addresses({ nonZero: true })).filter(([a, b]) => a !== b)
  const timing = fc.bigInt({ min: 1n, max: YEAR_SECONDS }).chain((t) => fc.record({ t: fc.constant(t), span: fc.oneof(fc.constant(0n), fc.bigInt({ min: 0n, max: t })) }))
  return fc
    .record({
      tokens,
      receiver: addresses({ nonZero: true }),
      partSellAmount: fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
      minPartLimit: fc.bigInt({ min: 1n, max: (1n << 256n) - 1n }),
      t0: fc.oneof(fc.constant(0n), fc.bigInt({ min: 1n, max: UINT32_MAX - 1n })),
      n: fc.bigInt({ min: 2n, max: UINT32_MAX }),
      timing,
      appData: hexBytes(32),
    })
    .chain(({ tokens: [sellToken, buyToken], timing: { t, span }, ...rest }) =>
      fc.record({
        sellToken: overrides.sellToken ?? fc.constant(sellToken),
        buyToken: overrides.buyToken ?? fc.constant(buyToken),
        receiver: overrides.receiver ?? fc.constant(rest.receiver),
        partSellAmount: overrides.partSellAmount ?? fc.constant(rest.partSellAmount),
        minPartLimit: overrides.minPartLimit ?? fc.constant(rest.minPartLimit),
        t0: overrides.t0 ?? fc.constant(rest.t0),
        n: overrides.n ?? fc.constant(rest.n),
        t: overrides.t ?? fc.constant(t),
        span: overrides.span ?? fc.constant(span),
        appData: overrides.appData ?? fc.constant(rest.appData),
      }),
    )
}

/** The `OrderNotValid` reason the TWAP handler reverts with for a static input it refuses. */
export type TwapInvalidReason = 'same token' | 'invalid token' | 'invalid part sell amount' | 'invalid min part limit' | 'invalid start time' | 'invalid num parts' | 'invalid frequency' | 'invalid span'

/**
 * TWAP static inputs that break exactly one of the handler's rules, each with the `OrderNotValid`
 * reason the handler gives for it (in the order it checks them). A watcher must stop watching them;
 * a module that validates TWAPs must refuse them, naming the reason.
 *
 * @example
 * fc.assert(fc.property(invalidTwapStaticInputs(), ({ input, reason }) => {
 *   expect(validateTwap(input)).toEqual({ ok: false, reason })
 * }))
 */
export function invalidTwapStaticInputs(): fc.Arbitrary<{ input: TwapStaticInput; reason: TwapInvalidReason }> {
  const broken = <R extends TwapInvalidReason>(reason: R, overrides: TwapStaticInputsParameters) => twapStaticInputs(overrides).map((input) => ({ input, reason }))
  return fc.oneof(
    addresses({ nonZero: true }).chain((token) => broken('same token', { sellToken: fc.constant(token), buyToken: fc.constant(token) })),
    fc.boolean().chain((sellSide) => broken('invalid token', sellSide ? { sellToken: fc.constant(zeroAddress) } : { buyToken: fc.constant(zeroAddress) })),
    broken('invalid part sell amount', { partSellAmount: fc.constant(0n) }),
    broken('invalid min part limit', { minPartLimit: fc.constant(0n) }),
    broken('invalid start time', { t0: fc.bigInt({ min: UINT32_MAX, max: (1n << 256n) - 1n }) }),
    broken('invalid num parts', { n: fc.oneof(fc.constantFrom(0n, 1n), fc.bigInt({ min: UINT32_MAX + 1n, max: (1n << 256n) - 1n })) }),
    broken('invalid frequency', { t: fc.oneof(fc.constant(0n), fc.bigInt({ min: YEAR_SECONDS + 1n, max: (1n << 256n) - 1n })), span: fc.constant(0n) }),
    fc.bigInt({ min: 1n, max: YEAR_SECONDS }).chain((t) => broken('invalid span', { t: fc.constant(t), span: fc.bigInt({ min: t + 1n, max: (1n << 256n) - 1n }) })),
  )
}
