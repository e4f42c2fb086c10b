import fc from 'fast-check'
import { bytesToHex, keccak256 as viemKeccak256, stringToHex } from 'viem'
import { beforeAll, describe, expect, it } from 'vitest'
import { keccak256, keccak256Utf8, keccakBackend, keccakReady } from './keccak256.ts'

describe('keccak256 (WebAssembly)', () => {
  beforeAll(() => keccakReady)

  it('runs on WebAssembly once ready', () => {
    expect(keccakBackend()).toEqual({ wasm: true })
  })

  it('matches viem on the empty input and on known vectors', () => {
    expect(keccak256('0x')).toBe('0xc5d2460186f7233c927e7db2dcc703c0e500b653ca82273b7bfad8045d85a470')
    expect(keccak256Utf8('sell')).toBe(viemKeccak256(stringToHex('sell')))
  })

  it('matches viem for any bytes, given as hex or as bytes, whatever the block boundary', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 700 }), (bytes) => {
        const expected = viemKeccak256(bytes)
        expect(keccak256(bytesToHex(bytes))).toBe(expected)
        expect(keccak256(bytes)).toBe(expected)
        expect(bytesToHex(keccak256(bytes, 'bytes'))).toBe(expected)
      }),
      { numRuns: 300 },
    )
  })

  it('matches viem for UTF-8 text, and for odd-length and upper-case hex', () => {
    fc.assert(fc.property(fc.string({ unit: 'grapheme' }), (text) => {
        expect(keccak256Utf8(text)).toBe(viemKeccak256(stringToHex(text)))
      }),
    )
    expect(keccak256('0xabc')).toBe(viemKeccak256('0xabc'))
    expect(keccak256('0xABCDEF')).toBe(viemKeccak256('0xabcdef'))
  })

  it('refuses a string that is not hex, naming it', () => {
    expect(() => keccak256('0xzz' as `0x${string}`)).toThrow(/"0xzz" is not hex/)
    expect(() => keccak256('0x12g4' as `0x${string}`)).toThrow(/not hex/)
    expect(() => keccak256('abcd' as `0x${string}`)).toThrow(/not hex/)
  })
})
