import { BuyTokenDestination, OrderKind, SellTokenSource, SigningScheme, type OrderCreation } from '@cowprotocol/cow-sdk'
import { getAddress, isAddress, isHex, type Address, type Hex } from 'viem'
import { InvalidOrderError } from '../errors/decode.ts'
import { balanceOf, orderKindOf, type GPv2OrderData } from './gpv2Order.ts'

export type BuildOrderCreationParameters = {
  order: GPv2OrderData
  /** The order's owner: the Safe/contract for eip1271, the signer for presign. Sent as `from`. */
  owner: Address
  signingScheme: 'eip1271' | 'presign'
  /** eip1271: the bytes the contract returned; presign: usually `0x` (defaults to it). */
  signature?: Hex
}

const SELL_SOURCES = { erc20: SellTokenSource.ERC20, external: SellTokenSource.EXTERNAL, internal: SellTokenSource.INTERNAL } as const

/**
 * The POST /api/v1/orders body for an on-chain order: amounts as decimal strings, kind and
 * balances by name, `appData` as the 32-byte hash, `from` checksummed, no quoteId. Throws
 * `InvalidOrderError` naming the field the orderbook could not take.
 *
 * @example
 * const body = buildOrderCreation({ order: outcome.order, owner, signingScheme: 'eip1271', signature: outcome.signature })
 * const uid = await host.cowApi.submitOrder(chainId, body)
 */
export function buildOrderCreation(parameters: BuildOrderCreationParameters): OrderCreation {
  const { order, owner, signingScheme } = parameters
  if (typeof owner !== 'string' || !isAddress(owner, { strict: false }))
    throw new InvalidOrderError({ field: 'owner', expected: 'a 20-byte hex address', found: String(owner) })
  const kind = orderKindOf(order.kind)
  if (!kind) throw new InvalidOrderError({ field: 'kind', expected: 'keccak256("sell") or keccak256("buy")', found: order.kind })
  const sell = balanceOf(order.sellTokenBalance)
  if (!sell)
    throw new InvalidOrderError({ field: 'sellTokenBalance', expected: 'keccak256 of "erc20", "external" or "internal"', found: order.sellTokenBalance })
  const buy = balanceOf(order.buyTokenBalance)
  if (buy !== 'erc20' && buy !== 'internal')
    throw new InvalidOrderError({ field: 'buyTokenBalance', expected: 'keccak256 of "erc20" or "internal" (the orderbook has no external buy balance)', found: order.buyTokenBalance })
  if (signingScheme !== 'eip1271' && signingScheme !== 'presign')
    throw new InvalidOrderError({ field: 'signingScheme', expected: '"eip1271" or "presign"', found: String(signingScheme) })
  const signature = parameters.signature ?? '0x'
  if (!isHex(signature, { strict: true }))
    throw new InvalidOrderError({ field: 'signature', expected: 'hex bytes', found: String(signature).slice(0, 42) })
  if (signingScheme === 'eip1271' && signature === '0x')
    throw new InvalidOrderError({ field: 'signature', expected: 'the eip1271 signature bytes the contract returned', found: '0x (empty)' })
  return {
    sellToken: order.sellToken,
    buyToken: order.buyToken,
    receiver: order.receiver,
    sellAmount: order.sellAmount.toString(10),
    buyAmount: order.buyAmount.toString(10),
    validTo: order.validTo,
    appData: order.appData,
    feeAmount: order.feeAmount.toString(10),
    kind: kind === 'sell' ? OrderKind.SELL : OrderKind.BUY,
    partiallyFillable: order.partiallyFillable,
    sellTokenBalance: SELL_SOURCES[sell],
    buyTokenBalance: buy === 'erc20' ? BuyTokenDestination.ERC20 : BuyTokenDestination.INTERNAL,
    signingScheme: signingScheme === 'eip1271' ? SigningScheme.EIP1271 : SigningScheme.PRESIGN,
    signature,
    from: getAddress(owner),
  }
}
