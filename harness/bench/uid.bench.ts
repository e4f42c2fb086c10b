// UID hashing cost, fresh orders each time (no cache hits):  node --import tsx harness/bench/uid.bench.ts
import { ORDER_TYPE_FIELDS, normalizeOrder } from '@cowprotocol/cow-sdk'
import { getTypesForEIP712Domain, hashTypedData, keccak256, stringToHex, validateTypedData } from 'viem'
import { computeUid, toCowSdkOrder } from '../../modules/sdk/orders/computeUid.ts'
import { ensureCowSdkAdapter } from '../../modules/sdk/orders/ensureCowSdkAdapter.ts'
import { gpv2Domain } from '../../modules/sdk/orders/gpv2Domain.ts'
import { BALANCE_ERC20, ORDER_KIND_SELL, type GPv2OrderData } from '../../modules/sdk/orders/gpv2Order.ts'
import { computeStubOrderUidWithCowSdk, orderDomain } from '../orderbook/computeStubOrderUid.ts'
import { fastOrderUid } from '../orderbook/fastOrderUid.ts'

const owner = '0x7bF140727D27ea64b607E042f1225680B40ECa6A' as const
let salt = 0
const order = (): GPv2OrderData => ({
  sellToken: '0xfFf9976782d46CC05630D1f6eBAb18b2324d6B14',
  buyToken: '0x0625aFB445C3B6B7B929342a04A22599fd5dBB59',
  receiver: owner,
  sellAmount: 10n ** 18n + BigInt(salt++),
  buyAmount: 5n,
  validTo: 1_700_003_599,
  appData: keccak256(stringToHex('{}')),
  feeAmount: 0n,
  kind: ORDER_KIND_SELL,
  partiallyFillable: false,
  sellTokenBalance: BALANCE_ERC20,
  buyTokenBalance: BALANCE_ERC20,
})
const fields = () => ({ ...order(), receiver: owner, kind: 'sell' as const, sellTokenBalance: 'erc20' as const, buyTokenBalance: 'erc20' as const })
const domain = gpv2Domain(11155111)
ensureCowSdkAdapter()

function time(label: string, fn: () => unknown, runs = 2000) {
  for (let i = 0; i < 200; i++) fn()
  const start = performance.now()
  for (let i = 0; i < runs; i++) fn()
  console.log(`${label.padEnd(48)} ${((performance.now() - start) / runs * 1000).toFixed(0).padStart(5)} µs/op`)
}

time('viem hashTypedData (cow-sdk order)', () => hashTypedData({ domain, types: { Order: ORDER_TYPE_FIELDS }, primaryType: 'Order', message: normalizeOrder(toCowSdkOrder(order())) as never }))
time('viem validateTypedData only', () => validateTypedData({ domain, types: { EIP712Domain: getTypesForEIP712Domain({ domain }), Order: ORDER_TYPE_FIELDS }, primaryType: 'Order', message: normalizeOrder(toCowSdkOrder(order())) } as never))
time('modules computeUid (cow-sdk, cached separator)', () => computeUid(11155111, order(), owner))
time('stub computeStubOrderUidWithCowSdk', () => computeStubOrderUidWithCowSdk(orderDomain(11155111), fields(), keccak256(stringToHex('{}')), owner))
time('stub fastOrderUid', () => fastOrderUid(orderDomain(11155111), fields(), keccak256(stringToHex('{}')), owner))
