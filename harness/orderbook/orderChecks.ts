import type { OrderFields } from './parseOrderCreation.ts'

/**
 * The checks the real orderbook makes on an order, each a knob: `true` (the default, strict)
 * refuses a violating order as the service does, `false` lets it through for a test that needs a
 * lax stub. Change them during a run with `stub.setKnobs({ checks: {...} })` (a patch replaces the
 * whole object: a check left out is on again). The chain checks (`eip1271`, `presign`, `validTo`,
 * `balance`, `allowance`, `transferSimulation`, `limitOrderCount`) read the node the stub was given (`chain`); a stub
 * without one cannot run them and says so (`stub.chainChecks()`, the record's `unchecked`).
 */
export type OrderChecks = {
  /** `eip712` / `ethsign`: the signer recovered from the order digest must be `from` -> 400 `WrongOwner` (a signature that does not recover: `InvalidSignature`). Chain-free. */
  signature?: boolean
  /** `eip1271`: `isValidSignature(digest, signature)` on the owner at the head must answer the magic value -> 400 `InvalidEip1271Signature`. */
  eip1271?: boolean
  /** `presign`: the order shows `presignaturePending` until `preSignature(uid)` on the settlement is set at the head (never a refusal, as in the service). */
  presign?: boolean
  /** `validTo` against the head block's timestamp: closer than the minimum -> `InsufficientValidTo`, past the maximum -> `ExcessiveValidTo`. */
  validTo?: boolean
  /** The owner's sell-token balance at the head must cover 1 atom -> `InsufficientBalance` (presign orders are exempt). */
  balance?: boolean
  /** The owner's sell-token allowance to the vault relayer must cover 1 atom -> `InsufficientAllowance` (presign exempt). */
  allowance?: boolean
  /** `transferFrom(owner, settlement, 1 | 10 | 100)` sent by the vault relayer must succeed for one amount -> `TransferSimulationFailed` (presign exempt). */
  transferSimulation?: boolean
  /** `sellTokenBalance` other than `erc20` -> 400 `UnsupportedSellTokenSource` (the service accepts only erc20 for new orders). */
  sellTokenSource?: boolean
  /** `buyTokenBalance` other than `erc20` -> 400 `UnsupportedBuyTokenDestination`. */
  buyTokenDestination?: boolean
  /** A non-zero `feeAmount` -> 400 `NonZeroFee` (fees are taken by solvers now; the signed fee must be 0). */
  nonZeroFee?: boolean
  /** The owner or the receiver in `policy.bannedUsers` -> 403 `Forbidden` "Forbidden, your account is deny-listed". Chain-free. */
  bannedUser?: boolean
  /** The sell or buy token in `policy.unsupportedTokens` -> 400 `UnsupportedToken` "Token 0x.. is unsupported: deny listed". Chain-free. */
  unsupportedToken?: boolean
  /** The appData's `metadata.signer` differs from the owner -> 400 `AppdataFromMismatch`. Chain-free. */
  appDataSigner?: boolean
  /** A limit order outside the stub's market price (`quotePrice`) while the owner holds `policy.maxLimitOrdersPerUser` open limit orders (open at the head's timestamp) -> 400 `TooManyLimitOrders`. */
  limitOrderCount?: boolean
  /** The quote's gas (100,000) plus the appData hooks' `gasLimit`s above `policy.maxGasPerOrder` -> 400 `TooMuchGas`. Chain-free. */
  gasLimit?: boolean
}

/** The names of the checks, for validating a knob patch. */
export const ORDER_CHECK_NAMES: readonly (keyof OrderChecks)[] = [
  'signature',
  'eip1271',
  'presign',
  'validTo',
  'balance',
  'allowance',
  'transferSimulation',
  'sellTokenSource',
  'buyTokenDestination',
  'nonZeroFee',
  'bannedUser',
  'unsupportedToken',
  'appDataSigner',
  'limitOrderCount',
  'gasLimit',
]

/** The checks that need a node; without one they cannot run (never counted as passed). */
export const CHAIN_CHECK_NAMES: readonly (keyof OrderChecks)[] = ['eip1271', 'presign', 'validTo', 'balance', 'allowance', 'transferSimulation', 'limitOrderCount']

/**
 * True when a check is on for these knobs (absent and `true` both mean on).
 *
 * @example
 * isCheckOn(stub.knobs.checks, 'balance') // true unless turned off
 */
export function isCheckOn(checks: OrderChecks | null | undefined, name: keyof OrderChecks): boolean {
  return checks?.[name] !== false
}

/** A refusal in the service's words: status, errorType and description. */
export type OrderCheckRejection = { status: number; errorType: string; description: string }

// The service formats the refused balance with Rust's Debug of its enum: "Type External".
const rustVariant = (name: string) => `${name.charAt(0).toUpperCase()}${name.slice(1)}`

/**
 * Runs the enabled balance-kind and fee checks on a parsed order and answers the first refusal, or
 * null when the order passes. The order post itself runs every check in the service's order
 * (`validateOrderPost`); this is the chain-free subset for callers that judge an order alone.
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
