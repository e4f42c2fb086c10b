import fc from 'fast-check'
import { describe, expect, test } from 'vitest'
import { canonicalHex, parseRevertData } from './revertData.ts'

describe('parseRevertData', () => {
  test.each([
    ['bare lower-case hex (geth, Anvil)', '0x7a933234', '0x7a933234'],
    ['upper-case digits', '0x7A933234', '0x7a933234'],
    ['0X prefix', '0X7a933234', '0x7a933234'],
    ['empty revert', '0x', '0x'],
    ['Nethermind "Reverted 0x..."', 'Reverted 0x7a933234', '0x7a933234'],
    ['Nethermind "Reverted 0X..." upper case', 'Reverted 0X7A933234', '0x7a933234'],
    ['Nethermind "Reverted 0x" (empty)', 'Reverted 0x', '0x'],
    ['Nethermind "err: 0x... (supplied gas N)"', 'err: 0xdf2d9b42 (supplied gas 36000000)', '0xdf2d9b42'],
    ['Nethermind "err: revert (supplied gas N)"', 'err: revert (supplied gas 36000000)', '0x'],
  ])('behavior: %s -> canonical', (_, input, expected) => {
    expect(parseRevertData(input)).toBe(expected)
  })

  test.each([
    ['odd length', '0xabc'],
    ['non-hex digit', '0x7a93323g'],
    ['no prefix', '7a933234'],
    ['a message, not data', 'execution reverted'],
    ['Nethermind reason text', 'revert: UniswapV2Router: INSUFFICIENT_OUTPUT_AMOUNT'],
    ['leading space', ' 0x7a933234'],
    ['trailing text', 'Reverted 0x7a933234 (more)'],
    ['lower-case "reverted"', 'reverted 0x7a933234'],
    ['not a string', 42],
    ['an object', { data: '0x7a933234' }],
    ['undefined', undefined],
  ])('behavior: %s -> undefined (strict, never a guess)', (_, input) => {
    expect(parseRevertData(input)).toBeUndefined()
  })

  test('property: any even-length hex in any case and either prefix, bare or "Reverted ", is its lower-case 0x form', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.boolean(), fc.boolean(), fc.boolean(), (bytes, upper, bigX, reverted) => {
        const lower = `0x${Buffer.from(bytes).toString('hex')}`
        const digits = upper ? lower.slice(2).toUpperCase() : lower.slice(2)
        const written = `${reverted ? 'Reverted ' : ''}${bigX ? '0X' : '0x'}${digits}`
        expect(parseRevertData(written)).toBe(lower)
      }),
    )
  })
})

describe('canonicalHex', () => {
  test('behavior: canonical input comes back as the same string; other cases and 0X are lowered; the rest is undefined', () => {
    const canonical = `0x${'ab'.repeat(10)}`
    expect(canonicalHex(canonical)).toBe(canonical)
    expect(canonicalHex('0XAB')).toBe('0xab')
    expect(canonicalHex('Reverted 0xab')).toBeUndefined()
    expect(canonicalHex('0xa')).toBeUndefined()
  })

  test('behavior: a multi-megabyte answer is checked without a stack overflow', () => {
    const big = `0X${'AB'.repeat(5_000_000)}`
    expect(canonicalHex(big)).toBe(big.toLowerCase())
  })
})
