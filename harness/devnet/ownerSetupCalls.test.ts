import { keccak256, maxUint256, numberToHex, type Address } from 'viem'
import { describe, expect, test } from 'vitest'
import { sepoliaAddresses } from './addresses.ts'
import { forwarderOwnerRuntime, ownerSetupCalls } from './ownerSetupCalls.ts'
import { allowanceSlot, balanceSlot, tokenLayout } from './tokenSlots.ts'

const owner: Address = '0x00000000000000000000000000000000000c0de1'

describe('tokenSlots', () => {
  test('behavior: mapping slots follow Solidity layout (keccak of the padded key and slot)', () => {
    const key = owner.slice(2).toLowerCase().padStart(64, '0')
    expect(balanceSlot(owner, 3n)).toBe(keccak256(`0x${key}${'3'.padStart(64, '0')}`))
    const spender = sepoliaAddresses.gpv2VaultRelayer.slice(2).toLowerCase().padStart(64, '0')
    expect(allowanceSlot(owner, sepoliaAddresses.gpv2VaultRelayer, 4n)).toBe(keccak256(`0x${spender}${balanceSlot(owner, 4n).slice(2)}`))
  })
  test('behavior: a token of unknown layout is refused rather than written at a guessed slot', () => {
    expect(tokenLayout(sepoliaAddresses.weth.toLowerCase() as Address)).toEqual({ balanceOfSlot: 3n, allowanceSlot: 4n })
    expect(() => tokenLayout('0x0000000000000000000000000000000000000bad')).toThrow(/No known storage layout/)
  })
})

describe('ownerSetupCalls', () => {
  test('behavior: code, balance and unlimited allowance per owner, and the WETH backing once', () => {
    const calls = ownerSetupCalls({ owners: [owner], sellToken: sepoliaAddresses.weth, balance: 5n, wethEthBalance: 10n })
    expect(calls).toEqual([
      { method: 'anvil_setCode', params: [owner, forwarderOwnerRuntime] },
      { method: 'anvil_setStorageAt', params: [sepoliaAddresses.weth, balanceSlot(owner, 3n), numberToHex(5n, { size: 32 })] },
      { method: 'anvil_setStorageAt', params: [sepoliaAddresses.weth, allowanceSlot(owner, sepoliaAddresses.gpv2VaultRelayer, 4n), numberToHex(maxUint256, { size: 32 })] },
      { method: 'anvil_setBalance', params: [sepoliaAddresses.weth, numberToHex(15n)] },
    ])
  })
  test('behavior: a PreSign owner gets no code; a COW sell token gets no WETH backing', () => {
    const calls = ownerSetupCalls({ owners: [owner], sellToken: sepoliaAddresses.cowToken, balance: 1n, withCode: false, wethEthBalance: 0n })
    expect(calls.map((c) => c.method)).toEqual(['anvil_setStorageAt', 'anvil_setStorageAt'])
    expect(calls[0]!.params[1]).toBe(balanceSlot(owner, 1n))
  })
  test('behavior: a negative amount is refused', () => {
    expect(() => ownerSetupCalls({ owners: [owner], sellToken: sepoliaAddresses.weth, balance: -1n })).toThrow(RangeError)
  })
})
