import type { OrderFields } from './parseOrderCreation.ts'

/**
 * The checks the real orderbook makes on an order without reading the chain, each a knob: `true`
 * (the default, strict) refuses a violating order as the service does, `false` lets it through for
 * a test that needs a lax stub. Change them during a run with `stub.setKnobs({ checks: {...} })`
 * (a patch replaces the whole object: a check left out is on again).
 */
export type OrderChecks = {
  /** `sellTokenBalance` other than `erc20` -> 400 `UnsupportedSellTokenSource` (the service accepts only erc20 for new orders). */
  sellTokenSource?: boolean
  /** `buyTokenBalance` other than `erc20` -> 400 `UnsupportedBuyTokenDestination`. */
  buyTokenDestination?: boolean
  /** A non-zero `feeAmount` -> 400 `NonZeroFee` (fees are taken by solvers now; the signed fee must be 0). */
  nonZeroFee?: boolean
}

/** The names of the checks, for validating a knob patch. */
export const ORDER_CHECK_NAMES: readonly (keyof OrderChecks)[] = ['sellTokenSource', 'buyTokenDestination', 'nonZeroFee']

/** A refusal in the service's words: status, errorType and description. */
export type OrderCheckRejection = { status: number; errorType: string; description: string }

// The service formats the refused balance with Rust's Debug of its enum: "Type External".
const rustVariant = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`

/**
 * Runs the enabled chain-free checks on a parsed order, in the service's order (sell source, buy
 * destination, then the fee), and answers the first refusal, or null when the order passes.
 *
 * @example
 * checkOrder({ ...order, sellTokenBalance: 'external' }, {}) // { status: 400, errorType: 'UnsupportedSellTokenSource', description: 'Type External' }
 * checkOrder({ ...order, feeAmount: 1n }, { nonZeroFee: false }) // null
 */
export function checkOrder(order: Pick<OrderFields, 'sellTokenBalance' | 'buyTokenBalance' | 'feeAmount'>, checks: OrderChecks | null | undefined): OrderCheckRejection | null {
  const on = (name: keyof OrderChecks) => checks?.[name] !== false
  if (on('sellTokenSource') && order.sellTokenBalance !== 'erc20') {
    return { status: 400, errorType: 'UnsupportedSellTokenSource', description: `Type ${rustVariant(order.sellTokenBalance)}` }
  }
  if (on('buyTokenDestination') && order.buyTokenBalance !== 'erc20') {
    return { status: 400, errorType: 'UnsupportedBuyTokenDestination', description: `Type ${rustVariant(order.buyTokenBalance)}` }
  }
  if (on('nonZeroFee') && order.feeAmount !== 0n) return { status: 400, errorType: 'NonZeroFee', description: 'Fee must be zero' }
  return null
}

/**
 * Throws when a checks knob names a check that does not exist or is not a boolean, so a typo
 * fails at once instead of leaving the check on.
 *
 * @example
 * assertOrderChecks({ nonZeroFee: false }) // ok
 * assertOrderChecks({ nonzeroFee: false }) // throws, naming the known checks
 */
export function assertOrderChecks(checks: unknown): void {
  if (checks === undefined || checks === null) return
  if (typeof checks !== 'object' || Array.isArray(checks)) throw new Error(`orderbook stub knob checks: expected an object of booleans, got ${JSON.stringify(checks)}`)
  for (const [name, value] of Object.entries(checks)) {
    if (!(ORDER_CHECK_NAMES as readonly string[]).includes(name)) {
      throw new Error(`orderbook stub knob checks: unknown check "${name}" (known: ${ORDER_CHECK_NAMES.join(', ')})`)
    }
    if (typeof value !== 'boolean') throw new Error(`orderbook stub knob checks.${name}: expected true or false, got ${JSON.stringify(value)}`)
  }
}
