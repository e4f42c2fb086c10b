import { COW_PROTOCOL_SETTLEMENT_CONTRACT_ADDRESS, type SupportedChainId } from '@cowprotocol/cow-sdk'
import { getAddress, type Address } from 'viem'

/** The GPv2 EIP-712 domain: ("Gnosis Protocol", "v2", chainId, the settlement contract). */
export type Gpv2Domain = { name: 'Gnosis Protocol'; version: 'v2'; chainId: number; verifyingContract: Address }

/**
 * The GPv2 EIP-712 domain of a chain, from cow-sdk's settlement address table (the same address on
 * every chain it supports). Throws a clear error for a chain cow-sdk does not know.
 *
 * @example
 * gpv2Domain(11155111).verifyingContract // '0x9008D19f58AAbD9eD0D60971565AA8510560ab41'
 */
export function gpv2Domain(chainId: number): Gpv2Domain {
  const settlement = (COW_PROTOCOL_SETTLEMENT_CONTRACT_ADDRESS as Record<number, string | undefined>)[chainId]
  if (!settlement)
    throw new RangeError(`Chain ${chainId} has no GPv2Settlement in cow-sdk's table; UIDs need a known chain (e.g. 11155111 or 1)`)
  return { name: 'Gnosis Protocol', version: 'v2', chainId, verifyingContract: getAddress(settlement) }
}

/** The Sepolia GPv2 domain (chain 11155111), separator 0xdaee378b...ed230b. */
export const sepoliaDomain: Gpv2Domain = gpv2Domain(11155111 satisfies SupportedChainId)
