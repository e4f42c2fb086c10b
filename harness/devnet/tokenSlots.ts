import { encodeAbiParameters, keccak256, numberToHex, type Address, type Hex } from 'viem'
import { sepoliaAddresses } from './addresses.ts'

/** Where an ERC20 keeps `balanceOf` and `allowance` (the declaration slots of its two mappings). */
export type TokenLayout = { balanceOfSlot: bigint; allowanceSlot: bigint }

/**
 * The storage layouts of the tokens a devnet holds: WETH9 declares name, symbol, decimals first
 * (slots 0-2), so balanceOf is 3 and allowance 4; our CowToken double declares totalSupply first.
 * A fork's tokens have other layouts: only these two addresses are known.
 *
 * @example
 * tokenLayouts[sepoliaAddresses.weth] // { balanceOfSlot: 3n, allowanceSlot: 4n }
 */
export const tokenLayouts: Readonly<Record<Address, TokenLayout>> = {
  [sepoliaAddresses.weth]: { balanceOfSlot: 3n, allowanceSlot: 4n },
  [sepoliaAddresses.cowToken]: { balanceOfSlot: 1n, allowanceSlot: 2n },
}

/**
 * The layout of `token`, or a RangeError naming the tokens whose layout is known (a storage write to
 * a guessed slot would fund nobody and fail far from here).
 *
 * @example
 * const { balanceOfSlot } = tokenLayout(sepoliaAddresses.weth)
 */
export function tokenLayout(token: Address): TokenLayout {
  const layout = Object.entries(tokenLayouts).find(([address]) => address.toLowerCase() === token.toLowerCase())?.[1]
  if (!layout) throw new RangeError(`No known storage layout for token ${token}: only ${Object.keys(tokenLayouts).join(', ')} (WETH9, COW double)`)
  return layout
}

const addressSlot = [{ type: 'address' }, { type: 'uint256' }] as const
const addressHashSlot = [{ type: 'address' }, { type: 'bytes32' }] as const

/**
 * Slot of `balanceOf[owner]`: keccak256(abi.encode(owner, mappingSlot)) (Solidity's mapping layout).
 *
 * @example
 * balanceSlot(owner, 3n)
 */
export function balanceSlot(owner: Address, mappingSlot: bigint): Hex {
  return keccak256(encodeAbiParameters(addressSlot, [owner, mappingSlot]))
}

/**
 * Slot of `allowance[owner][spender]`: keccak256(abi.encode(spender, keccak256(abi.encode(owner, mappingSlot)))).
 *
 * @example
 * allowanceSlot(owner, sepoliaAddresses.gpv2VaultRelayer, 4n)
 */
export function allowanceSlot(owner: Address, spender: Address, mappingSlot: bigint): Hex {
  return keccak256(encodeAbiParameters(addressHashSlot, [spender, balanceSlot(owner, mappingSlot)]))
}

/**
 * A uint256 as the 32-byte word `anvil_setStorageAt` takes.
 *
 * @example
 * uint256Word(10n ** 18n)
 */
export function uint256Word(value: bigint): Hex {
  return numberToHex(value, { size: 32 })
}
