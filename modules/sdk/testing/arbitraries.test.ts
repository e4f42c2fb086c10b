// The arbitraries produce what the SDK's codecs decode (round trips), and garbage is never read as
// a valid answer. `shepherd/sdk/testing` is what users build their property tests on: a wrong
// arbitrary would make their tests pass on nothing.
import fc from 'fast-check'
import { decodeFunctionResult, getAddress, toEventSelector } from 'viem'
import { describe, expect, test } from 'vitest'
import { getTradeableOrderWithSignatureFunction } from '../abi/composableCow.ts'
import { tradeEvent } from '../abi/gpv2.ts'
import { decodeConditionalOrderCreated } from '../codecs/decodeConditionalOrderCreated.ts'
import { decodeLogWith } from '../codecs/decodeEventLog.ts'
import { decodeEthFlowPlacementData, decodeOrderPlacement } from '../codecs/decodeEthFlowLogs.ts'
import { decodePollResult, decodePollReturn, decodePollRevert } from '../codecs/pollOutcome.ts'
import { decodeTwapStaticInput, encodeTwapStaticInput, type TwapStaticInput } from '../codecs/twapStaticInput.ts'
import { buildOrderCreation } from '../orders/buildOrderCreation.ts'
import { computeUid } from '../orders/computeUid.ts'
import {
  conditionalOrderCreatedLogs,
  ethFlowPlacementLogs,
  garbagePollAnswers,
  invalidTwapStaticInputs,
  orderAnswers,
  orderCreations,
  pollAnswers,
  pollErrorAnswers,
  protocolAddresses,
  tradeLogs,
  twapCreatedLogs,
  twapStaticInputs,
} from './index.ts'

const runs = { numRuns: 200 }

describe('orders', () => {
  test('behavior: buildOrderCreation turns every generated order into the POST body the arbitrary wrote from the API rules', () => {
    fc.assert(fc.property(orderCreations(), (sample) => {
      expect(buildOrderCreation(sample)).toEqual(sample.creation)
    }), runs)
  })

  test('behavior: the UID of every generated order ends with its owner and validTo', () => {
    fc.assert(
      fc.property(orderCreations(), ({ order, owner }) => {
        const uid = computeUid(11155111, order, owner)
        expect(uid.slice(-48)).toBe(`${owner.slice(2).toLowerCase()}${order.validTo.toString(16).padStart(8, '0')}`)
      }),
      { numRuns: 50 },
    )
  })
})

// The handler's rules, written from protocol-facts.md in the order the contract checks them.
const ruleBroken = (twap: TwapStaticInput) => {
  if (twap.sellToken === twap.buyToken) return 'same token'
  if (BigInt(twap.sellToken) === 0n || BigInt(twap.buyToken) === 0n) return 'invalid token'
  if (twap.partSellAmount === 0n) return 'invalid part sell amount'
  if (twap.minPartLimit === 0n) return 'invalid min part limit'
  if (twap.t0 >= 2n ** 32n - 1n) return 'invalid start time'
  if (!(twap.n > 1n && twap.n <= 2n ** 32n - 1n)) return 'invalid num parts'
  if (!(twap.t > 0n && twap.t <= 365n * 86400n)) return 'invalid frequency'
  if (twap.span > twap.t) return 'invalid span'
  return undefined
}

describe('TWAPs', () => {
  test('behavior: every generated TWAP keeps the handler rules and survives encode/decode', () => {
    fc.assert(
      fc.property(twapStaticInputs(), (twap) => {
        expect(ruleBroken(twap)).toBeUndefined()
        expect(BigInt(twap.receiver)).not.toBe(0n)
        expect(decodeTwapStaticInput(encodeTwapStaticInput(twap))).toEqual({ ok: true, value: twap })
      }),
      runs,
    )
  })

  test('behavior: every invalid TWAP breaks exactly the rule it is labelled with, and each rule is drawn', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(invalidTwapStaticInputs(), ({ input, reason }) => {
        seen.add(reason)
        expect(ruleBroken(input)).toBe(reason)
      }),
      { numRuns: 400 },
    )
    expect(seen.size).toBe(8)
  })
})

describe('poll answers', () => {
  test('behavior: every order and poll-error answer decodes to its outcome, through the multicall and the single-call paths', () => {
    fc.assert(
      fc.property(fc.oneof(orderAnswers(), pollErrorAnswers()), ({ result, expected }) => {
        expect(decodePollResult(result)).toEqual(expected)
        expect(result.success ? decodePollReturn(result.returnData) : decodePollRevert(result.returnData)).toEqual(expected)
      }),
      runs,
    )
  })

  test('behavior: garbage is never read as an order nor as a hint; it is always unknown', () => {
    fc.assert(
      fc.property(garbagePollAnswers(), ({ result, label }) => {
        expect(decodePollResult(result).kind, label).toBe('unknown')
      }),
      { numRuns: 500 },
    )
  })

  test('behavior: pollAnswers draws every outcome, garbage included', () => {
    const kinds = new Set(fc.sample(pollAnswers(), 600).map((answer) => answer.expected.kind))
    expect([...kinds].sort()).toEqual(['never', 'notValid', 'order', 'tryAtBlock', 'tryAtEpoch', 'tryNextBlock', 'unknown'])
  })

  // The garbage arbitrary has teeth: a lenient decoder (viem's) reads some of it as an order.
  test('behavior: a lenient decoder fails the garbage property (the arbitrary can catch one)', () => {
    const lenient = (data: `0x${string}`) => {
      try {
        decodeFunctionResult({ abi: [getTradeableOrderWithSignatureFunction], functionName: 'getTradeableOrderWithSignature', data })
        return 'order'
      } catch {
        return 'unknown'
      }
    }
    const result = fc.check(
      fc.property(garbagePollAnswers().filter((a) => a.result.success), ({ result }) => lenient(result.returnData) === 'unknown'),
      { numRuns: 500, seed: 1 },
    )
    expect(result.failed).toBe(true)
  })
})

describe('chain events', () => {
  test('behavior: ConditionalOrderCreated logs decode to the generated owner and params', () => {
    fc.assert(
      fc.property(conditionalOrderCreatedLogs(), ({ log, expected }) => {
        expect(log.address).toBe(protocolAddresses.composableCow)
        expect(decodeConditionalOrderCreated(log)).toEqual({ ok: true, value: expected })
        expect(log.decoded?.eventName).toBe('ConditionalOrderCreated')
      }),
      runs,
    )
  })

  test('behavior: a TWAP creation log carries the TWAP handler and the generated TWAP', () => {
    fc.assert(
      fc.property(twapCreatedLogs(), ({ log, expected, twap }) => {
        const created = decodeConditionalOrderCreated(log)
        expect(created).toEqual({ ok: true, value: expected })
        expect(expected.params.handler).toBe(protocolAddresses.twapHandler)
        expect(decodeTwapStaticInput(expected.params.staticInput)).toEqual({ ok: true, value: twap })
      }),
      runs,
    )
  })

  test('behavior: EthFlow OrderPlacement logs decode to the placement, and its data to quoteId and userValidTo', () => {
    fc.assert(
      fc.property(ethFlowPlacementLogs(), ({ log, expected, placement }) => {
        expect(decodeOrderPlacement(log)).toEqual({ ok: true, value: expected })
        expect(decodeEthFlowPlacementData(expected.data)).toEqual({ ok: true, value: placement })
        expect(expected.order.validTo).toBe(0xffffffff)
        expect(getAddress(expected.signature.data)).toBe(log.address)
      }),
      runs,
    )
  })

  test('behavior: Trade logs decode to the generated trade, with topic0 of the real event', () => {
    fc.assert(
      fc.property(tradeLogs(), ({ log, expected }) => {
        expect(log.topics[0]).toBe(toEventSelector(tradeEvent))
        expect(log.topics[0]).toBe('0xa07a543ab8a018198e99ca0184c93fe9050a79400a0a723441f84de1d972cc17')
        expect(decodeLogWith(tradeEvent, log)).toEqual({ ok: true, value: expected })
      }),
      runs,
    )
  })

  test('behavior: protocol addresses are the checksummed Sepolia ones', () => {
    for (const address of Object.values(protocolAddresses)) expect(getAddress(address)).toBe(address)
    expect(protocolAddresses.twapHandler.toLowerCase()).toBe('0x6cf1e9ca41f7611def408122793c358a3d11e5a5')
  })
})
