import { describe, expect, test } from 'vitest'
import { shortStringSlot, weth9Storage } from './wethStorage.ts'

describe('shortStringSlot', () => {
  test('behavior: left-aligns the bytes and stores length * 2 in the last byte', () => {
    expect(shortStringSlot('WETH')).toBe(`0x57455448${'00'.repeat(27)}08`)
    expect(shortStringSlot('')).toBe(`0x${'00'.repeat(32)}`)
  })

  test('behavior: refuses strings of 32 bytes or more, naming the length', () => {
    expect(() => shortStringSlot('x'.repeat(32))).toThrow(/32 bytes/)
  })

  test('behavior: WETH9 slots hold "Wrapped Ether", "WETH" and 18', () => {
    expect(weth9Storage.map((s) => s.value)).toEqual([shortStringSlot('Wrapped Ether'), shortStringSlot('WETH'), `0x${'00'.repeat(31)}12`])
    expect(shortStringSlot('Wrapped Ether').endsWith('1a')).toBe(true)
  })
})
