// Arbitraries of every answer a `getTradeableOrderWithSignature` poll can give, with the outcome
// the SDK must read from it. Not for module code.
import fc from 'fast-check'
import { encodeErrorResult, encodeFunctionResult, type Hex } from 'viem'
import { getTradeableOrderWithSignatureFunction } from '../abi/composableCow.ts'
import type { PollOutcome } from '../codecs/pollOutcome.ts'
import type { MulticallResult } from '../module/types.ts'
import { canonicalPollErrors, nonCanonicalOrderResults, nonCanonicalPollErrors } from './nonCanonical.ts'
import { decodedOrders, hexBytes, uint256 } from './orderArbitraries.ts'

/**
 * One poll answer: the Multicall3 result a node gives (`success` false: revert data), a label
 * saying what it is, and the outcome the SDK must decode. Garbage expects `{ kind: 'unknown' }`.
 */
export type PollAnswer = { label: string; result: MulticallResult; expected: PollOutcome | { kind: 'unknown' } }

const POLL_SELECTORS = new Set(['0xc8fc2725', '0xd05f3065', '0x1fe8506e', '0x7e334637', '0x981b64cd', '0x4a821464', '0x7a933234'])
const standardErrors = [
  { type: 'error', name: 'Error', inputs: [{ name: 'message', type: 'string' }] },
  { type: 'error', name: 'Panic', inputs: [{ name: 'code', type: 'uint256' }] },
] as const

/**
 * A successful poll: the canonical `(GPv2Order.Data, bytes)` return, expecting
 * `{ kind: 'order', order, signature }` (checksummed addresses, as the SDK decodes them).
 *
 * @example
 * fc.assert(fc.property(orderAnswers(), ({ result, expected }) => {
 *   expect(decodePollResult(result)).toEqual(expected)
 * }))
 */
export function orderAnswers(): fc.Arbitrary<PollAnswer> {
  return fc.tuple(decodedOrders(), hexBytes(0, 300)).map(([order, signature]) => ({
    label: 'order',
    result: {
      success: true,
      returnData: encodeFunctionResult({ abi: [getTradeableOrderWithSignatureFunction], functionName: 'getTradeableOrderWithSignature', result: [order, signature] }),
    },
    expected: { kind: 'order', order, signature },
  }))
}

/**
 * A poll that reverted with one of the conditional-order errors, canonically encoded:
 * PollTryNextBlock, PollTryAtBlock, PollTryAtEpoch, PollNever, OrderNotValid, and ComposableCoW's
 * ProofNotAuthed / SingleOrderNotAuthed, each with the scheduling hint it means.
 *
 * @example
 * fc.assert(fc.property(pollErrorAnswers(), ({ result, expected }) => {
 *   expect(decodePollResult(result)).toEqual(expected)
 * }))
 */
export function pollErrorAnswers(): fc.Arbitrary<PollAnswer> {
  return canonicalPollErrors.map(({ name, args, data }) => ({ label: name, result: { success: false, returnData: data }, expected: outcomeOf(name, args) }))
}

function outcomeOf(name: string, args: readonly unknown[]): PollOutcome {
  const reason = String(args.at(-1) ?? name)
  switch (name) {
    case 'PollTryNextBlock':
      return { kind: 'tryNextBlock', reason }
    case 'PollTryAtBlock':
      return { kind: 'tryAtBlock', block: args[0] as bigint, reason }
    case 'PollTryAtEpoch':
      return { kind: 'tryAtEpoch', epoch: args[0] as bigint, reason }
    case 'OrderNotValid':
      return { kind: 'notValid', reason }
    default:
      // PollNever(reason); ProofNotAuthed() and SingleOrderNotAuthed() carry no reason: the name is it.
      return { kind: 'never', reason }
  }
}

/** Random bytes of a length no canonical answer has (neither 32k nor 4 + 32k bytes). */
const oddLengthBytes = hexBytes(0, 600).filter((hex) => {
  const length = (hex.length - 2) / 2
  return length % 32 !== 0 && length % 32 !== 4
})

/**
 * Answers that are not the canonical encoding of any poll outcome, each expecting
 * `{ kind: 'unknown' }`: damaged poll errors and order results (trailing or missing bytes, another
 * offset, dirty padding or lengths, invalid UTF-8, a validTo past uint32, a bool not 0/1), a plain
 * `revert()`, `Error(string)` and `Panic(uint256)`, an unknown selector, random bytes of a
 * non-canonical length, empty return data, and a revert's data returned as success (and the other
 * way round). A watcher must never act on one as an order nor stop watching because of one.
 *
 * @example
 * fc.assert(fc.property(garbagePollAnswers(), ({ result }) => {
 *   expect(decodePollResult(result).kind).toBe('unknown')
 * }))
 */
export function garbagePollAnswers(): fc.Arbitrary<PollAnswer> {
  const unknown = { kind: 'unknown' } as const
  const revert = (label: string, returnData: Hex): PollAnswer => ({ label, result: { success: false, returnData }, expected: unknown })
  const success = (label: string, returnData: Hex): PollAnswer => ({ label, result: { success: true, returnData }, expected: unknown })
  return fc.oneof(
    nonCanonicalPollErrors.map(({ name, damage, data }) => revert(`${name}: ${damage}`, data)),
    nonCanonicalOrderResults.map(({ damage, data }) => success(`order: ${damage}`, data)),
    fc.constant(revert('revert() without data', '0x')),
    fc.constant(success('empty return data', '0x')),
    fc.string({ maxLength: 80 }).map((message) => revert('Error(string)', encodeErrorResult({ abi: standardErrors, errorName: 'Error', args: [message] }))),
    uint256.map((code) => revert('Panic(uint256)', encodeErrorResult({ abi: standardErrors, errorName: 'Panic', args: [code] }))),
    fc
      .tuple(hexBytes(4).filter((selector) => !POLL_SELECTORS.has(selector)), fc.nat({ max: 4 }))
      .map(([selector, words]) => revert('unknown selector', `${selector}${'00'.repeat(32 * words)}` as Hex)),
    oddLengthBytes.map((data) => revert('random bytes', data)),
    oddLengthBytes.map((data) => success('random bytes', data)),
    canonicalPollErrors.map(({ name, data }) => success(`${name} returned as success`, data)),
    orderAnswers().map(({ result }) => revert('an order returned as revert data', result.returnData)),
  )
}

/**
 * Every answer a poll can give: orders, each poll error, and garbage, in one arbitrary, each with
 * the outcome the SDK must decode. For properties of a module that polls: whatever the node
 * answers, the module submits only an `order` and removes a watch only on `never` / `notValid`.
 *
 * @example
 * fc.assert(fc.asyncProperty(pollAnswers(), async ({ result, expected }) => {
 *   mock.chain.onCall({ selector: '0x26e0a196' }, result.success ? result.returnData : { revert: result.returnData })
 *   await module.onBlock!({ host: mock.host, config, block })
 *   expect(mock.cowApi.submissions.length > 0).toBe(expected.kind === 'order')
 * }))
 */
export function pollAnswers(): fc.Arbitrary<PollAnswer> {
  return fc.oneof(orderAnswers(), pollErrorAnswers(), garbagePollAnswers())
}
