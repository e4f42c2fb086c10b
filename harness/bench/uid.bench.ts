// UID hashing cost per order, fresh orders each time (no cache hits): `npm run bench -- uid`.
import { ORDER_TYPE_FIELDS, normalizeOrder } from '@cowprotocol/cow-sdk'
import { Bench } from 'tinybench'
import { getTypesForEIP712Domain, hashTypedData, keccak256, stringToHex, validateTypedData } from 'viem'
import { computeUid, toCowSdkOrder } from '../../modules/sdk/orders/computeUid.ts'
import { ensureCowSdkAdapter } from '../../modules/sdk/orders/ensureCowSdkAdapter.ts'
import { gpv2Domain } from '../../modules/sdk/orders/gpv2Domain.ts'
import { BALANCE_ERC20, ORDER_KIND_SELL, type GPv2OrderData } from '../../modules/sdk/orders/gpv2Order.ts'
import { computeStubOrderUidWithCowSdk, orderDomain } from '../orderbook/computeStubOrderUid.ts'
import { fastOrderUid } from '../orderbook/fastOrderUid.ts'
import { benchOptions } from './benchOptions.ts'
import { defineBenchmark } from './defineBenchmark.ts'
import { rowsOf } from './rowsOf.ts'

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

export default defineBenchmark({
  name: 'uid',
  summary: 'Order UID hashing per order: viem EIP-712, the modules\' computeUid (cow-sdk) and the stub\'s two paths',
  async run({ quick }) {
    const domain = gpv2Domain(11155111)
    ensureCowSdkAdapter()
    const bench = new Bench(benchOptions(quick, { iterations: 200, warmupIterations: 200 }))
      .add('viem hashTypedData (cow-sdk order)', () => hashTypedData({ domain, types: { Order: ORDER_TYPE_FIELDS }, primaryType: 'Order', message: normalizeOrder(toCowSdkOrder(order())) as never }))
      .add('viem validateTypedData only', () => validateTypedData({ domain, types: { EIP712Domain: getTypesForEIP712Domain({ domain }), Order: ORDER_TYPE_FIELDS }, primaryType: 'Order', message: normalizeOrder(toCowSdkOrder(order())) } as never))
      .add('modules computeUid (cow-sdk, cached separator)', () => computeUid(11155111, order(), owner))
      .add('stub computeStubOrderUidWithCowSdk', () => computeStubOrderUidWithCowSdk(orderDomain(11155111), fields(), keccak256(stringToHex('{}')), owner))
      .add('stub fastOrderUid', () => fastOrderUid(orderDomain(11155111), fields(), keccak256(stringToHex('{}')), owner))
    await bench.run()
    return { rows: rowsOf(bench, { benchmark: 'uid', unit: 'uid' }) }
  },
})
