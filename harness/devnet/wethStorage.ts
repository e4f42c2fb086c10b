import { maxUint256, numberToHex, stringToHex, type Hex } from 'viem'
import { sepoliaAddresses } from './addresses.ts'
import { allowanceSlot, tokenLayouts, uint256Word } from './tokenSlots.ts'

/**
 * Storage word of a Solidity string shorter than 32 bytes: the bytes left-aligned, length * 2 in
 * the last byte.
 *
 * @example
 * shortStringSlot('WETH') // 0x5745544800...0008
 */
export function shortStringSlot(value: string): Hex {
  const bytes = new TextEncoder().encode(value)
  if (bytes.length > 31) throw new RangeError(`"${value}" is ${bytes.length} bytes: a short string holds at most 31`)
  const body = stringToHex(value, { size: 31 }).slice(2)
  return `0x${body}${(bytes.length * 2).toString(16).padStart(2, '0')}`
}

/**
 * WETH9's slots 0, 1, 2 (name, symbol, decimals): code placed with anvil_setCode has no constructor
 * run, and WETH9 keeps these in storage.
 */
export const weth9Storage: readonly { slot: Hex; value: Hex }[] = [
  { slot: numberToHex(0, { size: 32 }), value: shortStringSlot('Wrapped Ether') },
  { slot: numberToHex(1, { size: 32 }), value: shortStringSlot('WETH') },
  { slot: numberToHex(2, { size: 32 }), value: numberToHex(18, { size: 32 }) },
]

/**
 * WETH9's `allowance[EthFlow][vaultRelayer] = max`: the real CoWSwapEthFlow sets it in its
 * constructor, which code placed with anvil_setCode never runs, so the settlement (and an orderbook
 * checking allowance) sees the EthFlow contract as a real one.
 */
export const ethFlowRelayerAllowance: { slot: Hex; value: Hex } = {
  slot: allowanceSlot(sepoliaAddresses.ethFlow, sepoliaAddresses.gpv2VaultRelayer, tokenLayouts[sepoliaAddresses.weth]!.allowanceSlot),
  value: uint256Word(maxUint256),
}
