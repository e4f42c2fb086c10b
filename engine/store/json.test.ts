import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { decodeValue, encodeValue } from './json.ts'

const values = fc.letrec((tie) => ({
  value: fc.oneof({ depthSize: 'small' }, fc.string(), fc.bigInt(), fc.integer(), fc.boolean(), fc.constant(null), fc.array(tie('value'), { maxLength: 4 }), fc.dictionary(fc.string(), tie('value'), { maxKeys: 4 })),
})).value

describe('store JSON', () => {
  test('behavior: any JSON value with bigints anywhere comes back equal', () => {
    fc.assert(
      fc.property(values, (value) => {
        expect(decodeValue(encodeValue(value))).toEqual(value)
      }),
      { numRuns: 300 },
    )
  })

  test('behavior: only an object whose single key is $bigint with a string becomes a bigint', () => {
    expect(decodeValue('{"a":{"$bigint":"12"}}')).toEqual({ a: 12n })
    expect(decodeValue('{"$bigint":5}')).toEqual({ $bigint: 5 })
    expect(decodeValue('{"$bigint":"1","x":1}')).toEqual({ $bigint: '1', x: 1 })
    expect(decodeValue('["$bigint", "\\"$bigint\\""]')).toEqual(['$bigint', '"$bigint"'])
  })
})
