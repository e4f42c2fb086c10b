import { decodeErrorResult, decodeFunctionResult, encodeFunctionData, isHex, type Address, type Hex } from 'viem'
import { getTradeableOrderWithSignatureFunction, pollErrorsAbi } from '../abi/composableCow.ts'
import type { GPv2OrderData } from '../orders/gpv2Order.ts'
import { decodeOrderWithSignature } from './decodeOrderWithSignature.ts'
import { parseRevertData } from './revertData.ts'
import type { ConditionalOrderParams } from './decodeConditionalOrderCreated.ts'
import type { MulticallResult } from '../../../engine/module/types.ts'

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
 * Decodes the revert data of a poll into a scheduling hint. Never throws: unknown selectors,
 * truncated arguments and non-hex input come back as `{ kind: 'unknown', data }`.
 *
 * @example
 * decodePollRevert('0xd05f3065...') // { kind: 'tryNextBlock', reason: '...' }
 */
export function decodePollRevert(data: unknown): PollOutcome {
  data = parseRevertData(data) ?? data
  if (!isEvenHex(data) || data.length < 10) return { kind: 'unknown', data }
  let decoded
  try {
    decoded = decodeErrorResult({ abi: pollErrorsAbi, data })
  } catch {
    return { kind: 'unknown', data }
  }
  switch (decoded.errorName) {
    case 'PollTryNextBlock':
      return { kind: 'tryNextBlock', reason: decoded.args[0] }
    case 'PollTryAtBlock':
      return { kind: 'tryAtBlock', block: decoded.args[0], reason: decoded.args[1] }
    case 'PollTryAtEpoch':
      return { kind: 'tryAtEpoch', epoch: decoded.args[0], reason: decoded.args[1] }
    case 'PollNever':
      return { kind: 'never', reason: decoded.args[0] }
    case 'OrderNotValid':
      return { kind: 'notValid', reason: decoded.args[0] }
    case 'ProofNotAuthed':
    case 'SingleOrderNotAuthed':
      return { kind: 'never', reason: decoded.errorName }
    default:
      return { kind: 'unknown', data }
  }
}

/**
 * Decodes the return data of a successful poll into `{ kind: 'order', order, signature }`.
 * Never throws: data that does not decode comes back as `{ kind: 'unknown', data }`.
 *
 * @example
 * const outcome = decodePollReturn(await host.chain.call(chainId, { to, data }))
 */
export function decodePollReturn(data: unknown): PollOutcome {
  // The fixed-layout reader checks the hex itself: canonical data is scanned once.
  const fast = typeof data === 'string' ? decodeOrderWithSignature(data) : undefined
  if (fast) return { kind: 'order', order: fast.order, signature: fast.signature }
  if (!isEvenHex(data)) return { kind: 'unknown', data }
  try {
    const [order, signature] = decodeFunctionResult({
      abi: [getTradeableOrderWithSignatureFunction],
      functionName: 'getTradeableOrderWithSignature',
      data,
    })
    return { kind: 'order', order: { ...order }, signature }
  } catch {
    return { kind: 'unknown', data }
  }
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
