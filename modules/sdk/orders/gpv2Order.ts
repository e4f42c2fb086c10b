import { keccak256, stringToHex, type Address, type Hex } from 'viem'

/**
 * GPv2Order.Data as contracts return it (and viem decodes it): amounts as bigint, `kind` and the
 * balances as bytes32 hashes. Use `orderKindOf` / `sellTokenBalanceOf` / `buyTokenBalanceOf` for names.
 */
export type GPv2OrderData = {
  sellToken: Address
  buyToken: Address
  receiver: Address
  sellAmount: bigint
  buyAmount: bigint
  validTo: number
  appData: Hex
  feeAmount: bigint
  kind: Hex
  partiallyFillable: boolean
  sellTokenBalance: Hex
  buyTokenBalance: Hex
}

/** keccak256("sell"), the `kind` of a sell order. */
export const ORDER_KIND_SELL: Hex = keccak256(stringToHex('sell'))
/** keccak256("buy"), the `kind` of a buy order. */
export const ORDER_KIND_BUY: Hex = keccak256(stringToHex('buy'))
/** keccak256("erc20"): balances taken/paid with plain ERC20 transfers. */
export const BALANCE_ERC20: Hex = keccak256(stringToHex('erc20'))
/** keccak256("external"): Balancer Vault external balances (sell side only). */
export const BALANCE_EXTERNAL: Hex = keccak256(stringToHex('external'))
/** keccak256("internal"): Balancer Vault internal balances. */
export const BALANCE_INTERNAL: Hex = keccak256(stringToHex('internal'))

/**
 * The name of an order kind hash, or undefined for a hash that is neither "sell" nor "buy".
 *
 * @example
 * orderKindOf(ORDER_KIND_SELL) // 'sell'
 */
export function orderKindOf(kind: Hex): 'sell' | 'buy' | undefined {
  const k = kind.toLowerCase()
  return k === ORDER_KIND_SELL ? 'sell' : k === ORDER_KIND_BUY ? 'buy' : undefined
}

/**
 * The name of a balance hash ("erc20", "external", "internal"), or undefined for any other hash.
 *
 * @example
 * balanceOf(BALANCE_ERC20) // 'erc20'
 */
export function balanceOf(balance: Hex): 'erc20' | 'external' | 'internal' | undefined {
  const b = balance.toLowerCase()
  if (b === BALANCE_ERC20) return 'erc20'
  if (b === BALANCE_EXTERNAL) return 'external'
  if (b === BALANCE_INTERNAL) return 'internal'
  return undefined
}
