import fc from 'fast-check'
import { beforeAll, describe, expect, test } from 'vitest'
import { keccakBackend, keccakReady } from '../../modules/sdk/hash/keccak256.ts'
import { computeStubOrderUidWithCowSdk, offlineAdapterRequests, orderDomain } from './computeStubOrderUid.ts'
import { fastOrderUid } from './fastOrderUid.ts'
import type { OrderFields } from './parseOrderCreation.ts'

const hexBytes = (length: number) => fc.uint8Array({ minLength: length, maxLength: length }).map((bytes) => `0x${Buffer.from(bytes).toString('hex')}` as `0x${string}`)
const address = hexBytes(20)
const u256 = fc.bigInt({ min: 0n, max: (1n << 256n) - 1n })

const fields: fc.Arbitrary<OrderFields> = fc.record({
  sellToken: address,
  buyToken: address,
  receiver: fc.option(address, { nil: null }),
  sellAmount: u256,
  buyAmount: u256,
  validTo: fc.integer({ min: 0, max: 0xffffffff }),
  feeAmount: u256,
  kind: fc.constantFrom('sell' as const, 'buy' as const),
  partiallyFillable: fc.boolean(),
  sellTokenBalance: fc.constantFrom('erc20' as const, 'external' as const, 'internal' as const),
  buyTokenBalance: fc.constantFrom('erc20' as const, 'internal' as const),
})

// Hash on the WebAssembly keccak, as a served stub does once warm (before that it falls back to viem).
beforeAll(async () => {
  await keccakReady
})

describe('fastOrderUid', () => {
  test('behavior: hashes on the WebAssembly keccak once it is ready', () => {
    expect(keccakBackend()).toEqual({ wasm: true })
  })

  test('behavior: equals cow-sdk computeOrderUid on random orders, owners, app data and domains', () => {
    fc.assert(
      fc.property(fields, hexBytes(32), address, fc.constantFrom(1, 100, 11155111), address, (order, appData, owner, chainId, settlement) => {
        const domain = orderDomain(chainId, settlement)
        expect(fastOrderUid(domain, order, appData, owner)).toBe(computeStubOrderUidWithCowSdk(domain, order, appData, owner))
      }),
      { numRuns: 200 },
    )
    expect(offlineAdapterRequests).toBe(0)
  })

  test('behavior: a zero receiver hashes like no receiver, as cow-sdk does', () => {
    const order: OrderFields = {
      sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
      buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
      receiver: null,
      sellAmount: 10n,
      buyAmount: 1n,
      validTo: 1_700_000_000,
      feeAmount: 0n,
      kind: 'sell',
      partiallyFillable: false,
      sellTokenBalance: 'erc20',
      buyTokenBalance: 'erc20',
    }
    const owner = '0x7bF140727D27ea64b607E042f1225680B40ECa6A'
    const appData = `0x${'00'.repeat(32)}` as const
    const domain = orderDomain(11155111)
    expect(fastOrderUid(domain, { ...order, receiver: '0x0000000000000000000000000000000000000000' }, appData, owner)).toBe(fastOrderUid(domain, order, appData, owner))
    expect(fastOrderUid(domain, order, appData, owner)).toBe(computeStubOrderUidWithCowSdk(domain, order, appData, owner))
  })

  test('behavior: an unknown kind or a validTo beyond uint32 is refused with a message naming it', () => {
    const domain = orderDomain(11155111)
    const order = { sellToken: '0x01', buyToken: '0x02', receiver: null, sellAmount: 1n, buyAmount: 1n, validTo: 1, feeAmount: 0n, kind: 'swap', partiallyFillable: false, sellTokenBalance: 'erc20', buyTokenBalance: 'erc20' } as unknown as OrderFields
    expect(() => fastOrderUid(domain, order, '0x00', '0x0000000000000000000000000000000000000001')).toThrow(/kind swap/)
    expect(() => fastOrderUid(domain, { ...order, kind: 'sell', validTo: 2 ** 32 }, '0x00', '0x0000000000000000000000000000000000000001')).toThrow(/validTo/)
  })
})
