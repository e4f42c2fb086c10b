import { keccak256, stringToHex } from 'viem'
import { describe, expect, test } from 'vitest'
import { sepoliaAddresses, sepoliaDomainSeparator } from '../devnet/addresses.ts'
import { gpv2OrderDigest } from '../load/checkStrictOrders.ts'
import { order } from './ethFlowTestVectors.ts'
import { GPV2_ORDER_TYPE_HASH, GPV2_ORDER_TYPES, referenceOrderDigest } from './gpv2OrderTestVectors.ts'

describe('gpv2OrderTestVectors', () => {
  test('behavior: the hand-written types spell the type string whose hash GPv2Order.sol declares', () => {
    const typeString = `Order(${GPV2_ORDER_TYPES.Order.map((f) => `${f.type} ${f.name}`).join(',')})`
    expect(keccak256(stringToHex(typeString))).toBe(GPV2_ORDER_TYPE_HASH)
  })

  test('behavior: the reference digest depends on the domain (chain and verifying contract)', () => {
    const message = { ...order, kind: 'sell', sellTokenBalance: 'erc20', buyTokenBalance: 'erc20' }
    const sepolia = referenceOrderDigest(message)
    expect(referenceOrderDigest(message, { chainId: 11155111, verifyingContract: sepoliaAddresses.gpv2Settlement })).toBe(sepolia)
    expect(referenceOrderDigest(message, { chainId: 1, verifyingContract: sepoliaAddresses.gpv2Settlement })).not.toBe(sepolia)
    // And it agrees with the strict check's own hashing on that domain (a second, separate implementation).
    expect(gpv2OrderDigest(order, sepoliaDomainSeparator)).toBe(sepolia)
  })
})
