import { keccak256, toHex, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { sepoliaAddresses, sepoliaDomainSeparator } from '../devnet/addresses.ts'
import { referenceOrderDigest } from '../orderbook/gpv2OrderTestVectors.ts'
import { gpv2OrderDigest, strictValidity, validToProblem, type GPv2OrderData } from './checkStrictOrders.ts'
import { resolveLoadOptions } from './loadOptions.ts'

describe('validToProblem', () => {
  const now = 1_800_000_000n
  test('behavior: passes a validTo between 60 s and 1 year ahead of chain time', () => {
    expect(validToProblem(Number(now) + 60, now)).toBeUndefined()
    expect(validToProblem(Number(now) + strictValidity.maxLimitSeconds, now)).toBeUndefined()
  })
  test('behavior: refuses an expired, a too-close and a too-far validTo, naming the service error', () => {
    expect(validToProblem(Number(now) - 1, now)).toMatch(/^InsufficientValidTo/)
    expect(validToProblem(Number(now) + 59, now)).toMatch(/^InsufficientValidTo/)
    expect(validToProblem(Number(now) + strictValidity.maxLimitSeconds + 1, now)).toMatch(/^ExcessiveValidTo/)
    // The old fixed EthFlow validTo (2096) from a 2026 chain time.
    expect(validToProblem(4_000_000_000, now)).toMatch(/^ExcessiveValidTo/)
  })
  test('behavior: the load\'s default TWAP shape (t = 5 s) makes parts a real orderbook refuses as InsufficientValidTo', () => {
    // Documented, not fixed: scenarios rely on 5 s parts to see every part inside a short run.
    const { twap } = resolveLoadOptions({ rpcUrl: 'http://127.0.0.1:1' })
    const t0 = now - BigInt(twap.t0LagSeconds)
    const firstPartValidTo = Number(t0) + twap.t - 1
    expect(validToProblem(firstPartValidTo, now)).toMatch(/^InsufficientValidTo/)
  })
})

describe('gpv2OrderDigest', () => {
  test('behavior: equals viem\'s EIP-712 hash of the same order (GPv2 domain, Sepolia) and changes with any field', () => {
    const sell = keccak256(toHex('sell'))
    const erc20 = keccak256(toHex('erc20'))
    const order: GPv2OrderData = {
      sellToken: sepoliaAddresses.weth, buyToken: sepoliaAddresses.cowToken, receiver: '0x00000000000000000000000000000000000c0de1',
      sellAmount: 10n ** 15n + 7n, buyAmount: 1n, validTo: 1_800_000_119, appData: keccak256(toHex('{}')), feeAmount: 0n,
      kind: sell, partiallyFillable: false, sellTokenBalance: erc20, buyTokenBalance: erc20,
    }
    // Independent on purpose: the strict check is the arbiter of the UIDs our code makes with cow-sdk, so its
    // expected digest comes from the hand-written GPv2 types (the shared vector), not from cow-sdk or the check.
    const expected: Hex = referenceOrderDigest(
      { ...order, kind: 'sell', sellTokenBalance: 'erc20', buyTokenBalance: 'erc20' },
      { chainId: 11155111, verifyingContract: sepoliaAddresses.gpv2Settlement },
    )
    expect(gpv2OrderDigest(order, sepoliaDomainSeparator)).toBe(expected)
    expect(gpv2OrderDigest({ ...order, sellAmount: order.sellAmount + 1n }, sepoliaDomainSeparator)).not.toBe(expected)
  })
})
