import { OrderBalance, computeOrderUid, type ContractsOrder } from '@cowprotocol/cow-sdk'
import { ContractsOrderKind } from '@cowprotocol/cow-sdk'
import { getAddress, isAddress, zeroAddress, type Address, type Hex } from 'viem'
import { InvalidOrderError } from '../errors.ts'
import { ensureCowSdkAdapter } from './ensureCowSdkAdapter.ts'
import { gpv2Domain } from './gpv2Domain.ts'
import { balanceOf, orderKindOf, type GPv2OrderData } from './gpv2Order.ts'

const BALANCES = { erc20: OrderBalance.ERC20, external: OrderBalance.EXTERNAL, internal: OrderBalance.INTERNAL } as const

/**
 * Converts on-chain order data into cow-sdk's contracts `Order` (named kind and balances). A
 * zero receiver becomes "no receiver", which hashes the same (cow-sdk refuses address(0)).
 * Throws `InvalidOrderError` naming the field for an unknown kind or balance hash.
 *
 * @example
 * hashOrder(sepoliaDomain, toCowSdkOrder(order))
 */
export function toCowSdkOrder(order: GPv2OrderData): ContractsOrder {
  const kind = orderKindOf(order.kind)
  if (!kind) throw new InvalidOrderError({ field: 'kind', expected: 'keccak256("sell") or keccak256("buy")', found: order.kind })
  const sellTokenBalance = balanceOf(order.sellTokenBalance)
  if (!sellTokenBalance)
    throw new InvalidOrderError({ field: 'sellTokenBalance', expected: 'keccak256 of "erc20", "external" or "internal"', found: order.sellTokenBalance })
  const buyTokenBalance = balanceOf(order.buyTokenBalance)
  if (!buyTokenBalance)
    throw new InvalidOrderError({ field: 'buyTokenBalance', expected: 'keccak256 of "erc20", "external" or "internal"', found: order.buyTokenBalance })
  return {
    sellToken: order.sellToken,
    buyToken: order.buyToken,
    receiver: order.receiver.toLowerCase() === zeroAddress ? undefined : order.receiver,
    sellAmount: order.sellAmount,
    buyAmount: order.buyAmount,
    validTo: order.validTo,
    appData: order.appData,
    feeAmount: order.feeAmount,
    kind: kind === 'sell' ? ContractsOrderKind.SELL : ContractsOrderKind.BUY,
    partiallyFillable: order.partiallyFillable,
    sellTokenBalance: BALANCES[sellTokenBalance],
    buyTokenBalance: BALANCES[buyTokenBalance],
  }
}

/**
 * The 56-byte order UID (digest ‖ owner ‖ validTo) the settlement contract and the orderbook use,
 * computed with cow-sdk's `computeOrderUid` on the chain's GPv2 domain. Works offline.
 *
 * @example
 * const uid = computeUid(11155111, outcome.order, owner)
 * if (await host.store.get(`submitted:${uid}`)) return
 */
export function computeUid(chainId: number, order: GPv2OrderData, owner: Address): Hex {
  if (typeof owner !== 'string' || !isAddress(owner, { strict: false }))
    throw new InvalidOrderError({ field: 'owner', expected: 'a 20-byte hex address', found: String(owner) })
  ensureCowSdkAdapter()
  return computeOrderUid(gpv2Domain(chainId), toCowSdkOrder(order), getAddress(owner)).toLowerCase() as Hex
}
