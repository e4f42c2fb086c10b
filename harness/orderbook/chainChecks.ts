import type { Hex } from 'viem'
import { TRANSFER_PROBE_AMOUNTS, type OrderChainFacts } from './createChainReader.ts'
import { isCheckOn, type OrderCheckRejection, type OrderChecks } from './orderChecks.ts'
import type { SigningSchemeName } from './parseOrderCreation.ts'

/**
 * How far `validTo` must and may lie after the head block's timestamp, in seconds. The defaults are
 * the service's (`crates/orderbook/src/arguments.rs`): `min_order_validity_period` 1m,
 * `max_order_validity_period` 3h (market orders: a non-zero fee), `max_limit_order_validity_period`
 * 1y (humantime's year, 365.25 days; every order with a zero fee is a limit order, so this is the
 * horizon that applies today). `presign` orders have no maximum.
 */
export type OrderValidity = { minSeconds: number; maxMarketSeconds: number; maxLimitSeconds: number }

/** The service's defaults. */
export const DEFAULT_ORDER_VALIDITY: OrderValidity = { minSeconds: 60, maxMarketSeconds: 3 * 3600, maxLimitSeconds: 31_557_600 }

const U32_MAX = 0xffffffffn
// time::timestamp_after_duration saturates at u32::MAX.
const after = (now: bigint, seconds: number) => {
  const t = now + BigInt(Math.floor(seconds))
  return t > U32_MAX ? U32_MAX : t
}

/**
 * `validTo` judged against chain time as the service judges it against its clock: below now + min
 * is `InsufficientValidTo`, above now + max is `ExcessiveValidTo` (max by class; none for presign).
 * An EthFlow order (validTo = u32::MAX) posted to the API is therefore `ExcessiveValidTo`: the
 * service only takes those from the chain.
 *
 * @example
 * judgeValidTo({ validTo: 100, feeAmount: 0n, signingScheme: 'eip712' }, 90n, DEFAULT_ORDER_VALIDITY) // InsufficientValidTo
 */
export function judgeValidTo(
  order: { validTo: number; feeAmount: bigint; signingScheme: SigningSchemeName },
  now: bigint,
  validity: OrderValidity,
): OrderCheckRejection | null {
  const validTo = BigInt(order.validTo)
  if (validTo < after(now, validity.minSeconds)) {
    return { status: 400, errorType: 'InsufficientValidTo', description: 'validTo is not far enough in the future' }
  }
  if (order.signingScheme === 'presign') return null
  const max = order.feeAmount === 0n ? validity.maxLimitSeconds : validity.maxMarketSeconds
  if (Number.isFinite(max) && validTo > after(now, max)) {
    return { status: 400, errorType: 'ExcessiveValidTo', description: 'validTo is too far into the future' }
  }
  return null
}

/**
 * The EIP-1271 refusal, in the service's words (the hash is the order digest).
 *
 * @example
 * judgeEip1271(false, digest) // { status: 400, errorType: 'InvalidEip1271Signature', ... }
 */
export function judgeEip1271(valid: boolean, digest: Hex): OrderCheckRejection | null {
  if (valid) return null
  return { status: 400, errorType: 'InvalidEip1271Signature', description: `signature for computed order hash ${digest.toLowerCase()} is not valid` }
}

const INSUFFICIENT_BALANCE: OrderCheckRejection = { status: 400, errorType: 'InsufficientBalance', description: 'order owner must have funds worth at least x in his account' }
const INSUFFICIENT_ALLOWANCE: OrderCheckRejection = { status: 400, errorType: 'InsufficientAllowance', description: 'order owner must give allowance to VaultRelayer' }
const TRANSFER_FAILED: OrderCheckRejection = { status: 400, errorType: 'TransferSimulationFailed', description: 'sell token cannot be transferred' }

/**
 * The service's `ensure_transferable`: for 1, 10 and 100 atoms, a balance or allowance below the
 * amount refuses at once (`InsufficientBalance`, `InsufficientAllowance`), a transfer that succeeds
 * passes, a failed one tries the next amount and `TransferSimulationFailed` is the last word.
 * `presign` orders pass whatever the funds (they may fund themselves in the presigning transaction).
 * A check turned off is skipped; an undecodable balance or allowance counts as a failed simulation.
 *
 * @example
 * judgeFunds({ balance: 0n, allowance: 0n, transfers: [false, false, false], timestamp: 0n }, 'eip1271', {}) // InsufficientBalance
 */
export function judgeFunds(facts: OrderChainFacts, signingScheme: SigningSchemeName, checks: OrderChecks | null | undefined): OrderCheckRejection | null {
  if (signingScheme === 'presign') return null
  const balanceOn = isCheckOn(checks, 'balance')
  const allowanceOn = isCheckOn(checks, 'allowance')
  const transferOn = isCheckOn(checks, 'transferSimulation')
  if (!balanceOn && !allowanceOn && !transferOn) return null
  // No code at the token (or a non-ERC20 answer): the service's simulation errors, which it answers as a failed transfer.
  const unreadable = (balanceOn && (facts.balance === null || facts.balance === undefined)) || (allowanceOn && (facts.allowance === null || facts.allowance === undefined))
  for (const [i, amount] of TRANSFER_PROBE_AMOUNTS.entries()) {
    if (balanceOn && typeof facts.balance === 'bigint' && facts.balance < amount) return INSUFFICIENT_BALANCE
    if (allowanceOn && typeof facts.allowance === 'bigint' && facts.allowance < amount) return INSUFFICIENT_ALLOWANCE
    if (!transferOn) return null
    if (!unreadable && facts.transfers?.[i] === true) return null
  }
  return TRANSFER_FAILED
}
