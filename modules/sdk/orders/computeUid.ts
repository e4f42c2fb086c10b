import { OrderBalance, computeOrderUid, type ContractsOrder } from '@cowprotocol/cow-sdk'
import { ContractsOrderKind } from '@cowprotocol/cow-sdk'
import { getAddress, isAddress, zeroAddress, type Address, type Hex } from 'viem'
import { InvalidOrderError } from '../errors/decode.ts'
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
  // A part polled again (retry, backoff, a second watch yielding it) has the same UID: hash once.
  const key = uidCacheKey(chainId, order, owner)
  const known = key === undefined ? undefined : uids.get(key)
  if (known !== undefined) return known
  ensureCowSdkAdapter()
  const uid = computeOrderUid(domainOf(chainId), toCowSdkOrder(order), getAddress(owner)).toLowerCase() as Hex
  if (key !== undefined) {
    if (uids.size >= UID_CACHE_SIZE) uids.delete(uids.keys().next().value!)
    uids.set(key, uid)
  }
  return uid
}

const UID_CACHE_SIZE = 4096
const uids = new Map<string, Hex>()
const domains = new Map<number, ReturnType<typeof gpv2Domain>>()

/** The chain's domain object, built (and its settlement checksummed) once per chain. */
function domainOf(chainId: number) {
  let domain = domains.get(chainId)
  if (domain === undefined) domains.set(chainId, (domain = gpv2Domain(chainId)))
  return domain
}

/** Every input of the UID, as one string; undefined when a field is not of its type (no caching then). */
function uidCacheKey(chainId: number, order: GPv2OrderData, owner: string): string | undefined {
  const { sellToken, buyToken, receiver, sellAmount, buyAmount, validTo, appData, feeAmount, kind, partiallyFillable, sellTokenBalance, buyTokenBalance } = order
  if (typeof sellAmount !== 'bigint' || typeof buyAmount !== 'bigint' || typeof feeAmount !== 'bigint' || typeof validTo !== 'number') return undefined
  return [chainId, owner, sellToken, buyToken, receiver, sellAmount, buyAmount, validTo, appData, feeAmount, kind, partiallyFillable, sellTokenBalance, buyTokenBalance]
    .map((part) => (typeof part === 'string' ? part.toLowerCase() : String(part)))
    .join('|')
}
