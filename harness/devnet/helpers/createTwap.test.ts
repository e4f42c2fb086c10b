import { describe, expect, test } from 'vitest'
import { encodeAbiParameters, keccak256, parseAbiParameters, zeroHash } from 'viem'
import { hashConditionalOrderParams } from './createTwap.ts'

describe('hashConditionalOrderParams', () => {
  const handler = '0x6cF1e9cA41f7611dEf408122793c358a3d11E5a5'
  const staticInput = '0x1234'

  test('behavior: is keccak256 of the ABI-encoded (handler, salt, staticInput) tuple', () => {
    const encoded = encodeAbiParameters(parseAbiParameters('(address, bytes32, bytes)'), [[handler, zeroHash, staticInput]])
    expect(hashConditionalOrderParams({ handler, salt: zeroHash, staticInput })).toBe(keccak256(encoded))
  })

  test('behavior: changes with the salt', () => {
    expect(hashConditionalOrderParams({ handler, salt: zeroHash, staticInput })).not.toBe(
      hashConditionalOrderParams({ handler, salt: `0x${'01'.padStart(64, '0')}`, staticInput }),
    )
  })
})
