import fc from 'fast-check'
import { decodeErrorResult } from 'viem'
import { describe, expect, test } from 'vitest'
import { pollErrorsAbi } from '../abi/composableCow.ts'
import { canonicalPollErrors, nonCanonicalPollErrors, POLL_ERROR_NAMES } from '../testing/nonCanonical.ts'
import { decodePollResult, decodePollRevert } from './pollOutcome.ts'

describe('decodePollRevert is strict and canonical', () => {
  test('behavior: every canonical poll error decodes to what viem reads', () => {
    fc.assert(
      fc.property(canonicalPollErrors, ({ name, data }) => {
        const outcome = decodePollRevert(data)
        expect(outcome.kind).not.toBe('unknown')
        const viem = decodeErrorResult({ abi: pollErrorsAbi, data })
        expect(viem.errorName).toBe(name)
        const args = (viem.args ?? []) as readonly unknown[]
        if ('reason' in outcome && args.length > 0) expect(outcome.reason).toBe(args.at(-1))
        if (outcome.kind === 'tryAtBlock') expect(outcome.block).toBe(args[0])
        if (outcome.kind === 'tryAtEpoch') expect(outcome.epoch).toBe(args[0])
      }),
      { numRuns: 300 },
    )
  })

  test('property: no non-canonical encoding of any poll error decodes as a hint (each is unknown)', () => {
    const seen = new Set<string>()
    fc.assert(
      fc.property(nonCanonicalPollErrors, ({ name, damage, data }) => {
        seen.add(name)
        expect(decodePollRevert(data), `${name}: ${damage}`).toEqual({ kind: 'unknown', data })
        expect(decodePollResult({ success: false, returnData: data }).kind).toBe('unknown')
      }),
      { numRuns: 1000 },
    )
    expect([...seen].sort()).toEqual([...POLL_ERROR_NAMES].sort())
  })

  test('behavior: the issue\'s cases are unknown: a zero-argument selector with trailing bytes, an OrderNotValid with a zero offset', () => {
    expect(decodePollRevert('0x4a821464').kind).toBe('never')
    expect(decodePollRevert('0x4a82146400').kind).toBe('unknown')
    expect(decodePollRevert(`0x7a933234${'00'.repeat(32)}`).kind).toBe('unknown')
    const zeroOffset = `0xc8fc2725${'0'.repeat(64)}${'0'.repeat(64)}` as const
    expect(decodeErrorResult({ abi: pollErrorsAbi, data: zeroOffset }).args).toEqual(['']) // viem: notValid ""
    expect(decodePollRevert(zeroOffset).kind).toBe('unknown')
  })
})
