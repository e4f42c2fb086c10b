import fc from 'fast-check'
import { decodeFunctionResult, encodeFunctionResult, multicall3Abi, type Hex } from 'viem'
import { describe, expect, test } from 'vitest'
import { decodeAggregate3Result } from './decodeAggregate3Result.ts'

const hexBytes = (min: number, max = min) => fc.uint8Array({ minLength: min, maxLength: max }).map((b) => `0x${Buffer.from(b).toString('hex')}` as Hex)
const results = fc.array(fc.record({ success: fc.boolean(), returnData: hexBytes(0, 700) }), { maxLength: 40 })
const encode = (r: { success: boolean; returnData: Hex }[]) => encodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', result: r })
const viemDecode = (data: Hex) => decodeFunctionResult({ abi: multicall3Abi, functionName: 'aggregate3', data }).map((r) => ({ success: r.success, returnData: r.returnData }))

describe('decodeAggregate3Result', () => {
  test('behavior: equals viem for any list of results, empty ones included', () => {
    fc.assert(
      fc.property(results, (list) => {
        const data = encode(list)
        const decoded = decodeAggregate3Result(data)
        expect(decoded).toBeDefined()
        expect(decoded).toEqual(viemDecode(data))
        expect(decoded).toEqual(list)
      }),
      { numRuns: 200 },
    )
  })

  test('behavior: leaves non-canonical or truncated data to viem (undefined)', () => {
    fc.assert(
      fc.property(results.filter((l) => l.length > 0), fc.constantFrom('arrayOffset', 'tupleOffset', 'bool', 'bytesOffset', 'truncated', 'upper', 'count'), (list, damage) => {
        const clean = encode(list)
        const put = (position: number, word: string) => `${clean.slice(0, position)}${word.padStart(64, '0')}${clean.slice(position + 64)}` as Hex
        const tupleAt = (i: number) => 2 + 128 + 2 * Number.parseInt(clean.slice(2 + 128 + i * 64, 2 + 192 + i * 64), 16)
        const firstTuple = tupleAt(0)
        // The last byte of the last returnData (or of its length word, when it is empty).
        const lastTuple = tupleAt(list.length - 1)
        const lastEnd = lastTuple + 192 + 2 * Number.parseInt(clean.slice(lastTuple + 128, lastTuple + 192), 16)
        const damaged: Hex = {
          arrayOffset: put(2, '40'),
          tupleOffset: put(2 + 128, 'ffffff'),
          bool: put(firstTuple, '2'),
          bytesOffset: put(firstTuple + 64, '60'),
          truncated: clean.slice(0, lastEnd - 2) as Hex,
          upper: clean.toUpperCase().replace('0X', '0x') as Hex,
          count: put(2 + 64, (list.length + 1000).toString(16)),
        }[damage as 'bool']
        fc.pre(damaged !== clean)
        expect(decodeAggregate3Result(damaged)).toBeUndefined()
      }),
      { numRuns: 150 },
    )
  })

  test('behavior: refuses what is not hex or too short to hold a list', () => {
    expect(decodeAggregate3Result('0x')).toBeUndefined()
    expect(decodeAggregate3Result(`0x${'zz'.repeat(64)}`)).toBeUndefined()
  })
})
