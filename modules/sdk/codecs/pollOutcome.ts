import { encodeFunctionData, isHex, type Address, type Hex } from 'viem'
import { getTradeableOrderWithSignatureFunction } from '../abi/composableCow.ts'
import { readPollError } from './readPollError.ts'
import type { GPv2OrderData } from '../orders/gpv2Order.ts'
import { decodeOrderWithSignature } from './decodeOrderWithSignature.ts'
import { canonicalHex, parseRevertData } from './revertData.ts'
import type { ConditionalOrderParams } from './decodeConditionalOrderCreated.ts'
import type { MulticallResult } from '../module/types.ts'

/** What one poll of a conditional order says the watcher should do. */
export type PollOutcome =
  | { kind: 'order'; order: GPv2OrderData; signature: Hex }
  | { kind: 'tryNextBlock'; reason: string }
  | { kind: 'tryAtBlock'; block: bigint; reason: string }
  | { kind: 'tryAtEpoch'; epoch: bigint; reason: string }
  /** PollNever, ProofNotAuthed, SingleOrderNotAuthed: stop watching. */
  | { kind: 'never'; reason: string }
  /** OrderNotValid: stop watching. */
  | { kind: 'notValid'; reason: string }
  /** Anything else (Error(string), a panic, garbage): `data` as received. */
  | { kind: 'unknown'; data: unknown }

/**
 * Calldata for ComposableCoW `getTradeableOrderWithSignature(owner, params, offchainInput, proof)`.
 *
 * @example
 * const data = encodeGetTradeableOrderWithSignature(owner, params, '0x', [])
 * const outcome = await host.chain.call(chainId, { to: COMPOSABLE_COW, data }).then(decodePollReturn, pollOutcomeFromError)
 */
export function encodeGetTradeableOrderWithSignature(
  owner: Address,
  params: ConditionalOrderParams,
  offchainInput: Hex = '0x',
  proof: readonly Hex[] = [],
): Hex {
  return encodeFunctionData({
    abi: [getTradeableOrderWithSignatureFunction],
    functionName: 'getTradeableOrderWithSignature',
    args: [owner, params, offchainInput, proof],
  })
}

function isEvenHex(data: unknown): data is Hex {
  return typeof data === 'string' && isHex(data, { strict: true }) && data.length % 2 === 0
}

/**
 * Decodes the revert data of a poll into a scheduling hint, strictly (see `readPollError`): only
 * the exact canonical encoding of a poll error counts. Never throws: unknown selectors, trailing or
 * missing bytes, another offset, dirty padding and non-hex input come back as
 * `{ kind: 'unknown', data }`, which backs off but never removes a watch.
 *
 * @example
 * decodePollRevert('0xd05f3065...') // { kind: 'tryNextBlock', reason: '...' }
 */
export function decodePollRevert(data: unknown): PollOutcome {
  data = parseRevertData(data) ?? data
  if (!isEvenHex(data) || data.length < 10) return { kind: 'unknown', data }
  const error = readPollError(data)
  if (error === undefined) return { kind: 'unknown', data }
  switch (error.name) {
    case 'PollTryNextBlock':
      return { kind: 'tryNextBlock', reason: error.reason }
    case 'PollTryAtBlock':
      return { kind: 'tryAtBlock', block: error.at, reason: error.reason }
    case 'PollTryAtEpoch':
      return { kind: 'tryAtEpoch', epoch: error.at, reason: error.reason }
    case 'PollNever':
      return { kind: 'never', reason: error.reason }
    case 'OrderNotValid':
      return { kind: 'notValid', reason: error.reason }
    case 'ProofNotAuthed':
    case 'SingleOrderNotAuthed':
      return { kind: 'never', reason: error.name }
  }
}

/**
 * Decodes the return data of a successful poll into `{ kind: 'order', order, signature }`,
 * strictly: only the canonical encoding of `(GPv2Order.Data, bytes)` is an order (see
 * `decodeOrderWithSignature`; upper-case hex is read as lower-case). Never throws: anything else
 * (dirty padding, a validTo past uint32, a bool that is not 0 or 1, another offset, trailing bytes)
 * comes back as `{ kind: 'unknown', data }`.
 *
 * @example
 * const outcome = decodePollReturn(await host.chain.call(chainId, { to, data }))
 */
export function decodePollReturn(data: unknown): PollOutcome {
  if (typeof data !== 'string') return { kind: 'unknown', data }
  // The fixed-layout reader checks the hex itself: canonical data is scanned once; another dialect
  // (upper-case digits, `0X`) is made canonical first.
  let decoded = decodeOrderWithSignature(data)
  if (decoded === undefined) {
    const canonical = canonicalHex(data)
    if (canonical !== undefined && canonical !== data) decoded = decodeOrderWithSignature(canonical)
  }
  return decoded ? { kind: 'order', order: decoded.order, signature: decoded.signature } : { kind: 'unknown', data }
}

/**
 * Decodes one Multicall3 result of a poll: return data when it succeeded, revert data otherwise.
 *
 * @example
 * const results = await host.chain.multicall(chainId, watches.map((w) => ({ target: COMPOSABLE_COW, callData: w.callData, allowFailure: true })))
 * const outcomes = results.map(decodePollResult)
 */
export function decodePollResult(result: MulticallResult): PollOutcome {
  return result.success ? decodePollReturn(result.returnData) : decodePollRevert(result.returnData)
}

/**
 * The poll outcome carried by a rejected `host.chain.call` (a `ChainCallError` with revert `data`).
 * The data may be in any node dialect `parseRevertData` knows (`Reverted 0x...`, upper case, `0X`):
 * `decodePollRevert` reads every dialect as the bare lower-case hex. Rethrows anything that is not a revert
 * (transport faults, timeouts), so the caller's retry policy sees them.
 *
 * @example
 * const outcome = await host.chain.call(chainId, { to, data }).then(decodePollReturn, pollOutcomeFromError)
 */
export function pollOutcomeFromError(error: unknown): PollOutcome {
  if (error instanceof Error && error.name === 'ChainCallError' && 'data' in error)
    return decodePollRevert((error as { data: unknown }).data)
  throw error
}
