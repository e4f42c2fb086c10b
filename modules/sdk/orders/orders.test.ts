import { OrderSigningUtils, SupportedChainId, extractOrderUidParams, packOrderUidParams } from '@cowprotocol/cow-sdk'
import { domainSeparator, keccak256, stringToHex, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { buildOrderCreation } from './buildOrderCreation.ts'
import { computeUid } from './computeUid.ts'
import { ensureCowSdkAdapter } from './ensureCowSdkAdapter.ts'
import { gpv2Domain, sepoliaDomain } from './gpv2Domain.ts'
import { BALANCE_ERC20, BALANCE_EXTERNAL, BALANCE_INTERNAL, ORDER_KIND_BUY, ORDER_KIND_SELL, type GPv2OrderData } from './gpv2Order.ts'

const owner = '0x7bF140727D27ea64b607E042f1225680B40ECa6A'
const order: GPv2OrderData = {
  sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
  buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
  receiver: owner,
  sellAmount: 123_456_789_000_000_000_000n,
  buyAmount: 5n,
  validTo: 1_700_003_599,
  appData: keccak256(stringToHex('{}')),
  feeAmount: 0n,
  kind: ORDER_KIND_SELL,
  partiallyFillable: false,
  sellTokenBalance: BALANCE_ERC20,
  buyTokenBalance: BALANCE_ERC20,
}

describe('GPv2 domain', () => {
  test('behavior: the Sepolia domain separator is the one the settlement contract reports', () => {
    expect(domainSeparator({ domain: sepoliaDomain })).toBe('0xdaee378bd0eb30ddf479272accf91761e697bc00e067a268f95f1d2732ed230b')
    expect(domainSeparator({ domain: gpv2Domain(1) })).toBe('0xc078f884a2676e1345748b1feace7b0abee5d00ecadb6e574dcdd109a63e8943')
  })

  test('behavior: the domain matches cow-sdk OrderSigningUtils.getDomain', async () => {
    ensureCowSdkAdapter()
    expect(await OrderSigningUtils.getDomain(SupportedChainId.SEPOLIA)).toEqual(sepoliaDomain)
  })

  test('behavior: an unknown chain id is a clear error', () => {
    expect(() => gpv2Domain(31337)).toThrow(/Chain 31337 has no GPv2Settlement/)
  })
})

describe('computeUid', () => {
  test('behavior: the pinned UID packs digest, owner and validTo', () => {
    ensureCowSdkAdapter()
    const uid = packOrderUidParams({ orderDigest: '0xc2b9cb4ea1ee5a86d8049ac09d8f494bf04cca0a68407285f31e2e6379800be8', owner, validTo: 0xffffffff })
    expect(uid).toBe('0xc2b9cb4ea1ee5a86d8049ac09d8f494bf04cca0a68407285f31e2e6379800be87bf140727d27ea64b607e042f1225680b40eca6affffffff')
  })

  test('behavior: computeUid round-trips through extractOrderUidParams and matches cow-sdk generateOrderId', async () => {
    const uid = computeUid(11155111, order, owner)
    expect((uid.length - 2) / 2).toBe(56)
    const params = extractOrderUidParams(uid)
    expect(params.owner).toBe(owner)
    expect(params.validTo).toBe(order.validTo)
    const { orderId, orderDigest } = await OrderSigningUtils.generateOrderId(SupportedChainId.SEPOLIA, { ...order, receiver: owner, kind: 'sell' as never, sellTokenBalance: 'erc20' as never, buyTokenBalance: 'erc20' as never }, { owner })
    expect(params.orderDigest).toBe(orderDigest)
    expect(uid).toBe(orderId.toLowerCase())
  })

  test('behavior: a different chain, amount or owner changes the UID', () => {
    const base = computeUid(11155111, order, owner)
    expect(computeUid(1, order, owner)).not.toBe(base)
    expect(computeUid(11155111, { ...order, sellAmount: order.sellAmount + 1n }, owner)).not.toBe(base)
    expect(computeUid(11155111, order, '0x0000000000000000000000000000000000000001')).not.toBe(base)
  })

  test('behavior: a UID served again from the cache still changes with every single field', () => {
    const base = computeUid(11155111, order, owner)
    expect(computeUid(11155111, { ...order }, owner)).toBe(base)
    const variants: Array<Partial<GPv2OrderData>> = [
      { sellToken: order.buyToken },
      { buyToken: order.sellToken },
      { receiver: order.sellToken },
      { sellAmount: 1n },
      { buyAmount: 6n },
      { validTo: order.validTo + 1 },
      { appData: `0x${'00'.repeat(32)}` },
      { feeAmount: 1n },
      { kind: ORDER_KIND_BUY },
      { partiallyFillable: true },
      { sellTokenBalance: BALANCE_INTERNAL },
      { buyTokenBalance: BALANCE_INTERNAL },
    ]
    const uids = variants.map((change) => computeUid(11155111, { ...order, ...change }, owner))
    expect(new Set([base, ...uids]).size).toBe(variants.length + 1)
    // Asked again (now cached), each gives the UID it gave the first time.
    expect(variants.map((change) => computeUid(11155111, { ...order, ...change }, owner))).toEqual(uids)
    expect(computeUid(11155111, { ...order, sellToken: order.sellToken.toLowerCase() as Hex }, owner)).toBe(base)
  })

  test('behavior: a zero receiver hashes (cow-sdk would refuse it) and differs from receiver = owner', () => {
    const zero = computeUid(11155111, { ...order, receiver: '0x0000000000000000000000000000000000000000' }, owner)
    expect(zero).not.toBe(computeUid(11155111, order, owner))
  })

  test('behavior: an unknown kind hash is an InvalidOrderError naming the field', () => {
    expect(() => computeUid(11155111, { ...order, kind: `0x${'11'.repeat(32)}` }, owner)).toThrow(/Order field "kind" is invalid/)
  })
})

describe('buildOrderCreation', () => {
  test('behavior: builds the POST body the orderbook expects for an eip1271 part', () => {
    const body = buildOrderCreation({ order, owner: owner.toLowerCase() as Hex, signingScheme: 'eip1271', signature: '0xdeadbeef' })
    expect(body).toEqual({
      sellToken: order.sellToken,
      buyToken: order.buyToken,
      receiver: owner,
      sellAmount: '123456789000000000000',
      buyAmount: '5',
      validTo: 1_700_003_599,
      appData: order.appData,
      feeAmount: '0',
      kind: 'sell',
      partiallyFillable: false,
      sellTokenBalance: 'erc20',
      buyTokenBalance: 'erc20',
      signingScheme: 'eip1271',
      signature: '0xdeadbeef',
      from: owner,
    })
    expect(body).not.toHaveProperty('quoteId')
  })

  test('behavior: buy kind, external/internal balances and presign map by name', () => {
    const body = buildOrderCreation({
      order: { ...order, kind: ORDER_KIND_BUY, sellTokenBalance: BALANCE_EXTERNAL, buyTokenBalance: BALANCE_INTERNAL },
      owner,
      signingScheme: 'presign',
    })
    expect(body).toMatchObject({ kind: 'buy', sellTokenBalance: 'external', buyTokenBalance: 'internal', signingScheme: 'presign', signature: '0x' })
  })

  test('behavior: bad input names the field', () => {
    expect(() => buildOrderCreation({ order: { ...order, buyTokenBalance: BALANCE_EXTERNAL }, owner, signingScheme: 'eip1271', signature: '0x01' })).toThrow(/"buyTokenBalance"/)
    expect(() => buildOrderCreation({ order, owner: '0x12', signingScheme: 'eip1271', signature: '0x01' })).toThrow(/"owner"/)
    expect(() => buildOrderCreation({ order, owner, signingScheme: 'eip1271' })).toThrow(/"signature"/)
    expect(() => buildOrderCreation({ order: { ...order, sellTokenBalance: '0x00' }, owner, signingScheme: 'presign' })).toThrow(/"sellTokenBalance"/)
  })
})
